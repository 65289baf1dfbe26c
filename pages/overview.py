"""Overview: headline figures for a year, which clusters exist when, and where the money went."""

import streamlit as st

from clusterpolicy import charts, i18n, provenance, ui

ui.use_router()
L = ui.lang()
ui.set_title(ui.tr("overview.title"))
P = ui.presenting()
if not P:
    st.markdown(ui.tr("overview.intro"))

funding = ui.query("basic_funding_by_cluster_year", first_year=2000, last_year=2100)
years = sorted(int(y) for y in funding["year"].unique())
with ui.controls():
    ui.url_param("ov_year", max(years), "int", choices=tuple(years))
    year = st.selectbox(ui.tr("overview.year"), years, key="ov_year")

heads = ui.query("headline_figures", year=year).set_index("figure")
kinds = provenance.kinds(ui.sources())
if not P:
    formats = {
        "active_clusters": lambda v: i18n.num(v, L),
        "basic_subsidy": lambda v: i18n.eur_millions(v, L, 2),
        "earmarked_budget": lambda v: i18n.eur_millions(v, L, 1),
        "members": lambda v: i18n.num(v, L),
    }
    for col, figure in zip(st.columns(4), formats):
        row = heads.loc[figure]
        ids = provenance.flatten_ids([row["source_ids"]])
        text = i18n.qualified(formats[figure](row["value"]), row["qualifier"], L)
        if provenance.is_illustrative(ids, ui.sources()):
            text += " ⚠"
        col.metric(
            ui.tr(f"overview.metric_{figure}", year=year), text, help=provenance.source_line(ids, ui.sources(), L), border=True
        )
    st.caption(ui.tr("overview.metrics_note"))

clusters = ui.query("clusters")
ui.show_chart(
    lambda: charts.cluster_timeline(clusters, kinds, max(years), L),
    "ov_timeline",
    provenance.flatten_ids(clusters["source_id"], clusters["ended_source_id"]),
    deps=(),
)

ids = provenance.flatten_ids(funding["source_id"])
ui.show_chart(lambda: charts.basic_funding_by_year(funding, L, ui.illustrative(ids)), "ov_basic", ids, deps=())

earmarked = ui.query("earmarked_totals_by_year", first_year=2000, last_year=2100)
ui.show_chart(
    lambda: charts.earmarked_by_year(earmarked, kinds, L), "ov_earmarked", provenance.flatten_ids(earmarked["source_id"]), deps=()
)

if not P:
    st.subheader(ui.tr("overview.facts_title"))
    facts = ui.query("published_facts")
    for col, (_, f) in zip(st.columns(len(facts)), facts.iterrows()):
        value = i18n.eur_millions(f["value"], L, 0) if f["unit"] == "eur" else i18n.num(f["value"], L)
        label = f[f"label_{L}"] if f["period"] in f[f"label_{L}"] else f"{f[f'label_{L}']} ({f['period']})"
        col.metric(provenance.md_escape(label), i18n.qualified(value, f["qualifier"], L), border=True)
        ui.source_caption([f["source_id"]], col)

    st.subheader(ui.tr("overview.map_title"))
    st.markdown(ui.tr("overview.map_body"))
