-- Earmarked envelopes for all clusters per year (rows with a cluster are parts of these totals, not added).
-- params: $first_year INTEGER, $last_year INTEGER
-- returns: year, envelope, amount_eur, source_id, note
select
    year,
    envelope,
    amount_eur::double as amount_eur,
    source_id,
    note
from earmarked_budget
where cluster_id is null
  and year between $first_year and $last_year
order by year, envelope
