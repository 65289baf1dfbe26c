"""A chart as data: what a builder says it draws, before any format draws it.

A builder fills a ``ChartSpec``: its series, each with an identity (``key``, such as
``scenario:1`` or ``component:basic_eur``), its reader's name, its kind (bars, a line, points),
its categories and values in the chart's unit, its style (colours, dash, marker, fill pattern)
and, per point, what the value rests on (published, internal, derived, illustrative) and the
exact figure as the page writes it; or a heat map's grid. The chart's unit (a key of ``unit.*``)
and its number format are data too. The page (``figure``), the deck, the briefing and the
workbook each draw this spec; none of them reads a value, a unit or a format back off another's
drawing.

``page`` holds what only the page's Plotly figure needs (line widths, marker sizes, where a
label sits, a hover that says more): no other format reads it, and no value lives only there.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from clusterpolicy.i18n import t
from clusterpolicy.naming import unique_names
from clusterpolicy.present.charts.precision import NumberFormat

# what a value rests on, as the data's source kinds name it, from the most to the least authoritative
STATUSES = ("published", "internal", "derived", "illustrative")
MONEY_UNITS = ("eur", "eur_k", "eur_m")


def _floats(values) -> list:
    """Values as plain floats, None where there is none (NaN, None, text)."""
    out = []
    for v in np.asarray([] if values is None else values, dtype=object).ravel():
        v = v.item() if hasattr(v, "item") else v
        try:
            f = float(v)
        except (TypeError, ValueError):
            out.append(None)
            continue
        out.append(None if np.isnan(f) else f)
    return out


def _plain_list(values) -> list:
    return [v.item() if hasattr(v, "item") else v for v in np.asarray([] if values is None else values, dtype=object).ravel()]


def _each(value, n: int) -> list | None:
    """One value per point: a single value repeated, a sequence as a list, None as None."""
    if value is None:
        return None
    if isinstance(value, str):
        return [value] * n
    return [str(v) for v in _plain_list(value)]


@dataclass(frozen=True)
class Series:
    """One series a reader sees in the legend and the table: bars, a line, or points on one category axis."""

    key: str  # its identity across charts and formats ("scenario:1", "component:basic_eur", "cluster:VIL")
    name: str  # as the reader reads it (plain text: no markup, not escaped)
    kind: str  # "bar", "line" (with markers where it has a symbol) or "points" (markers only)
    categories: list
    values: list  # float or None per category, in the chart's unit
    colours: list[str]  # one per category (a series of one colour repeats it)
    base: list | None = None  # where each bar starts (a timeline's recognition year); None: at zero
    labels: list | None = None  # text written on each bar or point
    dash: str = "solid"
    in_legend: bool = True
    symbols: list | None = None  # a marker per point where they differ (a star for a published value)
    symbol: str | None = None  # the marker of every point of a line, where it has one ("circle", "square")
    patterns: list[str] | None = None  # each bar's fill pattern as Plotly names it ("/", ".", "x"; "" none)
    pattern_colour: str | None = None  # the colour a pattern is drawn in (None: the contrast to the bar's colour)
    status: list[str] | None = None  # per point, what the value rests on (one of STATUSES); None: not said
    hover: list[str] | None = None  # per point, the exact figure as the page's hover writes it
    page: dict = field(default_factory=dict, compare=False)  # the page's own Plotly properties (see the module)

    @classmethod
    def of(
        cls,
        key: str,
        name: str,
        kind: str,
        categories,
        values,
        colour,
        *,
        patterns=None,
        status=None,
        labels=None,
        base=None,
        symbols=None,
        hover=None,
        **style,
    ) -> Series:
        """A series from a builder's columns: arrays and pandas columns in, plain lists out; one colour,
        pattern or status for every point given once."""
        cats = _plain_list(categories)
        n = len(cats)
        return cls(
            key=key,
            name=str(name),
            kind=kind,
            categories=cats,
            values=_floats(values),
            colours=_each(colour, n),
            patterns=_each(patterns, n),
            status=_each(status, n),
            labels=None if labels is None else [str(x) for x in _plain_list(labels)],
            base=None if base is None else _floats(base),
            symbols=_each(symbols, n) if symbols is not None and not isinstance(symbols, str) else None,
            hover=None if hover is None else [str(x) for x in _plain_list(hover)],
            **style,
        )

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
    columns: list
    values: np.ndarray  # float, rows x columns, NaN where there is no value (as the colours are drawn)
    text: list[list[str]]  # each cell's text as a reader reads it (plain)
    scale: list[tuple[float, str]]  # (position 0..1, colour)
    zmin: float
    zmax: float
    scale_title: str = ""
    scale_unit: str = ""  # the scale's unit as a key of unit.* where its values are in one ("eur_k"), else ""
    scale_ticks: list[tuple[float, str]] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)  # (name, colour) of categorical cells
    hover: list[list[str]] | None = None  # each cell's full text, where it says more than the cell
    compact: list[list[str]] | None = None  # each cell's text short enough for a slide, where the text is not
    page: dict = field(default_factory=dict, compare=False)  # the page's own heat-map properties

    @property
    def labels(self) -> list[list[str]]:
        """Each cell's figure as the page's hover writes it: the full text where there is one, else the cell's."""
        return self.hover if self.hover is not None else self.text


@dataclass
class ChartSpec:
    """What a chart draws, as data (see the module)."""

    lang: str
    unit: str = ""  # the value axis' unit as a key of unit.* ("eur_m", "pct", "count", "year"); "" none
    format: NumberFormat = field(default_factory=NumberFormat)
    series: list[Series] = field(default_factory=list)
    horizontal: bool = False  # bars across, categories down the side
    mode: str = "group"  # how bars of several series share a category: group, stack or overlay
    top_down: bool = False  # horizontal bars: the first category at the top
    category_unit: str = ""  # the category axis' unit as a key of unit.* ("" none)
    value_range: tuple[float, float] | None = None  # the builder's own range of the value axis
    grid: Grid | None = None
    subtitle: str = ""  # what the chart shows, under its title (plain; set by finish_chart)

    def add(self, series: Series) -> ChartSpec:
        self.series.append(series)
        return self

    @property
    def kind(self) -> str:
        """ "heatmap", "bars", "lines" (lines and points), "bars_and_lines", or "none" (a drawing without series)."""
        if self.grid is not None:
            return "heatmap"
        kinds = {"bar" if s.kind == "bar" else "line" for s in self.series}
        return {frozenset(): "none", frozenset({"bar"}): "bars", frozenset({"line"}): "lines"}.get(
            frozenset(kinds), "bars_and_lines"
        )

    @property
    def value_title(self) -> str:
        """The value axis' title: its unit in the chart's language."""
        return t(f"unit.{self.unit}", self.lang) if self.unit else ""

    @property
    def category_title(self) -> str:
        return t(f"unit.{self.category_unit}", self.lang) if self.category_unit else ""

    @property
    def money(self) -> bool:
        """Whether the chart's values are amounts of money (its heat map's scale included)."""
        if self.grid is not None:
            return self.grid.scale_unit in MONEY_UNITS
        return self.unit in MONEY_UNITS

    def shown(self) -> ChartSpec:
        """The spec as files show it: series names made distinct ("Voortzetting (2)" for a second one)."""
        names = unique_names(s.name for s in self.series)
        return replace(self, series=[replace(s, name=n) for s, n in zip(self.series, names)])
