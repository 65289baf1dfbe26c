-- Application state, migration 1: the audit trail (who changed data, who signed in, who was refused).
-- clusterpolicy.appstate runs it inside one write transaction, once it has read the version under the lock.
-- params: none
create table audit_event (
    id integer primary key,
    at text not null,
    action text not null check (action in ('sign_in', 'sign_out', 'import', 'restore', 'dry_run')),
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
create index audit_event_at on audit_event (at);
-- entries are only ever added: the database itself refuses to change or remove one
create trigger audit_event_no_update before update on audit_event
begin
    select raise(abort, 'the audit trail is append-only');
end;
create trigger audit_event_no_delete before delete on audit_event
begin
    select raise(abort, 'the audit trail is append-only');
end;
pragma user_version = 1;
