-- Earmarked envelopes for all clusters per year (rows with a cluster are parts of these totals, not added), and, for a
-- year and envelope that has parts but no total, the sum of the known parts (basis 'parts': a lower bound, marked so).
-- params: $first_year INTEGER, $last_year INTEGER
-- returns: year, envelope, amount_eur, source_id, source_ids, note, basis ('total' or 'parts')
with

totals as (
    select year, envelope, amount_eur::double as amount_eur, source_id, [source_id] as source_ids, note, 'total' as basis
    from earmarked_budget
    where cluster_id is null
      and year between $first_year and $last_year
),

parts as (
    select
        p.year,
        p.envelope,
        sum(p.amount_eur)::double as amount_eur,
        min(p.source_id) as source_id,
        list_sort(list_distinct(list(p.source_id))) as source_ids,
        null::varchar as note,
        'parts' as basis
    from earmarked_budget p
    where p.cluster_id is not null
      and p.year between $first_year and $last_year
      and not exists (
          select 1 from earmarked_budget t where t.cluster_id is null and t.year = p.year and t.envelope = p.envelope
      )
    group by p.year, p.envelope
),

final as (
    select * from totals
    union all
    select * from parts
)

select * from final
order by year, envelope
