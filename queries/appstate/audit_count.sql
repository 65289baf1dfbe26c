-- How many entries the audit trail holds.
-- params: none
select count(*) as entries from audit_event
