"""Presenter mode's copy of a chart: every text at least 20 px, and a plot that fills the screen it is shown on.

The copy has no height of its own: the deck draws it to fill the window under its buttons (Streamlit's
``height="stretch"``), so everything placed vertically is placed in pixels from an edge, never as a
fraction of a height the server cannot know: the title and subtitle from the top, the legend on the
plot's top edge, the illustrative mark from the plot's bottom. The subtitle is cut to at most two lines
(its first sentences; the deck shows the whole of it one click away), and amounts on a euro axis are
written as a reader says them aloud: € 2,5 mln, not 2.500.000.
"""

from __future__ import annotations

import math
import re

import plotly.graph_objects as go

from clusterpolicy import i18n
from clusterpolicy.present.charts.spec import ChartSpec
from clusterpolicy.present.charts.theme import ILLUSTRATIVE_NAME, title_gap, title_height, wrapped_lines

PRESENTER_FONT = 22
PRESENTER_TITLE = 32
PRESENTER_SUBTITLE = 21
# characters a line holds at the smallest screen the deck is made for (1280 px wide, the chart 1120 px)
TITLE_CHARS = 58
SUBTITLE_CHARS = 96
LEGEND_WIDTH = 1080  # px a legend line may take at 1280 px
LEGEND_LINE = 32  # px a legend line takes at 21 px

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def short_subtitle(subtitle: str) -> tuple[str, bool]:
    """A subtitle in at most two presenter lines: its first sentences that fit, else its first words and "…".

    Returns the lines (joined by <br>) and whether anything was left out. The subtitle comes as the
    figure holds it (Plotly's text, escaped, broken by <br>).
    """
    text = " ".join(subtitle.replace("<br>", " ").split())
    if not text:
        return "", False
    kept = ""
    for sentence in _SENTENCE_END.split(text):
        candidate = f"{kept} {sentence}".strip()
        if wrapped_lines(candidate, SUBTITLE_CHARS).count("<br>") > 1:
            break
        kept = candidate
    if not kept:  # the first sentence alone is longer than two lines: its first words
        words = text.split(" ")
        while words and wrapped_lines(" ".join(words) + " …", SUBTITLE_CHARS).count("<br>") > 1:
            words.pop()
        kept = " ".join(words) + " …"
    return wrapped_lines(kept, SUBTITLE_CHARS), kept != text


def legend_lines(fig: go.Figure) -> int:
    """The lines a horizontal legend of this figure takes at the smallest presenter width (an estimate in px per character).

    Plotly sets the entries of one legend group under each other and the groups side by side.
    """
    groups: dict = {}
    for i, t in enumerate(fig.data):
        if t.showlegend is False or not t.name or t.type == "heatmap":
            continue
        width = (
            10 * len(re.sub(r"<[^>]+>", "", t.name)) + 50
        )  # a marker, a gap and the text at 21 px (measured: 9.4 px a character)
        widest, count = groups.get(t.legendgroup or i, (0, 0))
        groups[t.legendgroup or i] = (max(widest, width), count + 1)
    lines = row_lines = used = 0
    for width, count in groups.values():
        if used and used + width > LEGEND_WIDTH:
            lines, row_lines, used = lines + row_lines, 0, 0
        used += width
        row_lines = max(row_lines, count)
    return lines + row_lines


def _nice_step(span: float) -> float:
    """A round step (1, 2 or 5 times a power of ten) that gives about five ticks over ``span``."""
    raw = span / 5
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def _amounts_in_millions(fig: go.Figure, axis: str, spec: ChartSpec) -> None:
    """Ticks of a euro axis written as amounts read aloud (€ 2,5 mln) once its values reach a million.

    The values are the spec's (in euro), summed per category where its bars are stacked.
    """
    values = []
    totals: dict = {}
    for series in spec.series:
        nums = [(c, v) for c, v in zip(series.categories, series.values) if v is not None and math.isfinite(v)]
        values.extend(v for _, v in nums)
        if spec.mode == "stack" and series.kind == "bar":
            for c, v in nums:
                totals[c, v >= 0] = totals.get((c, v >= 0), 0.0) + v
    values.extend(totals.values())
    if not values:
        return
    lo, hi = min(0.0, min(values)), max(0.0, max(values))
    if max(abs(lo), abs(hi)) < 1e6:
        return
    step = _nice_step(hi - lo)
    ticks = [k * step for k in range(math.floor(lo / step), math.ceil(hi * 1.1 / step) + 1)]
    digits = max(0, -math.floor(math.log10(step / 1e6))) if step < 1e6 else 0
    labels = [i18n.eur_millions(t, spec.lang, digits) if t else "0" for t in ticks]
    fig.update_layout({axis: {"tickmode": "array", "tickvals": ticks, "ticktext": labels, "title": {"text": ""}}})


