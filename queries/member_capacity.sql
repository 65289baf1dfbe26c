-- How fast each cluster's members can raise their contribution, where the data know it, with its source.
-- params: none
-- returns: cluster_id, growth, source_id
select cluster_id, growth::double as growth, source_id
from member_capacity
order by cluster_id
