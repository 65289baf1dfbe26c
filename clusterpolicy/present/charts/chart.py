"""The chart object every builder returns: its spec, and the page's figure of it with the shared look.

A builder fills a ``ChartSpec`` (spec.py) and draws it for the page with ``figure.draft_of``;
``finish_chart`` gives that figure the shared look (theme.py) and returns a ``Chart``: the spec every
export draws (series with their keys, styles and statuses, the unit and number format as data), the
figure's JSON for the page, Plotly's validated figure on demand, and the table behind the chart made
from the spec. Nothing reads a value, a unit or a format back off a figure.
"""

from __future__ import annotations

import functools
import json

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.basedatatypes import BaseFigure
from plotly.io.json import to_json_plotly

from clusterpolicy import i18n
from clusterpolicy.i18n import t
from clusterpolicy.present.charts import precision, presenter
from clusterpolicy.present.charts.spec import ChartSpec
from clusterpolicy.present.charts.theme import (
    FONT_SIZE,
    ILLUSTRATIVE_NAME,
    SUBTITLE_CHARS,
    TEMPLATE,
    TITLE_CHARS,
    TITLE_SIZE,
    FigureDraft,
    legend_under_title,
    plain_text,
    title_height,
    title_y,
    wrapped_lines,
)


def finish_chart(
    spec: ChartSpec,
    fig: FigureDraft,
    title: str,
    subtitle: str | None,
    illustrative: bool,
    height: int = 480,
    table=None,
) -> Chart:
    """Shared look: readable fonts, localised separators, title and subtitle, the illustrative mark.

    ``spec`` is what the chart draws, as data; ``fig`` the page's drawing of it (``figure.draft_of(spec)``
    with what only the page adds). Returns the chart: the spec every file draws, and the page's figure.
    ``table`` is a builder's own table behind the chart; by default it is the spec's series.
    """
    lang = spec.lang
    title, subtitle = wrapped_lines(title, TITLE_CHARS), wrapped_lines(subtitle or "", SUBTITLE_CHARS)
    top = title_height(title, subtitle, TITLE_SIZE, FONT_SIZE - 2)
    height += top - title_height("", "", TITLE_SIZE, FONT_SIZE - 2)  # lines beyond one title and one subtitle line
    fig.update_layout(
        template=TEMPLATE,
        title={"text": title, "subtitle": {"text": subtitle}, "y": title_y(title, TITLE_SIZE, height)},
        separators=i18n.PLOTLY_SEPARATORS[lang],
        height=height,
        margin={"l": 10, "r": 30, "t": top + 12, "b": 128 if illustrative else 50, "autoexpand": True},
        meta={"illustrative": illustrative, "lang": lang},
    )
    entries = [tr for tr in fig.data if tr.get("name") and tr.get("showlegend") is not False and tr["type"] != "heatmap"]
    if len(entries) > 5:
        # a long legend in a column on the right, level with the top of the plot
        fig.update_layout(legend={"orientation": "v", "x": 1.01, "xanchor": "left", "y": 1, "yanchor": "top"})
    else:
        # under the subtitle, placed from the top of the figure: when it wraps onto more lines on a
        # narrow screen it pushes the plot down instead of climbing over the subtitle
        fig.update_layout(legend=legend_under_title(top, height))
    right_aligned = any(tr.get("orientation") == "h" for tr in fig.data)
    mark = mark_text(spec)
    if illustrative:
        # centred below the axis title (which sits up to 68 px under the plot), inside the bottom margin,
        # so it never hides a tick label or the title
        fig.add_annotation(
            name=ILLUSTRATIVE_NAME,
            text="⚠ " + mark,
            xref="paper",
            yref="paper",
            # centred under the plot: a narrow plot (a heat map with long row labels at 1024 px)
            # cut off a mark that started at its left edge. Horizontal bars have their labels on
            # the left, so their plot can be narrower than the mark: there it ends where the plot
            # ends and reaches left under the labels.
            x=1 if right_aligned else 0.5,
            y=0,
            xanchor="right" if right_aligned else "center",
            yanchor="top",
            yshift=-80,
            showarrow=False,
            font={"size": FONT_SIZE, "color": "#6b3300"},
            bgcolor="#fff4e0",
            bordercolor="#D55E00",
            borderwidth=1,
            borderpad=5,
        )
    spec.subtitle = plain_text(subtitle)
    chart = Chart(spec, fig, title, illustrative, table)
    chart.mark = mark
    return chart


def mark_text(spec: ChartSpec) -> str:
    """The illustrative mark's words: "no published amounts" on a chart of money, "no published values" on counts and shares."""
    return t("chart.illustrative_mark" if spec.money else "chart.illustrative_mark_values", spec.lang)


