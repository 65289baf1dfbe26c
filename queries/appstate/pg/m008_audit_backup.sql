-- Application state in PostgreSQL, migration 8: the audit trail also records backups (who took a copy of everything, or was refused).
-- params: none
alter table audit_event drop constraint audit_event_action;
alter table audit_event add constraint audit_event_action
    check (action in ('sign_in', 'sign_out', 'import', 'restore', 'dry_run', 'remove_version', 'backup'));
update appstate_schema set version = 8;
