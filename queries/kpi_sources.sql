-- The sources behind all KPI values and targets (for the source line of the data-gaps chart).
-- params: none
-- returns: source_id
select distinct source_id from kpi_value
union
select distinct source_id from kpi_target
order by source_id
