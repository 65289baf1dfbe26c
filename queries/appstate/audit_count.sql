-- How many entries the audit trail holds.
-- params: none
select count(*) from audit_event
