-- How many of the values the charts draw rest on each kind of source: basic funding (subsidy and members'
-- part), earmarked amounts, KPI values and targets, inter-cluster projects (budget and public part), ceilings.
-- params: none
-- returns: kind, values (a count of figures), share (of all counted figures)
with

figures as (
    select source_id, 2 as n from basic_funding
    union all select source_id, 1 from earmarked_budget
    union all select source_id, 1 from kpi_value
    union all select source_id, 1 from kpi_target
    union all select source_id, 2 from intercluster_project
    union all select source_id, 1 from budget_ceiling
),

final as (
    select s.kind, sum(f.n)::integer as "values"
    from figures f
    join source s using (source_id)
    group by s.kind
)

select kind, "values", "values" / sum("values") over () as share
from final
order by case kind when 'published' then 1 when 'internal' then 2 when 'derived' then 3 else 4 end
