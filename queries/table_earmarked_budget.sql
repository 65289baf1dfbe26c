-- Every row of the contract table earmarked_budget, as stored (for browsing and download on the data page).
-- params: none
-- returns: every earmarked_budget column
select *
from earmarked_budget
order by year, envelope, cluster_id nulls first
