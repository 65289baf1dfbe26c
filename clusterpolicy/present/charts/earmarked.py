"""Charts of the earmarked-budgets page: inter-cluster money by theme, the collaboration network."""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterpolicy import i18n
from clusterpolicy.i18n import t
from clusterpolicy.present.charts.chart import Chart, finish_chart
from clusterpolicy.present.charts.figure import draft_of
from clusterpolicy.present.charts.precision import NumberFormat
from clusterpolicy.present.charts.spec import ChartSpec, Series
from clusterpolicy.present.charts.theme import FONT_SIZE, MAX_NODES, PALETTE, PATTERNS, as_literal


def projects_by_theme(df: pd.DataFrame, lang: str, illustrative: bool) -> Chart:
    """Stacked bars: public inter-cluster project money per year, one segment per theme."""
    spec = ChartSpec(lang, unit="eur_m", format=NumberFormat(1), mode="stack")
    years = sorted(df["year"].unique()) if len(df) else []
    # one column per theme, one row per year: one reshape, not one per theme
    money = df.pivot(index="year", columns="theme", values="public_eur").reindex(years).fillna(0).sort_index(axis=1)
    counts = df.pivot(index="year", columns="theme", values="projects").reindex(years).fillna(0)
    for i, theme in enumerate(money.columns):
        label = i18n.theme(theme, lang)
        spec.add(
            Series.of(
                f"theme:{theme}",
                label,
                "bar",
                years,
                money[theme] / 1e6,
                PALETTE[i % len(PALETTE)],
                patterns=PATTERNS[i % len(PATTERNS)],
                hover=[i18n.eur(v, lang) for v in money[theme]],
                # the hover also counts the projects
                page={
                    "customdata": [[i18n.eur(v, lang), i18n.num(n, lang)] for v, n in zip(money[theme], counts[theme])],
                    "hovertemplate": "%{x}: %{customdata[0]} (%{customdata[1]} "
                    + t("earmarked.projects_word", lang)
                    + ")<extra>"
                    + as_literal(label)
                    + "</extra>",
                },
            )
        )
    fig = draft_of(spec)
    fig.update_xaxes(dtick=1)
    return finish_chart(
        spec, fig, t("earmarked.chart_themes_title", lang), t("earmarked.chart_themes_subtitle", lang), illustrative
    )


def network_nodes(nodes: pd.DataFrame) -> pd.DataFrame:
    """The clusters the network draws: those with the largest inter-cluster budget, at most MAX_NODES."""
    return nodes.nlargest(MAX_NODES, "budget_eur")


def collaboration_network(
    nodes: pd.DataFrame, links: pd.DataFrame, lang: str, illustrative: bool, total: int | None = None
) -> Chart:
    """Clusters on a circle, sized by the budget of their inter-cluster projects; links weighted by joint budget.

    A drawing without series (a table slide in the deck): the links and circles are the page's own.
    """
    spec = ChartSpec(lang)
    fig = draft_of(spec)
    nodes = nodes.sort_values("cluster_name")
    order = list(nodes["cluster_id"])
    node_name = {c: as_literal(n) for c, n in zip(nodes["cluster_id"], nodes["cluster_name"])}
    node_budget = dict(zip(nodes["cluster_id"], nodes["budget_eur"].astype(float)))
    angle = {c: np.pi / 2 - 2 * np.pi * k / max(1, len(order)) for k, c in enumerate(order)}
    pos = {c: (np.cos(a), np.sin(a)) for c, a in angle.items()}
    max_joint = float(links["joint_budget_eur"].max()) if len(links) else 1.0
    for _, link in links.iterrows():
        (x0, y0), (x1, y1) = pos[link["cluster_a"]], pos[link["cluster_b"]]
        width = 1.5 + 12 * float(link["joint_budget_eur"]) / max_joint
        text = t(
            "earmarked.link_hover",
            lang,
            a=as_literal(link["name_a"]),
            b=as_literal(link["name_b"]),
            n=int(link["projects"]),
            budget=i18n.eur(link["joint_budget_eur"], lang),
        )
        fig.add_scatter(
            x=[x0, (x0 + x1) / 2, x1],
            y=[y0, (y0 + y1) / 2, y1],
            mode="lines",
            line={"width": width, "color": "rgba(0,114,178,0.45)"},
            hoverinfo="text",
            text=[text] * 3,
            showlegend=False,
            name=f"{as_literal(link['name_a'])} – {as_literal(link['name_b'])}",
        )
    max_node = max(node_budget.values()) if node_budget else 1.0
    xs = [pos[c][0] for c in order]
    ys = [pos[c][1] for c in order]
    fig.add_scatter(
        x=xs,
        y=ys,
        mode="markers+text",
        name=t("earmarked.network_nodes", lang),
        showlegend=False,
        marker={
            "size": [18 + 42 * np.sqrt(node_budget[c] / max_node) for c in order],
            "color": PALETTE[1],
            "line": {"color": "#333", "width": 1.5},
        },
        text=[node_name[c] for c in order],
        textposition=["top center" if y >= 0 else "bottom center" for y in ys],
        textfont={"size": FONT_SIZE + 1},
        customdata=[i18n.eur(node_budget[c], lang) for c in order],
        hovertemplate="%{text}: %{customdata}<extra></extra>",
    )
    fig.update_xaxes(visible=False, range=[-1.5, 1.5])
    fig.update_yaxes(visible=False, range=[-1.45, 1.45], scaleanchor="x", scaleratio=1)
    subtitle = t("earmarked.chart_network_subtitle", lang)
    if total and total > len(order):
        subtitle += " " + t("chart.showing", lang, shown=len(order), total=total)
    return finish_chart(spec, fig, t("earmarked.chart_network_title", lang), subtitle, illustrative, height=640)