def for_presenter(fig: go.Figure, spec: ChartSpec) -> tuple[go.Figure, bool]:
    """A copy for a meeting-room screen, and whether its subtitle was shortened (the deck then offers all of it).

    ``fig`` is the page's figure of the chart, restyled for the room; ``spec`` the chart's spec, which says
    whether its values are amounts in euro (drawn in millions) and holds a heat map's cells shortened for a slide.
    """
    big = go.Figure(fig)
    layout = big.layout
    title = wrapped_lines(" ".join((layout.title.text or "").replace("<br>", " ").split()), TITLE_CHARS)
    subtitle, shortened = short_subtitle(layout.title.subtitle.text or "")
    top = title_height(title, subtitle, PRESENTER_TITLE, PRESENTER_SUBTITLE)
    legend_top = top + 14
    big.update_layout(
        height=None,
        autosize=True,
        font={"size": PRESENTER_FONT},
        title={
            "text": title,
            "font": {"size": PRESENTER_TITLE},
            "subtitle": {"text": subtitle, "font": {"size": PRESENTER_SUBTITLE}},
            # from the top edge in pixels (Plotly hangs a title's extra lines above its first one)
            "y": 1,
            "yanchor": "top",
            "pad": {"t": round(title_gap(PRESENTER_TITLE) + title.count("<br>") * PRESENTER_TITLE * 1.3)},
        },
        legend={"font": {"size": 21}},
        hoverlabel={"font": {"size": 21}},
        # a bar's label smaller than 20 px is left out rather than shrunk (the value stays in its hover)
        uniformtext={"minsize": 20, "mode": "hide"},
    )
    lines = 0
    if layout.legend.orientation != "v" and layout.showlegend is not False:
        # on the plot's top edge, growing upwards into the room kept for it under the subtitle
        lines = legend_lines(big)
        big.update_layout(legend={"yref": "paper", "y": 1.0, "yanchor": "bottom", "x": 0, "xanchor": "left"})
    big.update_xaxes(tickfont={"size": 21}, title_font={"size": 22})
    big.update_yaxes(tickfont={"size": 21}, title_font={"size": 22})
    if spec.unit == "eur":
        _amounts_in_millions(big, "xaxis" if spec.horizontal else "yaxis", spec)
    # the illustrative mark under the x axis' labels (and its title, if it has one); right under the plot
    # when it has no x axis
    x_axis = big.layout.xaxis.visible is not False
    x_title = x_axis and bool(big.layout.xaxis.title.text)
    shift, bottom = (-92, 150) if x_title else (-70, 130) if x_axis else (-40, 100)
    for ann in big.layout.annotations:
        ann.font.size = max(ann.font.size or 0, 21)
        if ann.name == ILLUSTRATIVE_NAME:
            ann.yshift = shift
    bottom = bottom if big.layout.annotations else 70
    big.update_layout(margin={"t": legend_top + lines * LEGEND_LINE + 6, "b": bottom})
    if big.layout.yaxis.scaleanchor:
        # a drawing kept to scale (the network's circle) shrinks its square rather than widening its range:
        # Plotly writes a widened range back into the figure and widened it again on every resize
        big.update_xaxes(constrain="domain")
        big.update_yaxes(constrain="domain")
        # and its labels may reach past the square, into the room beside it
        big.update_traces(cliponaxis=False, selector={"type": "scatter"})
    # category labels broken in two for the page's narrow charts fit on one line on a screen-wide slide
    for axis in (big.layout.xaxis, big.layout.yaxis):
        if axis.ticktext and axis is big.layout.yaxis:
            axis.ticktext = [str(text).replace("<br>", " ") for text in axis.ticktext]
    for trace in big.data:
        if "textfont" in trace:
            trace.textfont.size = max(trace.textfont.size or 0, 20)
        if trace.type == "heatmap" and spec.grid is not None and spec.grid.compact is not None:
            # a cell's text as its builder shortened it for a slide (one line; the page has room for two)
            trace.text = spec.grid.compact
        if trace.type == "heatmap" and trace.colorbar is not None:
            trace.colorbar.tickfont = {"size": 20}
    return big, shortened
