-- Per year: the basic subsidy of the spearhead clusters added up, how many were active, and the kinds of their sources.
-- params: none
-- returns: year, public_eur, clusters, largest_eur (the largest cluster's subsidy), kinds, internal_source_id (one internal source among them, or null)
select
    f.year,
    sum(f.public_eur)::double as public_eur,
    count(*) as clusters,
    max(f.public_eur)::double as largest_eur,
    string_agg(distinct s.kind, ',' order by s.kind) as kinds,
    min(s.source_id) filter (where s.kind = 'internal') as internal_source_id
from basic_funding f
join cluster c using (cluster_id)
join source s on s.source_id = f.source_id
where c.type = 'spearhead'
group by f.year
order by f.year
