-- name: pending_queue_depth
-- purpose: per-CPU pending-queue depth over time: deepest and mean queue, enqueues and flushes per bucket
-- params: bucket_us (default 1000) -- guest traces with times (mmu_ops.ts)
-- The depth is how many entries a CPU has enqueued since its last flush (view queue_depth);
-- mean_depth averages the depth after each enqueue in the bucket.
SELECT file_id,
       cpu,
       round((ts // (coalesce(getvariable('bucket_us'), 1000) * 1000)) * coalesce(getvariable('bucket_us'), 1000)
           / 1000.0, 3) AS start_ms,
       max(depth) AS max_depth,
       round(avg(depth) FILTER (WHERE op = 'enq'), 2) AS mean_depth,
       count(*) FILTER (WHERE op = 'enq') AS enqueues,
       count(*) FILTER (WHERE op = 'flush') AS flushes
FROM queue_depth
WHERE ts IS NOT NULL
GROUP BY ALL
ORDER BY file_id, start_ms, cpu;
