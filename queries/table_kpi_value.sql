-- Every row of the contract table kpi_value, as stored (for browsing and download on the data page).
-- params: none
-- returns: every kpi_value column
select *
from kpi_value
order by cluster_id, kpi_id, year
