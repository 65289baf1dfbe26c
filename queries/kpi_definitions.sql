-- Every KPI with its definition, unit, direction and the VARIO recommendation it evidences.
-- params: none
-- returns: kpi_id, name_nl, name_en, unit, higher_is_better, recommendation, definition_nl, definition_en
select
    kpi_id,
    name_nl,
    name_en,
    unit,
    higher_is_better,
    recommendation,
    definition_nl,
    definition_en
from kpi
order by recommendation, kpi_id
