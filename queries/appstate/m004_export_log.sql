-- Application state, migration 4: which exports were made, by whom, on which data version.
-- clusterpolicy.appstate runs it inside one write transaction, once it has read the version under the lock.
-- params: none
create table export_event (
    id integer primary key,
    at text not null,
    subject text not null default '',
    email text not null default '',
    name text not null default '',
    role text not null default '',
    via text not null default '',
    page text not null default '',
    format text not null check (format in ('pptx', 'xlsx', 'html', 'csv')),
    file_name text not null,
    data_version text not null,
    link text not null default ''
);
create index export_event_version on export_event (data_version);
pragma user_version = 4;
