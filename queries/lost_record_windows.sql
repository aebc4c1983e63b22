-- name: lost_record_windows
-- purpose: intervals in which a pCPU's trace buffer overflowed, and how much was lost
-- params: none
-- Anything inferred across one of these gaps on that pCPU (who ran, pending batches) is unreliable.
SELECT l.file_id,
       l.cpu,
       l.lost AS records_lost,
       l.first_tsc,
       l.end_tsc,
       l.end_tsc - l.first_tsc AS gap_cycles,
       round((l.end_ts - l.first_ts) / 1e6, 3) AS gap_ms,
       'd' || l.dom || 'v' || l.vcpu AS current_after,
       l.file_offset
FROM lost_records l
ORDER BY l.file_id, l.first_tsc;
