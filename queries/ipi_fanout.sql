-- name: ipi_fanout
-- purpose: IPI fan-out per read-op: CPUs each TLB operation reaches, and remote CPUs with queued updates then
-- params: none
-- remote_targets: CPUs other than the issuer that the operation itself invalidates (Xen sends
-- the IPIs for *_multi / *_all). remote_pending: other CPUs whose queue was not empty at that
-- moment: the flush IPIs a scoreboard scheme (Sa') would send, where Sa sends cpus - 1.
WITH cpus AS (
    SELECT file_id, unnest(range(pcpus::BIGINT)) AS cpu FROM trace_files
), pending AS (
    SELECT r.file_id, r.seq, count(*) FILTER (WHERE c.cpu <> r.cpu AND d.depth > 0) AS remote_pending
    FROM read_ops r
    JOIN cpus c ON c.file_id = r.file_id
    ASOF LEFT JOIN queue_depth d ON d.file_id = r.file_id AND d.cpu = c.cpu AND d.seq < r.seq
    GROUP BY r.file_id, r.seq
)
SELECT r.file_id,
       r.op,
       count(*) AS read_ops,
       any_value(t.pcpus) - 1 AS sa_ipis_each,
       round(avg(r.remote_targets), 2) AS avg_remote_targets,
       max(r.remote_targets) AS max_remote_targets,
       round(avg(p.remote_pending), 2) AS avg_remote_pending,
       max(p.remote_pending) AS max_remote_pending,
       count(*) FILTER (WHERE p.remote_pending > 0) AS with_remote_pending
FROM read_ops r
JOIN pending p USING (file_id, seq)
JOIN trace_files t USING (file_id)
GROUP BY r.file_id, r.op
ORDER BY r.file_id, read_ops DESC;
