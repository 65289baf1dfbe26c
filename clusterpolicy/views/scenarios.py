"""Funding scenarios for the clusters' basic operation (VARIO advice 36, Recommendation 2)."""

from dataclasses import replace

import streamlit as st

from clusterpolicy import i18n, naming
from clusterpolicy.data import provenance
from clusterpolicy.model import scenarios
from clusterpolicy.present import charts, comparison, tables
from clusterpolicy.web import chartview, export_panel, goalseek_panel, library_panel, links, presenter, ranges_panel
from clusterpolicy.web import data as kept
from clusterpolicy.web import editor as scenario_editor
from clusterpolicy.web.run import lang, presenting, tr

SECTIONS = ("costs", "clusters", "sensitivity", "ranges")


def publisher(source_id: str) -> str:
    """A source's publisher, for a sentence that names it."""
    return (kept.source_index().get(source_id) or {}).get("publisher") or source_id


def scenario_library(base: scenarios.Base) -> tuple[dict, dict, dict, dict]:
    """Every scenario a reader can compare: the presets, this session's own and the team library's.

    Returns the scenarios by id, their names as the picker shows them, the session's own (by id)
    and the team library's entries (by id).
    """
    library = kept.preset_library(base)
    custom = links.load_custom_scenarios()
    library.update({cid: scenarios.ScenarioParams.from_dict(p) for cid, p in custom.items()})
    saved, saved_by_id = library_panel.load(base)  # the team library's scenarios, next to the presets
    library.update(saved)
    name_of = {sid: p.name for sid, p in library.items()}
    name_of.update({pid: library_panel.label(entry) for pid, entry in saved_by_id.items()})
    return library, name_of, custom, saved_by_id


def calibration_control(base: scenarios.Base) -> str:
    """The baseline's starting point, in the link as ``sc_cal`` (one choice for every page that runs the model).

    The data as they are (cap and 50 %), or scaled to the published yearly total; without a published
    total in the data only the first. Call inside the page's controls.
    """
    L = lang()
    total = kept.published_total()
    calibrations = scenarios.CALIBRATIONS if total else scenarios.CALIBRATIONS[:1]
    links.url_param("sc_cal", calibrations[0], "str", choices=calibrations)
    if total:
        cap = kept.policy_parameter("spearhead_cap_eur")
        st.segmented_control(
            tr("scenarios.calibration"),
            calibrations,
            format_func=lambda c: i18n.t(f"scenarios.calibration_{c}", L),
            key="sc_cal",
            help=tr(
                "scenarios.calibration_help",
                total=i18n.eur_millions(total[0], L, 1),
                source=publisher(total[1]),
                cap=i18n.eur(cap, L),
                year=base.year,
            ),
        )
    return st.session_state.get("sc_cal") or calibrations[0]


