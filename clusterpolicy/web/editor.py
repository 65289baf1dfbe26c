"""The custom-scenario editor: one widget per parameter of ``paramspec.SPECS``, in a loop.

Each widget's range, step, unit and label come from the specification, so every scenario the model
accepts opens in the editor and saves back unchanged. The stops (which cluster loses its basic
subsidy from which year) sit above the form: choosing a cluster shows its year field at once.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pandas as pd
import streamlit as st

from clusterpolicy import i18n, naming
from clusterpolicy.data import provenance
from clusterpolicy.model import paramspec, scenarios
from clusterpolicy.model.paramspec import SPECS
from clusterpolicy.web import links
from clusterpolicy.web.data import budget_ceiling
from clusterpolicy.web.run import lang, tr


def _key(start: str, name: str) -> str:
    """Widget key of one field; tied to the scenario it starts from, so switching resets the fields."""
    return f"f_{start}_{name}"


def _widget(spec: paramspec.Spec, where, shown: dict, key: str, L: str) -> None:
    """The input for one parameter, as its specification says; it starts from ``shown`` (the editor's units).

    The starting value goes into the session under the widget's key rather than as the widget's
    default (one source for each field's value).
    """
    label, help_ = paramspec.label(spec, L), paramspec.help_text(spec, L)
    ss = st.session_state
    if spec.widget == "range":
        ss.setdefault(key, (shown["first_year"], shown["last_year"]))
        lo, hi, step = spec.display_bounds()
        where.slider(tr("param.horizon"), lo, hi, step=step, key=key, help=help_)
        return
    if spec.unit in TYPED and spec.widget == "number":
        # an amount or a rate is typed as the pages write it (€ 500.000, € 90,00 mln, 2,5 %)
        ss.setdefault(key, entry_text(spec, shown[spec.name], L))
        where.text_input(label, key=key, help=help_, placeholder=entry_text(spec, _EXAMPLE[spec.unit], L))
        return
    ss.setdefault(key, shown[spec.name])
    if spec.widget == "text":
        where.text_input(label, max_chars=spec.max_chars, key=key, help=help_)
    elif spec.widget == "checkbox":
        where.checkbox(label, key=key, help=help_)
    elif spec.widget == "slider":
        # a share on its grid, each step written as the pages write a share (50,0 %)
        options = _grid(spec, ss[key])
        where.select_slider(label, options, format_func=lambda v: i18n.pct(v / 100, L, 1), key=key, help=help_)
    else:
        lo, hi, step = spec.display_bounds()
        where.number_input(label, lo, hi, step=step, format=spec.fmt, key=key, help=help_)


# units typed as text in the reader's format; an example of each for the empty field and the error message
TYPED = ("eur", "eur_m", "rate")
_EXAMPLE = {"eur": 500_000.0, "eur_m": 90.0, "rate": 2.5}


def entry_text(spec: paramspec.Spec, shown: float, L: str) -> str:
    """A value in the editor's units as the field shows it: € 500.000, € 90,00 mln, 2,5 % (an optional 0: empty)."""
    if spec.optional and not shown:
        return ""
    if spec.unit == "eur":
        return i18n.eur(shown, L, _places(shown, 0, 2))
    if spec.unit == "eur_m":  # to the cent: a field that shows less would save a different scenario back
        return i18n.eur_millions(shown * 1e6, L, _places(shown, 2, 8))
    return i18n.pct(shown / 100, L, _places(shown, 1, 8))


def _places(value: float, fewest: int, most: int) -> int:
    """The fewest decimals (at least ``fewest``) that write ``value`` exactly to ``most`` decimals."""
    for places in range(fewest, most + 1):
        if round(value, places) == round(value, most):
            return places
    return most


def entry_value(spec: paramspec.Spec, text: str, L: str) -> tuple[float | None, paramspec.Issue | None]:
    """(the value in the editor's units, None) of what the reader typed, or (None, what is wrong with it).

    An amount with "mln" is in millions; in a field in millions a bare number is millions and an
    amount with a euro sign but no "mln" is in euros (€ 90.000.000 is 90 million).
    """
    typed = str(text or "").strip()
    if not typed:
        return (0.0, None) if spec.optional else (None, paramspec.Issue("required"))
    try:
        number = i18n.parse_number(typed, L)
    except ValueError:
        return None, paramspec.Issue("not_read", value=typed, example=entry_text(spec, _EXAMPLE[spec.unit], L))
    millions = bool(re.search(r"mln|\d\s*m$", typed))
    if spec.unit == "eur" and millions:
        number *= 1e6
    elif spec.unit == "eur_m" and "€" in typed and not millions:
        number /= 1e6
    return number, None


def _grid(spec: paramspec.Spec, current: float) -> list[float]:
    """A slider's steps in the editor's units, with the current value among them (a link may hold one off the grid)."""
    lo, hi, step = spec.display_bounds()
    steps = [round(lo + i * step, 6) for i in range(int(round((hi - lo) / step)) + 1)]
    return sorted(set(steps) | {round(float(current), 6)})


def _relabel(L: str) -> None:
    """After a change of language, the typed fields in the new language's format (their values kept)."""
    ss = st.session_state
    before = ss.get("_editor_lang")
    ss["_editor_lang"] = L
    if before is None or before == L:
        return
    # a name the editor made up ("Eigen scenario 1") is made up again in the new language
    prefix, _, suffix = i18n.strings(before)["scenarios.custom_default_name"].partition("{n}")
    made_up = re.compile(re.escape(prefix) + r"(\d+)" + re.escape(suffix))
    for key in [k for k in ss if isinstance(k, str) and k.startswith("f_") and k.endswith("_name")]:
        found = made_up.fullmatch(str(ss[key]))
        if found:
            ss[key] = i18n.t("scenarios.custom_default_name", L, n=found.group(1))
    for spec in SPECS:
        if spec.unit not in TYPED or spec.widget != "number":
            continue
        for key in [k for k in ss if isinstance(k, str) and k.startswith("f_") and k.endswith("_" + spec.name)]:
            value, issue = entry_value(spec, ss[key], before)
            if issue is None:
                ss[key] = entry_text(spec, value, L)


def render(library: dict[str, scenarios.ScenarioParams], base: scenarios.Base, custom: dict) -> None:
    """The editor's fields, starting from a chosen scenario; Save adds the new scenario to the comparison."""
    L = lang()
    _relabel(L)
    names = {sid: p.name for sid, p in library.items()}
    start = st.selectbox(tr("scenarios.start_from"), list(library), format_func=names.get, key="sc_from")
    params = library[start]
    shown = scenarios.to_form(params)
    if start not in custom:  # a copy of a preset gets a name of its own
        shown["name"] = naming.unique_name(
            tr("scenarios.custom_default_name", n=len(custom) + 1), {p.name for p in library.values()}
        )
    clusters = dict(zip(base.cluster_ids, base.cluster_names))

    years = paramspec.BY_NAME["stops"]
    stop_years = dict(params.stops)
    ss = st.session_state
    ss.setdefault(_key(start, "stops"), [c for c in stop_years if c in clusters])
    stopped = st.multiselect(paramspec.label(years, L), list(clusters), format_func=clusters.get, key=_key(start, "stops"))
    row = st.container(horizontal=True)
    for cid in stopped:
        ss.setdefault(_key(start, f"stop_{cid}"), int(stop_years.get(cid, min(max(params.first_year + 2, years.lo), years.hi))))
        row.number_input(
            tr("param.stop_year", cluster=clusters[cid]), int(years.lo), int(years.hi), key=_key(start, f"stop_{cid}"), width=300
        )

    with st.form("sc_form", border=False):
        columns = st.columns(3)
        for spec in SPECS:
            if spec.widget == "stops" or spec.name == "last_year":  # stops above the form; the horizon is one slider
                continue
            if spec.widget == "path":
                _path_editor(start, params, columns[spec.column - 1], L)
                continue
            name = "horizon" if spec.widget == "range" else spec.name
            _widget(spec, columns[spec.column - 1], shown, _key(start, name), L)
        st.form_submit_button(
            tr("scenarios.save"), type="primary", on_click=_save, args=(start, library, tuple(base.cluster_ids))
        )
    # under the form (its submit stays the editor's first button): the multi-year estimate from the data
    data_path = [(year, amount) for year, amount, _ in budget_ceiling()]
    if data_path:
        st.button(
            tr("scenarios.path_from_data", n=i18n.count(len(data_path), "year", lang())),
            key=_key(start, "path_from_data"),
            icon=":material/download:",
            on_click=_take_path,
            args=(start, data_path),
        )
    for name, message in st.session_state.get("sc_form_errors", []):
        # the model's messages say what is wrong in the reader's language (and in English in the log)
        text = message.text(L) if isinstance(message, paramspec.Issue) else str(message)
        st.error(tr("scenarios.param_error", param=tr(f"param.{name}"), message=provenance.md_escape(text)))
    if st.session_state.pop("sc_form_same", None):
        st.info(tr("scenarios.already_compared"), icon=":material/info:")


def form_values(start: str, issues: list | None = None) -> dict:
    """What the editor's fields hold now, by parameter name, in the editor's units.

    A typed amount or rate that cannot be read is left out and added to ``issues`` as (name, issue).
    """
    ss = st.session_state
    values = {}
    for spec in SPECS:
        if spec.widget == "range":
            values["first_year"], values["last_year"] = ss[_key(start, "horizon")]
        elif spec.widget == "stops":
            chosen = ss.get(_key(start, "stops"), [])
            values["stops"] = [(cid, int(ss[_key(start, f"stop_{cid}")])) for cid in chosen if _key(start, f"stop_{cid}") in ss]
        elif spec.widget == "path":
            values["ceiling_path"] = path_values(start)
        elif spec.unit in TYPED and spec.widget == "number" and _key(start, spec.name) in ss:
            value, issue = entry_value(spec, ss[_key(start, spec.name)], lang())
            if issue is not None and issues is not None:
                issues.append((spec.name, issue))
            if issue is None:
                values[spec.name] = value
        elif _key(start, spec.name) in ss:
            values[spec.name] = ss[_key(start, spec.name)]
    return values


def _save(start: str, library: dict, known: tuple[str, ...]) -> None:
    """Form callback: validate, keep the scenario and add it to the comparison (once)."""
    ss = st.session_state
    unread: list = []
    values = form_values(start, unread)
    if unread:  # what cannot be read is said first, in the reader's language, and nothing is saved
        ss["sc_form_errors"] = unread
        return
    try:
        params = scenarios.from_form(values, known)
    except scenarios.ScenarioError as exc:
        ss["sc_form_errors"] = exc.problems
        return
    ss["sc_form_errors"] = []
    # (the name field is left as it is: setting a form's own field from its submit callback made the
    # browser drop the rerun that shows the new scenario; a taken name gets a number instead)
    cid, added = add_custom(ss["custom_scenarios"], params, library)
    if not added:
        ss["sc_form_same"] = True
    links.add_to_comparison(cid)


def add_custom(custom: dict, params: scenarios.ScenarioParams, library: dict) -> tuple[str, bool]:
    """Keep a custom scenario: (its id, True), or (the id of one kept with the same parameters, False).

    A scenario is its parameters: saving the same ones again (Enter in a field submits the form,
    then Save submits it once more) adds nothing, whatever the name field says by then. Every kept
    scenario has a name of its own: a new one whose name is taken gets a number after it.
    """
    for cid, kept in custom.items():
        if replace(scenarios.ScenarioParams.from_dict(kept), name=params.name) == params:
            return cid, False
    taken = {p.name for p in library.values()} | {kept["name"] for kept in custom.values()}
    params = replace(params, name=naming.unique_name(params.name, taken))
    numbers = [int(c.removeprefix("custom_")) for c in custom if c.removeprefix("custom_").isdigit()]
    cid = f"custom_{max(numbers, default=0) + 1}"
    custom[cid] = params.to_dict()
    return cid, True


# ---------------------------------------------------------------- the ceiling per year (a table in the form)

PATH_COLUMNS = ("year", "amount_m")


def _take_path(start: str, path: list[tuple[int, float]]) -> None:
    """Button callback: the table starts again from the data's yearly ceilings."""
    ss = st.session_state
    key = _key(start, "ceiling_path")
    ss[f"{key}_rows"] = [[y, round(a / 1e6, 6)] for y, a in path]
    ss[f"{key}_n"] = ss.get(f"{key}_n", 0) + 1  # a new editor: its edits start from the new rows


def _path_editor(start: str, params: scenarios.ScenarioParams, where, L: str) -> None:
    """The ceiling per year as a table of year and EUR million; rows can be added and removed."""
    ss = st.session_state
    key = _key(start, "ceiling_path")
    rows = ss.setdefault(f"{key}_rows", [[y, round(a / 1e6, 6)] for y, a in params.ceiling_path])
    n = ss.setdefault(f"{key}_n", 0)
    spec = paramspec.BY_NAME["ceiling_path"]
    years = paramspec.BY_NAME["first_year"]
    frame = pd.DataFrame(rows, columns=list(PATH_COLUMNS)).astype({"year": "Int64", "amount_m": "Float64"})
    where.data_editor(
        frame,
        key=f"{key}_{n}",
        num_rows="dynamic",
        hide_index=True,
        column_config={
            "year": st.column_config.NumberColumn(
                tr("scenarios.path_year"), min_value=int(years.lo), max_value=int(years.hi), step=1, format="%d", required=True
            ),
            "amount_m": st.column_config.NumberColumn(
                tr("scenarios.path_amount"),
                min_value=spec.lo / 1e6,
                max_value=spec.hi / 1e6,
                step=0.01,
                format="%.2f",
                required=True,
            ),
        },
    )
    where.caption(paramspec.label(spec, L) + ". " + (paramspec.help_text(spec, L) or ""))


def path_values(start: str) -> list[tuple[int, float]]:
    """The table's rows as (year, euros): its starting rows with the reader's edits, additions and removals applied.

    The editor keeps its edits (not the edited table) in the session, by row position; a row left
    incomplete is left out.
    """
    ss = st.session_state
    key = _key(start, "ceiling_path")
    return edited_path(ss.get(f"{key}_rows", []), ss.get(f"{key}_{ss.get(f'{key}_n', 0)}") or {})


def edited_path(start_rows: list, edits: dict) -> list[tuple[int, float]]:
    """Rows of (year, EUR million) with a data editor's edits applied, as (year, euros); incomplete rows left out."""
    rows = [list(r) for r in start_rows]
    for i, change in (edits.get("edited_rows") or {}).items():
        for column, value in change.items():
            rows[int(i)][PATH_COLUMNS.index(column)] = value
    deleted = {int(i) for i in edits.get("deleted_rows") or []}
    rows = [r for i, r in enumerate(rows) if i not in deleted]
    rows += [[added.get("year"), added.get("amount_m")] for added in edits.get("added_rows") or []]
    out = []
    for year, amount in rows:
        if year is None or amount is None or pd.isna(year) or pd.isna(amount):
            continue
        out.append((int(year), round(float(amount) * 1e6, 2)))
    return out
