-- The administration's internal (unpublished) sources that some figure cites: their presence marks a version confidential.
-- params: none
-- returns: source_id, publisher, title
select s.source_id, s.publisher, s.title
from source s
where s.kind = 'internal'
  and (
      exists (select 1 from basic_funding f where f.source_id = s.source_id)
      or exists (select 1 from earmarked_budget e where e.source_id = s.source_id)
      or exists (select 1 from kpi_value v where v.source_id = s.source_id)
      or exists (select 1 from kpi_target t where t.source_id = s.source_id)
      or exists (select 1 from intercluster_project p where p.source_id = s.source_id)
      or exists (select 1 from budget_ceiling c where c.source_id = s.source_id)
      or exists (select 1 from member_capacity m where m.source_id = s.source_id)
      or exists (select 1 from cluster c where c.source_id = s.source_id)
  )
order by s.source_id
