-- Every row of the contract table project_cluster, as stored (for browsing and download on the data page).
-- params: none
-- returns: every project_cluster column
select *
from project_cluster
order by project_id, cluster_id
