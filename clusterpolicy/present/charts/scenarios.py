"""Charts of the scenarios page: costs per year, components, differences, per cluster, the tornado."""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterpolicy import i18n
from clusterpolicy.i18n import t
from clusterpolicy.model import paramspec
from clusterpolicy.model.scenarios import COMPONENTS
from clusterpolicy.present.charts.chart import Chart, finish_chart
from clusterpolicy.present.charts.theme import (
    BLUES,
    COMPONENT_COLOURS,
    COMPONENT_PATTERNS,
    DASHES,
    FONT_SIZE,
    MAX_ROWS,
    ORANGES,
    PALETTE,
    SYMBOLS,
    FigureDraft,
    as_literal,
    hover_amounts,
    lump_smallest,
    money_scale,
    rows_on_two_lines,
    text_cells,
)


def _noted(subtitle: str, *notes: str) -> str:
    """A subtitle with notes after it: a conflict of published figures, the baseline's calibration (from the data; escaped)."""
    return " ".join([subtitle, *(as_literal(n) for n in notes if n)])


def scenario_cost_lines(
    results: list, measure: str, lang: str, illustrative: bool, conflict: str = "", calibration: str = ""
) -> Chart:
    """Public cost per year, a line per scenario (direct labels at the end); the ceiling as a red line."""
    fig = FigureDraft()
    max_value = max(float(r.years[measure].max()) for r in results) if results else 0
    div, unit = money_scale(max_value)
    for i, r in enumerate(results):
        y = r.years
        fig.add_scatter(
            x=y["year"],
            y=y[measure] / div,
            name=as_literal(r.params.name),
            mode="lines+markers",
            line={"color": PALETTE[i % len(PALETTE)], "dash": DASHES[i % len(DASHES)], "width": 4},
            marker={"symbol": SYMBOLS[i % len(SYMBOLS)], "size": 11},
            customdata=hover_amounts(y[measure], lang),
            hovertemplate="%{x}: %{customdata}<extra>" + as_literal(r.params.name) + "</extra>",
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
        name = t("scenarios.ceiling", lang) + (f" ({as_literal(r.params.name)})" if distinct > 1 else "")
        fig.add_scatter(
            x=r.years["year"],
            y=r.years["ceiling_eur"] / div,
            name=name,
            mode="lines",
            line={"color": "#D55E00", "dash": ("dot", "dash", "dashdot", "longdash")[(len(drawn) - 1) % 4], "width": 3},
            customdata=hover_amounts(r.years["ceiling_eur"], lang),
            hovertemplate="%{x}: %{customdata}<extra>" + name + "</extra>",
        )
    _overshoot_marks(fig, ceilings, div, lang)
    fig.update_yaxes(title=t(unit, lang), tickformat=",.1f" if div > 1 else ",.0f", rangemode="tozero")
    fig.update_xaxes(dtick=1)
    subtitle = _noted(t("scenarios.chart_lines_subtitle", lang), conflict, calibration)  # two published figures disagree
    return finish_chart(fig, t(f"scenarios.chart_lines_title_{measure}", lang), subtitle, lang, illustrative)


def _overshoot_marks(fig: FigureDraft, ceilings: list, div: float, lang: str) -> None:
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
            hovers.append(as_literal(r.params.name) + ": +" + i18n.eur(y["overshoot_eur"], lang))
    if not xs:
        return
    name = t("scenarios.above_ceiling", lang)
    fig.add_scatter(
        x=xs,
        y=ys,
        name=name,
        mode="markers+text",
        marker={"symbol": "triangle-up", "size": 18, "color": "#B00020", "line": {"color": "white", "width": 1}},
        text=labels,
        textposition="top center",
        textfont={"size": FONT_SIZE - 2, "color": "#B00020"},
        cliponaxis=False,
        customdata=hovers,
        hovertemplate="%{x}: %{customdata}<extra>" + name + "</extra>",
    )


def _shown_components(results: list) -> list[str]:
    """The cost components to draw: the thematic projects only where a compared scenario has them."""
    return [c for c in COMPONENTS if c != "theme_projects_eur" or any(r.years[c].abs().sum() > 0 for r in results)]


def scenario_components(results: list, year: int | None, lang: str, illustrative: bool, calibration: str = "") -> Chart:
    """Stacked bars per scenario: basic operation, cluster projects, inter-cluster projects (one year or cumulated)."""

    names = [as_literal(r.params.name) for r in results]
    values = {}
    comps = _shown_components(results)
    for comp in comps:
        if year is None:
            values[comp] = [float(r.years[comp].sum()) for r in results]
        else:
            values[comp] = [float(r.years.loc[r.years["year"] == year, comp].sum()) for r in results]
    totals = np.sum([values[c] for c in comps], axis=0) if results else []
    div, unit = money_scale(max(totals) if len(totals) else 0)
    fig = FigureDraft()
    for comp in comps:
        fig.add_bar(
            y=names,
            x=np.array(values[comp]) / div,
            name=t(f"component.{comp}", lang),
            orientation="h",
            marker={"color": COMPONENT_COLOURS[comp], "pattern": {"shape": COMPONENT_PATTERNS[comp], "solidity": 0.5}},
            customdata=hover_amounts(values[comp], lang),
            hovertemplate="%{y}: %{customdata}<extra>" + t(f"component.{comp}", lang) + "</extra>",
        )
    fig.add_scatter(
        y=names,
        x=np.array(totals) / div,
        mode="text",
        text=[i18n.eur_millions(v, lang) for v in totals],
        textposition="middle right",
        showlegend=False,
        hoverinfo="skip",
        textfont={"size": FONT_SIZE},
    )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title=t(unit, lang), tickformat=",.0f", range=[0, (max(totals) / div * 1.25) if len(totals) else 1])
    fig.update_yaxes(autorange="reversed")
    when = t("scenarios.cumulated", lang) if year is None else str(year)
    return finish_chart(
        fig,
        t("scenarios.chart_components_title", lang, when=when),
        _noted(t("scenarios.chart_components_subtitle", lang), calibration),
        lang,
        illustrative,
        height=140 + 90 * max(1, len(results)),
    )


