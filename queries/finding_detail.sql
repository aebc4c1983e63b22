-- name: finding_detail
-- purpose: one finding, every field of its evidence as a (field, value) row
-- params: finding (default 1: the number in view findings, see findings_by_class.first_finding)
UNPIVOT (SELECT COLUMNS(*)::VARCHAR FROM findings WHERE finding = coalesce(getvariable('finding'), 1))
ON COLUMNS(*) INTO NAME field VALUE value;
