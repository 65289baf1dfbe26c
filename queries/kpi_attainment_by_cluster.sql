-- Mean KPI attainment of each cluster in one year: value against target, turned so that 1 means on target.
-- params: $year INTEGER
-- returns: cluster_id, score (mean attainment, each KPI capped at 1.5), kpis (number of KPIs with value and target), source_ids
with

pairs as (
    select
        v.cluster_id,
        v.kpi_id,
        v.value::double as value,
        t.target::double as target,
        k.higher_is_better,
        [v.source_id, t.source_id] as source_ids
    from kpi_value v
    join kpi_target t using (cluster_id, kpi_id, year)
    join kpi k using (kpi_id)
    where v.year = $year
      and t.target > 0
      and v.value > 0
),

attainment as (
    select
        cluster_id,
        kpi_id,
        least(case when higher_is_better then value / target else target / value end, 1.5) as ratio,
        source_ids
    from pairs
),

final as (
    select
        cluster_id,
        avg(ratio) as score,
        count(*) as kpis,
        list_sort(list_distinct(flatten(list(source_ids)))) as source_ids
    from attainment
    group by cluster_id
)

select * from final
order by cluster_id