def scenario_difference(cmp: pd.DataFrame, lang: str, illustrative: bool, calibration: str = "") -> Chart:
    """Cumulative difference of each scenario against the baseline, split by component, and what members must add."""

    others = cmp.iloc[1:]
    fig = FigureDraft()
    # the thematic projects only where a compared scenario has them
    comps = [c for c in COMPONENTS if c != "theme_projects_eur" or (len(cmp) and cmp[c].abs().sum() > 0)]
    cols = [f"diff_{c}" for c in comps] + ["diff_members_eur"]
    max_abs = float(others[cols].abs().max().max()) if len(others) else 0.0
    div, unit = money_scale(max_abs)
    labels = {f"diff_{c}": t(f"component.{c}", lang) for c in COMPONENTS}
    labels["diff_members_eur"] = t("scenarios.members_extra", lang)
    colours = {f"diff_{c}": COMPONENT_COLOURS[c] for c in COMPONENTS} | {"diff_members_eur": "#CC79A7"}
    patterns = {f"diff_{c}": COMPONENT_PATTERNS[c] for c in COMPONENTS} | {"diff_members_eur": "x"}
    for col in cols:
        fig.add_bar(
            y=[as_literal(n) for n in others["scenario"]],
            x=others[col] / div,
            name=labels[col],
            orientation="h",
            marker={"color": colours[col], "pattern": {"shape": patterns[col], "solidity": 0.5}},
            text=[i18n.eur_millions(v, lang, 2) if abs(v) >= 5e4 else "" for v in others[col]],
            textposition="outside",
            textfont={"size": FONT_SIZE - 2},
            # Plotly shrinks text to the bar's thickness by default: with four bars a scenario and the
            # legend on four lines (1024 px with the sidebar open) the amounts came out at 6 px
            constraintext="none",
            cliponaxis=False,
            customdata=hover_amounts(others[col], lang),
            hovertemplate="%{y}: %{customdata}<extra>" + labels[col] + "</extra>",
        )
    fig.update_layout(barmode="group", bargap=0.25)
    lo = float(others[cols].min().min()) / div if len(others) else 0.0
    hi = float(others[cols].max().max()) / div if len(others) else 1.0
    pad = 0.3 * max(hi - lo, 1e-9)
    fig.update_xaxes(
        title=t(unit, lang),
        tickformat=",.1f" if div > 1 else ",.0f",
        zeroline=True,
        zerolinewidth=2,
        range=[min(lo, 0) - pad, max(hi, 0) + pad],
    )
    fig.update_yaxes(autorange="reversed")
    baseline = as_literal(cmp.iloc[0]["scenario"]) if len(cmp) else ""
    return finish_chart(
        fig,
        t("scenarios.chart_diff_title", lang, baseline=baseline),
        _noted(t("scenarios.chart_diff_subtitle", lang), calibration),
        lang,
        illustrative,
        height=230 + 170 * max(1, len(others)),
    )


