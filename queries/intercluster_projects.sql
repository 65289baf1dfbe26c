-- The newest inter-cluster projects running at some point in a year range, on the chosen themes, with their clusters.
-- params: $first_year INTEGER, $last_year INTEGER, $themes VARCHAR[], $limit INTEGER
-- returns: project_id, title, theme, start_year, end_year, budget_eur, public_eur, clusters (names, comma-separated), n_clusters, source_id
with

projects as (
    select * from intercluster_project
    where start_year <= $last_year
      and end_year >= $first_year
      and list_contains($themes, theme)
),

members as (
    select pc.project_id, c.cluster_id, c.name
    from project_cluster pc
    join cluster c using (cluster_id)
),

final as (
    select
        p.project_id,
        p.title,
        p.theme,
        p.start_year,
        p.end_year,
        p.budget_eur::double as budget_eur,
        p.public_eur::double as public_eur,
        -- text, not lists: a list column costs ten times more to cache and copy at EU scale
        string_agg(m.name, ', ' order by m.name) as clusters,
        count(*) as n_clusters,
        p.source_id
    from projects p
    join members m using (project_id)
    group by all
)

select * from final
order by start_year desc, project_id
limit $limit
