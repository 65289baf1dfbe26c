-- One scenario at one revision (:revision null: its current one).
-- params: $id, $revision
select s.id, r.name, r.note, r.params, r.data_version, r.revision, s.current_revision,
       s.author_subject, s.author_email, s.author_name, s.created_at, s.changed_at, s.archived_at,
       r.saved_at, r.saved_by_email, r.saved_by_name
from scenario s
join scenario_revision r on r.scenario_id = s.id and r.revision = coalesce(:revision, s.current_revision)
where s.id = :id
