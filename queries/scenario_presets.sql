-- The stored scenario presets (illustrative policy options), in display order.
-- params: none
-- returns: every scenario_preset column
select *
from scenario_preset
order by position
