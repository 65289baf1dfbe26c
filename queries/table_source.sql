-- Every row of the contract table source, as stored (for browsing and download on the data page).
-- params: none
-- returns: every source column
select *
from source
order by source_id
