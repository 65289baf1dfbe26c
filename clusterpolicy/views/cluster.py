"""A cluster's profile (``/cluster?c=vil``): what it is, its money over time, its partners, its KPIs and the scenarios.

Every chart that names clusters links here. Each figure is marked by its source's kind: the
charts draw published, derived and illustrative values differently (present/charts/profile.py).
"""

import streamlit as st

from clusterpolicy import i18n
from clusterpolicy.data import provenance
from clusterpolicy.present import charts, cluster_summary, comparison, tables
from clusterpolicy.present.charts import profile as profile_charts
from clusterpolicy.views.scenarios import calibration_control, publisher, scenario_library
from clusterpolicy.web import chartview, export_panel, links, presenter
from clusterpolicy.web import data as kept
from clusterpolicy.web.run import lang, presenting, tr

# the indicator the profile's series opens on when neither the reader nor the link chose one (and the data have it)
DEFAULT_KPI = "members"

# what the scenario part reads besides the year-dependent attainment (the model's base, presets and calibration)
SCENARIO_QUERIES = (
    "scenario_base",
    "earmarked_last_level",
    "member_capacity",
    "scenario_presets",
    "published_facts",
    "policy_parameters",
)


def _plan(cid: str, lang_code: str) -> dict:
    """Everything the page needs besides its charts, as plain values (kept per cluster and language).

    A frame from kept.query is copied on every call; a warm rerun reads this instead.
    """
    shown = {"cluster_id": cid}
    row = kept.query("clusters").set_index("cluster_id").loc[cid]
    funding = kept.query("profile_funding", **shown)
    kpis = kept.query("profile_kpis", **shown)
    partners = kept.query("profile_partners", **shown)
    projects = kept.query("profile_projects", **shown)
    definitions = kept.query("kpi_definitions")
    facts = tables.published_facts(
        kept.query("profile_facts", prefix=cluster_summary.fact_prefix(cid)), kept.sources(), lang_code
    )
    return {
        "name": str(row["name"]),
        "about": cluster_summary.about(row, lang_code),
        "about_ids": provenance.flatten_ids([row["source_id"], row["ended_source_id"]]),
        "headlines": cluster_summary.headlines(row, funding, kpis, partners, projects, kept.kinds(), lang_code),
        "facts": facts if len(facts) else None,
        "funding_ids": provenance.flatten_ids(funding["source_id"]),
        "earmarked_ids": kept.query_sources("profile_earmarked", "source_id", **shown),
        "partner_ids": provenance.flatten_ids(*partners["source_ids"]) if len(partners) else [],
        "partner_links": list(zip(partners["partner_id"], partners["partner_name"])),
        "kpi_ids": provenance.flatten_ids(kpis["value_source"], kpis["target_source"].dropna()),
        "kpis_present": [k for k in definitions["kpi_id"] if k in set(kpis["kpi_id"])],
        "kpi_names": dict(zip(definitions["kpi_id"], definitions[f"name_{lang_code}"])),
        "project_ids": provenance.flatten_ids(projects["source_id"]),
    }


