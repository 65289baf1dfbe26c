-- One cluster's members and SME share in one year, with the kinds of their sources (for a published SME count).
-- params: $cluster_id, $year
-- returns: name, members, sme_share (per cent), members_kind, share_kind, members_source_id, share_source_id
select
    c.name,
    m.value::double as members,
    s.value::double as sme_share,
    ms.kind as members_kind,
    ss.kind as share_kind,
    m.source_id as members_source_id,
    s.source_id as share_source_id
from kpi_value m
join kpi_value s on s.cluster_id = m.cluster_id and s.year = m.year and s.kpi_id = 'sme_share'
join source ms on ms.source_id = m.source_id
join source ss on ss.source_id = s.source_id
join cluster c on c.cluster_id = m.cluster_id
where m.kpi_id = 'members'
  and m.cluster_id = $cluster_id
  and m.year = $year
