"""The chart object every builder returns, and how a styled draft becomes one.

``finish_chart`` gives a draft the shared look (theme.py) and returns a ``Chart``: the figure's JSON for
the page, Plotly's validated figure on demand, and the table, unit, number format, illustrative
flag and PowerPoint series the exports read. Nothing reads values back off a Plotly figure.
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
from clusterpolicy.present.charts import plot, precision, presenter
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
    unescaped_text,
    wrapped_lines,
)


def finish_chart(
    fig: FigureDraft, title: str, subtitle: str | None, lang: str, illustrative: bool, height: int = 480, table=None
) -> Chart:
    """Shared look: readable fonts, localised separators, title and subtitle, the illustrative mark.

    Returns the chart: the drawn figure with its table, unit, number format and illustrative flag.
    ``table`` is a builder's own table behind the chart; by default it is the series the builder
    plotted (recorded by the draft as they were added, in the chart's units).
    """
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
    mark = mark_text(fig, lang)
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
    chart = Chart(fig, title, illustrative, table)
    chart.mark = mark
    return chart


def mark_text(fig: FigureDraft, lang: str) -> str:
    """The illustrative mark's words: "no published amounts" on a chart of money, "no published values" on counts and shares."""
    titles = [((fig.layout.get(axis) or {}).get("title") or {}).get("text", "") for axis in ("xaxis", "yaxis")]
    titles += [(((tr.get("colorbar") or {}).get("title")) or {}).get("text", "") for tr in fig.data]
    money = any(precision.cent_decimals(plain_text(str(x))) != precision.OTHER_DECIMALS for x in titles if x)
    return t("chart.illustrative_mark" if money else "chart.illustrative_mark_values", lang)


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


# The PowerPoint chart a chart becomes in a deck, from the traces its builder added


class Chart:
    """A built chart as data: the figure the page draws, the table behind it, its unit and number format,
    whether any value is illustrative, and what a native PowerPoint chart needs.

    Made once by a builder (through ``finish_chart``) from the series it plotted; the page, the data table
    under the chart, the presenter deck and every export read this object, never a figure's traces.
    The table and the PowerPoint series are made on first use (most charts are only looked at), and
    Plotly validates the figure only when something asks for ``fig`` (an export, the presenter).
    """

    def __init__(self, draft: FigureDraft, title: str, illustrative: bool, table: pd.DataFrame | None = None):
        self.drawn = Drawn(draft)
        self.title = plain_text(title)
        self.illustrative = illustrative
        self._draft = draft
        self._own = table  # a builder's own table behind the chart, if it gave one
        self._series = None  # the series it plotted, recorded on first use
        self._pptx = _UNSET
        self.mark = ""  # the illustrative mark's words (set by finish_chart)
        self._lang = (draft.layout.get("meta") or {}).get("lang", "nl")
        plotted = self._plotted()
        axis = "xaxis" if plotted and all(tr.get("orientation") == "h" for tr in plotted) else "yaxis"
        axis_props = draft.layout.get(axis, {})
        self._unit = (axis_props.get("title") or {}).get("text", "")
        self.unit = plain_text(self._unit)  # the value axis' unit as the builder titled it
        # the number format of the value axis as the builder set it; its Excel and PowerPoint form beside it
        self.format = precision.NumberFormat.of_axis(axis_props.get("tickformat"), axis_props.get("dtick"))
        self.number_format = self.format.excel

    def _plotted(self) -> list[dict]:
        return [tr for tr in self._draft.data if tr.get("type") in ("bar", "scatter") and _listed(tr)]

    def _recorded(self) -> pd.DataFrame:
        if self._series is None:
            self._series = _recorded(self._draft, self._unit)
        return self._series

    @property
    def table(self) -> pd.DataFrame:
        """The numbers behind the chart: the builder's own table, or the series it plotted (long form, chart units).

        The plotted series carry each value as the decimal it is (money to the cent in the chart's
        unit) and, as their label, the figure as the page writes it (the bar's label, else its hover).
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
            self._pptx = _pptx_spec(self._draft, self._plotted(), self._recorded())
        return self._pptx

    @functools.cached_property
    def plot(self) -> plot.Plot:
        """The chart as plain series or a heat map's grid, for a drawing outside the browser (the PDF briefing)."""
        return plot.of_draft(self._draft, _listed)

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
            big, _ = presenter.for_presenter(self.fig, self.unit, self._lang)
            self._presented = (PreparedFigure.of(big), plain_text(self.fig.layout.title.subtitle.text or ""))
        return self._presented

    def with_table(self, table: pd.DataFrame) -> Chart:
        """The same chart with a builder's own table behind it."""
        other = Chart.__new__(Chart)
        other.__dict__.update(self.__dict__)
        other._own = table
        return other


_UNSET = object()


def _listed(trace: dict) -> bool:
    """Whether a trace is a series a reader sees in the legend and the table.

    Not a helper trace (no name, or kept out of the legend), and not a legend entry drawn with no
    data (a heat map's categories get one each, at x = [None]).
    """
    if not trace.get("name") or trace.get("showlegend") is False or trace.get("x") is None:
        return False
    return any(x is not None for x in _flat(trace.get("x")))


def _flat(values) -> list:
    if values is None:
        return []
    return [unescaped_text(x.item() if hasattr(x, "item") else x) for x in np.asarray(values, dtype=object).ravel()]


def _recorded(draft: FigureDraft, unit: str) -> pd.DataFrame:
    """The series the builder added, as a long table (series, category, value, text, unit), in the chart's units."""
    rows = []
    names = plot.series_names([tr for tr in draft.data if tr.get("type") != "heatmap" and _listed(tr)])
    for trace in draft.data:
        if trace.get("type") == "heatmap":
            xs, ys = _flat(trace.get("x")), _flat(trace.get("y"))
            z = np.asarray(trace.get("z"), dtype=float)
            labels = trace.get("customdata") if trace.get("customdata") is not None else trace.get("text")
            scale = ((trace.get("colorbar") or {}).get("title") or {}).get("text", "")
            for i, y in enumerate(ys):
                for j, x in enumerate(xs):
                    text = None if labels is None else plain_text(labels[i][j])
                    rows.append({"series": y, "category": x, "value": z[i][j], "text": text, "unit": plain_text(scale)})
            continue
        if not _listed(trace):
            continue
        horizontal = trace.get("orientation") == "h"
        cats, vals = (trace.get("y"), trace.get("x")) if horizontal else (trace.get("x"), trace.get("y"))
        name = names[id(trace)]
        text = trace.get("text")
        count = len(_flat(cats))
        labels = _flat(text) if text is not None and not isinstance(text, str) else [None] * count
        hovers = _hover_labels(trace, count)
        for c, v, label, hover in zip(_flat(cats), _flat(vals), labels, hovers):
            label = plain_text(str(label)) if label is not None else hover
            rows.append({"series": name, "category": c, "value": v, "text": label, "unit": plain_text(unit)})
    return precision.exact(pd.DataFrame(rows, columns=["series", "category", "value", "text", "unit"]))


def _hover_labels(trace: dict, count: int) -> list:
    """Each point's figure as the hover writes it (its customdata, or the first field of it), where it holds one."""
    data = trace.get("customdata")
    if data is None or "customdata" not in str(trace.get("hovertemplate", "")):
        return [None] * count
    out = []
    for item in list(data)[:count]:
        first = item[0] if isinstance(item, (list, tuple, np.ndarray)) and len(item) else item
        out.append(plain_text(first) if isinstance(first, str) and any(ch.isdigit() for ch in first) else None)
    return out + [None] * (count - len(out))


def _pptx_spec(draft: FigureDraft, plotted: list[dict], recorded: pd.DataFrame):
    """(chart type, categories, series -> values) for a native PowerPoint chart, or None for a table slide."""
    if not plotted or any(tr.get("type") == "heatmap" for tr in draft.data):
        return None
    names = set(plot.series_names(plotted).values())
    table = recorded[recorded["series"].isin(names)]
    categories = list(dict.fromkeys(table["category"]))
    series = {}
    for name, part in table.groupby("series", sort=False):
        lookup = dict(zip(part["category"], part["value"]))
        series[name] = [None if lookup.get(c) is None or pd.isna(lookup.get(c)) else float(lookup[c]) for c in categories]
    bars = all(tr["type"] == "bar" for tr in plotted)
    if not bars:
        return "LINE_MARKERS", categories, series
    horizontal = all(tr.get("orientation") == "h" for tr in plotted)
    stacked = draft.layout.get("barmode") == "stack"
    if any(tr.get("base") is not None for tr in plotted):
        # bars that start elsewhere than zero (a timeline: from recognition to the end of support) are
        # stacked on an invisible first series holding where each starts, as a Gantt chart is drawn
        starts = {}
        for tr in plotted:
            for c, b in zip(_flat(tr.get("y") if horizontal else tr.get("x")), _flat(tr.get("base"))):
                starts[c] = b if c not in starts else min(starts[c], b)
        series = {BASE_SERIES: [float(starts.get(c, 0.0)) for c in categories], **series}
        stacked = True
    return ("BAR" if horizontal else "COLUMN") + ("_STACKED" if stacked else "_CLUSTERED"), categories, series


# the name of the invisible series a native chart stacks bars on when they start elsewhere than zero
BASE_SERIES = " "


def has_illustrative_mark(fig: go.Figure | dict) -> bool:
    """Whether a figure (or its JSON dict) carries the on-chart illustrative mark."""
    layout = fig["layout"] if isinstance(fig, dict) else fig.to_plotly_json()["layout"]
    return any(a.get("name") == ILLUSTRATIVE_NAME for a in layout.get("annotations", []))
