-- Data gaps: for each spearhead cluster and KPI, its funded years (a basic-funding row), and which of them have a value.
-- params: $first_year INTEGER, $last_year INTEGER
-- returns: cluster_id, cluster_name, kpi_id, active_years, years_with_value, years_published, years_internal, years_with_target, missing_years
with

active as (
    select c.cluster_id, c.name, f.year::integer as year
    from cluster c
    join basic_funding f using (cluster_id)
    where c.type = 'spearhead'
      and f.year between $first_year and $last_year
),

grid as (
    select a.cluster_id, a.name, k.kpi_id, a.year
    from active a, kpi k
),

final as (
    select
        g.cluster_id,
        g.name as cluster_name,
        g.kpi_id,
        count(*) as active_years,
        count(v.value) as years_with_value,
        count(*) filter (where s.kind = 'published') as years_published,
        count(*) filter (where s.kind = 'internal') as years_internal,
        count(t.target) as years_with_target,
        list(g.year order by g.year) filter (where v.value is null) as missing_years
    from grid g
    left join kpi_value v on v.cluster_id = g.cluster_id and v.kpi_id = g.kpi_id and v.year = g.year
    left join source s on s.source_id = v.source_id
    left join kpi_target t on t.cluster_id = g.cluster_id and t.kpi_id = g.kpi_id and t.year = g.year
    group by g.cluster_id, g.name, g.kpi_id
)

select * from final
order by cluster_name, kpi_id
