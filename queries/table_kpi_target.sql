-- Every row of the contract table kpi_target, as stored (for browsing and download on the data page).
-- params: none
-- returns: every kpi_target column
select *
from kpi_target
order by cluster_id, kpi_id, year
