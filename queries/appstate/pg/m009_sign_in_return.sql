-- Application state in PostgreSQL, migration 9: where a signed-out visitor was when they chose to sign in.
-- params: none
create table sign_in_return (
    browser text primary key check (length(browser) = 64),
    page text not null default '' check (length(page) <= 64),
    query text not null default '' check (length(query) <= 4000),
    created_at text not null
);
update appstate_schema set version = 9;
