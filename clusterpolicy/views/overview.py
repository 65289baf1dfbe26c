"""Overview: headline figures for a year, which clusters exist when, and where the money went."""

import streamlit as st

from .. import charts, i18n, provenance, ui


def render() -> None:
    """Draw the page."""
    L = ui.lang()
    ui.set_title(ui.tr("overview.title"))
    P = ui.presenting()
    if not P:
        st.markdown(ui.tr("overview.intro"))

    # queries run inside the builders and kept values: a warm rerun reads plain values and kept
    # charts, not frames (a frame from ui.query is copied on every call)
    span = {"first_year": 2000, "last_year": 2100}
    # on a first run the page's queries are started up front and run while the figures are built
    ui.prefetch(
        ("basic_funding_by_cluster_year", span),
        ("clusters", {}),
        ("earmarked_totals_by_year", span),
        ("published_facts", {}),
        ("sources", {}),
    )

    def funding():
        return ui.query("basic_funding_by_cluster_year", **span)

    years = ui.derived(("ov_years",), lambda: sorted(int(y) for y in funding()["year"].unique()))
    with ui.controls():
        ui.url_param("ov_year", max(years), "int", choices=tuple(years))
        year = st.selectbox(ui.tr("overview.year"), years, key="ov_year")

    kinds = ui.kinds()

    def headline_cards() -> list[tuple[str, str, str]]:
        """(label, value, source line) of the four headline figures for the chosen year."""
        heads = ui.query("headline_figures", year=year).set_index("figure")
        formats = {
            "active_clusters": lambda v: i18n.num(v, L),
            "basic_subsidy": lambda v: i18n.eur_millions(v, L, 2),
            "earmarked_budget": lambda v: i18n.eur_millions(v, L, 1),
            "members": lambda v: i18n.num(v, L),
        }
        cards = []
        for figure, fmt in formats.items():
            row = heads.loc[figure]
            ids = provenance.flatten_ids([row["source_ids"]])
            text = i18n.qualified(fmt(row["value"]), row["qualifier"], L)
            if ui.illustrative(ids):
                text += " ⚠"
            cards.append((ui.tr(f"overview.metric_{figure}", year=year), text, ui.source_line(ids)))
        return cards

    if not P:
        row = st.container(horizontal=True)  # one block for the four cards (columns would add one each)
        for label, text, line in ui.derived(("ov_cards", year, L), headline_cards):
            row.metric(label, text, help=line, border=True)
        st.caption(ui.tr("overview.metrics_note"))

    ui.show_chart(
        lambda: charts.cluster_timeline(ui.query("clusters"), kinds, max(years), L),
        "ov_timeline",
        ui.query_sources("clusters", "source_id", "ended_source_id"),
        deps=(),
    )

    ids = ui.query_sources("basic_funding_by_cluster_year", "source_id", **span)
    ui.show_chart(lambda: charts.basic_funding_by_year(funding(), L, ui.illustrative(ids)), "ov_basic", ids, deps=())

    ui.show_chart(
        lambda: charts.earmarked_by_year(ui.query("earmarked_totals_by_year", **span), kinds, L),
        "ov_earmarked",
        ui.query_sources("earmarked_totals_by_year", "source_id", **span),
        deps=(),
    )

    if not P:
        st.subheader(ui.tr("overview.facts_title"))

        def fact_cards() -> list[tuple[str, str, str]]:
            """(label, value, source id) of the published facts, in the reader's language."""
            cards = []
            for f in ui.query("published_facts").to_dict("records"):
                value = i18n.eur_millions(f["value"], L, 0) if f["unit"] == "eur" else i18n.num(f["value"], L)
                label = f[f"label_{L}"] if f["period"] in f[f"label_{L}"] else f"{f[f'label_{L}']} ({f['period']})"
                cards.append((provenance.md_escape(label), i18n.qualified(value, f["qualifier"], L), f["source_id"]))
            return cards

        facts = ui.derived(("ov_facts", L), fact_cards)
        for col, (label, value, source_id) in zip(st.columns(len(facts)), facts):
            col.metric(label, value, border=True)
            ui.source_caption([source_id], col)

        st.subheader(ui.tr("overview.map_title"))
        st.markdown(ui.tr("overview.map_body"))
