-- Application state in PostgreSQL, migration 6: short links, each the full view it stands for (page, query, data version).
-- params: none
create table short_link (
    code text primary key check (length(code) = 10),
    page text not null default '',
    query text not null,
    data_version text not null,
    created_at text not null,
    subject text not null default '',
    email text not null default ''
);
update appstate_schema set version = 6;
