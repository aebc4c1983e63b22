-- name: ipi_fanout
-- purpose: IPI fan-out per read-op: CPUs each TLB operation reaches, and remote CPUs with queued updates then
-- params: none
-- remote_targets: CPUs other than the issuer that the operation itself invalidates (Xen sends
-- the IPIs for *_multi / *_all). remote_pending: other CPUs whose queue was not empty at that
-- moment (view read_op_fanout): the flush IPIs a scoreboard scheme (Sa') would send, where Sa
-- sends sa_ipis_each = CPUs - 1.
SELECT f.file_id,
       f.op,
       count(*) AS read_ops,
       any_value(t.pcpus) - 1 AS sa_ipis_each,
       round(avg(f.remote_targets), 2) AS avg_remote_targets,
       max(f.remote_targets) AS max_remote_targets,
       round(avg(f.remote_pending), 2) AS avg_remote_pending,
       max(f.remote_pending) AS max_remote_pending,
       count(*) FILTER (WHERE f.remote_pending > 0) AS with_remote_pending
FROM read_op_fanout f
JOIN trace_files t USING (file_id)
GROUP BY f.file_id, f.op
ORDER BY f.file_id, read_ops DESC;
