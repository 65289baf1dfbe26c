"""Charts of the scenario page's section per cluster: the basic subsidy and the members' shortfall per cluster and year,
who loses most against the baseline, and how close each cluster comes to financing itself."""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterpolicy import i18n
from clusterpolicy.i18n import t
from clusterpolicy.present.charts.chart import Chart, finish_chart
from clusterpolicy.present.charts.figure import draft_of
from clusterpolicy.present.charts.precision import NumberFormat
from clusterpolicy.present.charts.scenarios import noted
from clusterpolicy.present.charts.spec import ChartSpec, Grid, Series
from clusterpolicy.present.charts.theme import (
    BLUES,
    FONT_SIZE,
    MAX_ROWS,
    ORANGES,
    PALETTE,
    as_literal,
    hover_amounts,
    lump_smallest,
)


def _cluster_year_grid(result, column: str, colorscale, lang: str):
    """A heat map of one column of a result's clusters, cluster x year, in thousand euros written in each cell.

    Returns the spec, the page's drawing of it and the number of rows (past MAX_ROWS clusters the
    smallest are lumped together).
    """
    df = result.clusters
    n_clusters = df["cluster_name"].nunique()
    df = lump_smallest(
        df, "cluster_name", column, MAX_ROWS - 1, t("chart.other_clusters", lang, n=n_clusters - MAX_ROWS + 1), [column], ["year"]
    )
    grid = df.pivot_table(index="cluster_name", columns="year", values=column, aggfunc="sum").sort_index(ascending=False)
    values = grid.to_numpy() / 1e3
    top = float(np.nanmax(values)) if np.isfinite(values).any() else 0.0
    spec = ChartSpec(
        lang,
        grid=Grid(
            rows=list(grid.index),
            columns=[int(y) for y in grid.columns],
            values=values,
            text=[[i18n.num(v, lang) if np.isfinite(v) else "" for v in row] for row in values],
            hover=[[i18n.eur(v * 1e3, lang) if np.isfinite(v) else "" for v in row] for row in values],
            scale=[tuple(stop) for stop in colorscale],
            zmin=0,
            zmax=top if top > 0 else 1.0,
            scale_title=t("unit.eur_k", lang),
            scale_unit="eur_k",
            page={
                "zauto": False,
                "textfont": {"size": FONT_SIZE - 1},
                "xgap": 2,
                "ygap": 2,
                "colorbar": {"title": {"side": "right"}, "thickness": 14},
            },
        ),
    )
    fig = draft_of(spec)
    fig.update_xaxes(dtick=1, showline=False, ticks="")
    fig.update_yaxes(showgrid=False)
    return spec, fig, len(grid)


def basic_by_cluster(result, lang: str, illustrative: bool, calibration: str = "") -> Chart:
    """Basic subsidy per cluster and year in one scenario as a heat map with the amount in each cell.

    Several clusters sit at the cap, where lines would hide each other; a labelled grid keeps every
    value readable and does not depend on colour.
    """
    spec, fig, rows = _cluster_year_grid(result, "public_eur", BLUES, lang)
    return finish_chart(
        spec,
        fig,
        t("scenarios.chart_clusters_title", lang, scenario=as_literal(result.params.name)),
        noted(
            t("scenarios.chart_clusters_subtitle", lang, cap=i18n.eur(result.params.cap_eur * result.scale, lang)), calibration
        ),
        illustrative,
        height=200 + 46 * max(1, rows),
    )


def member_shortfall(result, lang: str, illustrative: bool, calibration: str = "", own_limits: int = 0) -> Chart:
    """What one scenario asks of each cluster's members beyond what they can pay, per year (thousand euros in each cell).

    ``own_limits``: how many clusters have a limit of their own in the data (member_capacity), used instead of the scenario's.
    """
    spec, fig, rows = _cluster_year_grid(result, "shortfall_eur", ORANGES, lang)
    growth = i18n.pct(result.params.member_growth, lang, 1)
    own = t("scenarios.shortfall_own", lang, n=own_limits) if own_limits else ""
    return finish_chart(
        spec,
        fig,
        t("scenarios.chart_shortfall_title", lang, scenario=as_literal(result.params.name)),
        noted(t("scenarios.chart_shortfall_subtitle", lang, growth=growth), own, calibration),
        illustrative,
        height=200 + 46 * max(1, rows),
    )


