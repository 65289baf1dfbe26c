-- Every row of the contract table member_capacity, as stored (for browsing and download on the data page).
-- params: none
-- returns: every member_capacity column
select *
from member_capacity
order by cluster_id
