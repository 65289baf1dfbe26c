-- The published facts about one cluster: those whose id starts with the cluster's prefix (clusterpolicy/profile.py).
-- params: $prefix VARCHAR
-- returns: fact_id, label_nl, label_en, value, unit, period, qualifier, source_id
select fact_id, label_nl, label_en, value::double as value, unit, period, qualifier, source_id
from published_fact
where starts_with(fact_id, $prefix)
order by period = 'undated', period, fact_id
