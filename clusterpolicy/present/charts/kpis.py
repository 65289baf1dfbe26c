"""Charts of the KPI page: a KPI against its targets, attainment and data coverage heat maps."""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterpolicy import i18n
from clusterpolicy.i18n import t
from clusterpolicy.present.charts.chart import Chart, finish_chart
from clusterpolicy.present.charts.figure import draft_of
from clusterpolicy.present.charts.precision import NumberFormat
from clusterpolicy.present.charts.spec import ChartSpec, Grid, Series
from clusterpolicy.present.charts.theme import (
    DASHES,
    FONT_SIZE,
    PALETTE,
    as_literal,
    cluster_places,
    heatmap_labels_on_two_lines,
    plain_text,
)

# a cluster's own marker on a KPI line: never the star or the triangle that mark a published value ("more than")
CLUSTER_SYMBOLS = ("circle", "square", "diamond", "x", "cross", "hexagon", "triangle-down", "pentagon")


def kpi_timeseries(series: pd.DataFrame, kpi: pd.Series, lang: str, illustrative: bool, every=None) -> Chart:
    """Values (solid) and targets (dotted) of one KPI per cluster; published points as large outlined markers.

    ``every``: the names of every cluster in the data, which give each cluster its colour (``cluster_places``).
    """
    unit = kpi["unit"]
    scale = 1e6 if unit == "eur" else 1.0
    fmt = {"eur": lambda v: i18n.eur(v, lang), "pct": lambda v: i18n.pct(v / 100, lang), "count": lambda v: i18n.num(v, lang)}[
        unit
    ]
    axis = {"eur": "eur_m", "pct": "pct", "count": "count"}[unit]
    spec = ChartSpec(lang, unit=axis, format=NumberFormat(1 if unit == "eur" else 0))
    # split by cluster and series in one pass (filtering each cluster's rows twice cost 4 ms a chart)
    parts = dict(list(series.groupby(["cluster_name", "series"], sort=True)))
    empty = series.iloc[:0]
    names = sorted({cluster for cluster, _ in parts})
    places = cluster_places(names, every)
    for name in names:
        i = places[str(name)]
        # past eight clusters the colours repeat, so the dash and the marker shift: no two lines look alike
        shift = i + i // len(PALETTE)
        values = parts.get((name, "value"), empty)
        targets = parts.get((name, "target"), empty)
        group = as_literal(name)
        colour = PALETTE[i % len(PALETTE)]
        hover = [
            i18n.qualified(fmt(v), q, lang) + f" ({t('kind.' + k, lang)})"
            for v, q, k in zip(values["value"], values["qualifier"], values["kind"])
        ]
        published = [k == "published" for k in values["kind"]]
        spec.add(
            Series.of(
                f"cluster:{name}",
                name,
                "line",
                values["year"],
                values["value"] / scale,
                colour,
                dash=DASHES[shift % len(DASHES)] if i >= 6 else "solid",
                symbols=[
                    ("triangle-up" if q == "more_than" else "star") if p else CLUSTER_SYMBOLS[shift % len(CLUSTER_SYMBOLS)]
                    for p, q in zip(published, values["qualifier"])
                ],
                status=values["kind"],
                hover=hover,
                page={
                    "legendgroup": group,
                    "line": {"width": 3},
                    "marker": {
                        "size": [18 if p else 8 for p in published],
                        "line": {"color": "#000", "width": [2 if p else 0 for p in published]},
                    },
                },
            )
        )
        if len(targets):
            spec.add(
                Series.of(
                    f"target:{name}",
                    f"{name} – {t('kpi.target', lang)}",
                    "line",
                    targets["year"],
                    targets["value"] / scale,
                    colour,
                    dash="dot",
                    hover=[fmt(v) for v in targets["value"]],
                    page={
                        "legendgroup": group,
                        "line": {"width": 2},
                        "hovertemplate": "%{x}: " + t("kpi.target", lang) + " %{customdata}<extra>" + group + "</extra>",
                    },
                )
            )
    fig = draft_of(spec)
    fig.update_yaxes(rangemode="tozero")
    fig.update_xaxes(dtick=1)
    return finish_chart(spec, fig, as_literal(kpi[f"name_{lang}"]), t("kpi.chart_series_subtitle", lang), illustrative)


