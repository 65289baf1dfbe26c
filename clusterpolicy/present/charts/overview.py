"""Charts of the overview page: the basic subsidy per year, the envelopes, the cluster timeline."""

from __future__ import annotations

import pandas as pd

from clusterpolicy.data.provenance import REAL_KINDS
from clusterpolicy.i18n import t
from clusterpolicy.present.charts.chart import Chart, finish_chart
from clusterpolicy.present.charts.theme import (
    FONT_SIZE,
    MAX_STACKED,
    MAX_TIMELINE,
    PALETTE,
    PATTERNS,
    FigureDraft,
    as_literal,
    hover_amounts,
    lump_smallest,
)


def basic_funding_by_year(df: pd.DataFrame, lang: str, illustrative: bool, conflict: str = "") -> Chart:
    """Stacked bars: the public basic subsidy per year, one segment per cluster, members' share as a line."""
    fig = FigureDraft()
    n_clusters = df["cluster_name"].nunique()
    df = lump_smallest(
        df,
        "cluster_name",
        "public_eur",
        MAX_STACKED - 1,
        t("chart.other_clusters", lang, n=n_clusters - MAX_STACKED + 1),
        ["public_eur", "member_eur"],
        ["year"],
    )
    years = sorted(df["year"].unique())
    # one column per cluster, one row per year (missing years empty): one reshape, not one per cluster
    wide = df.pivot(index="year", columns="cluster_name", values="public_eur").reindex(years).sort_index(axis=1)
    for i, name in enumerate(wide.columns):
        public = wide[name]
        name = as_literal(name)
        fig.add_bar(
            x=years,
            y=public.fillna(0) / 1e3,
            name=name,
            # past eight clusters the colours repeat, so the pattern shifts: no two series look alike
            marker={
                "color": PALETTE[i % len(PALETTE)],
                "pattern": {"shape": PATTERNS[(i + i // len(PALETTE)) % len(PATTERNS)], "solidity": 0.5},
            },
            customdata=hover_amounts(public, lang),
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
        customdata=hover_amounts(members, lang),
        hovertemplate="%{x}: %{customdata}<extra></extra>",
    )
    # legend top-down in the same order as the stack
    fig.update_layout(barmode="stack", legend={"traceorder": "reversed"})
    fig.update_yaxes(title=t("unit.eur_k", lang), tickformat=",.0f")
    fig.update_xaxes(dtick=1)
    subtitle = t("overview.chart_basic_subtitle", lang) + (
        " " + as_literal(conflict) if conflict else ""
    )  # two published figures disagree
    return finish_chart(fig, t("overview.chart_basic_title", lang), subtitle, lang, illustrative)


def tint(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


# how an envelope's bar is drawn by what it rests on: real amounts solid, derived ones and sums of per-cluster
# parts (no total known) dotted on a pale fill, illustrative ones hatched on a pale fill
_ENVELOPE_KINDS = ("published", "internal", "derived", "parts", "illustrative")
_PATTERN = {"published": "", "internal": "", "derived": ".", "parts": ".", "illustrative": "/"}


def _envelope_kind(basis: str, source_ids, kinds: dict[str, str]) -> str:
    """What one bar rests on: the sum of known parts, else its source's kind (the least authoritative of several)."""
    if basis == "parts":
        return "parts"
    found = [kinds.get(s, "illustrative") for s in source_ids]
    return max(found, key=lambda k: _ENVELOPE_KINDS.index(k) if k in _ENVELOPE_KINDS else len(_ENVELOPE_KINDS))


def earmarked_by_year(df: pd.DataFrame, kinds: dict[str, str], lang: str) -> Chart:
    """Envelopes per year, each bar drawn by what it rests on (published or internal solid, derived or a sum of parts
    dotted, illustrative hatched), each kind with its own legend entry."""
    fig = FigureDraft()
    illustrative_any = False
    ids = df["source_ids"] if "source_ids" in df else df["source_id"].map(lambda s: [s])
    basis = df["basis"] if "basis" in df else pd.Series("total", index=df.index)
    kind_of = pd.Series([_envelope_kind(b, i, kinds) for b, i in zip(basis, ids)], index=df.index)
    for j, envelope in enumerate(("cluster_projects", "intercluster_projects")):
        colour = PALETTE[j]
        for kind in _ENVELOPE_KINDS:
            rows = df[(df["envelope"] == envelope) & (kind_of == kind)]
            if rows.empty:
                continue
            illustrative_any |= kind == "illustrative"
            label = t("chart.parts_sum", lang) if kind == "parts" else t(f"kind.{kind}", lang)
            name = f"{t(f'envelope.{envelope}', lang)} ({label})"
            solid = kind in REAL_KINDS
            fig.add_bar(
                x=rows["year"],
                y=rows["amount_eur"] / 1e6,
                name=name,
                offsetgroup=envelope,
                marker={
                    "color": colour if solid else tint(colour, 0.18),
                    "line": {"color": colour, "width": 2},
                    "pattern": {"shape": _PATTERN[kind], "fgcolor": colour, "solidity": 0.45},
                },
                customdata=hover_amounts(rows["amount_eur"], lang),
                hovertemplate="%{x}: %{customdata}<extra>" + name + "</extra>",
            )
    fig.update_layout(barmode="group")
    fig.update_yaxes(title=t("unit.eur_m", lang), tickformat=",.0f")
    fig.update_xaxes(dtick=1)
    return finish_chart(
        fig, t("overview.chart_earmarked_title", lang), t("overview.chart_earmarked_subtitle", lang), lang, illustrative_any
    )


def cluster_timeline(clusters: pd.DataFrame, kinds: dict[str, str], last_year: int, lang: str) -> Chart:
    """A bar per cluster from recognition to end (or today); an inferred end is marked as such."""
    fig = FigureDraft()
    total = len(clusters)
    # many clusters: the most recently recognised ones, the rest counted in the subtitle
    df = clusters.sort_values(["recognised_year", "name"], ascending=[False, True]).head(MAX_TIMELINE)
    df = df.sort_values(["type", "recognised_year", "name"], ascending=[False, False, False])
    inferred_any = False
    for typ, colour, text_colour in (("spearhead", PALETTE[0], "white"), ("ibn", PALETTE[1], "black")):
        part = df[df["type"] == typ]
        if part.empty:
            continue
        end = part["ended_year"].fillna(last_year).astype(int)
        inferred = [
            (not pd.isna(e)) and kinds.get(s) not in REAL_KINDS for e, s in zip(part["ended_year"], part["ended_source_id"])
        ]
        inferred_any |= any(inferred)
        labels = [
            f"{int(r)}–{int(e) if not pd.isna(e) else t('overview.now', lang)}" + (" *" if inf else "")
            for r, e, inf in zip(part["recognised_year"], part["ended_year"], inferred)
        ]
        fig.add_bar(
            y=[as_literal(n) for n in part["name"]],
            x=end - part["recognised_year"] + 1,
            base=part["recognised_year"] - 0.5,
            orientation="h",
            name=t(f"cluster_type.{typ}", lang),
            marker={"color": colour},
            text=labels,
            textposition="inside",
            insidetextanchor="start",
            constraintext="none",  # keep the period labels at full size instead of shrinking them to the bar
            textfont={"color": text_colour, "size": FONT_SIZE - 1},
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    fig.update_xaxes(dtick=1, title=t("unit.year", lang), range=[df["recognised_year"].min() - 0.7, last_year + 0.7])
    fig.update_yaxes(gridcolor="rgba(0,0,0,0)")
    subtitle = t("overview.chart_timeline_subtitle", lang)
    if total > len(df):
        subtitle += " " + t("chart.showing", lang, shown=len(df), total=total)
    if inferred_any:
        subtitle += " " + t("overview.timeline_inferred_note", lang)
    return finish_chart(fig, t("overview.chart_timeline_title", lang), subtitle, lang, False, height=440)
