-- Application state in PostgreSQL, migration 2: the team library of scenarios, every revision kept.
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
    params text not null check (params::jsonb is not null),
    data_version text not null,
    saved_at text not null,
    saved_by_subject text not null,
    saved_by_email text not null default '',
    saved_by_name text not null default '',
    primary key (scenario_id, revision)
);
-- a revision, once written, stays as it was
create function scenario_revision_kept() returns trigger language plpgsql as $$
begin
    if tg_op = 'UPDATE' then
        raise exception 'a scenario revision is never changed: save a new one' using errcode = 'integrity_constraint_violation';
    end if;
    raise exception 'a scenario revision is never removed: archive the scenario' using errcode = 'integrity_constraint_violation';
end
$$;
create trigger scenario_revision_no_change before update or delete on scenario_revision
    for each row execute function scenario_revision_kept();
create trigger scenario_revision_no_truncate before truncate on scenario_revision
    for each statement execute function scenario_revision_kept();
revoke update, delete, truncate on scenario_revision from public;
revoke update, delete, truncate on scenario_revision from current_user;
update appstate_schema set version = 2;
