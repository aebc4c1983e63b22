-- name: scheme_cost_per_1000_ops
-- purpose: each scheme's costs (every metric but violations) per 1000 guest MMU operations, with ranges
-- params: ops (default: the scheme's 'ops' metric, else every mmu_ops row), param_set (default: all)
-- Rates make traces of different lengths comparable; 'ops' is the denominator used.
WITH denom AS (
    SELECT s.scheme, s.param_set,
           coalesce(getvariable('ops'), max(s.value) FILTER (WHERE s.metric = 'ops'),
                    (SELECT count(*) FROM mmu_ops))::DOUBLE AS ops
    FROM scheme_scores s
    GROUP BY s.scheme, s.param_set
)
SELECT s.scheme,
       s.param_set,
       s.metric,
       s.unit || ' per 1000 ops' AS unit,
       round(1000 * s.value / d.ops, 3) AS per_1000_ops,
       round(1000 * s.low / d.ops, 3) AS low,
       round(1000 * s.high / d.ops, 3) AS high,
       d.ops::BIGINT AS ops
FROM scheme_scores s
JOIN denom d USING (scheme, param_set)
WHERE s.metric NOT LIKE 'violations.%' AND s.metric <> 'ops'
  AND s.param_set = coalesce(getvariable('param_set'), s.param_set)
ORDER BY s.param_set, s.metric, per_1000_ops, s.scheme;