def cluster_change(results: list, lang: str, illustrative: bool, calibration: str = "") -> Chart:
    """Per cluster: cumulative change in basic subsidy against the baseline (who loses most)."""
    base = results[0].clusters.groupby("cluster_name")["public_eur"].sum()
    order = None
    ends = [0.0]
    series = []
    for i, r in enumerate(results[1:], start=1):
        cum = r.clusters.groupby("cluster_name")["public_eur"].sum()
        diff = cum.reindex(base.index.union(cum.index)).fillna(0) - base.reindex(base.index.union(cum.index)).fillna(0)
        if order is None:
            # the clusters that change most (losers first); at EU scale the rest are left out
            order = diff.reindex(diff.abs().sort_values(ascending=False).index[:MAX_ROWS]).sort_values().index.tolist()
        diff = diff.reindex(order)
        ends += [float(diff.min()) / 1e3, float(diff.max()) / 1e3]
        series.append(
            Series.of(
                f"scenario:{i}",
                r.params.name,
                "bar",
                order,
                diff.to_numpy() / 1e3,
                PALETTE[i % len(PALETTE)],
                patterns=("", "/", ".", "x")[i % 4],
                # in the axis' unit, beside the bar: written on a hatched bar the amounts were hard to read
                labels=[i18n.num(v / 1e3, lang) for v in diff.to_numpy()],
                hover=hover_amounts(diff.to_numpy(), lang),
                page={
                    "showlegend": True,
                    "textposition": "outside",
                    "constraintext": "none",
                    "cliponaxis": False,
                    "textfont": {"size": FONT_SIZE - 2},
                },
            )
        )
    lo, hi = min(ends), max(ends)
    pad = 0.22 * max(hi - lo, 1e-9)  # room for the amounts beside the longest bars
    spec = ChartSpec(
        lang,
        unit="eur_k",
        format=NumberFormat(0),
        series=series,
        horizontal=True,
        top_down=True,
        value_range=(lo - pad if lo < 0 else 0, hi + pad if hi > 0 else 0),
    )
    fig = draft_of(spec)
    fig.update_xaxes(zeroline=True, zerolinewidth=2)
    n = len(order or [])
    return finish_chart(
        spec,
        fig,
        t("scenarios.chart_change_title", lang, baseline=as_literal(results[0].params.name)),
        noted(t("scenarios.chart_change_subtitle", lang), calibration),
        illustrative,
        height=200 + 45 * max(n, 1) * max(1, len(results) - 1) ** 0.5,
    )


def self_financing(results: list, base_share: pd.DataFrame, lang: str, illustrative: bool, calibration: str = "") -> Chart:
    """Self-financing share per cluster in the base year and in each scenario's last year."""
    # the clusters closest to self-financing first; at EU scale only the top of that list
    base_share = base_share.sort_values("share", ascending=False).head(MAX_ROWS).sort_values("share")
    order = base_share["cluster_name"].tolist()
    spec = ChartSpec(lang, unit="pct", format=NumberFormat(0), horizontal=True, top_down=True, value_range=(0.0, 112.0))
    spec.add(
        Series.of(
            "base_year",
            t("scenarios.base_year", lang, year=int(base_share["year"].max())),
            "bar",
            order,
            base_share["share"] * 100,
            "#999999",
            patterns="",
            labels=[i18n.pct(v, lang, 0) for v in base_share["share"]],
            page={"textposition": "outside", "hovertemplate": "%{y}: %{text}<extra></extra>"},
        )
    )
    for i, r in enumerate(results):
        last = r.clusters[r.clusters["year"] == r.clusters["year"].max()].set_index("cluster_name")
        share = last["self_financing_share"].reindex(order)
        spec.add(
            Series.of(
                f"scenario:{i}",
                f"{r.params.name} ({int(r.params.last_year)})",
                "bar",
                order,
                share * 100,
                PALETTE[i % len(PALETTE)],
                patterns=("", "/", ".", "x")[i % 4],
                labels=[i18n.pct(v, lang, 0) for v in share],
                page={
                    "textposition": "outside",
                    "hovertemplate": "%{y}: %{text}<extra>" + as_literal(r.params.name) + "</extra>",
                },
            )
        )
    fig = draft_of(spec)
    fig.add_vline(x=50, line={"color": "#D55E00", "dash": "dot", "width": 2})
    fig.update_xaxes(ticksuffix="")
    return finish_chart(
        spec,
        fig,
        t("scenarios.chart_selffin_title", lang),
        noted(t("scenarios.chart_selffin_subtitle", lang), calibration),
        illustrative,
        height=220 + 28 * len(order) * (len(results) + 1),
    )
