-- name: hottest_ptes
-- purpose: the PTEs updated most often, by how many CPUs, and how long their updates stayed queued
-- params: top (default 20)
-- Many writers of one PTE is where lost or reordered updates (V2) and stale reloads (V1) live.
SELECT file_id,
       printf('0x%x', pte) AS pte,
       printf('0x%x', any_value(va) FILTER (WHERE va IS NOT NULL)) AS va,
       count(*) AS updates,
       count(DISTINCT cpu) AS writer_cpus,
       string_agg(DISTINCT cpu::VARCHAR, ',' ORDER BY cpu::VARCHAR) AS cpus,
       count(DISTINCT val) AS distinct_values,
       count(*) FILTER (WHERE flush_seq IS NULL) AS never_flushed,
       median(latency_ns)::BIGINT AS median_queued_ns,
       max(latency_ns) AS max_queued_ns
FROM enq_flushes
WHERE pte IS NOT NULL
GROUP BY file_id, enq_flushes.pte
ORDER BY updates DESC, writer_cpus DESC, file_id, enq_flushes.pte
LIMIT coalesce(getvariable('top'), 20);
