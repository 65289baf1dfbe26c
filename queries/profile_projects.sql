-- The inter-cluster projects one cluster takes part in, with its partner clusters.
-- params: $cluster_id VARCHAR
-- returns: project_id, title, theme, start_year, end_year, budget_eur, public_eur, partners (names, comma-separated), n_partners, source_id
with

mine as (
    select project_id from project_cluster where cluster_id = $cluster_id
),

partners as (
    select pc.project_id, c.name
    from project_cluster pc
    join cluster c using (cluster_id)
    where pc.cluster_id <> $cluster_id
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
        coalesce(string_agg(o.name, ', ' order by o.name), '') as partners,
        count(o.name) as n_partners,
        p.source_id
    from intercluster_project p
    join mine using (project_id)
    left join partners o using (project_id)
    group by all
)

select * from final
order by start_year, project_id
