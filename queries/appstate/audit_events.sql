-- The audit trail, newest first; at most $limit entries.
-- params: $limit
select id, at, action, outcome, email, name, subject, role, via, table_name, file_name, file_sha256, mode,
       version_before, version_after, added, changed, removed, detail
from audit_event
order by id desc
limit :limit
