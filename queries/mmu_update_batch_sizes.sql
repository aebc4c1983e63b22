-- name: mmu_update_batch_sizes
-- purpose: histogram of PTE updates per mmu_update hypercall (direct and inside multicalls)
-- params: none
-- Continuations of preempted calls are left out: their count is what remained, not a batch.
SELECT file_id,
       count AS updates_per_call,
       count(*) AS calls,
       count(*) FILTER (WHERE is_subcall) AS in_multicall,
       round(100.0 * count(*) / sum(count(*)) OVER (PARTITION BY file_id), 2) AS pct,
       bar(count(*), 0, max(count(*)) OVER (PARTITION BY file_id), 30) AS histogram
FROM hypercalls
WHERE op = 1 AND NOT preempted AND count IS NOT NULL
GROUP BY file_id, count
ORDER BY file_id, count;
