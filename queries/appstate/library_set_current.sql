-- Make a revision the scenario's current one.
-- params: $id, $revision, $at
update scenario set current_revision = :revision, changed_at = :at where id = :id
