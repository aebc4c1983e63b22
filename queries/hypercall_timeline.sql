-- name: hypercall_timeline
-- purpose: PV hypercalls per time bucket and op (xentrace), with the requests they carried
-- params: bucket_ms (default 10) -- needs ingest with --cpu-hz (uses ts)
-- Direct calls and multicall entries both count; continuations of preempted calls do not.
SELECT file_id,
       (ts // (coalesce(getvariable('bucket_ms'), 10) * 1000000)) * coalesce(getvariable('bucket_ms'), 10)
           AS bucket_start_ms,
       name AS op,
       count(*) AS calls,
       count(*) FILTER (WHERE is_subcall) AS in_multicall,
       sum(count) AS requests
FROM hypercalls_named
WHERE ts IS NOT NULL AND NOT preempted
GROUP BY ALL
ORDER BY file_id, bucket_start_ms, calls DESC;
