"""Presenter mode's copy of a chart: every text at least 20 px, a taller plot."""

from __future__ import annotations

import plotly.graph_objects as go

from .theme import ILLUSTRATIVE_NAME, _legend_under_title, _title_height, _title_y

# ---------------------------------------------------------------- presenter mode and data behind a chart

PRESENTER_FONT = 22
PRESENTER_TITLE = 32
PRESENTER_SUBTITLE = 21


def for_presenter(fig: go.Figure) -> go.Figure:
    """A copy sized for a meeting-room screen: every text at least 20 px, a taller plot."""
    big = go.Figure(fig)
    layout = big.layout
    height = max(int((layout.height or 480) * 1.35), 680)
    title = layout.title.text or ""
    top = _title_height(title, layout.title.subtitle.text or "", PRESENTER_TITLE, PRESENTER_SUBTITLE)
    big.update_layout(
        font={"size": PRESENTER_FONT},
        title={
            "font": {"size": PRESENTER_TITLE},
            "subtitle": {"font": {"size": PRESENTER_SUBTITLE}},
            "y": _title_y(title, PRESENTER_TITLE, height),
        },
        legend={"font": {"size": 21}},
        hoverlabel={"font": {"size": 21}},
        height=height,
    )
    if layout.legend.yref == "container":
        big.update_layout(legend=_legend_under_title(top, height))
    big.update_xaxes(tickfont={"size": 21}, title_font={"size": 22})
    big.update_yaxes(tickfont={"size": 21}, title_font={"size": 22})
    for ann in big.layout.annotations:
        ann.font.size = max(ann.font.size or 0, 21)
        if ann.name == ILLUSTRATIVE_NAME:
            ann.yshift = -98
    big.update_layout(margin={"t": top + 16, "b": 165 if big.layout.annotations else 70})
    for trace in big.data:
        if "textfont" in trace:
            trace.textfont.size = max(trace.textfont.size or 0, 20)
        if trace.type == "heatmap" and trace.colorbar is not None:
            trace.colorbar.tickfont = {"size": 20}
    return big
