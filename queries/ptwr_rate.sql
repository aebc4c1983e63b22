-- name: ptwr_rate
-- purpose: PTWR emulations (guest writes to read-only page tables) per time bucket and vCPU
-- params: bucket_ms (default 100) -- needs ingest with --cpu-hz (uses ts)
SELECT file_id,
       (ts // (coalesce(getvariable('bucket_ms'), 100) * 1000000)) * coalesce(getvariable('bucket_ms'), 100)
           AS bucket_start_ms,
       dom,
       vcpu,
       count(*) AS ptwr,
       round(count(*) / (coalesce(getvariable('bucket_ms'), 100) / 1000.0), 1) AS per_second
FROM records_named
WHERE name IN ('ptwr_emulation', 'ptwr_emulation_pae')
  AND ts IS NOT NULL
GROUP BY ALL
ORDER BY file_id, bucket_start_ms, dom, vcpu;
