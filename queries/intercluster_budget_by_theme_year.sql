-- Public inter-cluster project money per theme and year, each project's public support spread evenly over its years.
-- params: $first_year INTEGER, $last_year INTEGER, $themes VARCHAR[]
-- returns: theme, year, public_eur, projects, source_ids
with

projects as (
    select * from intercluster_project
    where list_contains($themes, theme)
),

project_years as (
    select
        p.project_id,
        p.theme,
        y.year,
        p.public_eur::double / (p.end_year - p.start_year + 1) as public_eur,
        p.source_id
    from projects p,
        range(p.start_year, p.end_year + 1) y(year)
),

final as (
    select
        theme,
        year::integer as year,
        sum(public_eur) as public_eur,
        count(*) as projects,
        list_sort(list_distinct(list(source_id))) as source_ids
    from project_years
    where year between $first_year and $last_year
    group by theme, year
)

select * from final
order by year, theme
