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
counted = ui.query("intercluster_project_count", **params).iloc[0] if chosen else None
if not chosen:
    st.info(ui.tr("earmarked.pick_theme"))
elif counted["projects"] == 0:
    st.info(ui.tr("earmarked.no_projects"))
else:
    by_theme = ui.query("intercluster_budget_by_theme_year", **params)
    all_nodes = ui.query("intercluster_cluster_budget", **params)
    nodes = charts.network_nodes(all_nodes)
    links = ui.query("collaboration_links", **params, clusters=tuple(nodes["cluster_id"]))
    ids = provenance.flatten_ids([counted["source_ids"]])
    illustrative = ui.illustrative(ids)
    ui.show_chart(lambda: charts.projects_by_theme(by_theme, L, illustrative), "ec_themes_chart", ids, deps=params)
    ui.show_chart(
        lambda: charts.collaboration_network(nodes, links, L, illustrative, len(all_nodes)),
        "ec_network",
        ids,
        table=lambda: tables.links(links, L),
        deps=params,
    )
    if not P:
        n = int(counted["projects"])
        st.subheader(ui.tr("earmarked.table_title", n=n))
        shown = ui.query("intercluster_projects", **params, limit=1000)
        st.dataframe(tables.projects(shown, L), hide_index=True, key="ec_table")
        if len(shown) < n:
            st.caption(ui.tr("earmarked.table_capped", shown=len(shown), total=n))
        ui.source_caption(ids)
