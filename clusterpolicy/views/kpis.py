"""KPIs and evaluation (VARIO advice 36, Recommendations 1.3 and 4): values against targets, and where data are missing."""

import streamlit as st

from clusterpolicy.data import provenance
from clusterpolicy.present import charts, tables
from clusterpolicy.web import chartview, export_panel, links, presenter
from clusterpolicy.web import data as kept
from clusterpolicy.web.run import lang, presenting, tr


def render() -> None:
    """Draw the page."""
    L = lang()
    presenter.set_title(tr("kpi.title"))
    P = presenting()
    if not P:
        st.markdown(tr("kpi.intro"))
        export_panel.describe(tr("kpi.intro"))

    # queries run inside the builders and kept values: a warm rerun reads plain values and kept
    # charts, not frames (a frame from kept.query is copied on every call). On a first run the page's
    # queries are started up front (kept.prefetch) and run while the figures are built.
    coverage_span = {"first_year": 2000, "last_year": 2100}
    kept.prefetch(("kpi_definitions", {}), ("clusters", {}), ("kpi_sources", {}), ("kpi_coverage", coverage_span))

    def kpis():
        return kept.query("kpi_definitions")

    def spearhead_names() -> dict[str, str]:
        clusters = kept.query("clusters")
        spearheads = clusters[clusters["type"] == "spearhead"]
        return dict(zip(spearheads["cluster_id"], spearheads["name"]))

    names = kept.derived(("kpi_cluster_names",), spearhead_names)

    def kpi_names_now() -> dict[str, str]:
        frame = kpis()
        return dict(zip(frame["kpi_id"], frame[f"name_{L}"]))

    kpi_names = kept.derived(("kpi_names", L), kpi_names_now)
    years = list(range(2021, 2025))

    preferred = [c for c in ("vil", "catalisti", "blauwe_cluster") if c in names] or list(names)[:3]
    chosen = links.url_param("kpi_clusters", preferred, "list", choices=tuple(names))
    kpi_id = links.url_param(
        "kpi_id", "members" if "members" in kpi_names else next(iter(kpi_names)), "str", choices=tuple(kpi_names)
    )
    year = links.url_param("kpi_year", max(years), "int", choices=tuple(years))
    kept.prefetch(
        ("kpi_attainment_matrix", {"year": year}),
        *([("kpi_series", {"kpi_id": kpi_id, "clusters": tuple(chosen)})] if chosen else []),
    )

    with presenter.controls():
        row = st.container(horizontal=True)  # one block (columns add one per column)
        chosen = row.multiselect(tr("kpi.clusters"), list(names), format_func=names.get, key="kpi_clusters")
        kpi_id = row.selectbox(tr("kpi.indicator"), list(kpi_names), format_func=kpi_names.get, key="kpi_id", width=320)
        year = row.selectbox(tr("kpi.year"), years, key="kpi_year", width=180)

    def definition():
        kpi = kpis().set_index("kpi_id").loc[kpi_id].copy()
        kpi["kpi_id"] = kpi_id
        return kpi

    kpi = kept.derived(("kpi_definition", kpi_id), definition)  # read only from here on
    if not P:
        line = kept.derived(
            ("kpi_definition_line", kpi_id, L),
            lambda: tr(
                "kpi.definition_line",
                definition=provenance.md_escape(kpi[f"definition_{L}"]),
                rec=provenance.md_escape(kpi["recommendation"]),
            ),
        )
        st.markdown(line)

    if chosen:
        shown = {"kpi_id": kpi_id, "clusters": tuple(chosen)}

        def series():
            return kept.query("kpi_series", **shown)

        ids = kept.query_sources("kpi_series", "source_id", **shown)
        chartview.show_chart(
            lambda: charts.kpi_timeseries(series(), kpi, L, kept.illustrative(ids), every=kept.cluster_palette()),
            "kpi_series_chart",
            ids,
            table=lambda: tables.kpi_series(series(), kpi, L),
            deps=(kpi_id, chosen),
            profiles=lambda: kept.cluster_links(chosen),
        )
    elif not P:
        st.info(tr("kpi.pick_cluster"))

    # with many clusters the heat maps show the chosen ones; with few, all of them
    focus = sorted(names) if len(names) <= 25 else sorted(chosen)

    def focus_matrix():
        """The attainment cells of the focus clusters in the chosen year, and their sources."""
        matrix = kept.query("kpi_attainment_matrix", year=year)
        matrix = matrix[matrix["cluster_id"].isin(focus)]
        return matrix, provenance.flatten_ids(matrix["value_source"], matrix["target_source"])

    matrix, ids = kept.derived(("kpi_matrix", year, focus), focus_matrix)
    chartview.show_chart(
        lambda: charts.attainment_heatmap(matrix, kpis(), year, L, kept.illustrative(ids)),
        "kpi_heatmap",
        ids,
        deps=(year, focus),
        profiles=lambda: kept.cluster_links(focus),
    )

    # the cells are data statuses, not figures: the chart cites its sources but carries no illustrative mark
    coverage_ids = kept.query_sources("kpi_sources", "source_id")

    def focus_coverage():
        coverage = kept.query("kpi_coverage", **coverage_span)
        return coverage[coverage["cluster_id"].isin(focus)]

    chartview.show_chart(
        lambda: charts.coverage_heatmap(focus_coverage(), kpis(), L),
        "kpi_coverage_chart",
        coverage_ids,
        deps=focus,
    )

    if not P:
        st.subheader(tr("kpi.definitions_title"))
        chartview.show_table(("kpi_definitions", L), lambda: tables.kpi_definitions(kpis(), L), "kpi_defs")
