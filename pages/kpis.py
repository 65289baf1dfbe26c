"""KPIs and evaluation (VARIO advice 36, Recommendations 1.3 and 4): values against targets, and where data are missing."""

import streamlit as st

from clusterpolicy import charts, provenance, tables, ui

ui.use_router()
L = ui.lang()
st.title(ui.tr("kpi.title"))
st.markdown(ui.tr("kpi.intro"))

kpis = ui.query("kpi_definitions")
clusters = ui.query("clusters")
spearheads = clusters[clusters["type"] == "spearhead"]
names = dict(zip(spearheads["cluster_id"], spearheads["name"]))
kpi_names = dict(zip(kpis["kpi_id"], kpis[f"name_{L}"]))

c1, c2 = st.columns([2, 1])
chosen = c1.multiselect(
    ui.tr("kpi.clusters"), list(names), default=["vil", "catalisti", "blauwe_cluster"], format_func=names.get, key="kpi_clusters"
)
kpi_id = c2.selectbox(ui.tr("kpi.indicator"), list(kpi_names), format_func=kpi_names.get, key="kpi_id")
kpi = kpis.set_index("kpi_id").loc[kpi_id]
kpi["kpi_id"] = kpi_id
st.markdown(ui.tr("kpi.definition_line", definition=kpi[f"definition_{L}"], rec=kpi["recommendation"]))

if chosen:
    series = ui.query("kpi_series", kpi_id=kpi_id, clusters=tuple(chosen))
    ids = provenance.flatten_ids(series["source_id"])
    ui.show_chart(charts.kpi_timeseries(series, kpi, L, ui.illustrative(ids)), "kpi_series_chart", ids)
else:
    st.info(ui.tr("kpi.pick_cluster"))

years = list(range(2021, 2025))
year = st.selectbox(ui.tr("kpi.year"), years, index=len(years) - 1, key="kpi_year")
matrix = ui.query("kpi_attainment_matrix", year=year)
ids = provenance.flatten_ids(matrix["source_ids"])
ui.show_chart(charts.attainment_heatmap(matrix, kpis, year, L, ui.illustrative(ids)), "kpi_heatmap", ids)

coverage = ui.query("kpi_coverage", first_year=2016, last_year=2024)
# the cells are data statuses, not figures: the chart cites its sources but carries no illustrative mark
ui.show_chart(charts.coverage_heatmap(coverage, kpis, L), "kpi_coverage_chart", provenance.flatten_ids(coverage["source_ids"]))

st.subheader(ui.tr("kpi.definitions_title"))
st.dataframe(tables.kpi_definitions(kpis, L), hide_index=True, key="kpi_defs")
