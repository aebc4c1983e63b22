-- name: findings_by_location
-- purpose: checker findings grouped by source location of the writer and the reader (the code to fix)
-- params: none -- needs 'ptorder check DB' first
-- Locations come from the traces' at= tags (mmu_ops.src_loc); a trace without them is grouped by
-- the writer's and reader's op instead, marked '(no at=)'.
SELECT file_id,
       coalesce(writer_loc, split_part(writer_op, ' ', 1) || ' (no at=)') AS writer_site,
       coalesce(reader_loc, split_part(reader_op, ' ', 1) || ' (no at=)') AS reader_site,
       string_agg(DISTINCT class, ',' ORDER BY class) AS classes,
       count(*) AS findings,
       count(*) FILTER (WHERE label = 'OBSERVED') AS observed,
       count(*) FILTER (WHERE label = 'LATENT') AS latent,
       min(finding) AS first_finding,
       min(writer_line) AS first_writer_line
FROM findings
GROUP BY ALL
ORDER BY findings DESC, file_id, writer_site, reader_site;
