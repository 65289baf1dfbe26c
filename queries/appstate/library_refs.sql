-- How many saved scenarios (and revisions of them) were made on a data version.
-- params: $version
select count(distinct scenario_id) as scenarios, count(*) as revisions
from scenario_revision
where data_version = :version
