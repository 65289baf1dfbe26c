"""Overview: headline figures for a year, which clusters exist when, and where the money went."""

import streamlit as st

from clusterpolicy import i18n
from clusterpolicy.data import provenance
from clusterpolicy.i18n import t
from clusterpolicy.present import charts, tables
from clusterpolicy.present.headline import Headline
from clusterpolicy.web import chartview, export_panel, links, presenter
from clusterpolicy.web import data as kept
from clusterpolicy.web.run import lang, presenting, tr


def render() -> None:
    """Draw the page."""
    L = lang()
    presenter.set_title(tr("overview.title"))
    P = presenting()
    if not P:
        st.markdown(tr("overview.intro"))

    # queries run inside the builders and kept values: a warm rerun reads plain values and kept
    # charts, not frames (a frame from kept.query is copied on every call)
    span = {"first_year": 2000, "last_year": 2100}
    # on a first run the page's queries are started up front and run while the figures are built
    kept.prefetch(
        ("basic_funding_by_cluster_year", span),
        ("clusters", {}),
        ("earmarked_totals_by_year", span),
        ("published_facts", {}),
        ("sources", {}),
    )
    kept.prefetch_reconciliation()  # the basic operation's chart says where two published figures disagree

    def funding():
        return kept.query("basic_funding_by_cluster_year", **span)

    years = kept.derived(("ov_years",), lambda: sorted(int(y) for y in funding()["year"].unique()))
    with presenter.controls():
        links.url_param("ov_year", max(years), "int", choices=tuple(years))
        year = st.selectbox(tr("overview.year"), years, key="ov_year")

    kinds = kept.kinds()

    def headline_cards() -> list[tuple[str, str, str, str]]:
        """(label, value, source line, the same in plain text) of the four headline figures for the chosen year."""
        heads = kept.query("headline_figures", year=year).set_index("figure")
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
            if kept.illustrative(ids):
                text += " ⚠"
            plain = provenance.plain_source_line(ids, kept.sources(), L)
            cards.append((tr(f"overview.metric_{figure}", year=year), text, kept.source_line(ids), plain))
        return cards

    if not P:
        row = st.container(horizontal=True)  # one block for the four cards (columns would add one each)
        cards = kept.derived(("ov_cards", year, L), headline_cards)
        for label, text, line, _ in cards:
            row.metric(label, text, help=line, border=True)
        # "no published amounts" for an amount, "no published values" for a count
        marks = [t("chart.illustrative_mark" if "€" in text else "chart.illustrative_mark_values", L) for _, text, _, _ in cards]
        export_panel.describe(
            tr("overview.intro"),
            [
                Headline(label, text.removesuffix(" ⚠"), (mark + ". " if text.endswith("⚠") else "") + plain)
                for (label, text, _, plain), mark in zip(cards, marks)
            ],
        )
        st.caption(tr("overview.metrics_note"))

    chartview.show_chart(
        lambda: charts.cluster_timeline(kept.query("clusters"), kinds, max(years), L),
        "ov_timeline",
        kept.query_sources("clusters", "source_id", "ended_source_id"),
        deps=(),
        profiles=kept.cluster_links,
    )

    ids = kept.query_sources("basic_funding_by_cluster_year", "source_id", **span)
    # two published figures on the basic operation disagree: the chart says so, with both sources
    conflict, conflict_ids = kept.conflict()
    chartview.show_chart(
        lambda: charts.basic_funding_by_year(funding(), L, kept.illustrative(ids), conflict, every=kept.cluster_palette()),
        "ov_basic",
        ids + conflict_ids,
        deps=(),
        # the clusters the chart names, worked out once per data version (a frame's unique ids on every rerun cost 0.4 ms)
        profiles=lambda: kept.derived(("ov_basic_profiles",), lambda: kept.cluster_links(funding()["cluster_id"].unique())),
    )

    chartview.show_chart(
        lambda: charts.earmarked_by_year(kept.query("earmarked_totals_by_year", **span), kinds, L),
        "ov_earmarked",
        kept.query_sources("earmarked_totals_by_year", "source_ids", **span),
        deps=(),
    )

    if not P:
        st.subheader(tr("overview.facts_title"))

        # every published fact with its period and source, undated ones last; a table (there are 20 and more)
        facts = kept.derived(("ov_facts", L), lambda: tables.published_facts(kept.query("published_facts"), kept.sources(), L))
        value = tr("overview.fact_value")
        chartview.show_table(
            (),
            lambda: facts,
            "ov_facts",
            width="stretch",
            column_config=kept.derived(
                ("ov_fact_widths", L), lambda: chartview.fitted(facts, [value, tr("overview.fact_period")])
            ),
        )

        st.subheader(tr("overview.map_title"))
        st.markdown(tr("overview.map_body"))
