-- name: findings_by_class
-- purpose: checker findings per trace, class and label, with how the reader was tied to the PTE
-- params: none -- needs 'ptorder check DB' first
SELECT file_id,
       any_value(path) AS trace,
       class,
       label,
       count(*) AS findings,
       string_agg(DISTINCT coverage, ',' ORDER BY coverage) AS coverage,
       count(DISTINCT pte) AS ptes,
       min(finding) AS first_finding
FROM findings
GROUP BY file_id, class, label
ORDER BY file_id, class, label;
