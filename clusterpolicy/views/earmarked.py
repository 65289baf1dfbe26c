"""Earmarked budgets and inter-cluster projects (VARIO advice 36, Recommendation 2: 'certainly for inter-cluster projects')."""

import streamlit as st

from clusterpolicy import i18n
from clusterpolicy.data import provenance
from clusterpolicy.present import charts, tables
from clusterpolicy.web import chartview, export_panel, links, presenter
from clusterpolicy.web import data as kept
from clusterpolicy.web.run import lang, presenting, tr


def render() -> None:
    """Draw the page."""
    L = lang()
    presenter.set_title(tr("earmarked.title"))
    P = presenting()
    if not P:
        st.markdown(tr("earmarked.intro"))
        export_panel.describe(tr("earmarked.intro"))

    # queries run inside the builders and the kept values below: a warm rerun reads plain values
    # and kept charts, not frames (a frame from kept.query is copied on every call). On a first run
    # the page's queries are started up front (kept.prefetch) and run while the figures are built.
    span = {"first_year": 2000, "last_year": 2100}
    kept.prefetch(("earmarked_totals_by_year", span), ("intercluster_themes", {}))

    def theme_span():
        themes = kept.query("intercluster_themes")
        return int(themes["first_year"].min()), int(themes["last_year"].max()), tuple(themes["theme"])

    first, last, all_themes = kept.derived(("ec_theme_span",), theme_span)
    all_themes = list(all_themes)
    # the filters' values (from the link or the session) before their widgets are drawn below the first chart
    years = links.url_param("ec_years", (first, last), "range", lo=first, hi=last)
    chosen = links.url_param("ec_themes", all_themes, "list", choices=tuple(all_themes))
    if chosen:
        upcoming = _filters(years, chosen)
        kept.prefetch(
            ("intercluster_project_count", upcoming),
            ("intercluster_budget_by_theme_year", upcoming),
            ("intercluster_cluster_budget", upcoming),
            ("intercluster_projects", {**upcoming, "limit": 1000}),
        )

    chartview.show_chart(
        lambda: charts.earmarked_by_year(kept.query("earmarked_totals_by_year", **span), kept.kinds(), L),
        "ec_envelopes",
        kept.query_sources("earmarked_totals_by_year", "source_ids", **span),
        deps=(),
    )

    with presenter.controls():
        row = st.container(horizontal=True)  # one block (columns add one per column)
        years = row.slider(tr("earmarked.years"), first, last, key="ec_years", width=320)
        chosen = row.multiselect(tr("earmarked.themes"), all_themes, format_func=lambda th: i18n.theme(th, L), key="ec_themes")

    params = _filters(years, chosen)
    counted = (
        kept.derived(("ec_count", params), lambda: kept.query("intercluster_project_count", **params).iloc[0].to_dict())
        if chosen
        else None
    )
    if not chosen:
        st.info(tr("earmarked.pick_theme"))
    elif counted["projects"] == 0:
        st.info(tr("earmarked.no_projects"))
    else:
        ids = kept.derived(("ec_ids", params), lambda: provenance.flatten_ids([counted["source_ids"]]))
        illustrative = kept.illustrative(ids)

        def network():
            """The collaboration network's figure and the table of its links."""
            all_nodes = kept.query("intercluster_cluster_budget", **params)
            nodes = charts.network_nodes(all_nodes)
            links = kept.query("collaboration_links", **params, clusters=tuple(nodes["cluster_id"]))
            return charts.collaboration_network(nodes, links, L, illustrative, len(all_nodes)), tables.links(links, L)

        chartview.show_chart(
            lambda: charts.projects_by_theme(kept.query("intercluster_budget_by_theme_year", **params), L, illustrative),
            "ec_themes_chart",
            ids,
            deps=params,
        )
        chartview.show_chart(
            network,
            "ec_network",
            ids,
            deps=params,
            profiles=lambda: kept.derived(
                ("ec_network_profiles", params),
                lambda: kept.cluster_links(kept.query("intercluster_cluster_budget", **params)["cluster_id"]),
            ),
        )
        if not P:
            n = int(counted["projects"])
            st.subheader(tr("earmarked.table_title", n=n))
            listed = {**params, "limit": 1000}
            chartview.show_table(
                ("ec_table", params), lambda: tables.projects(kept.query("intercluster_projects", **listed), L), "ec_table"
            )
            shown = kept.derived(("ec_listed", params), lambda: len(kept.query("intercluster_projects", **listed)))
            if shown < n:
                st.caption(tr("earmarked.table_capped", shown=shown, total=n))
            chartview.source_caption(ids)


def _filters(years, chosen) -> dict:
    """The query parameters of the year range and themes chosen."""
    return {"first_year": years[0], "last_year": years[1], "themes": tuple(chosen)}
