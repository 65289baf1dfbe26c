"""Goal seeking on the scenario page: pick a scenario, a parameter and a goal; get the value that meets it.

The search runs while the panel is open (at most 25 model runs, kept per question). Its settings
live in the link (``gs_*``); the answer becomes a custom scenario, added to the comparison, with
one click. The answer's sentence is also a headline of the page's exports.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from clusterpolicy import i18n
from clusterpolicy.data import provenance
from clusterpolicy.model import goalseek, paramspec, scenarios, uncertainty
from clusterpolicy.present.headline import Headline
from clusterpolicy.web import editor, links, ranges_panel
from clusterpolicy.web.data import derived, scenario_base
from clusterpolicy.web.run import lang, tr


def _value_text(name: str, value: float, L: str) -> str:
    """A parameter's value as the editor and the exports show it (a rate "per year")."""
    spec = paramspec.BY_NAME[name]
    text = paramspec.shown_value(spec.unit, value, L)
    return text + " " + i18n.t("goal.per_year", L) if spec.unit == "rate" else text


def goal_of(kind: str, amount_m: float, share_pct: float, chance_pct: float = 0.0) -> goalseek.Goal:
    """The goal as the panel sets it; a chance goes with the ceiling goal only."""
    chance = round(chance_pct / 100, 6) if kind == "ceiling" else 0.0
    return goalseek.Goal(kind, amount_eur=round(amount_m * 1e6, 2), share=round(share_pct / 100, 6), confidence=chance)


def sentence(answer: goalseek.Answer, scenario_name: str, L: str) -> str:
    """The answer in one sentence (plain text), as the page and the exports say it."""
    label = paramspec.label(paramspec.BY_NAME[answer.parameter], L, with_unit=False)
    label = label[:1].lower() + label[1:]  # inside a sentence
    kind = "ceiling_chance" if answer.goal.confidence else answer.goal.kind
    goal = i18n.t(
        f"goal.goal_{kind}",
        L,
        amount=i18n.eur_millions(answer.goal.amount_eur, L, 2),
        share=i18n.pct(answer.goal.share, L, 1),
        chance=i18n.pct(answer.goal.confidence, L, 0),
    )
    args = {"name": scenario_name, "parameter": label, "goal": goal, "start": _value_text(answer.parameter, answer.start, L)}
    if answer.outcome == "already":
        return i18n.t("goal.already", L, **args)
    if answer.outcome == "unreachable":
        return i18n.t("goal.unreachable", L, **args)
    return i18n.t(
        "goal.met",
        L,
        value=_value_text(answer.parameter, answer.value, L),
        neighbour=_value_text(answer.parameter, answer.neighbour, L),
        **args,
    )


def _declare(selected: list[str], library: dict) -> None:
    """The panel's settings, in the link; by default a question the chosen scenarios can answer.

    That is the ceiling of the first compared scenario that has one, or else what the second one
    (the first is the reference) saves against the reference by moving its end share.
    """
    ceilinged = [sid for sid in selected if library[sid].has_ceiling]
    first = ceilinged[0] if ceilinged else selected[min(1, len(selected) - 1)]
    links.url_param("gs_sc", first, "str", choices=tuple(selected))
    links.url_param("gs_param", "share_end", "str", choices=goalseek.PARAMETERS)
    links.url_param("gs_goal", "ceiling" if ceilinged else "saving", "str", choices=goalseek.GOALS)
    links.url_param("gs_amount", 5.0, "float", lo=0.01, hi=10_000.0)
    links.url_param("gs_share", 50.0, "float", lo=0.0, hi=100.0)
    links.url_param("gs_chance", 0.0, "float", lo=0.0, hi=99.0)


def _answer(selected: list[str], library: dict, cal: str):
    """(the answer, the scenario sought on); the answer is a GoalError when the goal cannot be sought."""
    ss = st.session_state
    kind = ss.get("gs_goal") or "ceiling"
    params, reference = library[ss["gs_sc"]], library[selected[0]]
    parameter = ss["gs_param"]
    goal = goal_of(kind, ss["gs_amount"], ss["gs_share"], ss.get("gs_chance") or 0.0)
    base = scenario_base(cal)[0]
    # a goal with a chance is met over the ranges section's draws (its ranges and seed, in the link)
    ranges = ranges_panel.current()[0] if goal.confidence else None
    drawn = (ranges.spans, ranges.seed, ranges.draws) if ranges else None
    try:
        answer = derived(
            (
                "goalseek",
                params.to_dict(),
                reference.to_dict(),
                parameter,
                kind,
                goal.amount_eur,
                goal.share,
                goal.confidence,
                drawn,
                cal,
            ),
            lambda: goalseek.seek(base, params, parameter, goal, reference, tr("scenarios.new_cluster_label"), ranges),
        )
    except goalseek.GoalError as exc:
        return exc, params
    return answer, params


def _headline(answer: goalseek.Answer, text: str, L: str) -> Headline:
    value = _value_text(answer.parameter, answer.value, L) if answer.value is not None else "–"
    return Headline(tr("goal.title"), value, text)