def _cluster_year_grid(result, column: str, colorscale, lang: str):
    """A heat map of one column of a result's clusters, cluster x year, in thousand euros written in each cell.

    Returns the draft and the number of rows (past MAX_ROWS clusters the smallest are lumped together).
    """
    df = result.clusters
    n_clusters = df["cluster_name"].nunique()
    df = lump_smallest(
        df, "cluster_name", column, MAX_ROWS - 1, t("chart.other_clusters", lang, n=n_clusters - MAX_ROWS + 1), [column], ["year"]
    )
    grid = df.pivot_table(index="cluster_name", columns="year", values=column, aggfunc="sum").sort_index(ascending=False)
    values = grid.to_numpy() / 1e3
    top = float(np.nanmax(values)) if np.isfinite(values).any() else 0.0
    fig = FigureDraft().add_heatmap(
        z=values,
        x=[int(y) for y in grid.columns],
        y=[as_literal(n) for n in grid.index],
        colorscale=colorscale,
        zauto=False,
        zmin=0,
        zmax=top if top > 0 else 1.0,
        **text_cells(
            [[i18n.num(v, lang) if np.isfinite(v) else "" for v in row] for row in values],
            [[i18n.eur(v * 1e3, lang) if np.isfinite(v) else "" for v in row] for row in values],
            size=FONT_SIZE - 1,
            gap=2,
        ),
        colorbar={"title": {"text": t("unit.eur_k", lang), "side": "right"}, "thickness": 14},
    )
    fig.update_xaxes(dtick=1, showline=False, ticks="")
    fig.update_yaxes(showgrid=False)
    return fig, len(grid)


def basic_by_cluster(result, lang: str, illustrative: bool, calibration: str = "") -> Chart:
    """Basic subsidy per cluster and year in one scenario as a heat map with the amount in each cell.

    Several clusters sit at the cap, where lines would hide each other; a labelled grid keeps every
    value readable and does not depend on colour.
    """
    fig, rows = _cluster_year_grid(result, "public_eur", BLUES, lang)
    return finish_chart(
        fig,
        t("scenarios.chart_clusters_title", lang, scenario=as_literal(result.params.name)),
        _noted(
            t("scenarios.chart_clusters_subtitle", lang, cap=i18n.eur(result.params.cap_eur * result.scale, lang)), calibration
        ),
        lang,
        illustrative,
        height=200 + 46 * max(1, rows),
    )


def new_themes(results: list, lang: str, illustrative: bool, calibration: str = "") -> Chart:
    """New themes side by side: as new cluster organisations or as projects (VARIO Recommendation 4).

    Per scenario with new themes, over its horizon: what they cost the government and what the
    members (of new clusters) or the companies (in thematic projects) carry; how many are covered.
    """
    with_themes = [r for r in results if r.params.new_clusters > 0]
    labels = [as_literal(r.params.name) for r in with_themes]
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
    div, unit = money_scale(max(public + carried, default=0))
    fig = FigureDraft()
    for values, name, colour, pattern, notes in (
        (public, t("scenarios.themes_public", lang), COMPONENT_COLOURS["theme_projects_eur"], "", covered),
        (carried, t("scenarios.themes_carried", lang), "#CC79A7", "x", None),
    ):
        fig.add_bar(
            y=labels,
            x=np.array(values) / div,
            name=name,
            orientation="h",
            marker={"color": colour, "pattern": {"shape": pattern, "solidity": 0.5}},
            # how many themes each route covers, beside its public cost
            text=[i18n.eur_millions(v, lang, 1) + (f" · {notes[i]}" if notes else "") for i, v in enumerate(values)],
            textposition="outside",
            textfont={"size": FONT_SIZE},
            customdata=hover_amounts(values, lang),
            hovertemplate="%{y}: %{customdata}<extra>" + name + "</extra>",
        )
    fig.update_layout(barmode="group")
    top = max(public + carried, default=0) / div
    fig.update_xaxes(title=t(unit, lang), tickformat=",.1f" if div > 1 else ",.0f", range=[0, top * 1.9 if top else 1])
    fig.update_yaxes(autorange="reversed")
    return finish_chart(
        fig,
        t("scenarios.chart_themes_title", lang),
        _noted(t("scenarios.chart_themes_subtitle", lang), calibration),
        lang,
        illustrative,
        height=200 + 110 * max(1, len(with_themes)),
    )


