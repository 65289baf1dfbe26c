-- For every data version anything was made on: saved scenarios, their revisions, and exports made (not failed ones).
-- params: none
select data_version, sum(scenarios) as scenarios, sum(revisions) as revisions, sum(exports) as exports
from (
    select data_version, count(distinct scenario_id) as scenarios, count(*) as revisions, 0 as exports
    from scenario_revision group by data_version
    union all
    select data_version, 0, 0, count(*) from export_event where outcome = 'done' group by data_version
) as refs
group by data_version
