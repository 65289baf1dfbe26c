-- The earmarked amounts set aside for one cluster, per year and envelope, with the kind of their source.
-- params: $cluster_id VARCHAR
-- returns: year, envelope, amount_eur, source_id, kind, note
select
    e.year,
    e.envelope,
    e.amount_eur::double as amount_eur,
    e.source_id,
    s.kind,
    e.note
from earmarked_budget e
join source s using (source_id)
where e.cluster_id = $cluster_id
order by e.year, e.envelope
