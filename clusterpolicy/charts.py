"""Plotly figure builders: frames in, ``go.Figure`` out, no Streamlit and no queries.

Built with graph_objects (Plotly Express costs 25-50 ms a figure). Every figure is sized for a
meeting-room screen (16 px text, 22 px titles), uses the colour-blind-safe Okabe-Ito palette with a
second cue (dashes, markers, patterns or direct labels) so no series depends on colour alone, and
carries a visible mark on the figure itself when any value in it is illustrative.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from . import i18n
from .i18n import t

# Okabe-Ito, without its yellow (too faint on white for lines and labels)
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#999999")
DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot", "solid", "dash")
PATTERNS = ("", "/", ".", "x", "-", "|", "+", "\\")
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "star", "cross", "hexagon")
COMPONENT_COLOURS = {"basic_eur": "#0072B2", "cluster_projects_eur": "#E69F00", "intercluster_eur": "#009E73"}
COMPONENT_PATTERNS = {"basic_eur": "", "cluster_projects_eur": "/", "intercluster_eur": "."}
FONT_SIZE = 16
TITLE_SIZE = 22
ILLUSTRATIVE_NAME = "illustrative-mark"


def _money_scale(max_value: float) -> tuple[float, str]:
    """Divisor and unit key for a money axis: millions above EUR 10 M, plain euros below."""
    return (1e6, "unit.eur_m") if max_value >= 1e7 else (1.0, "unit.eur")


def _style(fig: go.Figure, title: str, subtitle: str | None, lang: str, illustrative: bool, height: int = 480) -> go.Figure:
    """Shared look: readable fonts, localised separators, title and subtitle, the illustrative mark."""
    fig.update_layout(
        title={
            "text": title,
            "font": {"size": TITLE_SIZE},
            "x": 0.01,
            "xanchor": "left",
            "xref": "container",
            "y": 0.985,
            "yref": "container",
            "yanchor": "top",
            "subtitle": {"text": subtitle or "", "font": {"size": FONT_SIZE - 2, "color": "#333"}},
        },
        font={"size": FONT_SIZE, "family": "Source Sans Pro, Arial, sans-serif", "color": "#1a1a1a"},
        separators=i18n.PLOTLY_SEPARATORS[lang],
        height=height,
        margin={"l": 10, "r": 30, "t": 120, "b": 115 if illustrative else 50, "autoexpand": True},
        legend={
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.01,
            "x": 0,
            "xanchor": "left",
            "font": {"size": FONT_SIZE - 1},
            "title": {"text": ""},
        },
        plot_bgcolor="white",
        paper_bgcolor="white",
        hoverlabel={"font": {"size": FONT_SIZE}},
        meta={"illustrative": illustrative, "lang": lang},
    )
    fig.update_xaxes(showgrid=False, linecolor="#888", ticks="outside", automargin=True, tickfont={"size": FONT_SIZE - 1})
    fig.update_yaxes(gridcolor="#e5e5e5", zerolinecolor="#888", automargin=True, tickfont={"size": FONT_SIZE - 1})
    entries = [tr for tr in fig.data if tr.name and tr.showlegend is not False and tr.type != "heatmap"]
    if len(entries) > 5:
        # a long legend would wrap upwards over the title: put it in a column on the right
        fig.update_layout(legend={"orientation": "v", "x": 1.01, "xanchor": "left", "y": 1, "yanchor": "top"})
    if illustrative:
        # below the axis title, inside the bottom margin, so it never hides a tick label
        fig.add_annotation(
            name=ILLUSTRATIVE_NAME,
            text="⚠ " + t("chart.illustrative_mark", lang),
            xref="paper",
            yref="paper",
            x=0,
            y=0,
            xanchor="left",
            yanchor="top",
            yshift=-68,
            showarrow=False,
            font={"size": FONT_SIZE, "color": "#6b3300"},
            bgcolor="#fff4e0",
            bordercolor="#D55E00",
            borderwidth=1,
            borderpad=5,
        )
    return fig


def has_illustrative_mark(fig: go.Figure | dict) -> bool:
    """Whether a figure (or its JSON dict) carries the on-chart illustrative mark."""
    layout = fig["layout"] if isinstance(fig, dict) else fig.to_plotly_json()["layout"]
    return any(a.get("name") == ILLUSTRATIVE_NAME for a in layout.get("annotations", []))


def _hover(values, lang: str) -> list[str]:
    return [i18n.eur(v, lang) for v in values]


# ---------------------------------------------------------------- overview


def basic_funding_by_year(df: pd.DataFrame, lang: str, illustrative: bool) -> go.Figure:
    """Stacked bars: the public basic subsidy per year, one segment per cluster, members' share as a line."""
    fig = go.Figure()
    years = sorted(df["year"].unique())
    for i, (name, part) in enumerate(df.groupby("cluster_name", sort=True)):
        part = part.set_index("year").reindex(years)
        fig.add_bar(
            x=years,
            y=part["public_eur"].fillna(0) / 1e3,
            name=name,
            # past eight clusters the colours repeat, so the pattern shifts: no two series look alike
            marker={"color": PALETTE[i % len(PALETTE)], "pattern": {"shape": PATTERNS[(i + i // len(PALETTE)) % len(PATTERNS)]}},
            customdata=_hover(part["public_eur"], lang),
            hovertemplate="%{x}: %{customdata}<extra>" + name + "</extra>",
        )
    members = df.groupby("year")["member_eur"].sum().reindex(years)
    fig.add_scatter(
        x=years,
        y=members / 1e3,
        name=t("overview.members_cofinancing", lang),
        mode="lines+markers",
        line={"color": "#000", "dash": "dash", "width": 3},
        marker={"symbol": "diamond", "size": 10},
        customdata=_hover(members, lang),
        hovertemplate="%{x}: %{customdata}<extra></extra>",
    )
    # legend top-down in the same order as the stack
    fig.update_layout(barmode="stack", legend={"traceorder": "reversed"})
    fig.update_yaxes(title=t("unit.eur_k", lang), tickformat=",.0f")
    fig.update_xaxes(dtick=1)
    return _style(fig, t("overview.chart_basic_title", lang), t("overview.chart_basic_subtitle", lang), lang, illustrative)


def _tint(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def earmarked_by_year(df: pd.DataFrame, kinds: dict[str, str], lang: str) -> go.Figure:
    """Envelopes per year; published amounts as solid bars, illustrative ones hatched, each with its own legend entry."""
    fig = go.Figure()
    illustrative_any = False
    for j, envelope in enumerate(("cluster_projects", "intercluster_projects")):
        part = df[df["envelope"] == envelope]
        colour = PALETTE[j]
        is_illus = part["source_id"].map(lambda s: kinds.get(s) == "illustrative")
        illustrative_any |= bool(is_illus.any())
        for illus, rows in ((False, part[~is_illus]), (True, part[is_illus])):
            if rows.empty:
                continue
            kind = t("chart.illustrative_short" if illus else "chart.published_short", lang)
            name = f"{t(f'envelope.{envelope}', lang)} ({kind})"
            fig.add_bar(
                x=rows["year"],
                y=rows["amount_eur"] / 1e6,
                name=name,
                offsetgroup=envelope,
                marker={
                    "color": _tint(colour, 0.18) if illus else colour,
                    "line": {"color": colour, "width": 2},
                    "pattern": {"shape": "/" if illus else "", "fgcolor": colour, "solidity": 0.45},
                },
                customdata=_hover(rows["amount_eur"], lang),
                hovertemplate="%{x}: %{customdata}<extra>" + name + "</extra>",
            )
    fig.update_layout(barmode="group")
    fig.update_yaxes(title=t("unit.eur_m", lang), tickformat=",.0f")
    fig.update_xaxes(dtick=1)
    return _style(
        fig, t("overview.chart_earmarked_title", lang), t("overview.chart_earmarked_subtitle", lang), lang, illustrative_any
    )


def cluster_timeline(clusters: pd.DataFrame, kinds: dict[str, str], last_year: int, lang: str) -> go.Figure:
    """A bar per cluster from recognition to end (or today); an inferred end is marked as such."""
    fig = go.Figure()
    df = clusters.sort_values(["type", "recognised_year", "name"], ascending=[False, False, False])
    inferred_any = False
    for typ, colour, text_colour in (("spearhead", PALETTE[0], "white"), ("ibn", PALETTE[1], "black")):
        part = df[df["type"] == typ]
        if part.empty:
            continue
        end = part["ended_year"].fillna(last_year).astype(int)
        inferred = [(not pd.isna(e)) and kinds.get(s) != "published" for e, s in zip(part["ended_year"], part["ended_source_id"])]
        inferred_any |= any(inferred)
        labels = [
            f"{int(r)}–{int(e) if not pd.isna(e) else t('overview.now', lang)}" + (" *" if inf else "")
            for r, e, inf in zip(part["recognised_year"], part["ended_year"], inferred)
        ]
        fig.add_bar(
            y=part["name"],
            x=end - part["recognised_year"] + 1,
            base=part["recognised_year"] - 0.5,
            orientation="h",
            name=t(f"cluster_type.{typ}", lang),
            marker={"color": colour},
            text=labels,
            textposition="inside",
            insidetextanchor="start",
            textfont={"color": text_colour, "size": FONT_SIZE - 1},
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    fig.update_xaxes(dtick=1, title=t("unit.year", lang), range=[df["recognised_year"].min() - 0.7, last_year + 0.7])
    fig.update_yaxes(gridcolor="rgba(0,0,0,0)")
    subtitle = t("overview.chart_timeline_subtitle", lang)
    if inferred_any:
        subtitle += " " + t("overview.timeline_inferred_note", lang)
    return _style(fig, t("overview.chart_timeline_title", lang), subtitle, lang, False, height=440)


# ---------------------------------------------------------------- scenarios


def scenario_cost_lines(results: list, measure: str, lang: str, illustrative: bool) -> go.Figure:
    """Public cost per year, a line per scenario (direct labels at the end); the ceiling as a red line."""
    fig = go.Figure()
    max_value = max(float(r.years[measure].max()) for r in results) if results else 0
    div, unit = _money_scale(max_value)
    for i, r in enumerate(results):
        y = r.years
        fig.add_scatter(
            x=y["year"],
            y=y[measure] / div,
            name=r.params.name,
            mode="lines+markers",
            line={"color": PALETTE[i % len(PALETTE)], "dash": DASHES[i % len(DASHES)], "width": 4},
            marker={"symbol": SYMBOLS[i % len(SYMBOLS)], "size": 11},
            customdata=_hover(y[measure], lang),
            hovertemplate="%{x}: %{customdata}<extra>" + r.params.name + "</extra>",
        )
    ceilings = [r for r in results if r.params.ceiling_eur is not None and measure == "total_eur"]
    for r in ceilings[:1]:
        fig.add_scatter(
            x=r.years["year"],
            y=r.years["ceiling_eur"] / div,
            name=t("scenarios.ceiling", lang),
            mode="lines",
            line={"color": "#D55E00", "dash": "dot", "width": 3},
            hovertemplate="%{x}: " + i18n.eur(r.params.ceiling_eur, lang) + "<extra></extra>",
        )
    fig.update_yaxes(title=t(unit, lang), tickformat=",.1f" if div > 1 else ",.0f", rangemode="tozero")
    fig.update_xaxes(dtick=1)
    return _style(
        fig, t(f"scenarios.chart_lines_title_{measure}", lang), t("scenarios.chart_lines_subtitle", lang), lang, illustrative
    )


def scenario_components(results: list, year: int | None, lang: str, illustrative: bool) -> go.Figure:
    """Stacked bars per scenario: basic operation, cluster projects, inter-cluster projects (one year or cumulated)."""
    from .scenarios import COMPONENTS

    names = [r.params.name for r in results]
    values = {}
    for comp in COMPONENTS:
        if year is None:
            values[comp] = [float(r.years[comp].sum()) for r in results]
        else:
            values[comp] = [float(r.years.loc[r.years["year"] == year, comp].sum()) for r in results]
    totals = np.sum([values[c] for c in COMPONENTS], axis=0) if results else []
    div, unit = _money_scale(max(totals) if len(totals) else 0)
    fig = go.Figure()
    for comp in COMPONENTS:
        fig.add_bar(
            y=names,
            x=np.array(values[comp]) / div,
            name=t(f"component.{comp}", lang),
            orientation="h",
            marker={"color": COMPONENT_COLOURS[comp], "pattern": {"shape": COMPONENT_PATTERNS[comp]}},
            customdata=_hover(values[comp], lang),
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
    return _style(
        fig,
        t("scenarios.chart_components_title", lang, when=when),
        t("scenarios.chart_components_subtitle", lang),
        lang,
        illustrative,
        height=140 + 90 * max(1, len(results)),
    )


def scenario_difference(cmp: pd.DataFrame, lang: str, illustrative: bool) -> go.Figure:
    """Cumulative difference of each scenario against the baseline, split by component, and what members must add."""
    from .scenarios import COMPONENTS

    others = cmp.iloc[1:]
    fig = go.Figure()
    cols = [f"diff_{c}" for c in COMPONENTS] + ["diff_members_eur"]
    max_abs = float(others[cols].abs().max().max()) if len(others) else 0.0
    div, unit = _money_scale(max_abs)
    labels = {f"diff_{c}": t(f"component.{c}", lang) for c in COMPONENTS}
    labels["diff_members_eur"] = t("scenarios.members_extra", lang)
    colours = {f"diff_{c}": COMPONENT_COLOURS[c] for c in COMPONENTS} | {"diff_members_eur": "#CC79A7"}
    patterns = {f"diff_{c}": COMPONENT_PATTERNS[c] for c in COMPONENTS} | {"diff_members_eur": "x"}
    for col in cols:
        fig.add_bar(
            y=others["scenario"],
            x=others[col] / div,
            name=labels[col],
            orientation="h",
            marker={"color": colours[col], "pattern": {"shape": patterns[col]}},
            text=[i18n.eur_millions(v, lang, 2) if abs(v) >= 5e4 else "" for v in others[col]],
            textposition="outside",
            textfont={"size": FONT_SIZE - 2},
            cliponaxis=False,
            customdata=_hover(others[col], lang),
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
    baseline = cmp.iloc[0]["scenario"] if len(cmp) else ""
    return _style(
        fig,
        t("scenarios.chart_diff_title", lang, baseline=baseline),
        t("scenarios.chart_diff_subtitle", lang),
        lang,
        illustrative,
        height=180 + 170 * max(1, len(others)),
    )


def basic_by_cluster(result, lang: str, illustrative: bool) -> go.Figure:
    """Basic subsidy per cluster and year in one scenario as a heat map with the amount in each cell.

    Several clusters sit at the cap, where lines would hide each other; a labelled grid keeps every
    value readable and does not depend on colour.
    """
    df = result.clusters
    grid = df.pivot_table(index="cluster_name", columns="year", values="public_eur", aggfunc="sum")
    grid = grid.sort_index(ascending=False)
    years = [int(y) for y in grid.columns]
    values = grid.to_numpy() / 1e3
    fig = go.Figure(
        go.Heatmap(
            z=values,
            x=years,
            y=grid.index.tolist(),
            colorscale="Blues",
            zauto=False,
            zmin=0,
            zmax=float(np.nanmax(values)) if np.isfinite(values).any() else 1.0,
            text=[[i18n.num(v, lang) if np.isfinite(v) else "" for v in row] for row in values],
            texttemplate="%{text}",
            textfont={"size": FONT_SIZE - 1},
            customdata=[[i18n.eur(v * 1e3, lang) if np.isfinite(v) else "" for v in row] for row in values],
            hovertemplate="%{y}, %{x}: %{customdata}<extra></extra>",
            colorbar={"title": {"text": t("unit.eur_k", lang), "side": "right"}, "thickness": 14},
            xgap=2,
            ygap=2,
        )
    )
    fig.update_xaxes(dtick=1, showline=False, ticks="")
    fig.update_yaxes(showgrid=False)
    return _style(
        fig,
        t("scenarios.chart_clusters_title", lang, scenario=result.params.name),
        t("scenarios.chart_clusters_subtitle", lang, cap=i18n.eur(result.params.cap_eur, lang)),
        lang,
        illustrative,
        height=200 + 46 * max(1, len(grid)),
    )


def cluster_change(results: list, lang: str, illustrative: bool) -> go.Figure:
    """Per cluster: cumulative change in basic subsidy against the baseline (who loses most)."""
    base = results[0].clusters.groupby("cluster_name")["public_eur"].sum()
    fig = go.Figure()
    order = None
    for i, r in enumerate(results[1:], start=1):
        cum = r.clusters.groupby("cluster_name")["public_eur"].sum()
        diff = cum.reindex(base.index.union(cum.index)).fillna(0) - base.reindex(base.index.union(cum.index)).fillna(0)
        if order is None:
            order = diff.sort_values().index.tolist()
        diff = diff.reindex(order)
        fig.add_bar(
            y=order,
            x=diff.to_numpy() / 1e3,
            name=r.params.name,
            orientation="h",
            showlegend=True,
            text=[i18n.eur(v, lang) for v in diff.to_numpy()],
            textposition="auto",
            textfont={"size": FONT_SIZE - 2},
            marker={"color": PALETTE[i % len(PALETTE)], "pattern": {"shape": ("", "/", ".", "x")[i % 4]}},
            customdata=_hover(diff.to_numpy(), lang),
            hovertemplate="%{y}: %{customdata}<extra>" + r.params.name + "</extra>",
        )
    fig.update_layout(barmode="group")
    fig.update_xaxes(title=t("unit.eur_k", lang), tickformat=",.0f", zeroline=True, zerolinewidth=2)
    fig.update_yaxes(autorange="reversed")
    n = len(order or [])
    return _style(
        fig,
        t("scenarios.chart_change_title", lang, baseline=results[0].params.name),
        t("scenarios.chart_change_subtitle", lang),
        lang,
        illustrative,
        height=200 + 45 * max(n, 1) * max(1, len(results) - 1) ** 0.5,
    )


def self_financing(results: list, base_share: pd.DataFrame, lang: str, illustrative: bool) -> go.Figure:
    """Self-financing share per cluster in the base year and in each scenario's last year."""
    fig = go.Figure()
    base_share = base_share.sort_values("share")
    order = base_share["cluster_name"].tolist()
    fig.add_bar(
        y=order,
        x=base_share["share"] * 100,
        name=t("scenarios.base_year", lang, year=int(base_share["year"].max())),
        orientation="h",
        marker={"color": "#999999", "pattern": {"shape": ""}},
        text=[i18n.pct(v, lang, 0) for v in base_share["share"]],
        textposition="outside",
        hovertemplate="%{y}: %{text}<extra></extra>",
    )
    for i, r in enumerate(results):
        last = r.clusters[r.clusters["year"] == r.clusters["year"].max()].set_index("cluster_name")
        share = last["self_financing_share"].reindex(order)
        fig.add_bar(
            y=order,
            x=share * 100,
            name=f"{r.params.name} ({int(r.params.last_year)})",
            orientation="h",
            marker={"color": PALETTE[i % len(PALETTE)], "pattern": {"shape": ("", "/", ".", "x")[i % 4]}},
            text=[i18n.pct(v, lang, 0) for v in share],
            textposition="outside",
            hovertemplate="%{y}: %{text}<extra>" + r.params.name + "</extra>",
        )
    fig.update_layout(barmode="group")
    fig.add_vline(x=50, line={"color": "#D55E00", "dash": "dot", "width": 2})
    fig.update_xaxes(title=t("unit.pct", lang), range=[0, 112], ticksuffix="")
    fig.update_yaxes(autorange="reversed")
    return _style(
        fig,
        t("scenarios.chart_selffin_title", lang),
        t("scenarios.chart_selffin_subtitle", lang),
        lang,
        illustrative,
        height=220 + 28 * len(order) * (len(results) + 1),
    )


def tornado(sens: pd.DataFrame, scenario: str, step: float, lang: str, illustrative: bool) -> go.Figure:
    """Change in cumulative public cost when each parameter moves down (left) and up (right)."""
    df = sens.iloc[::-1]
    labels = [
        t(f"param.{p}", lang) + (f" ±{i18n.pct(step, lang, 0)}" if k == "level" else " ±1 pp")
        for p, k in zip(df["parameter"], df["kind"])
    ]
    div, unit = _money_scale(float(df[["low_eur", "high_eur"]].abs().max().max()) if len(df) else 0)
    fig = go.Figure()
    fig.add_bar(
        y=labels,
        x=df["low_eur"] / div,
        name=t("scenarios.tornado_low", lang),
        orientation="h",
        marker={"color": PALETTE[0], "pattern": {"shape": "/"}},
        customdata=_hover(df["low_eur"], lang),
        hovertemplate="%{y}: %{customdata}<extra></extra>",
    )
    fig.add_bar(
        y=labels,
        x=df["high_eur"] / div,
        name=t("scenarios.tornado_high", lang),
        orientation="h",
        marker={"color": PALETTE[1]},
        customdata=_hover(df["high_eur"], lang),
        hovertemplate="%{y}: %{customdata}<extra></extra>",
    )
    fig.update_layout(barmode="overlay")
    fig.update_xaxes(title=t(unit, lang), tickformat=",.1f" if div > 1 else ",.0f", zeroline=True, zerolinewidth=2)
    return _style(
        fig,
        t("scenarios.chart_tornado_title", lang, scenario=scenario),
        t("scenarios.chart_tornado_subtitle", lang),
        lang,
        illustrative,
        height=160 + 48 * max(1, len(df)),
    )
