-- After a restore wrote rows with their own ids, PostgreSQL's identity columns go on after the highest one.
-- params: none
select setval(pg_get_serial_sequence('audit_event', 'id'), coalesce((select max(id) from audit_event), 0) + 1, false) as audit,
       setval(pg_get_serial_sequence('export_event', 'id'), coalesce((select max(id) from export_event), 0) + 1, false) as exports
