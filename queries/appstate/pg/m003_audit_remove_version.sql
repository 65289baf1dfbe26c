-- Application state in PostgreSQL, migration 3: the audit trail also records the removal of an old data version.
-- params: none
alter table audit_event drop constraint audit_event_action;
alter table audit_event add constraint audit_event_action
    check (action in ('sign_in', 'sign_out', 'import', 'restore', 'dry_run', 'remove_version'));
update appstate_schema set version = 3;
