-- Application state, migration 9: where a signed-out visitor was when they chose to sign in, so that they land
-- there afterwards (one row per browser, by a hash of its route cookie; taken once, kept for minutes).
-- params: none
create table sign_in_return (
    browser text primary key check (length(browser) = 64),
    page text not null default '' check (length(page) <= 64),
    query text not null default '' check (length(query) <= 4000),
    created_at text not null
);
pragma user_version = 9;
