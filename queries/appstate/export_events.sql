-- The export log, oldest first: every file made or failed, by whom, of which view, on which data version.
-- params: none
select id, at, subject, email, name, role, via, page, format, file_name, data_version, link, outcome, reference
from export_event
order by id
