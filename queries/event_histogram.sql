-- name: event_histogram
-- purpose: records per event type and class, with their share of the trace's bytes
-- params: none
SELECT file_id,
       class,
       name,
       printf('0x%08x', event) AS event_id,
       records,
       bytes,
       round(100.0 * bytes / sum(bytes) OVER (PARTITION BY file_id), 2) AS pct_bytes
FROM event_types
ORDER BY file_id, records DESC;
