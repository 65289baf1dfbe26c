-- All clusters (spearhead clusters and innovative business networks) with their active period.
-- params: none
-- returns: cluster_id, name, domain, domain_nl, type, recognised_year, ended_year, website, source_id, ended_source_id
select
    cluster_id,
    name,
    domain,
    domain_nl,
    type,
    recognised_year,
    ended_year,
    website,
    source_id,
    ended_source_id
from cluster
order by type desc, recognised_year, name
