"""Charts of the overview page: the basic subsidy per year, the envelopes, the cluster timeline."""

from __future__ import annotations

import pandas as pd

from clusterpolicy.data.provenance import REAL_KINDS
from clusterpolicy.i18n import t
from clusterpolicy.present.charts.chart import Chart, finish_chart
from clusterpolicy.present.charts.figure import draft_of
from clusterpolicy.present.charts.precision import NumberFormat
from clusterpolicy.present.charts.spec import ChartSpec, Series
from clusterpolicy.present.charts.theme import (
    FONT_SIZE,
    MAX_STACKED,
    MAX_TIMELINE,
    PALETTE,
    PATTERNS,
    as_literal,
    cluster_places,
    hover_amounts,
    lump_smallest,
)


def basic_funding_by_year(df: pd.DataFrame, lang: str, illustrative: bool, conflict: str = "", every=None) -> Chart:
    """Stacked bars: the public basic subsidy per year, one segment per cluster, members' share as a line.

    ``every``: the names of every cluster in the data, which give each cluster its colour and pattern (``cluster_places``).
    """
    spec = ChartSpec(lang, unit="eur_k", format=NumberFormat(0), mode="stack")
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
    places = cluster_places(wide.columns, every)
    for name in wide.columns:
        public = wide[name]
        i = places[str(name)]
        # past eight clusters the colours repeat, so the pattern shifts: no two series look alike
        pattern = PATTERNS[(i + i // len(PALETTE)) % len(PATTERNS)]
        spec.add(
            Series.of(
                f"cluster:{name}",
                name,
                "bar",
                years,
                public.fillna(0) / 1e3,
                PALETTE[i % len(PALETTE)],
                patterns=pattern,
                hover=hover_amounts(public, lang),
            )
        )
    members = df.groupby("year")["member_eur"].sum().reindex(years)
    spec.add(
        Series.of(
            "members",
            t("overview.members_cofinancing", lang),
            "line",
            years,
            members / 1e3,
            "#000",
            dash="dash",
            symbol="diamond",
            hover=hover_amounts(members, lang),
            page={"line": {"width": 3}, "marker": {"size": 10}, "hovertemplate": "%{x}: %{customdata}<extra></extra>"},
        )
    )
    fig = draft_of(spec)
    # legend top-down in the same order as the stack
    fig.update_layout(legend={"traceorder": "reversed"})
    fig.update_xaxes(dtick=1)
    subtitle = t("overview.chart_basic_subtitle", lang) + (
        " " + as_literal(conflict) if conflict else ""
    )  # two published figures disagree
    return finish_chart(spec, fig, t("overview.chart_basic_title", lang), subtitle, illustrative)


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
    spec = ChartSpec(lang, unit="eur_m", format=NumberFormat(0), mode="group")
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
            solid = kind in REAL_KINDS
            spec.add(
                Series.of(
                    f"envelope:{envelope}:{kind}",
                    f"{t(f'envelope.{envelope}', lang)} ({label})",
                    "bar",
                    rows["year"],
                    rows["amount_eur"] / 1e6,
                    colour if solid else tint(colour, 0.18),
                    patterns=_PATTERN[kind],
                    pattern_colour=colour,
                    status="derived" if kind == "parts" else kind,
                    hover=hover_amounts(rows["amount_eur"], lang),
                    page={
                        "offsetgroup": envelope,
                        "marker": {"line": {"color": colour, "width": 2}, "pattern": {"solidity": 0.45}},
                    },
                )
            )
    fig = draft_of(spec)
    fig.update_xaxes(dtick=1)
    return finish_chart(
        spec, fig, t("overview.chart_earmarked_title", lang), t("overview.chart_earmarked_subtitle", lang), illustrative_any
    )


def cluster_timeline(clusters: pd.DataFrame, kinds: dict[str, str], last_year: int, lang: str) -> Chart:
    """A bar per cluster from recognition to end (or today); an inferred end is marked as such."""
    total = len(clusters)
    # many clusters: the most recently recognised ones, the rest counted in the subtitle
    df = clusters.sort_values(["recognised_year", "name"], ascending=[False, True]).head(MAX_TIMELINE)
    df = df.sort_values(["type", "recognised_year", "name"], ascending=[False, False, False])
    spec = ChartSpec(
        lang,
        unit="year",
        format=NumberFormat(grouped=False),
        horizontal=True,
        value_range=(float(df["recognised_year"].min() - 0.7), float(last_year + 0.7)),
    )
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
        spec.add(
            Series.of(
                f"cluster_type:{typ}",
                t(f"cluster_type.{typ}", lang),
                "bar",
                part["name"],
                end - part["recognised_year"] + 1,
                colour,
                base=part["recognised_year"] - 0.5,
                labels=labels,
                page={
                    "textposition": "inside",
                    "insidetextanchor": "start",
                    "constraintext": "none",  # keep the period labels at full size instead of shrinking them to the bar
                    "textfont": {"color": text_colour, "size": FONT_SIZE - 1},
                    "hovertemplate": "%{y}: %{text}<extra></extra>",
                },
            )
        )
    fig = draft_of(spec)
    fig.update_xaxes(dtick=1)
    fig.update_yaxes(gridcolor="rgba(0,0,0,0)")
    subtitle = t("overview.chart_timeline_subtitle", lang)
    if total > len(df):
        subtitle += " " + t("chart.showing", lang, shown=len(df), total=total)
    if inferred_any:
        subtitle += " " + t("overview.timeline_inferred_note", lang)
    return finish_chart(spec, fig, t("overview.chart_timeline_title", lang), subtitle, False, height=440)
