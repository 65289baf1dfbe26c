"""Bars and lines on the PDF canvas: categories down the side (bars across) or along the bottom (columns, lines)."""

from __future__ import annotations

import math

from reportlab.lib import colors

from clusterpolicy.render.briefing.text import (
    DASH_PATTERNS,
    INK,
    RULE,
    TICK,
    colour_of,
    fit,
    ink_on,
    nice_ticks,
    tick_text,
    wrap_lines,
)
from clusterpolicy.render.typeface import text_width


def bar(c, x: float, y: float, w: float, h: float, fill: colors.Color, hatched: bool, dotted: bool = False) -> None:
    """A bar; a hatched one (an illustrative amount on the page) gets diagonal lines over its fill, a dotted one dots."""
    c.setFillColor(fill)
    c.rect(x, y, w, h, stroke=0, fill=1)
    if not (hatched or dotted) or w < 1 or h < 1:
        return
    c.saveState()
    clip = c.beginPath()
    clip.rect(x, y, w, h)
    c.clipPath(clip, stroke=0, fill=0)
    ink = colors.Color(fill.red * 0.45, fill.green * 0.45, fill.blue * 0.45)
    if dotted:
        c.setFillColor(ink)
        row = 0
        yy = y + 1.5
        while yy < y + h:
            xx = x + 1.5 + (1.75 if row % 2 else 0)
            while xx < x + w:
                c.circle(xx, yy, 0.6, stroke=0, fill=1)
                xx += 3.5
            yy += 3.0
            row += 1
    else:
        c.setStrokeColor(ink)
        c.setLineWidth(0.6)
        k = -h
        while k < w:
            c.line(x + k, y, x + k + h, y + h)
            k += 3.5
    c.restoreState()


def _marker(c, x: float, y: float, symbol: str, colour: colors.Color) -> None:
    """A point's marker: a dot, or the outlined star (published) and triangle ("more than") the page uses."""
    if symbol not in ("star", "triangle-up"):
        c.setFillColor(colour)
        c.circle(x, y, 1.8, stroke=0, fill=1)
        return
    if symbol == "star":
        points = [
            (
                x + (5.2 if k % 2 == 0 else 2.2) * math.sin(k * math.pi / 5),
                y + (5.2 if k % 2 == 0 else 2.2) * math.cos(k * math.pi / 5),
            )
            for k in range(10)
        ]
    else:
        points = [(x - 4.5, y - 3), (x + 4.5, y - 3), (x, y + 4.8)]
    path = c.beginPath()
    path.moveTo(*points[0])
    for p in points[1:]:
        path.lineTo(*p)
    path.close()
    c.setFillColor(colour)
    c.setStrokeColor(colors.black)
    c.setLineWidth(0.8)
    c.drawPath(path, stroke=1, fill=1)


