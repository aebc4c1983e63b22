-- name: enq_flush_latency
-- purpose: how long PTE updates stay queued: distribution of enqueue-to-flush latency (power-of-2 buckets)
-- params: none -- guest traces with times (mmu_ops.ts)
-- The flush of an enqueue is its CPU's next flush (view enq_flushes); entries never flushed
-- before the trace ended form the row with NULL bounds.
WITH b AS (
    SELECT file_id,
           CASE WHEN latency_ns IS NULL THEN NULL
                WHEN latency_ns <= 0 THEN 0
                ELSE (2 ** floor(log2(latency_ns)))::BIGINT END AS from_ns
    FROM enq_flushes
    WHERE ts IS NOT NULL
)
SELECT file_id,
       from_ns,
       CASE WHEN from_ns = 0 THEN 1 ELSE from_ns * 2 END AS below_ns,
       count(*) AS enqueues,
       round(100.0 * count(*) / sum(count(*)) OVER (PARTITION BY file_id), 2) AS pct,
       round(100.0 * sum(count(*)) OVER (PARTITION BY file_id ORDER BY from_ns NULLS LAST)
           / sum(count(*)) OVER (PARTITION BY file_id), 2) AS cumulative_pct,
       bar(count(*), 0, max(count(*)) OVER (PARTITION BY file_id), 30) AS histogram
FROM b
GROUP BY file_id, from_ns
ORDER BY file_id, from_ns NULLS LAST;
