-- Attainment of each KPI by each cluster in one year: value, target and the ratio (1 = on target).
-- params: $year INTEGER
-- returns: cluster_id, cluster_name, kpi_id, value, target, attainment, value_source, target_source
with

pairs as (
    select
        v.cluster_id,
        v.kpi_id,
        v.value::double as value,
        t.target::double as target,
        k.higher_is_better,
        v.source_id as value_source,
        t.source_id as target_source
    from kpi_value v
    join kpi_target t using (cluster_id, kpi_id, year)
    join kpi k using (kpi_id)
    where v.year = $year
),

final as (
    select
        p.cluster_id,
        c.name as cluster_name,
        p.kpi_id,
        p.value,
        p.target,
        case
            when p.target <= 0 or p.value <= 0 then null
            when p.higher_is_better then p.value / p.target
            else p.target / p.value
        end as attainment,
        p.value_source,
        p.target_source
    from pairs p
    join cluster c using (cluster_id)
)

select * from final
order by cluster_name, kpi_id
