-- Basic-operation funding per cluster and year: the public subsidy and the members' co-financing.
-- params: $first_year INTEGER, $last_year INTEGER
-- returns: cluster_id, cluster_name, cluster_type, year, public_eur, member_eur, source_id
with

funding as (
    select * from basic_funding
),

clusters as (
    select cluster_id, name, type from cluster
),

final as (
    select
        f.cluster_id,
        c.name as cluster_name,
        c.type as cluster_type,
        f.year,
        f.public_eur::double as public_eur,
        f.member_eur::double as member_eur,
        f.source_id
    from funding f
    join clusters c using (cluster_id)
    where f.year between $first_year and $last_year
)

select * from final
order by year, cluster_name
