-- The team library: every scenario with its current revision, most recently changed first.
-- params: none
select s.id, r.name, r.note, r.params, r.data_version, r.revision, s.current_revision,
       s.author_subject, s.author_email, s.author_name, s.created_at, s.changed_at, s.archived_at,
       r.saved_by_email, r.saved_by_name
from scenario s
join scenario_revision r on r.scenario_id = s.id and r.revision = s.current_revision
order by s.changed_at desc, s.id
