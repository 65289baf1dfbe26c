"""A chart of the deck as a native, editable PowerPoint chart, drawn from the chart's spec.

Each series is found by its name and drawn as the page draws it: its colour, its dashes and
markers, the hatching of an illustrative amount and the dots of a derived one, bar by bar. A chart
of bars with a line over them (the members' co-financing over the stacked subsidy) is one chart
with a bar plot and a line plot on the same axes, as PowerPoint writes a combination chart:
python-pptx makes one plot a chart, so its line series are moved into a line plot of their own
(``lines_over_bars``).
"""

from __future__ import annotations

import copy
import math

from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION, XL_MARKER_STYLE, XL_TICK_LABEL_POSITION
from pptx.enum.dml import MSO_LINE_DASH_STYLE, MSO_PATTERN
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.util import Pt

from clusterpolicy import spreadsheet
from clusterpolicy.present import charts
from clusterpolicy.present.charts import precision


def draw(slide, item, spec, left: float, top: float, width: float, height: float, lang: str) -> None:
    """The chart of ``item`` (an outline chart) on ``slide`` in the box given in points; ``spec`` is its
    (chart type, categories, series -> values), ``Chart.pptx``."""
    kind, categories, series = spec
    if kind.startswith("BAR") and item.chart.spec.top_down:
        # PowerPoint draws the first category of a bar chart at the bottom; the page has it at the
        # top. The rows go in the other way round (each value stays with its category), which
        # PowerPoint and Impress draw alike; reversing the axis moved the value axis to the top in Impress.
        categories = categories[::-1]
        series = {name: values[::-1] for name, values in series.items()}
    chart_data = CategoryChartData()
    chart_data.categories = [str(c) for c in categories]
    for name, values in series.items():
        chart_data.add_series(str(name), values)
    frame = slide.shapes.add_chart(getattr(XL_CHART_TYPE, kind), Pt(left), Pt(top), Pt(width), Pt(height), chart_data)
    chart = frame.chart
    drawn = {p.name: p for p in item.chart.spec.series}
    if not kind.startswith("LINE"):
        lines_over_bars(chart.plots[0], {name for name, own in drawn.items() if own.kind != "bar"})
    # each series drawn as on the page: its own colour (found by its name, not its place), dashes,
    # markers and the hatching of illustrative amounts, point by point
    based = next(iter(series), None) == charts.BASE_SERIES
    for plot in chart.plots:
        for i, s in enumerate(plot.series):
            if based and s.name == charts.BASE_SERIES:
                s.format.fill.background()  # where each bar starts: no fill, no line, a blank name in the legend
                s.format.line.fill.background()
                continue
            own = drawn.get(s.name)
            if own is None:  # not a series of the spec (cannot happen for a chart the pages build): the palette's colour
                _bar_fill(s.format.fill, charts.PALETTE[(i - based) % len(charts.PALETTE)])
                continue
            if own.kind == "bar" and not kind.startswith("LINE"):
                _style_bars(s, own, [str(c) for c in categories])
            else:
                _style_line(s, own)
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    if based:
        low, high = item.chart.spec.value_range or (None, None)
        if low is not None:
            # whole years at the ends, a tick a year: a tick at 2015.3 was labelled "2015" by the format
            chart.value_axis.minimum_scale, chart.value_axis.maximum_scale = math.floor(low), math.ceil(high)
            chart.value_axis.major_unit = 1
    chart.font.size = Pt(14)
    if item.chart.unit:
        chart.value_axis.has_title = True
        chart.value_axis.axis_title.text_frame.text = item.chart.unit
    # the axis' negative numbers with the minus sign the page and the other files write
    chart.value_axis.tick_labels.number_format = spreadsheet.cell_format(precision.with_minus(item.chart.number_format), lang)
    chart.value_axis.tick_labels.number_format_is_linked = False
    if not kind.startswith("LINE"):
        # category names at the low end of the value axis, not at its zero line over negative bars
        chart.category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW


# what a series of a bar plot holds that a series of a line plot may not (the schema's CT_BarSer against CT_LineSer)
_BAR_ONLY = ("c:invertIfNegative", "c:pictureOptions", "c:shape")


def lines_over_bars(bar_plot, names: set[str]) -> None:
    """Move the series named ``names`` out of a bar plot into a line plot on the same axes, after it.

    python-pptx writes one plot a chart and has no API for a second (its issues #239 and #338): the
    series are moved in the chart's XML, through the plot's lxml element, as PowerPoint itself writes a
    combination chart; the embedded workbook already holds their values, so the chart stays editable.
    """
    bar_chart = bar_plot._element  # python-pptx's element of <c:barChart> (no public handle on a plot's XML)
    moved = [ser for ser in bar_chart.findall(qn("c:ser")) if "".join(ser.xpath("./c:tx//c:v/text()")) in names]
    if not moved:
        return
    line_chart = parse_xml(f'<c:lineChart {nsdecls("c")}><c:grouping val="standard"/><c:varyColors val="0"/></c:lineChart>')
    for ser in moved:
        bar_chart.remove(ser)
        for tag in _BAR_ONLY:
            for child in ser.findall(qn(tag)):
                ser.remove(child)
        ser.append(parse_xml(f'<c:smooth {nsdecls("c")} val="0"/>'))
        line_chart.append(ser)
    line_chart.append(parse_xml(f'<c:marker {nsdecls("c")} val="1"/>'))
    for axis in bar_chart.findall(qn("c:axId")):
        line_chart.append(copy.deepcopy(axis))
    bar_chart.addnext(line_chart)


