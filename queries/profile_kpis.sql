-- Every KPI of one cluster per year: its value (with qualifier and source kind) and its target, and the attainment.
-- params: $cluster_id VARCHAR
-- returns: kpi_id, year, value, qualifier, value_source, value_kind, target, target_source, attainment
select
    v.kpi_id,
    v.year,
    v.value::double as value,
    v.value_qualifier as qualifier,
    v.source_id as value_source,
    s.kind as value_kind,
    a.target,
    a.target_source,
    a.attainment
from kpi_value v
join source s using (source_id)
left join kpi_attainment a using (cluster_id, kpi_id, year)
where v.cluster_id = $cluster_id
order by v.kpi_id, v.year
