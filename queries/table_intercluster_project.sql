-- Every row of the contract table intercluster_project, as stored (for browsing and download on the data page).
-- params: none
-- returns: every intercluster_project column
select *
from intercluster_project
order by project_id