ATTAINMENT_SCALE = [[0.0, "#D55E00"], [0.5, "#f7f7f7"], [1.0, "#0072B2"]]


# the ticks of an attainment heat map's colour bar: 50 % to 150 % of the target
ATTAINMENT_TICKS = [(0.5, "≤ 50 %"), (1.0, "100 %"), (1.5, "≥ 150 %")]


def attainment_grid(rows: list, columns: list, z, text, lang: str, hover=None, page: dict | None = None) -> Grid:
    """A heat map of attainment (value against target, 50 % to 150 %), each cell's text written in it.

    ``text`` is the page's cell text (a line break as <br>); the spec holds it as the reader reads it.
    """
    return Grid(
        rows=rows,
        columns=columns,
        values=np.clip(z, 0.5, 1.5),
        text=[[plain_text(c) for c in row] for row in text],
        scale=[tuple(stop) for stop in ATTAINMENT_SCALE],
        zmin=0.5,
        zmax=1.5,
        scale_title=t("kpi.attainment", lang),
        scale_ticks=ATTAINMENT_TICKS,
        hover=hover,
        page={
            "text": text,
            "zmid": 1.0,
            # each label under its tick: centred on the top end, "≥ 150 %" touched the bar's title
            "colorbar": {"ticklabelposition": "outside bottom", "thickness": 14},
            **(page or {}),
        },
    )


def attainment_heatmap(matrix: pd.DataFrame, kpis: pd.DataFrame, year: int, lang: str, illustrative: bool) -> Chart:
    """Cluster x KPI: value against target in one year, the percentage written in each cell."""
    names = dict(zip(kpis["kpi_id"], kpis[f"name_{lang}"]))
    # KPIs as rows and clusters as columns: the long indicator names read horizontally
    # pivot, not pivot_table (its aggregation was two thirds of this chart's cost); like pivot_table,
    # leave out a KPI or a cluster without a single value
    grid = (
        matrix.drop_duplicates(["kpi_id", "cluster_name"])
        .pivot(index="kpi_id", columns="cluster_name", values="attainment")
        .dropna(how="all")
        .dropna(how="all", axis=1)
    )
    grid = grid.reindex([k for k in kpis["kpi_id"] if k in grid.index][::-1])
    z = grid.to_numpy(dtype=float)
    # "no data" on two lines fits a 50 px cell (a 1024 px projector with the sidebar open)
    no_data = t("kpi.no_data", lang).replace(" ", "<br>")
    text = [[i18n.pct(v, lang, 0) if np.isfinite(v) else no_data for v in row] for row in z]
    columns = list(grid.columns)
    rows = [names[k] for k in grid.index]
    spec = ChartSpec(lang, grid=attainment_grid(rows, columns, z, text, lang, page={"textfont": {"size": FONT_SIZE}}))
    fig = draft_of(spec)
    fig.update_xaxes(showline=False, ticks="")
    heatmap_labels_on_two_lines(fig, [as_literal(c) for c in columns], [as_literal(r) for r in rows])
    fig.update_yaxes(showgrid=False)
    return finish_chart(
        spec,
        fig,
        t("kpi.chart_heatmap_title", lang, year=year),
        t("kpi.chart_heatmap_subtitle", lang),
        illustrative,
        height=300 + 50 * max(1, len(grid)),
    )


# "internal": every year has a real figure, some from the administration's own (unpublished) records
COVERAGE_COLOURS = {
    "missing": "#D55E00",
    "illustrative": "#F5C26B",
    "partly": "#56B4E9",
    "published": "#009E73",
    "internal": "#0072B2",
}


