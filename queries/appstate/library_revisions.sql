-- Every revision of one scenario, newest first.
-- params: $id
select revision, name, note, params, data_version, saved_at, saved_by_email, saved_by_name
from scenario_revision
where scenario_id = :id
order by revision desc
