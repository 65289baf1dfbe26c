-- Every row of the contract table budget_ceiling, as stored (for browsing and download on the data page).
-- params: none
-- returns: every budget_ceiling column
select *
from budget_ceiling
order by year