def render() -> None:
    """Draw the page."""
    L = lang()
    P = presenting()
    every = kept.cluster_links()
    names = dict(every)
    by_name = tuple(cid for cid, _ in every)

    # the title names the cluster, and stands above the picker as on every page
    cid = links.url_param("c", by_name[0], "str", choices=by_name, follow=True)
    presenter.set_title(tr("profile.title", name=names[cid]))
    with presenter.controls():
        cid = st.selectbox(tr("profile.pick"), by_name, format_func=names.get, key="c")
    shown = {"cluster_id": cid}
    # on a first run every query the page will read without a choice of the reader's starts here, the cluster's own
    # first: they run two at a time while the page builds what it already has
    kept.prefetch(
        *((q, shown) for q in ("profile_funding", "profile_earmarked", "profile_partners", "profile_kpis", "profile_projects")),
        ("kpi_definitions", {}),
        ("profile_facts", {"prefix": cluster_summary.fact_prefix(cid)}),
        ("sources", {}),
        *((q, {}) for q in SCENARIO_QUERIES),
        # the indicator's series: the one chosen, or the link's, or the page's default (a wrong guess costs one query)
        (
            "kpi_series",
            {"kpi_id": st.session_state.get("pc_kpi") or st.query_params.get("pc_kpi", DEFAULT_KPI), "clusters": (cid,)},
        ),
    )
    plan = kept.derived(("profile_plan", cid, L), lambda: _plan(cid, L))
    kept.prefetch_base_attainment()
    name = plan["name"]
    export_panel.describe(plan["about"], plan["headlines"])
    if not P:
        st.markdown(provenance.md_escape(plan["about"]))
        chartview.source_caption(plan["about_ids"])
        cards = st.container(horizontal=True)
        for h in plan["headlines"]:
            cards.metric(h.label, h.value + (" ⚠" if h.illustrative else ""), help=h.note, border=True)
        if plan["facts"] is not None:
            st.subheader(tr("profile.facts_title", name=name))
            facts = plan["facts"]
            value = tr("overview.fact_value")
            chartview.show_table(
                ("profile_facts", cid),
                lambda: facts,
                "pc_facts",
                width="stretch",
                column_config=kept.derived(("pc_fact_widths", cid, L), lambda: chartview.fitted(facts, [value])),
            )

    if plan["funding_ids"]:
        chartview.show_chart(
            lambda: profile_charts.funding(kept.query("profile_funding", **shown), name, L),
            "pc_funding",
            plan["funding_ids"],
            deps=cid,
        )
    if plan["earmarked_ids"]:
        chartview.show_chart(
            lambda: profile_charts.earmarked(kept.query("profile_earmarked", **shown), name, L),
            "pc_earmarked",
            plan["earmarked_ids"],
            deps=cid,
        )
    if plan["partner_ids"]:
        chartview.show_chart(
            lambda: profile_charts.partners(
                kept.query("profile_partners", **shown), name, L, kept.illustrative(plan["partner_ids"])
            ),
            "pc_partners",
            plan["partner_ids"],
            deps=cid,
            profiles=plan["partner_links"],
        )

    present = plan["kpis_present"]
    if present:
        chartview.show_chart(
            lambda: profile_charts.kpi_attainment(kept.query("profile_kpis", **shown), kept.query("kpi_definitions"), name, L),
            "pc_kpis",
            plan["kpi_ids"],
            deps=cid,
        )
        with presenter.controls():
            links.url_param("pc_kpi", DEFAULT_KPI if DEFAULT_KPI in present else present[0], "str", choices=tuple(present))
            kpi_id = st.selectbox(tr("kpi.indicator"), present, format_func=plan["kpi_names"].get, key="pc_kpi")
        series_args = {"kpi_id": kpi_id, "clusters": (cid,)}
        series_ids = kept.query_sources("kpi_series", "source_id", **series_args)

        def kpi():
            definition = kept.query("kpi_definitions").set_index("kpi_id").loc[kpi_id].copy()
            definition["kpi_id"] = kpi_id
            return definition

        chartview.show_chart(
            lambda: charts.kpi_timeseries(
                kept.query("kpi_series", **series_args),
                kpi(),
                L,
                kept.illustrative(series_ids),
                every=kept.cluster_palette(),
            ),
            "pc_kpi_series",
            series_ids,
            table=lambda: tables.kpi_series(kept.query("kpi_series", **series_args), kpi(), L),
            deps=(cid, kpi_id),
        )

    _scenarios(cid, name)

    if not P and plan["project_ids"]:
        st.subheader(tr("profile.projects_title", name=name))
        chartview.show_table(
            (cid,), lambda: tables.projects(kept.query("profile_projects", **shown), L, who="partners"), "pc_projects"
        )
        chartview.source_caption(plan["project_ids"])


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
            chosen = st.multiselect(
                tr("scenarios.pick"), list(library), format_func=name_of.get, max_selections=links.MAX_COMPARED, key="pc_sc"
            )
            cal = calibration_control(base)
    if not chosen:
        if not presenting():
            st.info(tr("profile.pick_scenario"))
        return
    _, run_ids = kept.scenario_base(cal)
    source_ids = [*run_ids, "illus_scenarios"]
    results = [kept.run_scenario(library[s], cal) for s in chosen]
    total = kept.published_total()
    note = comparison.calibration_sentence(results[0], L, publisher(total[1]) if total else "", kept.base_kinds_text())
    chartview.show_chart(
        lambda: profile_charts.scenario_lines(results, cid, name, L, kept.illustrative(source_ids), note),
        "pc_scenarios",
        source_ids,
        table=lambda: tables.profile_scenarios(results, cid, L),
        deps=(cid, [library[s].to_dict() for s in chosen], cal),
    )
    if not presenting():
        st.caption(i18n.t("profile.scenarios_note", L, name=name))