def _arrays(value):
    """Columns as numpy arrays and text arrays as lists, types Plotly's writer takes without a cleaning pass."""
    if isinstance(value, dict):
        return {k: _arrays(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_arrays(v) for v in value]
    if isinstance(value, (pd.Series, pd.Index)):
        value = value.to_numpy()
    if isinstance(value, np.ndarray) and value.dtype == object:
        return value.tolist()
    return value


@functools.cache
def _template_json() -> dict:
    """TEMPLATE in plain JSON types, as a validated figure writes it."""
    return json.loads(to_json_plotly(TEMPLATE.to_plotly_json()))


class Drawn:
    """A built chart as the JSON the browser draws, with Plotly's validated figure made on first use.

    Validating a figure in ``go.Figure`` is most of the cost of building it (about 7 ms of a chart's
    9 ms); the page only needs the JSON, so the validated figure is left to what needs it: the
    exports, the presenter deck, the table read off its traces. A test checks that every chart the
    pages draw validates and that its JSON is the validated figure's.
    """

    def __init__(self, draft: FigureDraft):
        self._draft = draft
        self._figure: go.Figure | None = None
        # The template goes in as JSON written once and the columns as arrays: a template object or a
        # pandas Series sent Plotly's writer down its slow path, cleaning every value (1 ms a chart).
        layout = {**draft.layout, "template": _template_json()} if "template" in draft.layout else draft.layout
        self.prepared = PreparedFigure.of_spec({"data": _arrays(draft.data), "layout": layout})

    def figure(self) -> go.Figure:
        if self._figure is None:
            self._figure = self._draft.figure()
        return self._figure


class PreparedFigure(BaseFigure):
    """A built figure's dict form, computed once, for ``st.plotly_chart`` to serialise on every rerun.

    ``st.plotly_chart`` turns a Plotly figure into a dict with ``to_dict()``, which deep-copies every
    trace (about 1 ms a chart here, a third of a warm rerun on a page of seven charts). A kept figure
    never changes, so its dict is made once and handed out as is. Only ``to_dict`` is provided:
    draw ``PreparedFigure.of(fig)``, export and restyle the figure itself.
    """

    def __init__(self, spec: dict):  # noqa: D107 - BaseFigure's validation is what this skips
        self.__dict__["_spec"] = spec

    @classmethod
    def of(cls, fig: go.Figure) -> PreparedFigure:
        """A validated figure, prepared."""
        return cls.of_spec(fig.to_dict())

    @classmethod
    def of_spec(cls, spec: dict) -> PreparedFigure:
        """A figure's dict in plain JSON types, so each rerun's serialisation is a single pass.

        A dict still holding object arrays (text labels, mixed bases) sends Plotly's JSON writer
        through its slow path, which walks every value to clean it, on every rerun; cleaned once
        here, the same JSON comes out directly.
        """
        return cls(json.loads(to_json_plotly(spec)))

    def to_dict(self) -> dict:
        return self._spec


class Chart:
    """A built chart: its spec (what it draws, as data), the figure the page draws of it, and the table behind it.

    Made once by a builder (through ``finish_chart``); the page draws ``prepared``, and the data table
    under the chart, the presenter deck and every export read ``spec``, ``table``, ``unit`` and ``format``,
    never a figure's traces. The table and the PowerPoint series are made on first use (most charts are
    only looked at), and Plotly validates the figure only when something asks for ``fig``.
    """

    def __init__(self, spec: ChartSpec, draft: FigureDraft, title: str, illustrative: bool, table: pd.DataFrame | None = None):
        self.drawn = Drawn(draft)
        self.title = plain_text(title)
        self.illustrative = illustrative
        self.spec = spec.shown()  # series names made distinct, as every file names them
        self._own = table  # a builder's own table behind the chart, if it gave one
        self._series = None  # the spec's series as a table, made on first use
        self._pptx = _UNSET
        self.mark = ""  # the illustrative mark's words (set by finish_chart)
        self._lang = spec.lang
        self.unit = spec.value_title  # the value axis' unit, as the builder declared it
        # the number format of the value axis as the builder declared it; its Excel and PowerPoint form beside it
        self.format = spec.format
        self.number_format = self.format.excel

    def _recorded(self) -> pd.DataFrame:
        if self._series is None:
            self._series = _recorded(self.spec)
        return self._series

    @property
    def table(self) -> pd.DataFrame:
        """The numbers behind the chart: the builder's own table, or the spec's series (long form, chart units).

        The series carry each value as the decimal it is (money to the cent in the chart's unit) and, as
        their label, the figure as the page writes it (the bar's label, else its hover).
        """
        return self._recorded() if self._own is None else self._own

    @property
    def plotted(self) -> pd.DataFrame:
        """The series the chart draws, in the long form every chart shares (series, category, value, text, unit)."""
        return self._recorded()

    @property
    def value_format(self) -> str:
        """The Excel format of the chart's values: as many decimals as the page shows them with, and its minus sign."""
        if self._own is not None:
            return precision.excel_format(self.format.decimals)
        shown = precision.page_decimals(self._recorded(), self._lang)
        return precision.excel_format(self.format.decimals if shown is None else shown)

    @property
    def pptx(self):
        """(chart type, categories, {series: values}) for a native PowerPoint chart, or None for a table slide."""
        if self._pptx is _UNSET:
            self._pptx = _pptx_spec(self.spec, self._recorded())
        return self._pptx

    @property
    def prepared(self) -> PreparedFigure:
        """The figure's JSON, made once, for ``st.plotly_chart``."""
        return self.drawn.prepared

    @property
    def fig(self) -> go.Figure:
        """Plotly's validated figure (made on first use)."""
        return self.drawn.figure()

    @property
    def lang(self) -> str:
        """The language the chart was built in."""
        return self._lang

    def presented(self) -> tuple[PreparedFigure, str]:
        """The presenter's copy (made once): its JSON, and the whole subtitle the copy may have shortened."""
        if self.__dict__.get("_presented") is None:
            big, _ = presenter.for_presenter(self.fig, self.spec)
            self._presented = (PreparedFigure.of(big), self.spec.subtitle)
        return self._presented

    def with_table(self, table: pd.DataFrame) -> Chart:
        """The same chart with a builder's own table behind it."""
        other = Chart.__new__(Chart)
        other.__dict__.update(self.__dict__)
        other._own = table
        return other


_UNSET = object()


def _figure_text(label) -> str | None:
    """A label as a file writes it: the page's line breaks joined (None stays None)."""
    return None if label is None else plain_text(str(label))


def _recorded(spec: ChartSpec) -> pd.DataFrame:
    """The spec's series (or its heat map's cells) as a long table (series, category, value, text, unit), in the chart's units."""
    rows = []
    grid = spec.grid
    if grid is not None:
        labels = grid.labels
        for i, row in enumerate(grid.rows):
            for j, column in enumerate(grid.columns):
                value = grid.values[i][j]
                rows.append(
                    {
                        "series": row,
                        "category": column,
                        "value": value,
                        "text": _figure_text(labels[i][j]),
                        "unit": grid.scale_title,
                    }
                )
    unit = spec.value_title
    for s in spec.series:
        n = len(s.categories)
        labels = s.labels if s.labels is not None else [None] * n
        hovers = [h if h is not None and any(ch.isdigit() for ch in h) else None for h in (s.hover or [None] * n)]
        for c, v, label, hover in zip(s.categories, s.values, labels, hovers):
            text = _figure_text(label) if label is not None else _figure_text(hover)
            rows.append({"series": s.name, "category": c, "value": v, "text": text, "unit": unit})
    return precision.exact(pd.DataFrame(rows, columns=["series", "category", "value", "text", "unit"]))


def _pptx_spec(spec: ChartSpec, recorded: pd.DataFrame):
    """(chart type, categories, series -> values) for a native PowerPoint chart, or None for a table slide.

    The values are the table's (money to the cent in the chart's unit), the categories in the order they first appear.
    """
    if not spec.series or spec.grid is not None:
        return None
    categories = list(dict.fromkeys(recorded["category"]))
    series = {}
    for name, part in recorded.groupby("series", sort=False):
        lookup = dict(zip(part["category"], part["value"]))
        series[name] = [None if lookup.get(c) is None or pd.isna(lookup.get(c)) else float(lookup[c]) for c in categories]
    if spec.kind == "lines":
        return "LINE_MARKERS", categories, series
    # bars (with any lines over them: the deck draws those as a line plot on the same axes)
    stacked = spec.mode == "stack"
    if any(s.base is not None for s in spec.series):
        # bars that start elsewhere than zero (a timeline: from recognition to the end of support) are
        # stacked on an invisible first series holding where each starts, as a Gantt chart is drawn
        starts = {}
        for s in spec.series:
            for c, b in zip(s.categories, s.base or []):
                starts[c] = b if c not in starts else min(starts[c], b)
        series = {BASE_SERIES: [float(starts.get(c, 0.0)) for c in categories], **series}
        stacked = True
    return ("BAR" if spec.horizontal else "COLUMN") + ("_STACKED" if stacked else "_CLUSTERED"), categories, series


# the name of the invisible series a native chart stacks bars on when they start elsewhere than zero
BASE_SERIES = " "


def has_illustrative_mark(fig: go.Figure | dict) -> bool:
    """Whether a figure (or its JSON dict) carries the on-chart illustrative mark."""
    layout = fig["layout"] if isinstance(fig, dict) else fig.to_plotly_json()["layout"]
    return any(a.get("name") == ILLUSTRATIVE_NAME for a in layout.get("annotations", []))
