-- The published policy rules (support rate, cap, duration), each with its source.
-- params: none
-- returns: parameter_id, value, unit, source_id
select parameter_id, value::double as value, unit, source_id
from policy_parameter
order by parameter_id
