"""A cluster's profile (``/cluster?c=vil``): what it is, its money over time, its partners, its KPIs and the scenarios.

Every chart that names clusters links here. Each figure is marked by its source's kind: the
charts draw published, derived and illustrative values differently (charts/profile.py).
"""

import streamlit as st

from .. import charts, compare_view, i18n, profile, provenance, report, tables
from ..charts import profile as profile_charts
from ..web import chartview, export_panel, links, presenter
from ..web import data as kept
from ..web.run import lang, presenting, tr
from .scenarios import calibration_control, scenario_library


def render() -> None:
    """Draw the page."""
    L = lang()
    P = presenting()
    clusters = kept.query("clusters")
    ids = tuple(clusters["cluster_id"])
    names = dict(zip(clusters["cluster_id"], clusters["name"]))
    by_name = tuple(sorted(ids, key=lambda c: names[c].casefold()))

    # the title names the cluster, and stands above the picker as on every page
    cid = links.url_param("c", by_name[0], "str", choices=ids, follow=True)
    presenter.set_title(tr("profile.title", name=names[cid]))
    with presenter.controls():
        cid = st.selectbox(tr("profile.pick"), by_name, format_func=names.get, key="c")
    row = clusters.set_index("cluster_id").loc[cid]
    name = str(row["name"])
    shown = {"cluster_id": cid}
    kept.prefetch(*((q, shown) for q in ("profile_funding", "profile_earmarked", "profile_partners", "profile_kpis")))

    about = kept.derived(("profile_about", cid, L), lambda: profile.about(row, L))
    headlines = kept.derived(
        ("profile_headlines", cid, L),
        lambda: profile.headlines(
            row,
            kept.query("profile_funding", **shown),
            kept.query("profile_kpis", **shown),
            kept.query("profile_partners", **shown),
            kept.query("profile_projects", **shown),
            kept.kinds(),
            L,
        ),
    )
    export_panel.describe(about, [report.Headline(h.label, h.value, h.note) for h in headlines])
    if not P:
        st.markdown(provenance.md_escape(about))
        chartview.source_caption(provenance.flatten_ids([row["source_id"], row["ended_source_id"]]))
        cards = st.container(horizontal=True)
        for h in headlines:
            cards.metric(h.label, h.value + (" ⚠" if h.illustrative else ""), help=h.note, border=True)
        facts = kept.derived(
            ("profile_facts", cid, L),
            lambda: tables.published_facts(kept.query("profile_facts", prefix=profile.fact_prefix(cid)), kept.sources(), L),
        )
        if len(facts):
            st.subheader(tr("profile.facts_title", name=name))
            st.dataframe(facts, hide_index=True, key="pc_facts", width="stretch")

    funding_ids = kept.query_sources("profile_funding", "source_id", **shown)
    if funding_ids:
        chartview.show_chart(
            lambda: profile_charts.funding(kept.query("profile_funding", **shown), name, L), "pc_funding", funding_ids, deps=cid
        )
    earmarked_ids = kept.query_sources("profile_earmarked", "source_id", **shown)
    if earmarked_ids:
        chartview.show_chart(
            lambda: profile_charts.earmarked(kept.query("profile_earmarked", **shown), name, L),
            "pc_earmarked",
            earmarked_ids,
            deps=cid,
        )

    partners = kept.query("profile_partners", **shown)
    if len(partners):
        partner_ids = provenance.flatten_ids(*partners["source_ids"])
        chartview.show_chart(
            lambda: profile_charts.partners(partners, name, L, kept.illustrative(partner_ids)),
            "pc_partners",
            partner_ids,
            deps=cid,
            profiles=lambda: list(zip(partners["partner_id"], partners["partner_name"])),
        )

    kpi_rows = kept.query("profile_kpis", **shown)
    if len(kpi_rows):
        kpi_ids = provenance.flatten_ids(kpi_rows["value_source"], kpi_rows["target_source"].dropna())
        definitions = kept.query("kpi_definitions")
        chartview.show_chart(lambda: profile_charts.kpi_attainment(kpi_rows, definitions, name, L), "pc_kpis", kpi_ids, deps=cid)
        kpi_names = dict(zip(definitions["kpi_id"], definitions[f"name_{L}"]))
        present = [k for k in definitions["kpi_id"] if k in set(kpi_rows["kpi_id"])]
        with presenter.controls():
            links.url_param("pc_kpi", "members" if "members" in present else present[0], "str", choices=tuple(present))
            kpi_id = st.selectbox(tr("kpi.indicator"), present, format_func=kpi_names.get, key="pc_kpi")
        series_args = {"kpi_id": kpi_id, "clusters": (cid,)}
        series_ids = kept.query_sources("kpi_series", "source_id", **series_args)
        kpi = definitions.set_index("kpi_id").loc[kpi_id].copy()
        kpi["kpi_id"] = kpi_id
        chartview.show_chart(
            lambda: charts.kpi_timeseries(kept.query("kpi_series", **series_args), kpi, L, kept.illustrative(series_ids)),
            "pc_kpi_series",
            series_ids,
            table=lambda: tables.kpi_series(kept.query("kpi_series", **series_args), kpi, L),
            deps=(cid, kpi_id),
        )

    _scenarios(cid, name)

    projects = kept.query("profile_projects", **shown)
    if not P and len(projects):
        st.subheader(tr("profile.projects_title", name=name))
        chartview.show_table((cid,), lambda: tables.profile_projects(projects, L), "pc_projects")
        chartview.source_caption(provenance.flatten_ids(projects["source_id"]))


def _scenarios(cid: str, name: str) -> None:
    """What each compared scenario does to this cluster's basic subsidy (only a cluster the model starts from)."""
    L = lang()
    base, _ = kept.scenario_base()
    if cid not in base.cluster_ids:
        if not presenting():
            st.info(tr("profile.not_in_scenarios", name=name, year=base.year))
        return
    library, name_of, _, _ = scenario_library(base)
    preferred = [s for s in ("continuation", "degressive") if s in library] or list(library)[:2]
    with presenter.controls():
        row = st.container(horizontal=True)
        links.url_param("pc_sc", preferred, "list", choices=tuple(library), max_items=4)
        with row:
            chosen = st.multiselect(tr("scenarios.pick"), list(library), format_func=name_of.get, max_selections=4, key="pc_sc")
            cal = calibration_control(base)
    if not chosen:
        if not presenting():
            st.info(tr("profile.pick_scenario"))
        return
    _, run_ids = kept.scenario_base(cal)
    source_ids = [*run_ids, "illus_scenarios"]
    results = [kept.run_scenario(library[s], cal) for s in chosen]
    total = kept.published_total()
    publisher = (kept.source_index().get(total[1]) or {}).get("publisher", "") if total else ""
    note = compare_view.calibration_sentence(results[0], L, publisher)
    chartview.show_chart(
        lambda: profile_charts.scenario_lines(results, cid, name, L, kept.illustrative(source_ids), note),
        "pc_scenarios",
        source_ids,
        table=lambda: tables.profile_scenarios(results, cid, L),
        deps=(cid, [library[s].to_dict() for s in chosen], cal),
    )
    if not presenting():
        st.caption(i18n.t("profile.scenarios_note", L, name=name))
