-- The newest all-cluster amount of each earmarked envelope: where the scenarios' envelopes start.
-- params: none
-- returns: envelope, year, amount_eur, source_id
select
    envelope,
    max(year) as year,
    arg_max(amount_eur, year)::double as amount_eur,
    arg_max(source_id, year) as source_id
from earmarked_budget
where cluster_id is null
group by envelope
order by envelope
