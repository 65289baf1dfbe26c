-- Application state, migration 5: the export log takes the PDF briefing, and records failed exports
-- with the reference the reader was shown (outcome 'failed'), next to the files that were made.
-- SQLite cannot change a CHECK rule in place: the table is written anew with the same rows and index.
-- params: none
-- a marker that this step ran (files made since 3 December 2026 still have it, so every file has the same tables)
create table migration_5_done (done integer);
create table export_event_v5 (
    id integer primary key,
    at text not null,
    subject text not null default '',
    email text not null default '',
    name text not null default '',
    role text not null default '',
    via text not null default '',
    page text not null default '',
    format text not null check (format in ('pdf', 'pptx', 'xlsx', 'html', 'csv')),
    file_name text not null,
    data_version text not null,
    link text not null default '',
    outcome text not null default 'done' check (outcome in ('done', 'failed')),
    reference text not null default ''
);
insert into export_event_v5 (id, at, subject, email, name, role, via, page, format, file_name, data_version, link)
select id, at, subject, email, name, role, via, page, format, file_name, data_version, link from export_event;
drop table export_event;
alter table export_event_v5 rename to export_event;
create index export_event_version on export_event (data_version);
pragma user_version = 5;