def member_shortfall(result, lang: str, illustrative: bool, calibration: str = "", own_limits: int = 0) -> Chart:
    """What one scenario asks of each cluster's members beyond what they can pay, per year (thousand euros in each cell).

    ``own_limits``: how many clusters have a limit of their own in the data (member_capacity), used instead of the scenario's.
    """
    fig, rows = _cluster_year_grid(result, "shortfall_eur", ORANGES, lang)
    growth = i18n.pct(result.params.member_growth, lang, 1)
    own = t("scenarios.shortfall_own", lang, n=own_limits) if own_limits else ""
    return finish_chart(
        fig,
        t("scenarios.chart_shortfall_title", lang, scenario=as_literal(result.params.name)),
        _noted(t("scenarios.chart_shortfall_subtitle", lang, growth=growth), own, calibration),
        lang,
        illustrative,
        height=200 + 46 * max(1, rows),
    )


def cluster_change(results: list, lang: str, illustrative: bool, calibration: str = "") -> Chart:
    """Per cluster: cumulative change in basic subsidy against the baseline (who loses most)."""
    base = results[0].clusters.groupby("cluster_name")["public_eur"].sum()
    fig = FigureDraft()
    order = None
    ends = [0.0]
    for i, r in enumerate(results[1:], start=1):
        cum = r.clusters.groupby("cluster_name")["public_eur"].sum()
        diff = cum.reindex(base.index.union(cum.index)).fillna(0) - base.reindex(base.index.union(cum.index)).fillna(0)
        if order is None:
            # the clusters that change most (losers first); at EU scale the rest are left out
            order = diff.reindex(diff.abs().sort_values(ascending=False).index[:MAX_ROWS]).sort_values().index.tolist()
        diff = diff.reindex(order)
        ends += [float(diff.min()) / 1e3, float(diff.max()) / 1e3]
        fig.add_bar(
            y=[as_literal(n) for n in order],
            x=diff.to_numpy() / 1e3,
            name=as_literal(r.params.name),
            orientation="h",
            showlegend=True,
            # in the axis' unit, beside the bar: written on a hatched bar the amounts were hard to read
            text=[i18n.num(v / 1e3, lang) for v in diff.to_numpy()],
            textposition="outside",
            constraintext="none",
            cliponaxis=False,
            textfont={"size": FONT_SIZE - 2},
            marker={"color": PALETTE[i % len(PALETTE)], "pattern": {"shape": ("", "/", ".", "x")[i % 4], "solidity": 0.5}},
            customdata=hover_amounts(diff.to_numpy(), lang),
            hovertemplate="%{y}: %{customdata}<extra>" + as_literal(r.params.name) + "</extra>",
        )
    fig.update_layout(barmode="group")
    lo, hi = min(ends), max(ends)
    pad = 0.22 * max(hi - lo, 1e-9)  # room for the amounts beside the longest bars
    fig.update_xaxes(
        title=t("unit.eur_k", lang),
        tickformat=",.0f",
        zeroline=True,
        zerolinewidth=2,
        range=[lo - pad if lo < 0 else 0, hi + pad if hi > 0 else 0],
    )
    fig.update_yaxes(autorange="reversed")
    n = len(order or [])
    return finish_chart(
        fig,
        t("scenarios.chart_change_title", lang, baseline=as_literal(results[0].params.name)),
        _noted(t("scenarios.chart_change_subtitle", lang), calibration),
        lang,
        illustrative,
        height=200 + 45 * max(n, 1) * max(1, len(results) - 1) ** 0.5,
    )


