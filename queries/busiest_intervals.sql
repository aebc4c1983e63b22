-- name: busiest_intervals
-- purpose: the busiest intervals of the trace by record count, with what made them busy
-- params: bucket_us (default 1000) -- needs ingest with --cpu-hz (uses ts); top (default 10)
WITH b AS (
    SELECT file_id,
           ts // (coalesce(getvariable('bucket_us'), 1000) * 1000) AS bucket,
           event
    FROM records
    WHERE ts IS NOT NULL
), per AS (
    SELECT file_id, bucket, count(*) AS records
    FROM b GROUP BY ALL
), top_events AS (
    SELECT file_id, bucket, e.name, count(*) AS n,
           row_number() OVER (PARTITION BY file_id, bucket ORDER BY count(*) DESC, e.name) AS rk
    FROM b JOIN event_types e USING (file_id, event)
    GROUP BY ALL
)
SELECT per.file_id,
       round(per.bucket * coalesce(getvariable('bucket_us'), 1000) / 1000.0, 3) AS start_ms,
       per.records,
       string_agg(t.name || ' ' || t.n, ', ' ORDER BY t.rk) AS top_events
FROM per JOIN top_events t USING (file_id, bucket)
WHERE t.rk <= 3
GROUP BY ALL
ORDER BY per.records DESC, per.file_id, start_ms
LIMIT coalesce(getvariable('top'), 10);
