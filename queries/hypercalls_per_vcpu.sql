-- name: hypercalls_per_vcpu
-- purpose: PV hypercalls per domain, vCPU and op, with the requests they carried
-- params: none
-- Direct hypercalls and multicall entries are counted apart; 'requests' sums the mmu_update /
-- mmuext_op counts and multicall sizes (NULL for ops that record no count).
SELECT file_id,
       dom,
       vcpu,
       name AS op,
       count(*) FILTER (WHERE NOT is_subcall) AS direct,
       count(*) FILTER (WHERE is_subcall) AS in_multicall,
       sum(count) AS requests,
       count(*) FILTER (WHERE preempted) AS continuations
FROM hypercalls_named
WHERE dom IS NOT NULL AND dom < 32767
GROUP BY ALL
ORDER BY file_id, dom, vcpu, direct + in_multicall DESC;
