-- Every audit entry with its id, for a backup (oldest first).
-- params: none
select id, at, action, outcome, subject, email, name, role, via, issuer, table_name, file_name, file_sha256, mode,
       version_before, version_after, added, changed, removed, detail, once_key
from audit_event order by id
