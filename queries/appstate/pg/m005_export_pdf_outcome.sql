-- Application state in PostgreSQL, migration 5: the export log takes the PDF briefing, and records failed exports
-- with the reference the reader was shown (outcome 'failed'), next to the files that were made.
-- params: none
alter table export_event drop constraint export_event_format;
alter table export_event add constraint export_event_format check (format in ('pdf', 'pptx', 'xlsx', 'html', 'csv'));
alter table export_event add column outcome text not null default 'done' check (outcome in ('done', 'failed'));
alter table export_event add column reference text not null default '';
update appstate_schema set version = 5;
