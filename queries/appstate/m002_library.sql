-- Application state, migration 2: the team library of scenarios, every revision kept.
-- clusterpolicy.appstate runs it inside one write transaction, once it has read the version under the lock.
-- params: none
create table scenario (
    id text primary key check (length(id) between 6 and 16),
    author_subject text not null,
    author_email text not null default '',
    author_name text not null default '',
    created_at text not null,
    changed_at text not null,
    archived_at text,
    archived_by text,
    current_revision integer not null check (current_revision >= 1)
);
create table scenario_revision (
    scenario_id text not null references scenario (id),
    revision integer not null check (revision >= 1),
    name text not null check (length(name) between 1 and 80),
    note text not null default '' check (length(note) <= 500),
    params text not null check (json_valid(params)),
    data_version text not null,
    saved_at text not null,
    saved_by_subject text not null,
    saved_by_email text not null default '',
    saved_by_name text not null default '',
    primary key (scenario_id, revision)
);
-- a revision, once written, stays as it was
create trigger scenario_revision_no_update before update on scenario_revision
begin
    select raise(abort, 'a scenario revision is never changed: save a new one');
end;
create trigger scenario_revision_no_delete before delete on scenario_revision
begin
    select raise(abort, 'a scenario revision is never removed: archive the scenario');
end;
pragma user_version = 2;
