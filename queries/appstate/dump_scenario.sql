-- Every saved scenario's own row, for a backup.
-- params: none
select id, author_subject, author_email, author_name, created_at, changed_at, archived_at, archived_by, current_revision
from scenario order by id
