"""Earmarked budgets and inter-cluster projects (VARIO advice 36, Recommendation 2: 'certainly for inter-cluster projects')."""

import streamlit as st

from clusterpolicy import charts, i18n, provenance, tables, ui

ui.use_router()
L = ui.lang()
ui.set_title(ui.tr("earmarked.title"))
P = ui.presenting()
if not P:
    st.markdown(ui.tr("earmarked.intro"))

kinds = provenance.kinds(ui.sources())
envelopes = ui.query("earmarked_totals_by_year", first_year=2000, last_year=2100)
ui.show_chart(
    lambda: charts.earmarked_by_year(envelopes, kinds, L), "ec_envelopes", provenance.flatten_ids(envelopes["source_id"]), deps=()
)

themes = ui.query("intercluster_themes")
first, last = int(themes["first_year"].min()), int(themes["last_year"].max())
all_themes = themes["theme"].tolist()
with ui.controls():
    c1, c2 = st.columns([1, 2])
    ui.url_param("ec_years", (first, last), "range", lo=first, hi=last)
    years = c1.slider(ui.tr("earmarked.years"), first, last, key="ec_years")
    ui.url_param("ec_themes", all_themes, "list", choices=tuple(all_themes))
    chosen = c2.multiselect(ui.tr("earmarked.themes"), all_themes, format_func=lambda th: i18n.theme(th, L), key="ec_themes")

params = {"first_year": years[0], "last_year": years[1], "themes": tuple(chosen)}
projects = ui.query("intercluster_projects", **params) if chosen else None
if not chosen:
    st.info(ui.tr("earmarked.pick_theme"))
elif projects.empty:
    st.info(ui.tr("earmarked.no_projects"))
else:
    by_theme = ui.query("intercluster_budget_by_theme_year", **params)
    nodes, links, total = charts.network_subset(
        ui.query("intercluster_cluster_budget", **params), ui.query("collaboration_links", **params)
    )
    ids = provenance.flatten_ids(projects["source_id"])
    illustrative = ui.illustrative(ids)
    ui.show_chart(lambda: charts.projects_by_theme(by_theme, L, illustrative), "ec_themes_chart", ids, deps=params)
    ui.show_chart(
        lambda: charts.collaboration_network(nodes, links, L, illustrative, total),
        "ec_network",
        ids,
        table=lambda: tables.links(links, L),
        deps=params,
    )
    if not P:
        st.subheader(ui.tr("earmarked.table_title", n=len(projects)))
        shown = projects.sort_values(["start_year", "project_id"], ascending=[False, True]).head(1000)
        st.dataframe(tables.projects(shown, L), hide_index=True, key="ec_table")
        if len(shown) < len(projects):
            st.caption(ui.tr("earmarked.table_capped", shown=len(shown), total=len(projects)))
        ui.source_caption(ids)
