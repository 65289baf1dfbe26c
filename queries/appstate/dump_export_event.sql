-- Every entry of the export log with its id, for a backup (oldest first).
-- params: none
select id, at, subject, email, name, role, via, page, format, file_name, data_version, link, outcome, reference
from export_event order by id
