"""Plotly chart builders: frames in, a ``Chart`` out (figure, table, unit, format, illustrative flag).

No Streamlit and no queries. The shared look is in ``theme``, presenter restyling in
``presenter``, and the builders by page in ``overview``, ``scenarios`` (its section per cluster in
``scenario_clusters``), ``earmarked``, ``kpis`` and ``profile``. A builder fills a ``ChartSpec`` (``spec``),
the page draws it with ``figure.draft_of``, and every export draws the same spec.
"""

from clusterpolicy.present.charts.chart import BASE_SERIES, Chart, Drawn, PreparedFigure, has_illustrative_mark
from clusterpolicy.present.charts.earmarked import collaboration_network, network_nodes, projects_by_theme
from clusterpolicy.present.charts.kpis import (
    ATTAINMENT_SCALE,
    COVERAGE_COLOURS,
    attainment_heatmap,
    coverage_heatmap,
    coverage_status,
    kpi_timeseries,
)
from clusterpolicy.present.charts.overview import basic_funding_by_year, cluster_timeline, earmarked_by_year
from clusterpolicy.present.charts.presenter import PRESENTER_FONT, PRESENTER_SUBTITLE, PRESENTER_TITLE, for_presenter
from clusterpolicy.present.charts.scenario_clusters import basic_by_cluster, cluster_change, member_shortfall, self_financing
from clusterpolicy.present.charts.scenarios import (
    new_themes,
    scenario_components,
    scenario_cost_lines,
    scenario_difference,
    tornado,
)
from clusterpolicy.present.charts.theme import (
    BLUES,
    COMPONENT_COLOURS,
    FONT_SIZE,
    ILLUSTRATIVE_NAME,
    PALETTE,
    TEMPLATE,
    TITLE_SIZE,
    hex_colour,
    palette_order,
    plain_text,
)

__all__ = [
    "BASE_SERIES",
    "ATTAINMENT_SCALE",
    "BLUES",
    "COMPONENT_COLOURS",
    "COVERAGE_COLOURS",
    "FONT_SIZE",
    "ILLUSTRATIVE_NAME",
    "PALETTE",
    "PRESENTER_FONT",
    "PRESENTER_SUBTITLE",
    "PRESENTER_TITLE",
    "TEMPLATE",
    "TITLE_SIZE",
    "Chart",
    "Drawn",
    "PreparedFigure",
    "attainment_heatmap",
    "basic_by_cluster",
    "basic_funding_by_year",
    "cluster_change",
    "cluster_timeline",
    "collaboration_network",
    "coverage_heatmap",
    "coverage_status",
    "earmarked_by_year",
    "for_presenter",
    "has_illustrative_mark",
    "hex_colour",
    "kpi_timeseries",
    "member_shortfall",
    "new_themes",
    "network_nodes",
    "palette_order",
    "plain_text",
    "projects_by_theme",
    "scenario_components",
    "scenario_cost_lines",
    "scenario_difference",
    "self_financing",
    "tornado",
]
