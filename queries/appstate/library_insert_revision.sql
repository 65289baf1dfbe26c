-- One revision of a scenario.
-- params: $id, $revision, $name, $note, $params, $data_version, $at, $subject, $email, $by_name
insert into scenario_revision
    (scenario_id, revision, name, note, params, data_version, saved_at, saved_by_subject, saved_by_email, saved_by_name)
values (:id, :revision, :name, :note, :params, :data_version, :at, :subject, :email, :by_name)
