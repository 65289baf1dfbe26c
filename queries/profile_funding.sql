-- One cluster's basic operation per year: the public subsidy and the members' co-financing, with the kind of their source.
-- params: $cluster_id VARCHAR
-- returns: year, public_eur, member_eur, source_id, kind
select
    f.year,
    f.public_eur::double as public_eur,
    f.member_eur::double as member_eur,
    f.source_id,
    s.kind
from basic_funding f
join source s using (source_id)
where f.cluster_id = $cluster_id
order by f.year
