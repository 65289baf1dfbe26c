"""The deck's layout rules, on python-pptx's own reading of the file (LibreOffice's rendering: test_office.py)."""

from __future__ import annotations

import pandas as pd
from pptx import Presentation
from pptx.util import Emu

from clusterpolicy.render import slides

EMU = 12700  # per point


def deck():
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(int(slides.SLIDE_W * 12700)), Emu(int(slides.SLIDE_H * 12700))
    return prs


def inside(slide) -> bool:
    """Every shape of the slide lies within it."""
    return all(
        sh.left >= 0 and sh.top >= 0 and sh.left + sh.width <= slides.SLIDE_W * EMU and sh.top + sh.height <= slides.SLIDE_H * EMU
        for sh in slide.shapes
    )


def table_rows(used) -> list[list[str]]:
    out = []
    for slide in used:
        table = next(sh.table for sh in slide.shapes if sh.has_table)
        out.append([[c.text for c in row.cells] for row in table.rows])
    return out


def test_lines_needed_counts_wrapped_words_paragraphs_and_long_addresses():
    assert slides.lines_needed("kort", 100, 12) == 1
    assert slides.lines_needed("een twee drie vier vijf zes zeven acht negen tien", 100, 12) >= 3
    assert slides.lines_needed("a\nb\nc", 100, 12) == 3
    assert slides.lines_needed("https://example.org/" + "x" * 120, 100, 12) >= 5  # no spaces: broken as it needs


def test_a_long_table_goes_on_over_slides_with_its_header_and_every_row():
    prs = deck()
    frame = pd.DataFrame({"Parameter": [f"parameter {i}" for i in range(40)], "Waarde": [str(i) for i in range(40)]})
    used = slides.table_slides(prs, "Alle parameters", frame, [500, 388], size=12)
    assert len(used) >= 2 and all(inside(s) for s in used)
    parts = table_rows(used)
    assert all(part[0] == ["Parameter", "Waarde"] for part in parts)  # the header on each slide
    assert [row for part in parts for row in part[1:]] == frame.values.tolist()
    titles = [next(sh.text_frame.text for sh in s.shapes if sh.has_text_frame) for s in used]
    assert titles[0] == "Alle parameters" and titles[1] == "Alle parameters (2)"


def test_a_row_taller_than_a_slide_is_cut_to_fit():
    prs = deck()
    used = slides.table_slides(prs, "Bronnen", pd.DataFrame({"a": ["kort"], "b": ["woord " * 2000]}), [300, 588], size=12)
    assert len(used) == 1 and inside(used[0])
    assert table_rows(used)[0][1][1].endswith(" …")


def test_a_table_that_does_not_fit_under_other_content_gets_a_slide_of_its_own():
    prs = deck()
    first = prs.slides.add_slide(prs.slide_layouts[6])
    used = slides.table_slides(
        prs, "Wat verschilt", pd.DataFrame({"a": ["x"], "b": ["woord " * 60]}), [300, 588], top=480, slide=first
    )
    assert used[0] is not first and inside(used[0])
    assert next(sh.text_frame.text for sh in used[0].shapes if sh.has_text_frame) == "Wat verschilt"
