-- Mean KPI attainment of each cluster in one year: value against target, turned so that 1 means on target.
-- params: $year INTEGER
-- returns: cluster_id, score (mean attainment, each KPI capped at 1.5), kpis (number of KPIs with value and target), source_ids
with

attainment as (
    select * from kpi_attainment
    where year = $year
      and attainment is not null
),

final as (
    select
        cluster_id,
        avg(least(attainment, 1.5)) as score,
        count(*) as kpis,
        list_sort(list_distinct(flatten(list([value_source, target_source])))) as source_ids
    from attainment
    group by cluster_id
)

select * from final
order by cluster_id
