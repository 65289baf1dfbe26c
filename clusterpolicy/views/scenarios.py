"""Funding scenarios for the clusters' basic operation (VARIO advice 36, Recommendation 2)."""

import streamlit as st

from .. import charts, compare_view, i18n, provenance, scenarios, tables, ui

SECTIONS = ("costs", "clusters", "sensitivity")


def render() -> None:
    """Draw the page."""
    L = ui.lang()
    ui.set_title(ui.tr("scenarios.title"))
    P = ui.presenting()
    if not P:
        st.markdown(ui.tr("scenarios.intro"))

    # on a first run the queries behind the model start together and run while it is set up
    ui.prefetch(("scenario_base", {}), ("earmarked_last_level", {}), ("scenario_presets", {}), ("sources", {}))
    base, base_ids = ui.scenario_base()
    library = ui.preset_library(base)
    custom = ui.load_custom_scenarios()
    library.update({cid: scenarios.ScenarioParams.from_dict(p) for cid, p in custom.items()})
    illustrative = ui.illustrative(base_ids + ["illus_scenarios"])
    source_ids = base_ids + ["illus_scenarios"]
    name_of = {sid: p.name for sid, p in library.items()}

    with ui.controls():
        ui.url_param("sc", ["continuation", "degressive"], "list", choices=tuple(library), max_items=4)
        selected = st.multiselect(
            ui.tr("scenarios.pick"),
            list(library),
            format_func=name_of.get,
            max_selections=4,
            key="sc",
            help=ui.tr("scenarios.pick_help"),
        )

    # The editor's two dozen fields are built only while it is open (opening it reruns the page).
    editor = (
        None if P else st.expander(ui.tr("scenarios.custom_title"), icon=":material/tune:", key="sc_editor", on_change="rerun")
    )
    if editor is not None and editor.open:
        with editor:
            start = st.selectbox(ui.tr("scenarios.start_from"), list(library), format_func=name_of.get, key="sc_from")
            defaults = scenarios.to_form(library[start])
            clusters = dict(zip(base.cluster_ids, base.cluster_names))

            def field(name: str) -> str:
                """Widget key of one form field; tied to the preset it starts from so switching resets it."""
                return f"f_{start}_{name}"

            def save_custom() -> None:
                """Form callback: validate, store the custom scenario and add it to the comparison."""
                ss = st.session_state
                values = {name: ss[field(name)] for name in scenarios.FORM_FIELDS if field(name) in ss}
                values["first_year"], values["last_year"] = ss[field("horizon")]
                stop_year = ss[field("stop_year")]
                values["stops"] = [(cid, stop_year) for cid in ss[field("stops")]]
                values["basic_end_year"] = ss[field("basic_end_year")] or None
                try:
                    params = scenarios.from_form(values)
                    params.validated(base.cluster_ids)
                except scenarios.ScenarioError as exc:
                    ss["sc_form_errors"] = exc.problems
                    return
                ss["sc_form_errors"] = []
                cid = f"custom_{len(ss['custom_scenarios']) + 1}"
                ss["custom_scenarios"][cid] = params.to_dict()
                chosen = [s for s in ss.get("sc", []) if s != cid]
                ss["sc"] = (chosen + [cid])[-4:]

            with st.form("sc_form", border=False):
                st.text_input(
                    ui.tr("param.name"),
                    value=ui.tr("scenarios.custom_default_name", n=len(custom) + 1),
                    key=field("name"),
                    max_chars=60,
                )
                c1, c2, c3 = st.columns(3)
                c1.slider(
                    ui.tr("param.horizon"), 2025, 2045, (defaults["first_year"], defaults["last_year"]), key=field("horizon")
                )
                c1.slider(
                    ui.tr("param.share_start"),
                    0.0,
                    100.0,
                    defaults["share_start"],
                    0.5,
                    format="%.1f %%",
                    key=field("share_start"),
                )
                c1.slider(
                    ui.tr("param.share_end"), 0.0, 100.0, defaults["share_end"], 0.5, format="%.1f %%", key=field("share_end")
                )
                c1.number_input(
                    ui.tr("param.cap_eur"), 0.0, 5_000_000.0, defaults["cap_eur"], 10_000.0, format="%.0f", key=field("cap_eur")
                )
                c1.number_input(
                    ui.tr("param.cap_indexation"),
                    -10.0,
                    20.0,
                    defaults["cap_indexation"],
                    0.5,
                    format="%.1f",
                    key=field("cap_indexation"),
                )
                c1.number_input(
                    ui.tr("param.budget_growth"),
                    -20.0,
                    30.0,
                    defaults["budget_growth"],
                    0.5,
                    format="%.1f",
                    key=field("budget_growth"),
                )
                c2.multiselect(ui.tr("param.stops"), list(clusters), format_func=clusters.get, key=field("stops"))
                c2.number_input(ui.tr("param.stop_year"), 2025, 2045, 2027, key=field("stop_year"))
                c2.number_input(
                    ui.tr("param.basic_end_year"),
                    0,
                    2045,
                    defaults["basic_end_year"] or 0,
                    key=field("basic_end_year"),
                    help=ui.tr("param.basic_end_year_help"),
                )
                c2.number_input(ui.tr("param.new_clusters"), 0, 20, defaults["new_clusters"], key=field("new_clusters"))
                c2.number_input(ui.tr("param.new_from_year"), 2025, 2045, defaults["new_from_year"], key=field("new_from_year"))
                c2.number_input(
                    ui.tr("param.new_budget_eur"),
                    0.0,
                    5_000_000.0,
                    defaults["new_budget_eur"],
                    50_000.0,
                    format="%.0f",
                    key=field("new_budget_eur"),
                )
                c2.number_input(ui.tr("param.new_ramp_years"), 1, 10, defaults["new_ramp_years"], key=field("new_ramp_years"))
                c3.slider(
                    ui.tr("param.perf_share"),
                    0.0,
                    100.0,
                    defaults["perf_share"],
                    5.0,
                    format="%.0f %%",
                    key=field("perf_share"),
                    help=ui.tr("param.perf_share_help"),
                )
                c3.number_input(ui.tr("param.cp_eur"), 0.0, 1000.0, defaults["cp_eur"], 1.0, format="%.2f", key=field("cp_eur"))
                c3.number_input(
                    ui.tr("param.cp_growth"), -20.0, 30.0, defaults["cp_growth"], 0.5, format="%.1f", key=field("cp_growth")
                )
                c3.number_input(ui.tr("param.ic_eur"), 0.0, 1000.0, defaults["ic_eur"], 0.25, format="%.2f", key=field("ic_eur"))
                c3.number_input(
                    ui.tr("param.ic_growth"), -20.0, 30.0, defaults["ic_growth"], 0.5, format="%.1f", key=field("ic_growth")
                )
                c3.number_input(
                    ui.tr("param.ceiling_eur"),
                    0.0,
                    10_000.0,
                    defaults["ceiling_eur"],
                    1.0,
                    format="%.2f",
                    key=field("ceiling_eur"),
                    help=ui.tr("param.ceiling_help"),
                )
                c3.checkbox(ui.tr("param.scale_to_ceiling"), defaults["scale_to_ceiling"], key=field("scale_to_ceiling"))
                st.form_submit_button(ui.tr("scenarios.save"), type="primary", on_click=save_custom)
            for name, message in st.session_state.get("sc_form_errors", []):
                st.error(ui.tr("scenarios.param_error", param=ui.tr(f"param.{name}"), message=provenance.md_escape(message)))

    if len(selected) < 2:
        st.info(ui.tr("scenarios.pick_two"))
    else:
        results = [ui.run_scenario(library[sid]) for sid in selected]
        # every figure and table here is determined by the compared scenarios' parameters (plus its own control)
        compared = [library[sid].to_dict() for sid in selected]
        view = ui.derived(("compare_view", compared, L), lambda: compare_view.build(results, L, base))
        ui.set_parameters(
            ui.derived(
                ("parameters", compared, L), lambda: tables.scenario_parameters([library[sid] for sid in selected], base, L)
            )
        )

        if not P:
            st.subheader(ui.tr("scenarios.headline_title", baseline=results[0].params.name))
            for col, metric in zip(st.columns(len(results)), view.metrics):
                col.metric(metric.label, metric.value, metric.delta, delta_color="inverse", help=metric.help, border=True)
                if metric.note:
                    col.markdown(metric.note)
            if illustrative:
                st.warning(ui.tr("scenarios.illustrative_warning"), icon=":material/warning:")

        if not P:
            st.subheader(ui.tr("scenarios.summary_title"))
            ui.show_table((compared,), lambda: tables.scenario_summary(results, L), "sc_summary")
            if any(r.params.ceiling_eur is not None for r in results):
                st.subheader(ui.tr("scenarios.overshoot_title"))
                over = tables.overshoot(results, L)
                if over.empty:
                    st.success(ui.tr("scenarios.no_overshoot"))
                else:
                    st.dataframe(over, hide_index=True, key="sc_overshoot")

        # Seven charts in three sections; only the chosen section is drawn (and its figures made).
        # The others stay registered, so the presenter deck and the exports still carry all seven.
        ss = st.session_state
        years = list(range(min(r.params.first_year for r in results), max(r.params.last_year for r in results) + 1))
        ui.url_param("sc_view", SECTIONS[0], "str", choices=SECTIONS)
        ui.url_param("sc_measure", "basic_eur", "str", choices=("basic_eur", "total_eur"))
        ui.url_param("sc_year", 0, "int", choices=(0, *years))
        ui.url_param("sc_focus", selected[0], "str", choices=tuple(selected))
        ui.url_param("sc_tornado", selected[0], "str", choices=tuple(selected))
        ui.url_param("sc_step", 0.10, "float", choices=(0.05, 0.10, 0.20, 0.30))
        if not P:
            section = (
                st.segmented_control(
                    ui.tr("scenarios.view"),
                    SECTIONS,
                    format_func=lambda name: ui.tr(f"scenarios.view_{name}"),
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
            with ui.controls():
                row = st.container(horizontal=True)  # one block (columns add one per column)
                row.segmented_control(
                    ui.tr("scenarios.measure"),
                    ["basic_eur", "total_eur"],
                    format_func=lambda m: ui.tr(f"scenarios.measure_{m}"),
                    key="sc_measure",
                )
                row.selectbox(
                    ui.tr("scenarios.components_year"),
                    [0, *years],
                    format_func=lambda y: ui.tr("scenarios.cumulated") if y == 0 else str(y),
                    key="sc_year",
                    width=320,
                )
        measure, comp_year = ss.get("sc_measure") or "basic_eur", ss["sc_year"]
        draw = section == "costs"
        ui.show_chart(
            lambda: charts.scenario_cost_lines(results, measure, L, illustrative),
            "sc_lines",
            source_ids,
            deps=(compared, measure),
            draw=draw,
        )
        ui.show_chart(
            lambda: charts.scenario_components(results, comp_year or None, L, illustrative),
            "sc_components",
            source_ids,
            deps=(compared, comp_year),
            draw=draw,
        )
        ui.show_chart(
            lambda: charts.scenario_difference(view.comparison, L, illustrative), "sc_diff", source_ids, deps=compared, draw=draw
        )

        draw = section == "clusters"
        ui.show_chart(
            lambda: charts.cluster_change(results, L, illustrative), "sc_cluster_change", source_ids, deps=compared, draw=draw
        )
        ui.show_chart(
            lambda: charts.self_financing(results, view.base_share, L, illustrative),
            "sc_selffin",
            source_ids,
            deps=compared,
            draw=draw,
        )
        if shown("clusters"):
            with ui.controls():
                st.selectbox(ui.tr("scenarios.focus"), selected, format_func=name_of.get, key="sc_focus")
        focus = ss["sc_focus"]
        ui.show_chart(
            lambda: charts.basic_by_cluster(results[selected.index(focus)], L, illustrative),
            "sc_clusters",
            source_ids,
            deps=(compared, focus),
            draw=draw,
        )

        if shown("sensitivity"):
            with ui.controls():
                row = st.container(horizontal=True)
                row.selectbox(ui.tr("scenarios.tornado_scenario"), selected, format_func=name_of.get, key="sc_tornado")
                row.select_slider(
                    ui.tr("scenarios.tornado_step"),
                    [0.05, 0.10, 0.20, 0.30],
                    format_func=lambda s: i18n.pct(s, L, 0),
                    key="sc_step",
                )
        tornado_id, step = ss["sc_tornado"], ss["sc_step"]
        ui.show_chart(
            lambda: charts.tornado(ui.sensitivity(library[tornado_id], step), library[tornado_id].name, step, L, illustrative),
            "sc_tornado_chart",
            source_ids,
            deps=(library[tornado_id].to_dict(), step),
            draw=section == "sensitivity",
        )
