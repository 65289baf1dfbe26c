-- Pairs of the chosen clusters working together in inter-cluster projects: number of joint projects and joint budget.
-- params: $first_year INTEGER, $last_year INTEGER, $themes VARCHAR[], $clusters VARCHAR[]
-- returns: cluster_a, cluster_b, name_a, name_b, projects, joint_budget_eur
with

projects as (
    select project_id, budget_eur, source_id
    from intercluster_project
    where start_year <= $last_year
      and end_year >= $first_year
      and list_contains($themes, theme)
),

members as (
    select pc.project_id, pc.cluster_id, c.name
    from project_cluster pc
    join cluster c using (cluster_id)
    where list_contains($clusters, pc.cluster_id)
),

pairs as (
    select
        a.cluster_id as cluster_a,
        b.cluster_id as cluster_b,
        a.name as name_a,
        b.name as name_b,
        p.budget_eur,
        p.source_id
    from projects p
    join members a on a.project_id = p.project_id
    join members b on b.project_id = p.project_id and a.cluster_id < b.cluster_id
),

final as (
    select
        cluster_a,
        cluster_b,
        name_a,
        name_b,
        count(*) as projects,
        sum(budget_eur)::double as joint_budget_eur
    from pairs
    group by all
)

select * from final
order by joint_budget_eur desc, cluster_a, cluster_b