def presenter_line(selected: list[str], library: dict, cal: str) -> Headline | None:
    """In presenter mode, the answer of a link that opened goal seeking, as one sentence above the deck."""
    _declare(selected, library)
    answer, params = _answer(selected, library, cal)
    if isinstance(answer, goalseek.GoalError):
        return None
    text = sentence(answer, params.name, lang())
    st.markdown("**" + provenance.md_escape(tr("goal.title")) + "** " + provenance.md_escape(text))
    return _headline(answer, text, lang())


def panel(selected: list[str], library: dict, name_of: dict, custom: dict, cal: str) -> Headline | None:
    """The goal-seeking controls and answer (call inside an open expander); the answer as a headline for exports."""
    L = lang()
    ss = st.session_state
    _declare(selected, library)
    st.markdown(tr("goal.intro"))
    row = st.container(horizontal=True)
    row.selectbox(tr("goal.scenario"), selected, format_func=name_of.get, key="gs_sc", width=300)
    row.selectbox(
        tr("goal.parameter"),
        goalseek.PARAMETERS,
        format_func=lambda n: paramspec.label(paramspec.BY_NAME[n], L, with_unit=False),
        key="gs_param",
        width=340,
    )
    st.segmented_control(tr("goal.goal"), goalseek.GOALS, format_func=lambda g: i18n.t(f"goal.kind_{g}", L), key="gs_goal")
    kind = ss.get("gs_goal") or "ceiling"
    if kind == "ceiling":
        st.number_input(
            tr("goal.confidence"),
            min_value=0.0,
            max_value=99.0,
            step=5.0,
            format="%.0f",
            key="gs_chance",
            width=360,
            help=tr("goal.confidence_help"),
        )
    if kind == "saving":
        st.number_input(
            tr("goal.amount"), min_value=0.01, max_value=10_000.0, step=0.5, format="%.2f", key="gs_amount", width=300
        )
    elif kind == "self_financing":
        st.number_input(tr("goal.share"), min_value=0.0, max_value=100.0, step=1.0, format="%.1f", key="gs_share", width=300)
    answer, params = _answer(selected, library, cal)
    if isinstance(answer, goalseek.GoalError):
        st.warning(tr(f"goal.error_{answer.reason}", name=provenance.md_escape(params.name)), icon=":material/info:")
        return None
    text = sentence(answer, params.name, L)
    icon = {"met": ":material/check_circle:", "already": ":material/check_circle:", "unreachable": ":material/block:"}
    (st.warning if answer.outcome == "unreachable" else st.success)(provenance.md_escape(text), icon=icon[answer.outcome])
    if answer.goal.confidence:
        st.caption(tr("goal.runs_drawn", runs=answer.runs, n=i18n.num(uncertainty.DRAWS, L)))
    else:
        st.caption(tr("goal.runs", runs=answer.runs))
    if answer.outcome == "met":
        st.button(
            tr("goal.add"),
            key="gs_add",
            icon=":material/add:",
            on_click=_add,
            args=(answer, params.name, library, custom, L),
        )
    return _headline(answer, text, L)


def answer_name(name: str, label: str, value: str, L: str) -> str:
    """The answer's scenario name, within the name's limit: the value whole, the names before it shortened with "…"."""
    most = paramspec.BY_NAME["name"].max_chars
    full = i18n.t("goal.new_name", L, name=name, parameter=label, value=value)
    if len(full) <= most:
        return full
    # the parameter's label first (the scenario's name tells the scenarios apart), then the name
    for _ in range(2):
        over = len(i18n.t("goal.new_name", L, name=name, parameter=label, value=value)) - most
        if over <= 0:
            break
        if len(label) > 12:
            label = _shorter(label, max(12, len(label) - over))
        else:
            name = _shorter(name, max(8, len(name) - over))
    out = i18n.t("goal.new_name", L, name=name, parameter=label, value=value)
    return out if len(out) <= most else _shorter(out.removesuffix(value).rstrip(), most - len(value) - 1) + " " + value


def _shorter(text: str, size: int) -> str:
    """The text in at most ``size`` characters, cut after a whole word where it can be, with "…"."""
    if len(text) <= size:
        return text
    cut = text[: max(1, size - 1)]
    if " " in cut.strip():
        cut = cut[: cut.rstrip().rfind(" ")]
    return cut.rstrip(" ,:·-") + "…"


def _add(answer: goalseek.Answer, name: str, library: dict, custom: dict, L: str) -> None:
    """Keep the answer as a custom scenario and add it to the comparison (the first one stays the reference)."""
    label = paramspec.label(paramspec.BY_NAME[answer.parameter], L, with_unit=False)
    new_name = answer_name(name, label, _value_text(answer.parameter, answer.value, L), L)
    params = replace(answer.scenario, name=new_name, preset_id=None)
    cid, _ = editor.add_custom(custom, scenarios.ScenarioParams.from_dict(params.to_dict()), library)
    links.add_to_comparison(cid)
