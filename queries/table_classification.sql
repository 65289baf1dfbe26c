-- Every row of the contract table classification, as stored: the confidentiality marking the data steward set.
-- params: none
-- returns: every classification column
select *
from classification
order by scope
