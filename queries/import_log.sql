-- The imports that led to the served data version, newest first.
-- params: none
-- returns: imported_at, table_name, mode, file_name, file_sha256, rows_added, rows_changed, rows_removed, version_before, version_after
select
    imported_at,
    table_name,
    mode,
    file_name,
    file_sha256,
    rows_added,
    rows_changed,
    rows_removed,
    version_before,
    version_after
from import_log
order by imported_at desc
