-- How many inter-cluster projects match the filters, and the sources behind them (the table itself shows the newest).
-- params: $first_year INTEGER, $last_year INTEGER, $themes VARCHAR[]
-- returns: projects, source_ids
select
    count(*) as projects,
    coalesce(list_sort(list_distinct(list(source_id))), []) as source_ids
from intercluster_project
where start_year <= $last_year
  and end_year >= $first_year
  and list_contains($themes, theme)
