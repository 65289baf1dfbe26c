"""Charts of a cluster's profile: its basic operation, earmarked amounts, partners, KPIs and scenarios.

Every builder gets one cluster's rows with the kind of each row's source, and draws published,
derived and illustrative values differently: published solid (stars on lines and in heat-map
cells), derived dotted, illustrative hatched with the illustrative mark on the chart.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from clusterpolicy import i18n
from clusterpolicy.data.provenance import REAL_KINDS
from clusterpolicy.i18n import t
from clusterpolicy.present.charts.chart import Chart, finish_chart
from clusterpolicy.present.charts.figure import draft_of
from clusterpolicy.present.charts.kpis import attainment_grid
from clusterpolicy.present.charts.overview import tint
from clusterpolicy.present.charts.precision import NumberFormat
from clusterpolicy.present.charts.spec import ChartSpec, Series
from clusterpolicy.present.charts.theme import (
    DASHES,
    FONT_SIZE,
    PALETTE,
    SYMBOLS,
    as_literal,
    heatmap_labels_on_two_lines,
    hover_amounts,
)

# published and internal figures are real values, drawn solid (the legend names the kind); derived dotted, illustrative hatched
KIND_PATTERN = {"published": "", "internal": "", "derived": ".", "illustrative": "/"}
PUBLISHED_MARK = "★"


def _kind_bars(key: str, name: str, categories, values, colour: str, kind: str, hover, **page) -> Series:
    """Bars of one kind: published and internal solid, derived dotted, illustrative hatched on a pale fill."""
    return Series.of(
        key,
        name,
        "bar",
        categories,
        values,
        colour if kind in REAL_KINDS else tint(colour, 0.18),
        patterns=KIND_PATTERN.get(kind, "/"),
        pattern_colour=colour,
        status=kind,
        hover=hover,
        page={"marker": {"line": {"color": colour, "width": 2}, "pattern": {"solidity": 0.45}}, **page},
    )


def _named(label: str, kind: str, lang: str) -> str:
    return f"{label} ({t('kind.' + kind, lang)})"


def funding(df: pd.DataFrame, name: str, lang: str) -> Chart:
    """The basic subsidy and the members' co-financing of one cluster per year, stacked, by the kind of their source."""
    spec = ChartSpec(lang, unit="eur_k", format=NumberFormat(0), mode="stack")
    for j, (column, label) in enumerate((("public_eur", "profile.public"), ("member_eur", "profile.members_part"))):
        for kind, rows in df.groupby("kind", sort=True):
            key = f"{column.removesuffix('_eur')}:{kind}"
            spec.add(
                _kind_bars(
                    key,
                    _named(t(label, lang), str(kind), lang),
                    rows["year"],
                    rows[column] / 1e3,
                    PALETTE[j],
                    str(kind),
                    hover_amounts(rows[column], lang),
                )
            )
    fig = draft_of(spec)
    fig.update_layout(legend={"traceorder": "normal"})
    fig.update_xaxes(dtick=1)
    illustrative = bool((df["kind"] == "illustrative").any())
    return finish_chart(
        spec,
        fig,
        t("profile.chart_funding_title", lang, name=as_literal(name)),
        t("profile.chart_funding_subtitle", lang),
        illustrative,
    )


def earmarked(df: pd.DataFrame, name: str, lang: str) -> Chart:
    """The earmarked amounts set aside for one cluster per year: published solid, derived dotted, illustrative hatched."""
    spec = ChartSpec(lang, unit="eur_m", format=NumberFormat(1), mode="group")
    for j, envelope in enumerate(("cluster_projects", "intercluster_projects")):
        part = df[df["envelope"] == envelope]
        for kind, rows in part.groupby("kind", sort=True):
            spec.add(
                _kind_bars(
                    f"envelope:{envelope}:{kind}",
                    _named(t(f"envelope.{envelope}", lang), str(kind), lang),
                    rows["year"],
                    rows["amount_eur"] / 1e6,
                    PALETTE[j],
                    str(kind),
                    hover_amounts(rows["amount_eur"], lang),
                    offsetgroup=envelope,
                    width=0.38,  # one or two years of data: a bar as wide as the axis told nothing
                )
            )
    fig = draft_of(spec)
    fig.update_yaxes(rangemode="tozero")
    years = sorted(df["year"].unique())
    fig.update_xaxes(dtick=1, range=[min(years) - 0.6, max(years) + 0.6] if years else None)
    subtitle = t("profile.chart_earmarked_subtitle", lang)
    if (df["kind"] == "derived").any():
        subtitle += " " + t("profile.derived_note", lang)
    illustrative = bool((df["kind"] == "illustrative").any())
    return finish_chart(
        spec, fig, t("profile.chart_earmarked_title", lang, name=as_literal(name)), subtitle, illustrative, height=420
    )


def partners(df: pd.DataFrame, name: str, lang: str, illustrative: bool) -> Chart:
    """The clusters one cluster shares inter-cluster projects with: the number of joint projects, their budget on hover."""
    df = df.sort_values(["projects", "partner_name"], ascending=[False, True])
    top = float(df["projects"].max()) if len(df) else 1.0
    spec = ChartSpec(
        lang, unit="count", format=NumberFormat(0), horizontal=True, top_down=True, value_range=(0.0, top * 1.2 + 0.5)
    )
    spec.add(
        Series.of(
            "joint_projects",
            t("profile.joint_projects", lang),
            "bar",
            df["partner_name"],
            df["projects"],
            PALETTE[2],
            labels=[i18n.num(v, lang) for v in df["projects"]],
            hover=hover_amounts(df["joint_budget_eur"], lang),
            page={
                "textposition": "outside",
                "textfont": {"size": FONT_SIZE},
                "hovertemplate": "%{y}: %{x} · %{customdata}<extra></extra>",
            },
        )
    )
    fig = draft_of(spec)
    fig.update_xaxes(dtick=1 if top <= 10 else None)
    fig.update_layout(showlegend=False)
    return finish_chart(
        spec,
        fig,
        t("profile.chart_partners_title", lang, name=as_literal(name)),
        t("profile.chart_partners_subtitle", lang),
        illustrative,
        height=220 + 44 * max(1, len(df)),
    )


