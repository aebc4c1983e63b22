-- name: scheme_comparison
-- purpose: the candidate flush schemes side by side: violations left, hypercalls, IPIs and the other costs
-- params: param_set (default: every parameter set) -- needs 'ptorder score DB' first
-- scheme_scores is long (one row per scheme, parameter set and metric); metrics named
-- 'group.detail' (violations.V1, hypercalls.mmu_update) are summed per group, low and high too.
SELECT scheme,
       param_set,
       split_part(metric, '.', 1) AS metric,
       any_value(unit) AS unit,
       sum(value) AS value,
       sum(low) AS low,
       sum(high) AS high,
       CASE WHEN count(*) > 1 THEN string_agg(split_part(metric, '.', 2) || '=' || value, ', ' ORDER BY metric)
            END AS detail
FROM scheme_scores
WHERE param_set = coalesce(getvariable('param_set'), param_set)
GROUP BY scheme, param_set, split_part(metric, '.', 1)
ORDER BY param_set, metric, value, scheme;
