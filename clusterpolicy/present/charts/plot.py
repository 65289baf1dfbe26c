"""A built chart described for a drawing outside the browser (the PDF briefing), read off the builder's draft.

The draft is the builder's own record of what it plotted (plain dicts, before Plotly validates
them); this turns it into a few plain shapes of data: bar and line series with their colours,
bases and labels, or a heat map's grid with its colour scale. The same draft gives the page its
figure and the exports their table, so the briefing draws the numbers the page shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from clusterpolicy.naming import unique_names
from clusterpolicy.present.charts.theme import PALETTE, plain_text, unescaped_text


@dataclass(frozen=True)
class Series:
    """One bar or line series: categories and values in the chart's units, and how it is drawn."""

    name: str
    kind: str  # "bar", "line" (with or without markers) or "points" (markers only)
    categories: list
    values: list  # float or None per category
    colours: list[str]  # one per category (a series of one colour repeats it)
    base: list | None = None  # where each bar starts (a timeline's recognition year); None: at zero
    labels: list | None = None  # text written on each bar (a timeline's period)
    dash: str = "solid"
    in_legend: bool = True
    symbols: list | None = None  # a marker per point where they differ (a star for a published value)
    symbol: str | None = None  # the marker of every point of a line series, where it has one ("circle", "square")
    patterns: list[str] | None = None  # each bar's pattern as Plotly names it ("/", ".", "x"; "" none)
    pattern_colour: str | None = None  # the colour a pattern is drawn in (None: Plotly's contrast to the bar's colour)

    @property
    def hatched(self) -> list[bool] | None:
        """Per bar: drawn with a hatch pattern (the page's mark of an illustrative amount); None: no patterns."""
        return None if self.patterns is None else [x not in ("", ".") for x in self.patterns]

    @property
    def dotted(self) -> list[bool] | None:
        """Per bar: drawn with dots (a derived amount on a cluster's profile); None: no patterns."""
        return None if self.patterns is None else [x == "." for x in self.patterns]


@dataclass(frozen=True)
class Grid:
    """A heat map: rows x columns of values, each cell's text, and the colour scale that fills it."""

    rows: list[str]
    columns: list[str]
    values: np.ndarray  # float, rows x columns, NaN where there is no value
    text: list[list[str]]
    scale: list[tuple[float, str]]  # (position 0..1, colour)
    zmin: float
    zmax: float
    scale_title: str = ""
    scale_ticks: list[tuple[float, str]] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)  # (name, colour) of categorical cells


@dataclass(frozen=True)
class Plot:
    """What to draw: series on one category axis (bars across or up, or lines), or a heat map."""

    series: list[Series]
    horizontal: bool = False  # bars across, categories down the side
    mode: str = "group"  # how bars of several series share a category: group, stack or overlay
    top_down: bool = False  # horizontal bars: the first category at the top
    value_title: str = ""
    category_title: str = ""
    value_range: tuple[float, float] | None = None  # the builder's own range of the value axis
    grid: Grid | None = None
    subtitle: str = ""  # what the chart shows, under its title


def series_names(traces: list[dict]) -> dict[int, str]:
    """Each series' name as a reader sees it, made distinct: a second "Voortzetting" is "Voortzetting (2)".

    Two compared scenarios may share a name (a saved one named like a preset); the tables, the
    slides and the briefing keep them apart by this name. Keyed by ``id(trace)``.
    """
    names = unique_names(unescaped_text(trace["name"]) for trace in traces)
    return {id(trace): name for trace, name in zip(traces, names)}


def _list(values, n: int | None = None) -> list:
    if values is None:
        return [None] * (n or 0)
    if isinstance(values, (str, int, float)):
        return [values] * (n or 1)
    out = [v.item() if hasattr(v, "item") else v for v in np.asarray(values, dtype=object).ravel()]
    return out


def _number(v):
    if v is None:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if np.isnan(f) else f


def _title(props: dict) -> str:
    return plain_text(((props or {}).get("title") or {}).get("text", ""))


