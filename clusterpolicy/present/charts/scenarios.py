"""Charts of the scenarios page: costs per year, components, differences, per cluster, the tornado."""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterpolicy import i18n
from clusterpolicy.i18n import t
from clusterpolicy.model import paramspec
from clusterpolicy.model.scenarios import COMPONENTS
from clusterpolicy.present.charts.chart import Chart, finish_chart
from clusterpolicy.present.charts.figure import draft_of
from clusterpolicy.present.charts.precision import NumberFormat
from clusterpolicy.present.charts.spec import ChartSpec, Series
from clusterpolicy.present.charts.theme import (
    COMPONENT_COLOURS,
    COMPONENT_PATTERNS,
    DASHES,
    FONT_SIZE,
    PALETTE,
    SYMBOLS,
    as_literal,
    hover_amounts,
    money_scale,
    rows_on_two_lines,
)


def noted(subtitle: str, *notes: str) -> str:
    """A subtitle with notes after it: a conflict of published figures, the baseline's calibration (from the data; escaped)."""
    return " ".join([subtitle, *(as_literal(n) for n in notes if n)])


def money_spec(lang: str, max_value: float, **layout) -> tuple[ChartSpec, float]:
    """A spec whose values are amounts on one axis: in million euro (one decimal) from EUR 10 M, else in euro;
    and the divisor that puts an amount in euro in the axis' unit."""
    div, unit = money_scale(max_value)
    return ChartSpec(lang, unit=unit, format=NumberFormat(1 if div > 1 else 0), **layout), div


def scenario_cost_lines(
    results: list, measure: str, lang: str, illustrative: bool, conflict: str = "", calibration: str = ""
) -> Chart:
    """Public cost per year, a line per scenario (direct labels at the end); the ceiling as a red line."""
    max_value = max(float(r.years[measure].max()) for r in results) if results else 0
    spec, div = money_spec(lang, max_value)
    for i, r in enumerate(results):
        y = r.years
        spec.add(
            Series.of(
                f"scenario:{i}",
                r.params.name,
                "line",
                y["year"],
                y[measure] / div,
                PALETTE[i % len(PALETTE)],
                dash=DASHES[i % len(DASHES)],
                symbol=SYMBOLS[i % len(SYMBOLS)],
                hover=hover_amounts(y[measure], lang),
                page={"line": {"width": 4}, "marker": {"size": 11}},
            )
        )
    # each distinct ceiling once (a path of yearly amounts or one amount), named after its scenario when they differ
    drawn: list[tuple] = []
    ceilings = [r for r in results if r.params.has_ceiling and measure == "total_eur"]
    for r in ceilings:
        key = tuple(r.years["ceiling_eur"].round(2).fillna(-1))
        if key in drawn:
            continue
        drawn.append(key)
        distinct = len({tuple(c.years["ceiling_eur"].round(2).fillna(-1)) for c in ceilings})
        spec.add(
            Series.of(
                f"ceiling:{len(drawn) - 1}",
                t("scenarios.ceiling", lang) + (f" ({r.params.name})" if distinct > 1 else ""),
                "line",
                r.years["year"],
                r.years["ceiling_eur"] / div,
                "#D55E00",
                dash=("dot", "dash", "dashdot", "longdash")[(len(drawn) - 1) % 4],
                hover=hover_amounts(r.years["ceiling_eur"], lang),
                page={"line": {"width": 3}},
            )
        )
    _overshoot_marks(spec, ceilings, div, lang)
    fig = draft_of(spec)
    fig.update_yaxes(rangemode="tozero")
    fig.update_xaxes(dtick=1)
    subtitle = noted(t("scenarios.chart_lines_subtitle", lang), conflict, calibration)  # two published figures disagree
    return finish_chart(spec, fig, t(f"scenarios.chart_lines_title_{measure}", lang), subtitle, illustrative)


def _overshoot_marks(spec: ChartSpec, ceilings: list, div: float, lang: str) -> None:
    """A red triangle over each year a scenario's cost goes above its ceiling, labelled with the amount above it.

    An overshoot of a few hundred thousand euro on an axis of a hundred million is not a visible gap
    between two lines; the mark and its label make it one.
    """
    xs, ys, labels, hovers = [], [], [], []
    for r in ceilings:
        over = r.years[r.years["overshoot_eur"] > 0]
        for _, y in over.iterrows():
            xs.append(int(y["year"]))
            ys.append((y["ceiling_eur"] + y["overshoot_eur"]) / div)
            labels.append("+" + i18n.eur_millions(y["overshoot_eur"], lang, 2))
            hovers.append(r.params.name + ": +" + i18n.eur(y["overshoot_eur"], lang))
    if not xs:
        return
    spec.add(
        Series.of(
            "above_ceiling",
            t("scenarios.above_ceiling", lang),
            "points",
            xs,
            ys,
            "#B00020",
            symbol="triangle-up",
            labels=labels,
            hover=hovers,
            page={
                "marker": {"size": 18, "line": {"color": "white", "width": 1}},
                "textposition": "top center",
                "textfont": {"size": FONT_SIZE - 2, "color": "#B00020"},
                "cliponaxis": False,
            },
        )
    )


