-- Every row of the contract table cluster, as stored (for browsing and download on the data page).
-- params: none
-- returns: every cluster column
select *
from cluster
order by cluster_id
