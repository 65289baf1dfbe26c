"""The one typeface the files are written in: DejaVu Sans, bundled with its licence (``typeface_files/``).

The briefing embeds it and draws with it; the deck measures its text with it (LibreOffice Impress puts DejaVu in
for the deck's font here), so both know before writing whether a text fits. Shared by the two renderers, neither
of which imports the other.
"""

from __future__ import annotations

import functools
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT, BOLD = "ClusterSans", "ClusterSans-Bold"
FONT_FOLDER = Path(__file__).resolve().parent / "typeface_files"


@functools.cache
def fonts() -> None:
    """Register DejaVu Sans (bundled, with its licence) once; the PDF embeds the glyphs it uses.

    DejaVu is Bitstream Vera with the characters the dashboard writes that Vera lacks: the star of a
    published value, the warning sign, the check mark, the minus sign.
    """
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_FOLDER / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(FONT_FOLDER / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)


# stand-ins for a character the font does not have (none the dashboard writes today; a test checks)
_STAND_INS = {"\u202f": "\u00a0"}


@functools.cache
def covered() -> frozenset[int]:
    """The characters the typeface can draw (by code point)."""
    fonts()
    return frozenset(pdfmetrics.getFont(FONT).face.charToGlyph)


def glyphs(text: str) -> str:
    """The text with every character the embedded font can draw (a stand-in, or '?', for the others)."""
    drawable = covered()
    if all(ord(ch) in drawable for ch in text):
        return text
    out = []
    for ch in text:
        if ord(ch) in drawable or ch in "\n\t":
            out.append(ch)
        else:
            out.append(_STAND_INS.get(ch, "?"))
    return "".join(out)


def text_width(text: str, size: float, font: str = FONT) -> float:
    return pdfmetrics.stringWidth(glyphs(text), font, size)