# Plotly's dashes and markers in PowerPoint's terms (the nearest where PowerPoint has no such one)
PPTX_DASHES = {
    "solid": MSO_LINE_DASH_STYLE.SOLID,
    "dash": MSO_LINE_DASH_STYLE.DASH,
    "dot": MSO_LINE_DASH_STYLE.ROUND_DOT,
    "dashdot": MSO_LINE_DASH_STYLE.DASH_DOT,
    "longdash": MSO_LINE_DASH_STYLE.LONG_DASH,
    "longdashdot": MSO_LINE_DASH_STYLE.LONG_DASH_DOT,
}
PPTX_MARKERS = {
    "circle": XL_MARKER_STYLE.CIRCLE,
    "square": XL_MARKER_STYLE.SQUARE,
    "diamond": XL_MARKER_STYLE.DIAMOND,
    "triangle-up": XL_MARKER_STYLE.TRIANGLE,
    "x": XL_MARKER_STYLE.X,
    "star": XL_MARKER_STYLE.STAR,
    "cross": XL_MARKER_STYLE.PLUS,
}


# Plotly's bar patterns in PowerPoint's terms: hatching, dots, crossing, stripes
PPTX_PATTERNS = {
    "/": MSO_PATTERN.WIDE_UPWARD_DIAGONAL,
    "\\": MSO_PATTERN.WIDE_DOWNWARD_DIAGONAL,
    "x": MSO_PATTERN.DIAGONAL_CROSS,
    "-": MSO_PATTERN.HORIZONTAL,
    "|": MSO_PATTERN.VERTICAL,
    "+": MSO_PATTERN.CROSS,
    ".": MSO_PATTERN.PERCENT_50,
}


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(charts.hex_colour(colour))


def _bar_fill(fill, colour: str, pattern: str = "", pattern_colour: str | None = None) -> None:
    """A bar's fill as the page draws it: its colour, or its pattern in the pattern's colour over it.

    Without a colour of its own, Plotly draws a pattern in white over a bar's colour, as here.
    """
    if not pattern:
        fill.solid()
        fill.fore_color.rgb = _rgb(colour)
        return
    fill.patterned()
    fill.pattern = PPTX_PATTERNS.get(pattern, MSO_PATTERN.WIDE_UPWARD_DIAGONAL)
    fill.fore_color.rgb = _rgb(pattern_colour) if pattern_colour else RGBColor.from_string("FFFFFF")
    fill.back_color.rgb = _rgb(colour)


def _style_line(s, own) -> None:
    """A line series in its colour, dash and marker; marks only (the years above a ceiling) without a line."""
    colour = _rgb(own.colours[0])
    if own.kind == "points":
        s.format.line.fill.background()
        s.marker.style = PPTX_MARKERS.get(own.symbol or "triangle-up", XL_MARKER_STYLE.TRIANGLE)
        s.marker.size = 11
        s.marker.format.fill.solid()
        s.marker.format.fill.fore_color.rgb = colour
        s.marker.format.line.fill.background()
        return
    s.format.line.color.rgb = colour
    s.format.line.width = Pt(3)
    s.format.line.dash_style = PPTX_DASHES.get(own.dash, MSO_LINE_DASH_STYLE.SOLID)
    s.marker.style = PPTX_MARKERS.get(own.symbol or "circle", XL_MARKER_STYLE.CIRCLE)
    s.marker.size = 7
    s.marker.format.fill.solid()
    s.marker.format.fill.fore_color.rgb = colour
    s.marker.format.line.fill.background()


def _style_bars(s, own, categories: list[str]) -> None:
    """Bars in the series' colour and pattern; where the page draws bars of one series apart (an illustrative
    year hatched, a derived one dotted), each bar is drawn so here too."""
    patterns = own.patterns or [""] * len(own.categories)
    first = patterns[0] if len(set(patterns)) == 1 else ""
    _bar_fill(s.format.fill, own.colours[0], first, own.pattern_colour)
    if len(set(patterns)) <= 1 and len(set(own.colours)) <= 1:
        return
    by_category = {str(c): i for i, c in enumerate(own.categories)}
    for k, category in enumerate(categories):
        j = by_category.get(category)
        if j is not None:
            _bar_fill(s.points[k].format.fill, own.colours[j], patterns[j], own.pattern_colour)
