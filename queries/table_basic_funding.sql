-- Every row of the contract table basic_funding, as stored (for browsing and download on the data page).
-- params: none
-- returns: every basic_funding column
select *
from basic_funding
order by cluster_id, year
