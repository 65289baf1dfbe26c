-- Application state, migration 8: the audit trail also records backups (who took a copy of everything, or was refused).
-- SQLite cannot change a CHECK rule in place: the table is written anew with the same rows, index and triggers.
-- params: none
-- a marker that this step ran (files made since 3 December 2026 still have it, so every file has the same tables)
create table migration_8_done (done integer);
create table audit_event_v8 (
    id integer primary key,
    at text not null,
    action text not null check (action in ('sign_in', 'sign_out', 'import', 'restore', 'dry_run', 'remove_version', 'backup')),
    outcome text not null check (outcome in ('done', 'unchanged', 'refused', 'denied', 'failed')),
    subject text not null default '',
    email text not null default '',
    name text not null default '',
    role text not null default '',
    via text not null check (via in ('web', 'local', 'exposed', 'cli')),
    issuer text not null default '',
    table_name text,
    file_name text,
    file_sha256 text check (file_sha256 is null or length(file_sha256) = 64),
    mode text,
    version_before text,
    version_after text,
    added integer check (added is null or added >= 0),
    changed integer check (changed is null or changed >= 0),
    removed integer check (removed is null or removed >= 0),
    detail text not null default '',
    once_key text unique
);
insert into audit_event_v8 select * from audit_event;
drop trigger audit_event_no_update;
drop trigger audit_event_no_delete;
drop table audit_event;
alter table audit_event_v8 rename to audit_event;
create index audit_event_at on audit_event (at);
create trigger audit_event_no_update before update on audit_event
begin
    select raise(abort, 'the audit trail is append-only');
end;
create trigger audit_event_no_delete before delete on audit_event
begin
    select raise(abort, 'the audit trail is append-only');
end;
pragma user_version = 8;