def _short(value: float, unit: str, lang: str) -> str:
    """A KPI value short enough for a heat-map cell (millions on two lines)."""
    if unit == "eur":
        return i18n.eur_millions(value, lang, 1).replace(" mln", "<br>mln").replace(" m", "<br>m")
    if unit == "pct":
        return i18n.pct(value / 100, lang, 0)
    return i18n.num(value, lang)


# a qualifier as a sign, for a cell on a slide: "meer dan 100" becomes "> 100"
_QUALIFIER_SIGNS = {"more_than": "> ", "about": "≈ ", "nearly": "≈ "}


def _compact(value: float, unit: str, qualifier, lang: str) -> str:
    """A KPI value for a heat-map cell on a slide: one line, at most about seven characters ("5,4 mln", "> 100")."""
    if unit == "eur":
        shown = i18n.num(value / 1e6, lang, 1) + (" mln" if lang == "nl" else " m")
    else:
        shown = _short(value, unit, lang)
    sign = _QUALIFIER_SIGNS.get(qualifier, "") if isinstance(qualifier, str) else ""
    return sign + shown


def kpi_attainment(df: pd.DataFrame, kpis: pd.DataFrame, name: str, lang: str) -> Chart:
    """KPI x year for one cluster: the value as a share of its target, coloured; a year without target shows the value, uncoloured.

    A published value carries a star in its cell, so published points stand out from the illustrative ones.
    """
    names = dict(zip(kpis["kpi_id"], kpis[f"name_{lang}"]))
    units = dict(zip(kpis["kpi_id"], kpis["unit"]))
    years = sorted(df["year"].unique())
    rows = [k for k in kpis["kpi_id"] if k in set(df["kpi_id"])][::-1]
    cells = {(k, y): r for k, y, r in zip(df["kpi_id"], df["year"], df.itertuples(index=False))}
    z = np.full((len(rows), len(years)), np.nan)
    text = [["" for _ in years] for _ in rows]
    compact = [["" for _ in years] for _ in rows]  # the same, short enough for a cell on a slide
    hover = [["" for _ in years] for _ in rows]
    for i, k in enumerate(rows):
        for j, y in enumerate(years):
            r = cells.get((k, y))
            if r is None:
                continue
            mark = f" {PUBLISHED_MARK}" if r.value_kind == "published" else ""
            value = i18n.qualified(_short(r.value, units[k], lang), r.qualifier, lang)
            has_target = r.attainment is not None and np.isfinite(r.attainment)
            if has_target:
                z[i, j] = r.attainment
                text[i][j] = compact[i][j] = i18n.pct(r.attainment, lang, 0) + mark
                target = t("profile.hover_target", lang, target=_short(r.target, units[k], lang).replace("<br>", " "))
            else:
                text[i][j] = value + mark
                compact[i][j] = _compact(r.value, units[k], r.qualifier, lang) + mark
                target = t("profile.no_target", lang)
            hover[i][j] = f"{value.replace('<br>', ' ')} · {target} ({t('kind.' + r.value_kind, lang)})"
    columns = [str(y) for y in years]
    labels = [names[k] for k in rows]
    grid = attainment_grid(labels, columns, z, text, lang, hover=hover)
    # each cell's text short enough for one line on a slide (the presenter's copy and the deck)
    spec = ChartSpec(lang, grid=replace(grid, compact=compact))
    fig = draft_of(spec)
    fig.update_xaxes(showline=False, ticks="", type="category")
    heatmap_labels_on_two_lines(fig, columns, [as_literal(r) for r in labels])
    fig.update_yaxes(showgrid=False)
    illustrative = bool((df["value_kind"] == "illustrative").any())
    return finish_chart(
        spec,
        fig,
        t("profile.chart_kpis_title", lang, name=as_literal(name)),
        t("profile.chart_kpis_subtitle", lang, mark=PUBLISHED_MARK),
        illustrative,
        height=300 + 56 * max(1, len(rows)),
    )


def scenario_lines(results: list, cluster_id: str, name: str, lang: str, illustrative: bool, calibration: str = "") -> Chart:
    """One cluster's basic subsidy per year in each compared scenario."""
    spec = ChartSpec(lang, unit="eur_k", format=NumberFormat(0))
    for i, r in enumerate(results):
        rows = r.clusters[r.clusters["cluster_id"] == cluster_id]
        spec.add(
            Series.of(
                f"scenario:{i}",
                r.params.name,
                "line",
                rows["year"],
                rows["public_eur"] / 1e3,
                PALETTE[i % len(PALETTE)],
                dash=DASHES[i % len(DASHES)],
                symbol=SYMBOLS[i % len(SYMBOLS)],
                hover=hover_amounts(rows["public_eur"], lang),
                page={"line": {"width": 3}, "marker": {"size": 9}},
            )
        )
    fig = draft_of(spec)
    fig.update_yaxes(rangemode="tozero")
    fig.update_xaxes(dtick=1)
    subtitle = t("profile.chart_scenarios_subtitle", lang)
    if calibration:
        subtitle += " " + as_literal(calibration)
    return finish_chart(spec, fig, t("profile.chart_scenarios_title", lang, name=as_literal(name)), subtitle, illustrative)