def self_financing(results: list, base_share: pd.DataFrame, lang: str, illustrative: bool, calibration: str = "") -> Chart:
    """Self-financing share per cluster in the base year and in each scenario's last year."""
    fig = FigureDraft()
    # the clusters closest to self-financing first; at EU scale only the top of that list
    base_share = base_share.sort_values("share", ascending=False).head(MAX_ROWS).sort_values("share")
    order = base_share["cluster_name"].tolist()
    fig.add_bar(
        y=[as_literal(n) for n in order],
        x=base_share["share"] * 100,
        name=t("scenarios.base_year", lang, year=int(base_share["year"].max())),
        orientation="h",
        marker={"color": "#999999", "pattern": {"shape": "", "solidity": 0.5}},
        text=[i18n.pct(v, lang, 0) for v in base_share["share"]],
        textposition="outside",
        hovertemplate="%{y}: %{text}<extra></extra>",
    )
    for i, r in enumerate(results):
        last = r.clusters[r.clusters["year"] == r.clusters["year"].max()].set_index("cluster_name")
        share = last["self_financing_share"].reindex(order)
        fig.add_bar(
            y=[as_literal(n) for n in order],
            x=share * 100,
            name=f"{as_literal(r.params.name)} ({int(r.params.last_year)})",
            orientation="h",
            marker={"color": PALETTE[i % len(PALETTE)], "pattern": {"shape": ("", "/", ".", "x")[i % 4], "solidity": 0.5}},
            text=[i18n.pct(v, lang, 0) for v in share],
            textposition="outside",
            hovertemplate="%{y}: %{text}<extra>" + as_literal(r.params.name) + "</extra>",
        )
    fig.update_layout(barmode="group")
    fig.add_vline(x=50, line={"color": "#D55E00", "dash": "dot", "width": 2})
    fig.update_xaxes(title=t("unit.pct", lang), range=[0, 112], ticksuffix="")
    fig.update_yaxes(autorange="reversed")
    return finish_chart(
        fig,
        t("scenarios.chart_selffin_title", lang),
        _noted(t("scenarios.chart_selffin_subtitle", lang), calibration),
        lang,
        illustrative,
        height=220 + 28 * len(order) * (len(results) + 1),
    )


def tornado(sens: pd.DataFrame, scenario: str, step: float, lang: str, illustrative: bool, calibration: str = "") -> Chart:
    """Change in cumulative public cost when each parameter moves down (left) and up (right)."""
    df = sens.iloc[::-1]
    # each parameter's name and how far it moved, as the specification moves it
    moved = {"level": f" ±{i18n.pct(step, lang, 0)}", "rate": f" ±{i18n.num(paramspec.RATE_STEP * 100, lang)} pp"}
    labels = [
        paramspec.label(paramspec.BY_NAME[p], lang, with_unit=False) + moved[k] for p, k in zip(df["parameter"], df["kind"])
    ]
    div, unit = money_scale(float(df[["low_eur", "high_eur"]].abs().max().max()) if len(df) else 0)
    fig = FigureDraft()
    fig.add_bar(
        y=labels,
        x=df["low_eur"] / div,
        name=t("scenarios.tornado_low", lang),
        orientation="h",
        marker={"color": PALETTE[0], "pattern": {"shape": "/", "solidity": 0.5}},
        customdata=hover_amounts(df["low_eur"], lang),
        hovertemplate="%{y}: %{customdata}<extra></extra>",
    )
    fig.add_bar(
        y=labels,
        x=df["high_eur"] / div,
        name=t("scenarios.tornado_high", lang),
        orientation="h",
        marker={"color": PALETTE[1]},
        customdata=hover_amounts(df["high_eur"], lang),
        hovertemplate="%{y}: %{customdata}<extra></extra>",
    )
    fig.update_layout(barmode="overlay")
    fig.update_xaxes(title=t(unit, lang), tickformat=",.1f" if div > 1 else ",.0f", zeroline=True, zerolinewidth=2)
    rows_on_two_lines(fig, labels)  # parameter names run to 60 characters
    return finish_chart(
        fig,
        t("scenarios.chart_tornado_title", lang, scenario=as_literal(scenario)),
        _noted(t("scenarios.chart_tornado_subtitle", lang), calibration),
        lang,
        illustrative,
        height=160 + 56 * max(1, len(df)),  # room for names on two lines
    )
