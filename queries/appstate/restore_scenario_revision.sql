-- Bring back one revision of a saved scenario from a backup.
-- params: $scenario_id, $revision, $name, $note, $params, $data_version, $saved_at, $saved_by_subject, $saved_by_email, $saved_by_name
insert into scenario_revision
    (scenario_id, revision, name, note, params, data_version, saved_at, saved_by_subject, saved_by_email, saved_by_name)
values
    (:scenario_id, :revision, :name, :note, :params, :data_version, :saved_at, :saved_by_subject, :saved_by_email, :saved_by_name)
