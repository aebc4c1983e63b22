-- name: finding_detail
-- purpose: one finding, every field of its evidence as a (field, value) row
-- params: finding (default 1: the number in view findings, see findings_by_class.first_finding)
UNPIVOT (
    SELECT COLUMNS(*)::VARCHAR
    FROM (SELECT * REPLACE (printf('0x%x', pte) AS pte, printf('0x%x', va) AS va, printf('0x%x', old_val) AS old_val,
                            printf('0x%x', new_val) AS new_val, printf('0x%x', frame) AS frame)
          FROM findings WHERE finding = coalesce(getvariable('finding'), 1))
) ON COLUMNS(*) INTO NAME field VALUE value;
