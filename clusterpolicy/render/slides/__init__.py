"""The slide deck of a view (PPTX): the deck and its slides (``deck``), its native charts (``native_chart``)."""

from clusterpolicy.render.slides.deck import SLIDE_H, SLIDE_W, lines_needed, table_slides, to_pptx
from clusterpolicy.render.slides.native_chart import PPTX_DASHES, PPTX_MARKERS, PPTX_PATTERNS

__all__ = ["PPTX_DASHES", "PPTX_MARKERS", "PPTX_PATTERNS", "SLIDE_H", "SLIDE_W", "lines_needed", "table_slides", "to_pptx"]
