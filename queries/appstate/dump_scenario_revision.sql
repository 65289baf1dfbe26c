-- Every revision of every saved scenario, for a backup.
-- params: none
select scenario_id, revision, name, note, params, data_version, saved_at, saved_by_subject, saved_by_email, saved_by_name
from scenario_revision order by scenario_id, revision
