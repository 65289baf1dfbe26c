-- The version of the data in the open database and when and how it was made.
-- params: none
-- returns: version, content_hash, built_at, origin
select version, content_hash, built_at, origin
from data_version
order by built_at desc
limit 1
