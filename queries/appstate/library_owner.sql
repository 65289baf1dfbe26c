-- Who made a scenario and its newest revision number (inside a write transaction).
-- params: $id
select author_subject, current_revision, (select max(revision) from scenario_revision where scenario_id = :id) as newest
from scenario where id = :id
