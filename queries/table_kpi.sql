-- Every row of the contract table kpi, as stored (for browsing and download on the data page).
-- params: none
-- returns: every kpi column
select *
from kpi
order by kpi_id