class SeriesDrawing:
    """The part of a chart drawing that draws bar and line series (mixed into ChartDrawing)."""

    def _counted(self, ticks: list[float]) -> list[float]:
        """Whole-number ticks for a chart of counts (a count axis read "0 0 1 2 2" with steps of a half)."""
        values = [v for s in self.plot.series for v in s.values if v is not None]
        if len(ticks) < 2 or ticks[1] - ticks[0] >= 1 or (self.number_format.percent or self.number_format.decimals > 0):
            return ticks
        if not values or any(float(v) != int(v) for v in values):
            return ticks
        return [float(v) for v in range(math.floor(ticks[0]), math.ceil(ticks[-1]) + 1)]

    def _categories(self) -> list:
        """Every category of the series, in their order; numbers (years) in ascending order."""
        seen: dict = {}
        for s in self.plot.series:
            for c in s.categories:
                seen.setdefault(c, None)
        cats = list(seen)
        if cats and all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in cats):
            cats.sort()  # series that start in different years list them in different orders
        return cats

    def _bar_extent(self) -> tuple[float, float, list[float], list[float]]:
        """Lowest and highest value the bars and lines reach, and the positive and negative bar ends."""
        lo, hi, pos, neg = 0.0, 0.0, [], []
        cats = self._categories()
        stacked = self.plot.mode == "stack"
        up = dict.fromkeys(cats, 0.0)
        down = dict.fromkeys(cats, 0.0)
        for s in self.plot.series:
            for i, (c, v) in enumerate(zip(s.categories, s.values)):
                if v is None:
                    continue
                base = s.base[i] if s.base and s.base[i] is not None else None
                if base is not None:
                    lo, hi = min(lo, base) if lo else base, max(hi, base + v)
                    continue
                if stacked and s.kind == "bar":
                    if v >= 0:
                        up[c] += v
                        hi = max(hi, up[c])
                    else:
                        down[c] += v
                        lo = min(lo, down[c])
                else:
                    lo, hi = min(lo, v), max(hi, v)
                    (pos if v >= 0 else neg).append(v)
        if self.plot.value_range is not None:
            lo, hi = self.plot.value_range
        return lo, hi, pos, neg

    def _labelled(self) -> bool:
        """Whether bar values are written at the bar ends (grouped bars, a few dozen at most)."""
        bars = [s for s in self.plot.series if s.kind == "bar" and s.base is None]
        return bool(bars) and self.plot.mode in ("group", "overlay") and sum(len(s.values) for s in bars) <= 60

    def _band(self) -> tuple[float, float]:
        """(row height, label column width) of horizontal bars."""
        cats = self._categories()
        widest = max((text_width(str(c), TICK) for c in cats), default=0)
        label_w = min(widest + 2, 0.36 * self.width)
        two = any(text_width(str(c), TICK) > label_w for c in cats)
        bars = max(1, sum(1 for s in self.plot.series if s.kind == "bar")) if self.plot.mode == "group" else 1
        written = any(s.labels for s in self.plot.series) or self._labelled()
        thick = TICK + 2 if written else 6.5  # a bar with text beside it is as tall as the text
        row = max(2 * (TICK + 1.5) + 4 if two else TICK + 7, bars * thick + 5)
        return row, label_w

    def _series_height(self) -> float:
        if self.plot.horizontal:
            row, _ = self._band()
            return len(self._categories()) * row + TICK + 6 + (TICK + 5 if self.plot.value_title else 0)
        return 190.0

    def _end_label(self, s, i: int, v: float) -> str | None:
        """The text written just past the end of a bar: its own label, or its value; None for none."""
        if s.base is not None or self.plot.mode == "stack":
            return None  # a timeline's period and a stack's parts are written inside their bars
        if s.labels:
            return s.labels[i]
        return self.number_format.format(v, self.lang) if self._labelled() else None

    def _value_ticks(self, lo: float, hi: float, room: float) -> list[float]:
        """Round ticks over lo..hi, as many as fit side by side in ``room`` points."""
        fmt = self.number_format
        for most in (6, 5, 4, 3, 2):
            ticks = nice_ticks(lo, hi, most)
            step = ticks[1] - ticks[0] if len(ticks) > 1 else 1
            widest = max(text_width(tick_text(v, step, fmt, self.lang), TICK) for v in ticks)
            if (widest + 8) * len(ticks) <= room:
                return ticks
        return ticks

    def _draw_horizontal(self, c, top: float) -> None:
        plot = self.plot
        cats = self._categories()
        if plot.top_down is False:
            cats = cats[::-1]  # Plotly's default puts the first category at the bottom
        row, label_w = self._band()
        lo, hi, _, _ = self._bar_extent()
        fmt = self.number_format
        ends = [
            (v, text)
            for s in plot.series
            if s.kind == "bar"
            for i, v in enumerate(s.values)
            if v is not None and (text := self._end_label(s, i, v))
        ]
        pad_r = max((text_width(text, TICK - 1) for v, text in ends if v >= 0), default=0) + 4
        pad_l = max((text_width(text, TICK - 1) for v, text in ends if v < 0), default=0) + (4 if ends else 0)
        room = self.width - label_w - 6 - pad_l - pad_r
        ticks = self._value_ticks(lo, hi, room)  # as many as fit side by side, also within the builder's own range
        if plot.value_range is not None:
            ticks = [v for v in ticks if lo - 1e-9 <= v <= hi + 1e-9] or ticks
        ticks = self._counted(ticks)
        if plot.value_range is None:
            lo, hi = min(lo, ticks[0]), max(hi, ticks[-1])
        step = ticks[1] - ticks[0] if len(ticks) > 1 else 1
        x0 = label_w + 6 + max(pad_l, text_width(tick_text(ticks[0], step, fmt, self.lang), TICK) / 2 - 6)
        x1 = self.width - max(pad_r, text_width(tick_text(ticks[-1], step, fmt, self.lang), TICK) / 2 + 1)

        def X(v: float) -> float:
            return x0 + (v - lo) / (hi - lo or 1) * (x1 - x0)

        plot_top = top
        plot_bottom = top - len(cats) * row
        # grid lines and tick labels
        c.setLineWidth(0.4)
        for v in ticks:
            if v < lo - 1e-9 or v > hi + 1e-9:
                continue
            c.setStrokeColor(RULE)
            c.line(X(v), plot_bottom, X(v), plot_top)
            self._text(c, X(v), plot_bottom - TICK - 3, tick_text(v, step, fmt, self.lang), anchor="middle")
        if plot.value_title:
            self._text(c, (x0 + x1) / 2, plot_bottom - 2 * TICK - 7, fit(plot.value_title, x1 - x0, TICK), anchor="middle")
        # category labels: at the low end of the axis (left of the plot), whatever the sign of the bars
        position = {cat: plot_top - (i + 0.5) * row for i, cat in enumerate(cats)}
        for cat, y in position.items():
            lines = wrap_lines(str(cat), label_w, TICK, 2)
            first = y + (len(lines) - 1) * (TICK + 1.5) / 2 - TICK / 2 + 1
            for k, line in enumerate(lines):
                self._text(c, label_w, first - k * (TICK + 1.5), line, anchor="end", ink=INK)
        bars = [s for s in plot.series if s.kind == "bar"]
        k = len(bars) if plot.mode == "group" else 1
        thick = (row - 5) / max(1, k)
        up, down = {}, {}
        for j, s in enumerate(bars):
            for i, (cat, v) in enumerate(zip(s.categories, s.values)):
                if v is None:
                    continue
                fill = colour_of(s.colours[i % len(s.colours)])
                y_mid = position[cat]
                if plot.mode == "group":
                    y_low = y_mid + row / 2 - 2.5 - (j + 1) * thick
                else:
                    y_low = y_mid - thick / 2
                base = s.base[i] if s.base and s.base[i] is not None else 0.0
                if plot.mode == "stack" and s.base is None:
                    base = (up if v >= 0 else down).get(cat, 0.0)
                    (up if v >= 0 else down)[cat] = base + v
                a, b = sorted((X(base), X(base + v)))
                bar(
                    c,
                    a,
                    y_low + 0.5,
                    max(b - a, 0.3),
                    thick - 1,
                    fill,
                    bool(s.hatched and s.hatched[i]),
                    bool(s.dotted and s.dotted[i]),
                )
                text = self._end_label(s, i, v)
                if text is not None:
                    ty = y_low + thick / 2 - (TICK - 1) / 2 + 0.8
                    if v >= 0:
                        self._text(c, b + 2, ty, text, TICK - 1, ink=INK)
                    else:
                        self._text(c, a - 2, ty, text, TICK - 1, anchor="end", ink=INK)
                elif s.labels:  # inside the bar, where it fits
                    label = fit(s.labels[i], max(b - a - 4, 0), TICK - 0.5)
                    if label and label != "…":
                        self._text(c, a + 2, y_low + thick / 2 - TICK / 2 + 1.5, label, TICK - 0.5, ink=ink_on(fill))
        for s in plot.series:  # markers on horizontal charts (none today), drawn over the bars
            if s.kind != "bar":
                for cat, v in zip(s.categories, s.values):
                    if v is not None:
                        c.setFillColor(colour_of(s.colours[0]))
                        c.circle(X(v), position[cat], 2.5, stroke=0, fill=1)
        if lo < 0 < hi:
            c.setStrokeColor(INK)
            c.setLineWidth(0.9)
            c.line(X(0), plot_bottom, X(0), plot_top)

    def _draw_vertical(self, c, top: float) -> None:
        plot = self.plot
        cats = self._categories()
        fmt = self.number_format
        lo, hi, _, _ = self._bar_extent()
        lines_only = all(s.kind != "bar" for s in plot.series)
        if lines_only:
            values = [v for s in plot.series for v in s.values if v is not None]
            lo = min([0.0, *values])
            hi = max([0.0, *values])
        ticks = self._counted(nice_ticks(lo, hi))
        lo, hi = min(lo, ticks[0]), max(hi, ticks[-1])
        step = ticks[1] - ticks[0] if len(ticks) > 1 else 1
        tick_w = max(text_width(tick_text(v, step, fmt, self.lang), TICK) for v in ticks)
        title_w = TICK + 6 if plot.value_title else 0
        x0 = title_w + tick_w + 6
        x1 = self.width - 4
        slot = (x1 - x0) / max(1, len(cats))
        label_lines = max((len(wrap_lines(str(cat), slot - 2, TICK, 2)) for cat in cats), default=1)
        every = 1
        while (
            max((text_width(str(cat), TICK) for cat in cats[::every]), default=0) > slot * every - 4
            and label_lines > 1
            and every < len(cats)
        ):
            every += 1
            if all(str(x).isdigit() for x in cats):
                label_lines = 1
            else:
                break
        bottom_room = label_lines * (TICK + 1.5) + 6 + (TICK + 4 if plot.category_title else 0)
        plot_top, plot_bottom = top - 4, bottom_room
        if plot_top - plot_bottom < 60:
            plot_bottom = plot_top - 60

        def Y(v: float) -> float:
            return plot_bottom + (v - lo) / (hi - lo or 1) * (plot_top - plot_bottom)

        def X(i: int) -> float:
            return x0 + (i + 0.5) * slot

        c.setLineWidth(0.4)
        for v in ticks:
            c.setStrokeColor(RULE)
            c.line(x0, Y(v), x1, Y(v))
            self._text(c, x0 - 3, Y(v) - TICK / 2 + 1, tick_text(v, step, fmt, self.lang), anchor="end")
        if plot.value_title:
            c.saveState()
            c.translate(TICK, (plot_bottom + plot_top) / 2)
            c.rotate(90)
            self._text(c, 0, 0, fit(plot.value_title, plot_top - plot_bottom, TICK), anchor="middle")
            c.restoreState()
        for i, cat in enumerate(cats):
            lines = wrap_lines(str(cat), slot * every - 2, TICK, 2) if i % every == 0 else []
            for k, line in enumerate(lines):
                self._text(c, X(i), plot_bottom - (k + 1) * (TICK + 1.5) - 1, line, anchor="middle", ink=INK)
        if plot.category_title:
            self._text(c, (x0 + x1) / 2, 2 + (self.mark_height and 0), fit(plot.category_title, x1 - x0, TICK), anchor="middle")
        index = {cat: i for i, cat in enumerate(cats)}
        bars = [s for s in plot.series if s.kind == "bar"]
        k = len(bars) if plot.mode == "group" else 1
        band = min(slot * 0.8, 90.0)  # one or two years: a bar as wide as the page told nothing
        thick = band / max(1, k)
        up, down = {}, {}
        for j, s in enumerate(bars):
            for i, (cat, v) in enumerate(zip(s.categories, s.values)):
                if v is None:
                    continue
                left = X(index[cat]) - band / 2 + (j * thick if plot.mode == "group" else 0)
                base = 0.0
                if plot.mode == "stack":
                    base = (up if v >= 0 else down).get(cat, 0.0)
                    (up if v >= 0 else down)[cat] = base + v
                a, b = sorted((Y(base), Y(base + v)))
                fill = colour_of(s.colours[i % len(s.colours)])
                bar(
                    c,
                    left + 0.5,
                    a,
                    max(thick - 1, 0.5),
                    max(b - a, 0.3),
                    fill,
                    bool(s.hatched and s.hatched[i]),
                    bool(s.dotted and s.dotted[i]),
                )
        for s in plot.series:
            if s.kind == "bar":
                continue
            colour = colour_of(s.colours[0])
            points = [(X(index[cat]), Y(v)) for cat, v in zip(s.categories, s.values) if v is not None]
            if s.kind == "line" and len(points) > 1:
                c.setStrokeColor(colour)
                c.setLineWidth(1.6)
                c.setDash(DASH_PATTERNS.get(s.dash) or [])
                path = c.beginPath()
                path.moveTo(*points[0])
                for p in points[1:]:
                    path.lineTo(*p)
                c.drawPath(path, stroke=1, fill=0)
                c.setDash([])
            if s.kind == "points" or (s.kind == "line" and s.dash == "solid"):
                symbols = [m for m, v in zip(s.symbols or [], s.values) if v is not None] or ["circle"] * len(points)
                for (x, y), symbol in zip(points, symbols):
                    _marker(c, x, y, symbol, colour)
        if lo < 0 < hi:
            c.setStrokeColor(INK)
            c.setLineWidth(0.9)
            c.line(x0, Y(0), x1, Y(0))
