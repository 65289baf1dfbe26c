-- The themes of inter-cluster projects and the years they span (for the page's filters).
-- params: none
-- returns: theme, first_year, last_year, projects
select
    theme,
    min(start_year) as first_year,
    max(end_year) as last_year,
    count(*) as projects
from intercluster_project
group by theme
order by theme
