"""Text, numbers and colours on the briefing's pages: the embedded font, what it can draw, and Belgian number formats."""

from __future__ import annotations

import functools
import math
import re
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from clusterpolicy.present.charts.precision import NumberFormat
from clusterpolicy.present.charts.theme import hex_colour
from clusterpolicy.render.typeface import BOLD, FONT, glyphs, text_width

MARGIN = 18 * mm
WIDTH = A4[0] - 2 * MARGIN  # 493 pt of text width
INK, GREY, RULE = colors.HexColor("#1a1a1a"), colors.HexColor("#4a4a4a"), colors.HexColor("#c8c8c8")
MARK_FILL, MARK_LINE, MARK_INK = colors.HexColor("#fff4e0"), colors.HexColor("#D55E00"), colors.HexColor("#6b3300")
TICK = 8.0  # size of the charts' tick labels, legend and cell text
FOOTER = 7.5


@functools.cache
def styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle(
        "body", fontName=FONT, bulletFontName=FONT, fontSize=9.5, leading=13, textColor=INK, splitLongWords=True
    )
    return {
        "title": ParagraphStyle("title", base, fontName=BOLD, fontSize=19, leading=23, spaceAfter=6),
        "h2": ParagraphStyle("h2", base, fontName=BOLD, fontSize=12.5, leading=16, spaceBefore=10, spaceAfter=4, keepWithNext=1),
        "chart": ParagraphStyle("chart", base, fontName=BOLD, fontSize=11, leading=14, spaceBefore=8, spaceAfter=3),
        "body": base,
        "small": ParagraphStyle("small", base, fontSize=7.5, leading=9.5, textColor=GREY),
        "cell": ParagraphStyle("cell", base, fontSize=8, leading=10),
        "head": ParagraphStyle("head", base, fontName=BOLD, fontSize=8, leading=10),
        "figure": ParagraphStyle("figure", base, fontName=BOLD, fontSize=13, leading=16),
    }


def esc(text) -> str:
    """Text for a paragraph: drawable by the font, then escaped for ReportLab's markup."""
    return escape(glyphs(str(text)))


def fit(text: str, width: float, size: float, font: str = FONT) -> str:
    """The text, cut with an ellipsis where it would be wider than ``width``."""
    if text_width(text, size, font) <= width:
        return text
    while text and text_width(text + "…", size, font) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def wrap_lines(text: str, width: float, size: float, most: int, font: str = FONT) -> list[str]:
    """The text broken into at most ``most`` lines of ``width`` (the last one cut with an ellipsis)."""
    words, lines, current = str(text).split(), [], ""
    for word in words:
        trial = f"{current} {word}".strip()
        if text_width(trial, size, font) <= width or not current:
            current = trial
        else:
            lines.append(current)
            current = word
    lines.append(current)
    if len(lines) > most:
        lines = lines[: most - 1] + [" ".join(lines[most - 1 :])]
    return [fit(line, width, size, font) for line in lines]


def markdown(text: str) -> str:
    """A page's Markdown introduction as ReportLab paragraph markup: escaped, with **bold** kept."""
    out = esc(text)
    out = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", out)
    return out.replace("*", "")


# ---------------------------------------------------------------- numbers


def nice_ticks(lo: float, hi: float, most: int = 6) -> list[float]:
    """Round tick values (1, 2 or 5 times a power of ten) covering lo..hi."""
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / most
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    start = math.floor(lo / step + 1e-9) * step
    ticks = []
    v = start
    while v <= hi + step * 1e-6:
        ticks.append(round(v, 10))
        v += step
    if ticks[-1] < hi - 1e-9:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def tick_text(value: float, step: float, number_format: NumberFormat, lang: str) -> str:
    """An axis tick in the chart's format, with as many decimals as the step between ticks needs."""
    if not number_format.grouped:  # years: no thousands separator
        return number_format.format(value, lang)
    scaled = step * (100 if number_format.percent else 1)
    decimals = 0 if scaled >= 1 else min(3, -math.floor(math.log10(scaled) + 1e-9))
    if abs(scaled - round(scaled, decimals)) > 1e-9:
        decimals += 1
    return number_format.format(value, lang, decimals)


def colour_of(value: str) -> colors.Color:
    """A page colour ('#RRGGBB', 'rgba(r, g, b, a)') as a ReportLab colour, a translucent one laid over white as
    the deck lays it (``charts.hex_colour``)."""
    return colors.HexColor("#" + hex_colour(value))


def ink_on(fill: colors.Color) -> colors.Color:
    """Black or white text, whichever reads better on ``fill``."""
    luminance = 0.2126 * fill.red + 0.7152 * fill.green + 0.0722 * fill.blue
    return colors.black if luminance > 0.5 else colors.white


DASH_PATTERNS = {
    "solid": None,
    "dot": [1, 2.5],
    "dash": [5, 3],
    "dashdot": [5, 2, 1, 2],
    "longdash": [9, 3],
    "longdashdot": [9, 2, 1, 2],
}