def _shown_components(results: list) -> list[str]:
    """The cost components to draw: the thematic projects only where a compared scenario has them."""
    return [c for c in COMPONENTS if c != "theme_projects_eur" or any(r.years[c].abs().sum() > 0 for r in results)]


def scenario_components(results: list, year: int | None, lang: str, illustrative: bool, calibration: str = "") -> Chart:
    """Stacked bars per scenario: basic operation, cluster projects, inter-cluster projects (one year or cumulated)."""

    names = [r.params.name for r in results]
    values = {}
    comps = _shown_components(results)
    for comp in comps:
        if year is None:
            values[comp] = [float(r.years[comp].sum()) for r in results]
        else:
            values[comp] = [float(r.years.loc[r.years["year"] == year, comp].sum()) for r in results]
    totals = np.sum([values[c] for c in comps], axis=0) if results else []
    div, unit = money_scale(max(totals) if len(totals) else 0)
    spec = ChartSpec(
        lang,
        unit=unit,
        format=NumberFormat(0),
        horizontal=True,
        mode="stack",
        top_down=True,
        value_range=(0.0, (max(totals) / div * 1.25) if len(totals) else 1.0),
    )
    for comp in comps:
        spec.add(
            Series.of(
                f"component:{comp}",
                t(f"component.{comp}", lang),
                "bar",
                names,
                np.array(values[comp]) / div,
                COMPONENT_COLOURS[comp],
                patterns=COMPONENT_PATTERNS[comp],
                hover=hover_amounts(values[comp], lang),
            )
        )
    fig = draft_of(spec)
    # each scenario's total written beside its bar (the page's own label: the total is the sum of the series)
    fig.add_scatter(
        y=[as_literal(n) for n in names],
        x=np.array(totals) / div,
        mode="text",
        text=[i18n.eur_millions(v, lang) for v in totals],
        textposition="middle right",
        showlegend=False,
        hoverinfo="skip",
        textfont={"size": FONT_SIZE},
    )
    when = t("scenarios.cumulated", lang) if year is None else str(year)
    return finish_chart(
        spec,
        fig,
        t("scenarios.chart_components_title", lang, when=when),
        noted(t("scenarios.chart_components_subtitle", lang), calibration),
        illustrative,
        height=140 + 90 * max(1, len(results)),
    )


def scenario_difference(cmp: pd.DataFrame, lang: str, illustrative: bool, calibration: str = "") -> Chart:
    """Cumulative difference of each scenario against the baseline, split by component, and what members must add."""

    others = cmp.iloc[1:]
    # the thematic projects only where a compared scenario has them
    comps = [c for c in COMPONENTS if c != "theme_projects_eur" or (len(cmp) and cmp[c].abs().sum() > 0)]
    cols = [f"diff_{c}" for c in comps] + ["diff_members_eur"]
    max_abs = float(others[cols].abs().max().max()) if len(others) else 0.0
    div = money_scale(max_abs)[0]
    labels = {f"diff_{c}": t(f"component.{c}", lang) for c in COMPONENTS}
    labels["diff_members_eur"] = t("scenarios.members_extra", lang)
    keys = {f"diff_{c}": f"component:{c}" for c in COMPONENTS} | {"diff_members_eur": "members_extra"}
    colours = {f"diff_{c}": COMPONENT_COLOURS[c] for c in COMPONENTS} | {"diff_members_eur": "#CC79A7"}
    patterns = {f"diff_{c}": COMPONENT_PATTERNS[c] for c in COMPONENTS} | {"diff_members_eur": "x"}
    lo = float(others[cols].min().min()) / div if len(others) else 0.0
    hi = float(others[cols].max().max()) / div if len(others) else 1.0
    pad = 0.3 * max(hi - lo, 1e-9)
    spec, _ = money_spec(lang, max_abs, horizontal=True, top_down=True, value_range=(min(lo, 0) - pad, max(hi, 0) + pad))
    for col in cols:
        spec.add(
            Series.of(
                keys[col],
                labels[col],
                "bar",
                others["scenario"],
                others[col] / div,
                colours[col],
                patterns=patterns[col],
                labels=[i18n.eur_millions(v, lang, 2) if abs(v) >= 5e4 else "" for v in others[col]],
                hover=hover_amounts(others[col], lang),
                page={
                    "textposition": "outside",
                    "textfont": {"size": FONT_SIZE - 2},
                    # Plotly shrinks text to the bar's thickness by default: with four bars a scenario and the
                    # legend on four lines (1024 px with the sidebar open) the amounts came out at 6 px
                    "constraintext": "none",
                    "cliponaxis": False,
                },
            )
        )
    fig = draft_of(spec)
    fig.update_layout(bargap=0.25)
    fig.update_xaxes(zeroline=True, zerolinewidth=2)
    baseline = as_literal(cmp.iloc[0]["scenario"]) if len(cmp) else ""
    return finish_chart(
        spec,
        fig,
        t("scenarios.chart_diff_title", lang, baseline=baseline),
        noted(t("scenarios.chart_diff_subtitle", lang), calibration),
        illustrative,
        height=230 + 170 * max(1, len(others)),
    )


