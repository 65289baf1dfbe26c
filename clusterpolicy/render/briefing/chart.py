"""One chart of the briefing as a flowable: its legend, its plot (series or heat map) and the illustrative mark."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.platypus import (
    Flowable,
)

from clusterpolicy.i18n import t
from clusterpolicy.present.charts.precision import NumberFormat
from clusterpolicy.present.charts.spec import ChartSpec
from clusterpolicy.render.briefing.grid import GridDrawing
from clusterpolicy.render.briefing.series import SeriesDrawing, bar
from clusterpolicy.render.briefing.text import (
    DASH_PATTERNS,
    GREY,
    INK,
    MARK_FILL,
    MARK_INK,
    MARK_LINE,
    TICK,
    WIDTH,
    colour_of,
    fit,
)
from clusterpolicy.render.typeface import BOLD, FONT, glyphs, text_width


def _bar_kind(s) -> str:
    """How a series shows in the legend: hatched or dotted when all its bars are, else its kind."""
    if s.hatched and all(s.hatched):
        return "hatched"
    if s.dotted and all(s.dotted):
        return "dotted"
    return s.kind


class ChartDrawing(SeriesDrawing, GridDrawing, Flowable):
    """One chart drawn on the PDF canvas: plot, axes, legend and, where illustrative, the mark under the plot."""

    def __init__(
        self, plot: ChartSpec, number_format: NumberFormat, illustrative: bool, lang: str, width: float = WIDTH, mark: str = ""
    ):
        super().__init__()
        self.plot, self.number_format, self.illustrative, self.lang = plot, number_format, illustrative, lang
        self.mark = mark or t("chart.illustrative_mark", lang)
        self.width = width
        self._legend = self._legend_rows()
        self.mark_height = 24 if illustrative else 0
        self.body_height = self._grid_height() if plot.grid is not None else self._series_height()
        self.height = self.legend_height + self.body_height + self.mark_height

    @property
    def legend_height(self) -> float:
        return len(self._legend) * (TICK + 5) + (4 if self._legend else 0)

    def _legend_entries(self) -> list[tuple[str, str, str, str]]:
        """(name, colour, kind, dash) of each legend entry."""
        if self.plot.grid is not None:
            return [(name, colour, "bar", "solid") for name, colour in self.plot.grid.legend]
        entries = [
            (s.name, s.colours[0] if s.colours else "#0072B2", _bar_kind(s), s.dash) for s in self.plot.series if s.in_legend
        ]
        return entries if len(entries) > 1 or self.plot.series and self.plot.series[0].base is not None else []

    def _legend_rows(self) -> list[list[tuple[str, str, str, str, float]]]:
        rows: list[list] = []
        row: list = []
        x = 0.0
        for name, colour, kind, dash in self._legend_entries():
            text = fit(name, self.width - 24, TICK)
            w = 18 + text_width(text, TICK) + 12
            if row and x + w > self.width:
                rows.append(row)
                row, x = [], 0.0
            row.append((text, colour, kind, dash, x))
            x += w
        if row:
            rows.append(row)
        return rows

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self):
        c = self.canv
        c.saveState()
        c.translate(0, self.mark_height)  # the mark sits under the plot, the plot and its axes above it
        top = self.height - self.mark_height
        self._draw_legend(c, top)
        body_top = top - self.legend_height
        if self.plot.grid is not None:
            self._draw_grid(c, body_top)
        elif self.plot.horizontal:
            self._draw_horizontal(c, body_top)
        else:
            self._draw_vertical(c, body_top)
        c.restoreState()
        if self.illustrative:
            self._draw_mark(c)

    def _text(self, c, x: float, y: float, text: str, size: float = TICK, anchor: str = "start", ink=GREY, font=FONT):
        c.setFont(font, size)
        c.setFillColor(ink)
        {"start": c.drawString, "end": c.drawRightString, "middle": c.drawCentredString}[anchor](x, y, glyphs(text))

    def _draw_legend(self, c, top: float) -> None:
        y = top - TICK - 1
        for row in self._legend:
            for text, colour, kind, dash, x in row:
                fill = colour_of(colour)
                if kind in ("bar", "hatched", "dotted"):
                    bar(c, x, y - 1, 12, TICK, fill, kind == "hatched", kind == "dotted")
                else:
                    c.setStrokeColor(fill)
                    c.setLineWidth(2)
                    c.setDash(DASH_PATTERNS.get(dash) or [])
                    c.line(x, y + TICK / 2 - 1, x + 14, y + TICK / 2 - 1)
                    c.setDash([])
                self._text(c, x + 18, y, text, ink=INK)
            y -= TICK + 5

    def _draw_mark(self, c) -> None:
        text = self.mark
        w = min(self.width, text_width(text, 8.5) + 30)
        x = (self.width - w) / 2
        c.setFillColor(MARK_FILL)
        c.setStrokeColor(MARK_LINE)
        c.setLineWidth(0.8)
        c.rect(x, 1, w, 16, stroke=1, fill=1)
        # a warning triangle drawn as a path (the font has no ⚠)
        p = c.beginPath()
        p.moveTo(x + 6, 4.5)
        p.lineTo(x + 16, 4.5)
        p.lineTo(x + 11, 13.5)
        p.close()
        c.setFillColor(MARK_LINE)
        c.drawPath(p, stroke=0, fill=1)
        self._text(c, x + 11, 5.6, "!", 6.5, "middle", ink=colors.white, font=BOLD)
        self._text(c, x + 21, 5.5, fit(text, w - 24, 8.5), 8.5, ink=MARK_INK)
