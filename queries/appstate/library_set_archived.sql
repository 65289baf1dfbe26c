-- Archive a scenario (hidden from the list, still readable), or bring it back (:at null).
-- params: $id, $at, $by
update scenario set archived_at = :at, archived_by = :by, changed_at = coalesce(:at, changed_at) where id = :id
