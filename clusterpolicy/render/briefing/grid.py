"""A heat map on the PDF canvas: rows and columns of coloured cells with their text, and the colour scale."""

from __future__ import annotations

import numpy as np
from reportlab.lib import colors

from clusterpolicy.present.charts.spec import Grid
from clusterpolicy.render.briefing.text import INK, TICK, colour_of, fit, ink_on, wrap_lines
from clusterpolicy.render.typeface import text_width


class GridDrawing:
    """The part of a chart drawing that draws a heat map (mixed into ChartDrawing)."""

    def _grid_height(self) -> float:
        g = self.plot.grid
        cell_h = 2 * (TICK + 1) + 6
        return len(g.rows) * cell_h + self._column_head_height() + (30 if g.scale_ticks else 0)

    def _row_label_width(self) -> float:
        g = self.plot.grid
        return min(max((text_width(r, TICK) for r in g.rows), default=0) + 4, 0.34 * self.width)

    def _cell_width(self) -> float:
        return (self.width - self._row_label_width() - 6) / max(1, len(self.plot.grid.columns))

    def _column_head_height(self) -> float:
        lines = max(
            (len(wrap_lines(name, self._cell_width() - 3, TICK, 2)) for name in map(str, self.plot.grid.columns)), default=1
        )
        return lines * (TICK + 1.5) + 5

    def _draw_grid(self, c, top: float) -> None:
        g: Grid = self.plot.grid
        label_w = self._row_label_width()
        head_h = self._column_head_height()
        cell_h = 2 * (TICK + 1) + 6
        cell_w = self._cell_width()
        x0 = label_w + 6
        for j, name in enumerate(map(str, g.columns)):
            for k, line in enumerate(wrap_lines(name, cell_w - 3, TICK, 2)):
                self._text(c, x0 + (j + 0.5) * cell_w, top - (k + 1) * (TICK + 1.5), line, anchor="middle", ink=INK)
        y_top = top - head_h
        rows = list(range(len(g.rows)))[::-1]  # Plotly draws the first row at the bottom
        for r_pos, i in enumerate(rows):
            y = y_top - (r_pos + 1) * cell_h
            lines = wrap_lines(g.rows[i], label_w - 2, TICK, 2)
            first = y + cell_h / 2 + (len(lines) - 1) * (TICK + 1.5) / 2 - TICK / 2 + 1
            for k, line in enumerate(lines):
                self._text(c, label_w, first - k * (TICK + 1.5), line, anchor="end", ink=INK)
            for j in range(len(g.columns)):
                v = g.values[i][j]
                if not np.isfinite(v):
                    fill = colors.HexColor("#f0f0f0")
                else:
                    fill = self._scale(v)
                c.setFillColor(fill)
                c.rect(x0 + j * cell_w + 1, y + 1, cell_w - 2, cell_h - 2, stroke=0, fill=1)
                text = g.text[i][j]
                if text:
                    size = TICK
                    while size > 6 and text_width(text, size) > cell_w - 4:
                        size -= 0.5
                    lines = wrap_lines(text, cell_w - 4, size, 2)
                    first = y + cell_h / 2 + (len(lines) - 1) * (size + 1) / 2 - size / 2 + 1
                    for k, line in enumerate(lines):
                        self._text(c, x0 + (j + 0.5) * cell_w, first - k * (size + 1), line, size, "middle", ink=ink_on(fill))
        if g.scale_ticks:
            y = y_top - len(rows) * cell_h - 14
            bar_w = min(220, self.width - label_w - 10)
            x = x0
            steps = 40
            for s in range(steps):
                v = g.zmin + (g.zmax - g.zmin) * (s + 0.5) / steps
                c.setFillColor(self._scale(v))
                c.rect(x + s * bar_w / steps, y, bar_w / steps + 0.3, 8, stroke=0, fill=1)
            for v, label in g.scale_ticks:
                tx = x + (v - g.zmin) / (g.zmax - g.zmin or 1) * bar_w
                self._text(
                    c,
                    min(max(tx, x + text_width(label, TICK) / 2), x + bar_w - text_width(label, TICK) / 2),
                    y - TICK - 2,
                    label,
                    anchor="middle",
                )
            if g.scale_title:
                self._text(c, x + bar_w + 8, y, fit(g.scale_title, self.width - bar_w - x - 10, TICK), ink=INK)

    def _scale(self, v: float) -> colors.Color:
        g = self.plot.grid
        pos = (min(max(v, g.zmin), g.zmax) - g.zmin) / (g.zmax - g.zmin or 1)
        stops = g.scale
        for (p0, c0), (p1, c1) in zip(stops, stops[1:]):
            if p0 <= pos <= p1:
                a, b = colour_of(c0), colour_of(c1)
                f = 0.0 if p1 == p0 else (pos - p0) / (p1 - p0)
                return colors.Color(
                    a.red + (b.red - a.red) * f, a.green + (b.green - a.green) * f, a.blue + (b.blue - a.blue) * f
                )
        return colour_of(stops[-1][1])
