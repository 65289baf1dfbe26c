-- Who made a scenario and its newest revision number, its row locked until the transaction ends: writers on every
-- replica take the next number in turn (the primary key refuses a number taken twice in any case).
-- params: $id
select author_subject, current_revision, (select max(revision) from scenario_revision where scenario_id = :id) as newest
from scenario where id = :id
for update
