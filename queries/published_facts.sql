-- Published headline facts (each with its source) that have no time series of their own.
-- params: none
-- returns: fact_id, label_nl, label_en, value, unit, period, qualifier, source_id
select
    fact_id,
    label_nl,
    label_en,
    value::double as value,
    unit,
    period,
    qualifier,
    source_id
from published_fact
order by fact_id
