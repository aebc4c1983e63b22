-- name: guest_hypercall_costs
-- purpose: guest hypercalls matched to their xentrace records: Xen-side time by op and batch size
-- params: none -- needs a guest ftrace and a xentrace file ingested together
-- dur_cycles is the time to the next record on that pCPU, an upper bound on the hypercall.
SELECT f.guest_file_id,
       o.name AS op,
       f.expected_count AS requests,
       count(*) AS calls,
       count(f.xen_seq) AS matched,
       median(f.dur_cycles)::BIGINT AS median_dur_cycles,
       quantile_cont(f.dur_cycles, 0.9)::BIGINT AS p90_dur_cycles,
       round(median(f.dur_cycles) * 1e9 / any_value(t.cpu_hz), 0) AS median_dur_ns
FROM flush_matches f
JOIN hypercall_ops o ON o.op = f.expected_op
JOIN trace_files t ON t.file_id = f.xen_file_id
GROUP BY ALL
ORDER BY f.guest_file_id, calls DESC
LIMIT 40;
