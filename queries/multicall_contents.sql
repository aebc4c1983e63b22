-- name: multicall_contents
-- purpose: what guests put into multicalls: entries per op and multicall sizes
-- params: none
SELECT s.file_id,
       p.count AS multicall_size,
       s.name AS entry_op,
       count(*) AS entries,
       count(DISTINCT s.parent_seq) AS multicalls,
       sum(s.count) AS requests
FROM hypercalls_named s
JOIN hypercalls p ON p.file_id = s.file_id AND p.seq = s.parent_seq
WHERE s.is_subcall
GROUP BY ALL
ORDER BY s.file_id, multicall_size, entries DESC;
