-- Basic-subsidy rows that break a published rule: above the cap per spearhead cluster, or above the members' share.
-- params: $cap_eur (the published cap per cluster and year), $public_share (the published maximum support rate)
-- returns: cluster_id, name, year, public_eur, member_eur, source_id, kind (of the row's source), over_cap_eur, over_share_eur
select
    f.cluster_id,
    c.name,
    f.year,
    f.public_eur::double as public_eur,
    f.member_eur::double as member_eur,
    f.source_id,
    s.kind,
    greatest(f.public_eur - $cap_eur, 0)::double as over_cap_eur,
    greatest(f.public_eur - $public_share * (f.public_eur + f.member_eur), 0)::double as over_share_eur
from basic_funding f
join cluster c using (cluster_id)
join source s on s.source_id = f.source_id
where c.type = 'spearhead'
    and (f.public_eur > $cap_eur or f.public_eur > $public_share * (f.public_eur + f.member_eur) + 0.005)
order by f.year, c.name
