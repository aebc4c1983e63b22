-- name: scheme_violations
-- purpose: which violation classes each scheme still leaves (the correctness half of the comparison)
-- params: param_set (default: every parameter set) -- needs 'ptorder score DB' first
SELECT scheme,
       param_set,
       sum(value) AS violations,
       count(*) FILTER (WHERE value > 0) AS classes_left,
       coalesce(string_agg(split_part(metric, '.', 2) || '=' || value, ', ' ORDER BY metric)
           FILTER (WHERE value > 0), '') AS left_classes
FROM scheme_scores
WHERE metric LIKE 'violations.%' AND param_set = coalesce(getvariable('param_set'), param_set)
GROUP BY scheme, param_set
ORDER BY param_set, violations, scheme;
