-- Application state, migration 6: short links, each the full view it stands for (page, query, data version).
-- clusterpolicy.appstate runs it inside one write transaction, once it has read the version under the lock.
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
pragma user_version = 6;
