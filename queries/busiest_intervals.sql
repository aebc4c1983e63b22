-- name: busiest_intervals
-- purpose: the busiest intervals of the trace by record count, with what made them busy
-- params: bucket_us (default 1000), top (default 10) -- needs ingest with --cpu-hz (uses ts)
WITH b AS (
    SELECT file_id,
           ts // (coalesce(getvariable('bucket_us'), 1000) * 1000) AS bucket,
           event
    FROM records
    WHERE ts IS NOT NULL
), per_event AS (
    SELECT file_id, bucket, event, count(*) AS n
    FROM b
    GROUP BY file_id, bucket, event
), ranked AS (
    SELECT p.*, e.name,
           sum(n) OVER (PARTITION BY p.file_id, bucket) AS records,
           row_number() OVER (PARTITION BY p.file_id, bucket ORDER BY n DESC, e.name) AS rk
    FROM per_event p JOIN event_types e USING (file_id, event)
)
SELECT file_id,
       round(bucket * coalesce(getvariable('bucket_us'), 1000) / 1000.0, 3) AS start_ms,
       records,
       string_agg(name || ' ' || n, ', ' ORDER BY rk) AS top_events
FROM ranked
WHERE rk <= 3
GROUP BY file_id, bucket, records
ORDER BY records DESC, file_id, start_ms
LIMIT coalesce(getvariable('top'), 10);
