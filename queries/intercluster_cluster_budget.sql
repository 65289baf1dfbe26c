-- Per cluster: how many inter-cluster projects it takes part in and their total budget (network node sizes).
-- params: $first_year INTEGER, $last_year INTEGER, $themes VARCHAR[]
-- returns: cluster_id, cluster_name, projects, budget_eur
with

projects as (
    select project_id, budget_eur
    from intercluster_project
    where start_year <= $last_year
      and end_year >= $first_year
      and list_contains($themes, theme)
),

final as (
    select
        pc.cluster_id,
        c.name as cluster_name,
        count(*) as projects,
        sum(p.budget_eur)::double as budget_eur
    from projects p
    join project_cluster pc using (project_id)
    join cluster c using (cluster_id)
    group by pc.cluster_id, c.name
)

select * from final
order by budget_eur desc, cluster_id
