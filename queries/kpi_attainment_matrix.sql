-- Attainment of each KPI by each cluster in one year: value, target and the ratio (1 = on target).
-- params: $year INTEGER
-- returns: cluster_id, cluster_name, kpi_id, value, target, attainment, value_source, target_source
with

attainment as (
    select * from kpi_attainment where year = $year
),

final as (
    select
        a.cluster_id,
        c.name as cluster_name,
        a.kpi_id,
        a.value,
        a.target,
        a.attainment,
        a.value_source,
        a.target_source
    from attainment a
    join cluster c using (cluster_id)
)

select * from final
order by cluster_name, kpi_id
