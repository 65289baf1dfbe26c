-- The clusters one cluster works with in inter-cluster projects: joint projects and their budget.
-- params: $cluster_id VARCHAR
-- returns: partner_id, partner_name, projects, joint_budget_eur, source_ids (list)
with

mine as (
    select project_id from project_cluster where cluster_id = $cluster_id
),

final as (
    select
        pc.cluster_id as partner_id,
        c.name as partner_name,
        count(*) as projects,
        sum(p.budget_eur)::double as joint_budget_eur,
        list(distinct p.source_id order by p.source_id) as source_ids
    from mine m
    join project_cluster pc on pc.project_id = m.project_id and pc.cluster_id <> $cluster_id
    join cluster c on c.cluster_id = pc.cluster_id
    join intercluster_project p on p.project_id = m.project_id
    group by all
)

select * from final
order by projects desc, joint_budget_eur desc, partner_name