def render() -> None:
    """Draw the page."""
    L = lang()
    presenter.set_title(tr("scenarios.title"))
    P = presenting()
    if not P:
        st.markdown(tr("scenarios.intro"))

    # on a first run the queries behind the model start together and run while it is set up
    kept.prefetch(("scenario_base", {}), ("earmarked_last_level", {}), ("scenario_presets", {}), ("sources", {}))
    kept.prefetch_reconciliation()  # the cost chart says where two published figures on the baseline disagree
    base, _ = kept.scenario_base()
    library, name_of, custom, saved_by_id = scenario_library(base)
    library_panel.notices()

    with presenter.controls():
        links.url_param("sc", ["continuation", "degressive"], "list", choices=tuple(library), max_items=4)
        selected = st.multiselect(
            tr("scenarios.pick"),
            list(library),
            format_func=name_of.get,
            max_selections=links.MAX_COMPARED,
            key="sc",
            help=tr("scenarios.pick_help"),
        )
        cal = calibration_control(base)
    total = kept.published_total()
    run_base, run_ids = kept.scenario_base(cal)
    source_ids = run_ids + ["illus_scenarios"]
    illustrative = kept.illustrative(source_ids)

    # The editor's two dozen fields are built only while it is open (opening it reruns the page).
    editor = None if P else st.expander(tr("scenarios.custom_title"), icon=":material/tune:", key="sc_editor", on_change="rerun")
    if editor is not None and editor.open:
        with editor:
            scenario_editor.render(library, base, custom)
    shelf = None if P else st.expander(tr("library.title"), icon=":material/bookmarks:", key="sc_library", on_change="rerun")
    if shelf is not None and shelf.open:
        with shelf:
            library_panel.panel(saved_by_id, custom, base)
    ranges_panel.declare()  # the ranges section's settings, also read by goal seeking with a chance
    # goal seeking: the value of one parameter that meets a goal (open in the link: sc_goal=1)
    links.url_param("sc_goal", False, "bool")
    seeker = (
        None if P or not selected else st.expander(tr("goal.title"), icon=":material/target:", key="sc_goal", on_change="rerun")
    )
    sought = None
    if seeker is not None and seeker.open:
        with seeker:
            sought = goalseek_panel.panel(selected, library, name_of, custom, cal)
    elif P and selected and st.session_state.get("sc_goal"):
        sought = goalseek_panel.presenter_line(selected, library, cal)  # a presenter's link that opened goal seeking

    if len(selected) < 2:
        st.info(tr("scenarios.pick_two"))
    else:
        # a saved scenario may carry a preset's name: compared, the second is "Voortzetting (2)" in
        # every chart, table and export (two bars of one name were drawn on one row)
        names = naming.unique_names(library[sid].name for sid in selected)
        chosen = [replace(library[sid], name=name) for sid, name in zip(selected, names)]
        results = [kept.run_scenario(p, cal) for p in chosen]
        # the baseline from the other starting point: what the choice changes in its cost
        other = kept.run_scenario(chosen[0], "rule" if cal == "total" else "total") if total else None
        # every figure and table here is determined by the compared scenarios' parameters and the
        # starting point (plus its own control)
        compared = ([p.to_dict() for p in chosen], cal)
        source = publisher(total[1]) if total else ""
        kinds = kept.base_kinds_text()
        view = kept.derived(("comparison", compared, L), lambda: comparison.build(results, L, run_base, other, source, kinds))
        export_panel.set_parameters(
            kept.derived(("parameters", compared, L), lambda: tables.scenario_parameters(chosen, run_base, L)),
            kept.derived(("parameter_numbers", compared, L), lambda: tables.scenario_parameter_numbers(chosen, run_base, L)),
        )

        export_panel.describe(tr("scenarios.intro"), view.headlines + ([sought] if sought else []))
        if view.overshoot is not None:
            export_panel.add_table(view.overshoot)
        if not P:
            st.subheader(tr("scenarios.headline_title", baseline=results[0].params.name))
            for col, metric in zip(st.columns(len(results)), view.metrics):
                # the delta is written with a real minus sign, which Streamlit does not read as "down"
                arrow, colour = _direction(metric.delta)
                col.metric(
                    metric.label, metric.value, metric.delta, delta_color=colour, delta_arrow=arrow, help=metric.help, border=True
                )
                if metric.note:
                    col.markdown(metric.note)
            if view.calibration_shift:
                # it holds a scenario's name; a browser would break "(−€16.10 m)" after the minus
                st.markdown(provenance.md_escape(view.calibration_shift).replace("−", "−\u2060"))
            _base_note(run_base.year)

        if not P:
            st.subheader(tr("scenarios.summary_title"))
            chartview.show_table((compared,), lambda: tables.scenario_summary(results, L), "sc_summary")
            if view.overshoot is not None:
                st.subheader(view.overshoot.title)
                for h in view.verdicts:  # the verdict in words, as every export writes it
                    esc = provenance.md_escape
                    st.markdown(f"**{esc(h.label)}: {esc(h.value)}.** {esc(h.note)}".replace("−", "−\u2060"))
                if view.overshoot.shown.empty:
                    st.success(view.overshoot.empty_text)
                else:
                    st.dataframe(view.overshoot.shown, hide_index=True, key="sc_overshoot")

        # Seven charts in three sections; only the chosen section is drawn (and its figures made).
        # The others stay registered, so the presenter deck and the exports still carry all seven.
        ss = st.session_state
        years = list(range(min(r.params.first_year for r in results), max(r.params.last_year for r in results) + 1))
        links.url_param("sc_view", SECTIONS[0], "str", choices=SECTIONS)
        links.url_param("sc_measure", "basic_eur", "str", choices=("basic_eur", "total_eur"))
        links.url_param("sc_year", 0, "int", choices=(0, *years))
        links.url_param("sc_focus", selected[0], "str", choices=tuple(selected))
        links.url_param("sc_tornado", selected[0], "str", choices=tuple(selected))
        links.url_param("sc_step", 0.10, "float", choices=(0.05, 0.10, 0.20, 0.30))
        if not P:
            section = (
                st.segmented_control(
                    tr("scenarios.view"),
                    SECTIONS,
                    format_func=lambda name: i18n.t(f"scenarios.view_{name}", L),
                    key="sc_view",
                )
                or SECTIONS[0]
            )
        else:
            section = None

        def shown(name: str) -> bool:
            """Whether a section's controls are on the page (all of them in the presenter's settings)."""
            return P or section == name

        if shown("costs"):
            with presenter.controls():
                row = st.container(horizontal=True)  # one block (columns add one per column)
                row.segmented_control(
                    tr("scenarios.measure"),
                    ["basic_eur", "total_eur"],
                    format_func=lambda m: i18n.t(f"scenarios.measure_{m}", L),
                    key="sc_measure",
                )
                row.selectbox(
                    tr("scenarios.components_year"),
                    [0, *years],
                    format_func=lambda y: i18n.t("scenarios.cumulated", L) if y == 0 else str(y),
                    key="sc_year",
                    width=320,
                )
        measure, comp_year = ss.get("sc_measure") or "basic_eur", ss["sc_year"]
        draw = section == "costs"
        # the baseline's basic operation rests on the cap; the published yearly total disagrees with it
        conflict, conflict_ids = kept.conflict()
        ceiling_ids = kept.ceiling_sources([p.ceiling_path for p in chosen]) if measure == "total_eur" else []
        chartview.show_chart(
            lambda: charts.scenario_cost_lines(results, measure, L, illustrative, conflict, view.calibration),
            "sc_lines",
            source_ids + conflict_ids + ceiling_ids,
            deps=(compared, measure),
            draw=draw,
        )
        chartview.show_chart(
            lambda: charts.scenario_components(results, comp_year or None, L, illustrative, view.calibration),
            "sc_components",
            source_ids,
            deps=(compared, comp_year),
            draw=draw,
        )
        chartview.show_chart(
            lambda: charts.scenario_difference(view.comparison, L, illustrative, view.calibration),
            "sc_diff",
            source_ids,
            deps=compared,
            draw=draw,
        )

        # new themes as organisations or as projects, side by side, where a compared scenario has new themes
        if any(r.params.new_clusters > 0 for r in results):
            chartview.show_chart(
                lambda: charts.new_themes(results, L, illustrative, view.calibration),
                "sc_themes",
                source_ids,
                deps=compared,
                draw=draw,
            )

        draw = section == "clusters"
        profiles = list(zip(base.cluster_ids, base.cluster_names))  # the charts below name the clusters
        chartview.show_chart(
            lambda: charts.cluster_change(results, L, illustrative, view.calibration),
            "sc_cluster_change",
            source_ids,
            deps=compared,
            draw=draw,
            profiles=profiles,
        )
        chartview.show_chart(
            lambda: charts.self_financing(results, view.base_share, L, illustrative, view.calibration),
            "sc_selffin",
            source_ids,
            deps=compared,
            draw=draw,
            profiles=profiles,
        )
        if shown("clusters"):
            with presenter.controls():
                st.selectbox(tr("scenarios.focus"), selected, format_func=name_of.get, key="sc_focus")
        focus = ss["sc_focus"]
        chartview.show_chart(
            lambda: charts.basic_by_cluster(results[selected.index(focus)], L, illustrative, view.calibration),
            "sc_clusters",
            source_ids,
            deps=(compared, focus),
            draw=draw,
            profiles=profiles,
        )

        # what members cannot pay, where a compared scenario limits their contribution: the focused
        # scenario's, or else the first that limits it (the title names it)
        capped = [r for r in results if r.params.member_cap]
        if capped:
            focused = results[selected.index(focus)]
            short = focused if focused.params.member_cap else capped[0]
            own = sum(1 for g in run_base.member_growth if g == g)  # clusters with a limit of their own in the data
            chartview.show_chart(
                lambda: charts.member_shortfall(short, L, illustrative, view.calibration, own),
                "sc_shortfall",
                source_ids + list(run_base.member_growth_sources),
                deps=(compared, short.params.to_dict()),
                draw=draw,
                profiles=profiles,
            )

        if shown("sensitivity"):
            with presenter.controls():
                row = st.container(horizontal=True)
                row.selectbox(tr("scenarios.tornado_scenario"), selected, format_func=name_of.get, key="sc_tornado")
                row.select_slider(
                    tr("scenarios.tornado_step"),
                    [0.05, 0.10, 0.20, 0.30],
                    format_func=lambda s: i18n.pct(s, L, 0),
                    key="sc_step",
                )
        tornado_id, step = ss["sc_tornado"], ss["sc_step"]
        chartview.show_chart(
            lambda: charts.tornado(
                kept.sensitivity(library[tornado_id], step, cal),
                library[tornado_id].name,
                step,
                L,
                illustrative,
                view.calibration,
            ),
            "sc_tornado_chart",
            source_ids,
            deps=(library[tornado_id].to_dict(), step, cal),
            draw=section == "sensitivity",
        )

        # ranges: simulated only while the section is open (in presenter mode: a link that opened it)
        if (ss.get("sc_view") if P else section) == "ranges":
            ranges_panel.section(run_base, chosen, cal, measure, source_ids)


def _base_note(year: int) -> None:
    """What the model starts from, said from the kinds of the base year's subsidies (not assumed illustrative)."""
    found = set(kept.base_kinds())
    if found <= {"illustrative", "unknown"}:
        st.warning(tr("scenarios.illustrative_warning"), icon=":material/warning:")
    elif found & {"illustrative", "derived", "unknown"}:
        st.warning(tr("scenarios.mixed_base_warning", year=year, kinds=kept.base_kinds_text()), icon=":material/warning:")
    else:
        st.caption(tr("scenarios.real_base_note", year=year, kinds=kept.base_kinds_text()))


def _direction(delta: str | None) -> tuple[str, str]:
    """(arrow, colour) of a change in public cost: a saving down and green, an extra cost up and red."""
    if not delta or not any(ch in "123456789" for ch in delta):
        return "off", "gray"
    return ("down", "green") if delta.startswith(i18n.MINUS) else ("up", "red")
