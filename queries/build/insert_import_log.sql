-- Record one import in the version it produced.
-- params: $at TIMESTAMP, $table VARCHAR, $mode VARCHAR, $file VARCHAR, $sha VARCHAR, $added INTEGER, $changed INTEGER, $removed INTEGER, $before VARCHAR, $after VARCHAR
-- returns: nothing
insert into import_log
    (imported_at, table_name, mode, file_name, file_sha256, rows_added, rows_changed, rows_removed, version_before, version_after)
values ($at, $table, $mode, $file, $sha, $added, $changed, $removed, $before, $after)
