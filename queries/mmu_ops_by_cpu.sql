-- name: mmu_ops_by_cpu
-- purpose: canonical MMU operations per input file, CPU and op (what the checker will replay)
-- params: none
SELECT file_id,
       cpu,
       op,
       count(*) AS ops,
       count(pte) AS with_pte,
       count(va) AS with_va,
       sum(n) FILTER (WHERE op = 'flush') AS entries_flushed
FROM mmu_ops
GROUP BY ALL
ORDER BY file_id, cpu, ops DESC;
