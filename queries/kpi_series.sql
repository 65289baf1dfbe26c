-- Yearly values and targets of one KPI for the chosen clusters, with the kind of source behind each.
-- params: $kpi_id VARCHAR, $clusters VARCHAR[]
-- returns: cluster_id, cluster_name, year, series, value, qualifier, source_id, kind
with

chosen as (
    select cluster_id, name from cluster where list_contains($clusters, cluster_id)
),

values_ as (
    select v.cluster_id, v.year, 'value' as series, v.value::double as value, v.value_qualifier as qualifier, v.source_id
    from kpi_value v
    where v.kpi_id = $kpi_id
),

targets as (
    select t.cluster_id, t.year, 'target' as series, t.target::double as value, null as qualifier, t.source_id
    from kpi_target t
    where t.kpi_id = $kpi_id
),

final as (
    select
        c.cluster_id,
        c.name as cluster_name,
        s.year,
        s.series,
        s.value,
        s.qualifier,
        s.source_id,
        src.kind
    from (select * from values_ union all select * from targets) s
    join chosen c using (cluster_id)
    join source src using (source_id)
)

select * from final
order by cluster_name, series desc, year
