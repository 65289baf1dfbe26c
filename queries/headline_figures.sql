-- Headline figures for one year: active spearhead clusters, basic subsidy, earmarked budget, members.
-- params: $year INTEGER
-- returns: figure, value, source_ids (list of source_id behind the value), qualifier
with

active as (
    select cluster_id
    from cluster
    where type = 'spearhead'
      and recognised_year <= $year
      and (ended_year is null or ended_year >= $year)
),

latest_members as (
    -- the newest member count of each active cluster up to the year
    -- one struct per row so value, source and qualifier come from the same (newest) row
    select
        cluster_id,
        newest.value as value,
        newest.source_id as source_id,
        newest.value_qualifier as qualifier
    from (
        select
            v.cluster_id,
            arg_max({'value': v.value, 'source_id': v.source_id, 'value_qualifier': v.value_qualifier}, v.year) as newest
        from kpi_value v
        join active a using (cluster_id)
        where v.kpi_id = 'members'
          and v.year <= $year
        group by v.cluster_id
    )
),

final as (
    select
        'active_clusters' as figure,
        (select count(*) from active)::double as value,
        (select list_sort(list_distinct(list(c.source_id))) from cluster c join active a using (cluster_id)) as source_ids,
        null as qualifier
    union all
    select
        'basic_subsidy',
        sum(public_eur)::double,
        list_sort(list_distinct(list(source_id))),
        null
    from basic_funding
    where year = $year
    union all
    select
        'earmarked_budget',
        sum(amount_eur)::double,
        list_sort(list_distinct(list(source_id))),
        null
    from earmarked_budget
    where year = $year and cluster_id is null
    union all
    select
        'members',
        sum(value)::double,
        list_sort(list_distinct(list(source_id))),
        case when bool_or(qualifier is not null) then 'about' end
    from latest_members
)

select * from final
