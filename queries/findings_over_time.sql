-- name: findings_over_time
-- purpose: checker findings per time bucket (at the reader) and class
-- params: bucket_ms (default 1) -- needs 'ptorder check DB' and traces with times
SELECT file_id,
       (reader_ts // (coalesce(getvariable('bucket_ms'), 1) * 1000000)) * coalesce(getvariable('bucket_ms'), 1)
           AS bucket_start_ms,
       class,
       count(*) AS findings,
       count(*) FILTER (WHERE label = 'OBSERVED') AS observed
FROM findings
WHERE reader_ts IS NOT NULL
GROUP BY ALL
ORDER BY file_id, bucket_start_ms, class;
