-- How many rows the state holds, table by table (a restore goes only into an empty state).
-- params: none
select (select count(*) from audit_event) as audit_event, (select count(*) from scenario) as scenario,
       (select count(*) from scenario_revision) as scenario_revision, (select count(*) from export_event) as export_event,
       (select count(*) from short_link) as short_link