def of_draft(draft, listed) -> Plot:
    """The plot of a draft; ``listed(trace)`` tells a series a reader sees from a helper trace."""
    layout = draft.layout
    subtitle = plain_text((((layout.get("title") or {}).get("subtitle")) or {}).get("text", ""))
    heat = [tr for tr in draft.data if tr.get("type") == "heatmap"]
    if heat:
        return Plot([], grid=_grid(heat[0], draft.data), subtitle=subtitle)
    series = []
    colour_index = 0
    traces = [tr for tr in draft.data if tr.get("type") in ("bar", "scatter") and listed(tr)]
    horizontal = bool(traces) and all(tr.get("orientation") == "h" for tr in traces)
    names = series_names(traces)
    for tr in traces:
        cats, vals = (tr.get("y"), tr.get("x")) if horizontal else (tr.get("x"), tr.get("y"))
        categories = [unescaped_text(c) for c in _list(cats)]
        values = [_number(v) for v in _list(vals)]
        marker = tr.get("marker") or {}
        line = tr.get("line") or {}
        colour = line.get("color") if tr["type"] == "scatter" and line.get("color") else marker.get("color")
        if colour is None:
            colour = PALETTE[colour_index % len(PALETTE)]
        colour_index += 1
        colours = [str(c) for c in _list(colour, len(categories))] if not isinstance(colour, str) else [colour] * len(categories)
        if tr["type"] == "bar":
            kind = "bar"
        else:
            kind = "line" if "lines" in (tr.get("mode") or "lines") else "points"
        base = tr.get("base")
        text = tr.get("text")
        symbol = marker.get("symbol")
        shape = (marker.get("pattern") or {}).get("shape")
        shapes = None if not shape else [str(x or "") for x in _list(shape, len(categories))]
        series.append(
            Series(
                name=plain_text(names[id(tr)]),
                kind=kind,
                categories=categories,
                values=values,
                colours=colours,
                base=None if base is None else [_number(b) for b in _list(base, len(categories))],
                labels=None if text is None or isinstance(text, str) else [plain_text(str(x)) for x in _list(text)],
                dash=line.get("dash", "solid") or "solid",
                in_legend=tr.get("showlegend") is not False,
                symbols=None if symbol is None or isinstance(symbol, str) else [str(x) for x in _list(symbol)],
                symbol=symbol if isinstance(symbol, str) else None,
                patterns=shapes,
                pattern_colour=(marker.get("pattern") or {}).get("fgcolor"),
            )
        )
    value_axis, category_axis = ("xaxis", "yaxis") if horizontal else ("yaxis", "xaxis")
    vrange = (layout.get(value_axis) or {}).get("range")
    return Plot(
        series,
        horizontal=horizontal,
        mode=layout.get("barmode") or "group",
        top_down=(layout.get("yaxis") or {}).get("autorange") == "reversed",
        value_title=_title(layout.get(value_axis)),
        category_title=_title(layout.get(category_axis)),
        value_range=None if not vrange else (float(vrange[0]), float(vrange[1])),
        subtitle=subtitle,
    )


def _grid(trace: dict, traces: list[dict]) -> Grid:
    z = np.asarray(trace.get("z"), dtype=float)
    rows = [plain_text(str(y)) for y in _list(trace.get("y"))]
    columns = [plain_text(str(x)) for x in _list(trace.get("x"))]
    raw = trace.get("text")
    text = [[plain_text(str(raw[i][j])) if raw is not None else "" for j in range(len(columns))] for i in range(len(rows))]
    scale = [(float(p), str(c)) for p, c in (trace.get("colorscale") or [[0, "#f7f7f7"], [1, "#0072B2"]])]
    finite = z[np.isfinite(z)]
    zmin = float(trace.get("zmin", finite.min() if finite.size else 0.0))
    zmax = float(trace.get("zmax", finite.max() if finite.size else 1.0))
    bar = trace.get("colorbar") or {}
    ticks = list(zip(_list(bar.get("tickvals")), _list(bar.get("ticktext"))))
    legend = [
        (plain_text(str(tr["name"])), str((tr.get("marker") or {}).get("color", "#999999")))
        for tr in traces
        if tr is not trace and tr.get("name") and tr.get("showlegend") is not False
    ]
    return Grid(
        rows=rows,
        columns=columns,
        values=z,
        text=text,
        scale=scale,
        zmin=zmin,
        zmax=zmax,
        scale_title=plain_text(((bar.get("title") or {}).get("text")) or ""),
        scale_ticks=[(float(v), plain_text(str(s))) for v, s in ticks],
        legend=legend,
    )
