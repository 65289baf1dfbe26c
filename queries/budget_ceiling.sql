-- The budget ceiling per year (the multi-year estimate), each amount with its source: a scenario's ceiling path.
-- params: none
-- returns: year, amount_eur, source_id
select year, amount_eur::double as amount_eur, source_id
from budget_ceiling
order by year
