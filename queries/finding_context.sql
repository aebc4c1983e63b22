-- name: finding_context
-- purpose: the ops around one finding on its writer's and reader's CPUs, marked by role
-- params: finding (default 1), around (default 5: ops shown before and after each marked op)
-- Between the writer and the reader only the ops that matter are kept: those on the same PTE or
-- VA, and the two CPUs' flushes and TLB operations. At most 200 rows.
WITH f AS (
    SELECT * FROM findings WHERE finding = coalesce(getvariable('finding'), 1)
), marks AS (
    SELECT writer_seq AS seq, 'writer' AS role FROM f
    UNION ALL SELECT reader_seq, 'reader' FROM f
    UNION ALL SELECT evidence_seq, 'evidence' FROM f WHERE evidence_seq IS NOT NULL
    UNION ALL SELECT missing_seq, 'missing flush before' FROM f WHERE missing_seq IS NOT NULL
), roles AS (
    SELECT seq, string_agg(DISTINCT role, ', ' ORDER BY role) AS role FROM marks GROUP BY seq
), ops AS (
    SELECT o.*, row_number() OVER (ORDER BY o.seq) AS k,
           f.writer_seq, f.reader_seq, f.pte AS f_pte, f.va AS f_va
    FROM f JOIN mmu_ops o ON o.file_id = f.file_id AND o.cpu IN (f.writer_cpu, f.reader_cpu)
), marked AS (
    SELECT ops.k, roles.role FROM ops JOIN roles USING (seq)
)
SELECT o.seq,
       o.ts,
       o.cpu,
       coalesce(m.role, '') AS role,
       o.op,
       printf('0x%x', o.pte) AS pte,
       printf('0x%x', o.va) AS va,
       printf('0x%x', o.val) AS val,
       coalesce(o.n::VARCHAR, o.mask, o.lock, printf('0x%x', o.mfn), '') AS detail,
       o.src_line,
       o.src_loc
FROM ops o
LEFT JOIN marked m USING (k)
WHERE m.role IS NOT NULL
   OR EXISTS (SELECT 1 FROM marked x WHERE abs(o.k - x.k) <= coalesce(getvariable('around'), 5))
   OR (o.seq BETWEEN least(o.writer_seq, o.reader_seq) AND greatest(o.writer_seq, o.reader_seq)
       AND (o.pte = o.f_pte OR o.va = o.f_va
            OR o.op IN ('flush', 'tlb_flush', 'invlpg', 'tlb_flush_multi', 'invlpg_multi', 'tlb_flush_all',
                        'invlpg_all', 'new_baseptr', 'migrate')))
ORDER BY o.seq
LIMIT 200;
