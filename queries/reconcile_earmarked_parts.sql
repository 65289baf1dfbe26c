-- Per year and envelope: the all-cluster total against the per-cluster amounts inside it.
-- params: none
-- returns: year, envelope, total_eur, total_source_id, total_kind, parts_eur, parts, internal_source_id (of the total or a part, or null)
select
    t.year,
    t.envelope,
    t.amount_eur::double as total_eur,
    t.source_id as total_source_id,
    s.kind as total_kind,
    sum(p.amount_eur)::double as parts_eur,
    count(p.amount_eur) as parts,
    coalesce(
        any_value(t.source_id) filter (where s.kind = 'internal'),
        min(p.source_id) filter (where ps.kind = 'internal')
    ) as internal_source_id
from earmarked_budget t
join source s on s.source_id = t.source_id
left join earmarked_budget p on p.year = t.year and p.envelope = t.envelope and p.cluster_id is not null
left join source ps on ps.source_id = p.source_id
where t.cluster_id is null
group by all
having count(p.amount_eur) > 0
order by t.year, t.envelope
