-- Starting point of the scenario model: each spearhead cluster active in the last year with funding data.
-- params: none
-- returns: cluster_id, cluster_name, year, public_eur, member_eur, source_id
with

last_year as (
    select max(year) as year from basic_funding
),

active as (
    select cluster_id, name
    from cluster, last_year
    where type = 'spearhead'
      and recognised_year <= last_year.year
      and (ended_year is null or ended_year >= last_year.year)
),

final as (
    select
        f.cluster_id,
        a.name as cluster_name,
        f.year,
        f.public_eur::double as public_eur,
        f.member_eur::double as member_eur,
        f.source_id
    from basic_funding f
    join active a using (cluster_id)
    join last_year l on f.year = l.year
)

select * from final
order by cluster_name