def _status(with_value: int, active: int, published: int, internal: int) -> str:
    """Data status of one cluster x KPI from its counts of years."""
    if with_value < active:
        return "missing"
    real = published + internal
    if real == 0:
        return "illustrative"
    if real < active:
        return "partly"
    return "internal" if internal else "published"


def coverage_status(row: pd.Series) -> str:
    """Data status of one cluster x KPI: missing years, only illustrative, partly real, or real in every year."""
    return _status(row["years_with_value"], row["active_years"], row["years_published"], row.get("years_internal", 0))


def coverage_heatmap(coverage: pd.DataFrame, kpis: pd.DataFrame, lang: str) -> Chart:
    """Where evaluation lacks data: per cluster and KPI, missing years, illustrative-only or published, written in each cell."""
    names = dict(zip(kpis["kpi_id"], kpis[f"name_{lang}"]))
    codes = {s: k for k, s in enumerate(COVERAGE_COLOURS)}
    # a few dozen cells: plain Python over the rows (pandas' reshaping cost most of this chart's 8 ms)
    cells: dict[tuple[str, str], tuple[int, str]] = {}
    internal_years = coverage["years_internal"] if "years_internal" in coverage else [0] * len(coverage)
    for kpi_id, cluster, with_value, active, published, internal in zip(
        coverage["kpi_id"],
        coverage["cluster_name"],
        coverage["years_with_value"],
        coverage["active_years"],
        coverage["years_published"],
        internal_years,
    ):
        if (kpi_id, cluster) in cells:
            continue  # one cell per KPI and cluster: the first row
        status = _status(with_value, active, published, internal)
        n = int(active - with_value) if status == "missing" else 0
        cells[kpi_id, cluster] = (codes[status], t(f"kpi.cell_{status}", lang, n=n), t(f"kpi.status_{status}", lang, n=n))
    clusters = sorted({cluster for _, cluster in cells})
    rows = [k for k in kpis["kpi_id"] if any((k, c) in cells for c in clusters)][::-1]
    z = np.array([[cells[k, c][0] if (k, c) in cells else np.nan for c in clusters] for k in rows], dtype=float).reshape(
        len(rows), len(clusters)
    )
    # a short label in the cell (with the colour, so the status does not rest on colour alone), the
    # full one on hover and in the data table
    text, full = (
        np.array([[cells[k, c][i] if (k, c) in cells else "" for c in clusters] for k in rows], dtype=object).reshape(
            len(rows), len(clusters)
        )
        for i in (1, 2)
    )
    n = len(COVERAGE_COLOURS)
    scale = []
    for k, colour in enumerate(COVERAGE_COLOURS.values()):
        scale += [(k / n, colour), ((k + 1) / n, colour)]
    shown = {code for code, _, _ in cells.values()}
    # legend entries for the categories (a heat map has none of its own); the internal status is
    # named only where the data have it
    legend = [
        (t(f"kpi.legend_{status}", lang), colour)
        for status, colour in COVERAGE_COLOURS.items()
        if status != "internal" or codes[status] in shown
    ]
    grid = Grid(
        rows=[names[k] for k in rows],
        columns=clusters,
        values=z,
        text=text.tolist(),
        hover=full.tolist(),
        scale=scale,
        zmin=-0.5,
        zmax=n - 0.5,
        legend=legend,
        page={"showscale": False},
    )
    spec = ChartSpec(lang, grid=grid)
    fig = draft_of(spec)
    fig.update_xaxes(showline=False, ticks="", showgrid=False)
    heatmap_labels_on_two_lines(fig, [as_literal(c) for c in clusters], [as_literal(names[k]) for k in rows])
    fig.update_yaxes(showgrid=False)
    return finish_chart(
        spec,
        fig,
        t("kpi.chart_coverage_title", lang),
        t("kpi.chart_coverage_subtitle", lang),
        False,
        height=300 + 50 * max(1, len(z)),
    )