def new_themes(results: list, lang: str, illustrative: bool, calibration: str = "") -> Chart:
    """New themes side by side: as new cluster organisations or as projects (VARIO Recommendation 4).

    Per scenario with new themes, over its horizon: what they cost the government and what the
    members (of new clusters) or the companies (in thematic projects) carry; how many are covered.
    """
    with_themes = [r for r in results if r.params.new_clusters > 0]
    labels = [r.params.name for r in with_themes]
    covered = [
        t(
            "scenarios.themes_projects" if r.params.themes_as_projects else "scenarios.themes_organisations",
            lang,
            n=r.summary["themes_covered_last_year"],
            total=r.params.new_clusters,
        )
        for r in with_themes
    ]
    public = [r.summary["new_themes_public_eur"] for r in with_themes]
    carried = [r.summary["new_themes_members_eur"] for r in with_themes]
    most = max(public + carried, default=0)
    div = money_scale(most)[0]
    top = most / div
    spec, _ = money_spec(lang, most, horizontal=True, top_down=True, value_range=(0.0, top * 1.9 if top else 1.0))
    for key, values, name, colour, pattern, notes in (
        ("themes:public", public, t("scenarios.themes_public", lang), COMPONENT_COLOURS["theme_projects_eur"], "", covered),
        ("themes:carried", carried, t("scenarios.themes_carried", lang), "#CC79A7", "x", None),
    ):
        spec.add(
            Series.of(
                key,
                name,
                "bar",
                labels,
                np.array(values) / div,
                colour,
                patterns=pattern,
                # how many themes each route covers, beside its public cost
                labels=[i18n.eur_millions(v, lang, 1) + (f" · {notes[i]}" if notes else "") for i, v in enumerate(values)],
                hover=hover_amounts(values, lang),
                page={"textposition": "outside", "textfont": {"size": FONT_SIZE}},
            )
        )
    fig = draft_of(spec)
    return finish_chart(
        spec,
        fig,
        t("scenarios.chart_themes_title", lang),
        noted(t("scenarios.chart_themes_subtitle", lang), calibration),
        illustrative,
        height=200 + 110 * max(1, len(with_themes)),
    )


def tornado(sens: pd.DataFrame, scenario: str, step: float, lang: str, illustrative: bool, calibration: str = "") -> Chart:
    """Change in cumulative public cost when each parameter moves down (left) and up (right)."""
    df = sens.iloc[::-1]
    # each parameter's name and how far it moved, as the specification moves it
    moved = {"level": f" ±{i18n.pct(step, lang, 0)}", "rate": f" ±{i18n.num(paramspec.RATE_STEP * 100, lang)} pp"}
    labels = [
        paramspec.label(paramspec.BY_NAME[p], lang, with_unit=False) + moved[k] for p, k in zip(df["parameter"], df["kind"])
    ]
    spec, div = money_spec(
        lang, float(df[["low_eur", "high_eur"]].abs().max().max()) if len(df) else 0, horizontal=True, mode="overlay"
    )
    for key, column, colour, pattern in (("low", "low_eur", PALETTE[0], "/"), ("high", "high_eur", PALETTE[1], None)):
        spec.add(
            Series.of(
                f"tornado:{key}",
                t(f"scenarios.tornado_{key}", lang),
                "bar",
                labels,
                df[column] / div,
                colour,
                patterns=pattern,
                hover=hover_amounts(df[column], lang),
                page={"hovertemplate": "%{y}: %{customdata}<extra></extra>"},
            )
        )
    fig = draft_of(spec)
    fig.update_xaxes(zeroline=True, zerolinewidth=2)
    rows_on_two_lines(fig, [as_literal(x) for x in labels])  # parameter names run to 60 characters
    return finish_chart(
        spec,
        fig,
        t("scenarios.chart_tornado_title", lang, scenario=as_literal(scenario)),
        noted(t("scenarios.chart_tornado_subtitle", lang), calibration),
        illustrative,
        height=160 + 56 * max(1, len(df)),  # room for names on two lines
    )
