-- Application state in PostgreSQL, migration 7: which data version every replica serves, one row switched in one
-- transaction (the version files themselves lie in the shared folder); no row: the published seed build.
-- params: none
create table served_version (
    one boolean primary key default true check (one),
    file text not null check (file like '%.duckdb'),
    switched_at text not null,
    switched_by text not null default ''
);
update appstate_schema set version = 7;
