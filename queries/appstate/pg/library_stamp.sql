-- What changes whenever the library is written (a save, a revision, archiving or bringing back), cheap to read on every run.
-- params: none
select count(*) as scenarios,
       md5(coalesce(string_agg(id || ':' || current_revision || ':' || coalesce(archived_at, '-'), ',' order by id), '')) as digest
from scenario
