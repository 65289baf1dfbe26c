"""The ceiling's verdict is in every export of the scenario page: as a headline and as its table; none without a ceiling."""

from __future__ import annotations

import io
import subprocess

import openpyxl
import pytest
from pptx import Presentation

from tests.conftest import assert_page_ok, made_export, open_link

TITLE = "Jaren boven het plafond"
HEADLINE = "Plafond · Eigen scenario 1"


def _with_ceiling_from_the_data():
    """Continuation with the seed's multi-year ceiling (98 M in 2025 down to 94 M in 2034): above it in 2031-2034."""
    at = open_link("scenarios", {"lang": "nl"}).run()
    at.session_state["sc_editor"] = True
    at.run()
    at.button(key="f_continuation_path_from_data").click().run()
    at.button[0].click().run()  # save
    assert_page_ok(at)
    return at


def _texts(kind: str, data: bytes) -> str:
    if kind in ("csv", "html"):
        return data.decode("utf-8-sig")
    if kind == "pdf":
        return subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    if kind == "pptx":
        deck = Presentation(io.BytesIO(data))
        out = []
        for slide in deck.slides:
            for shape in slide.shapes:
                if shape.has_text_frame:
                    out.append(shape.text_frame.text)
                if shape.has_table:
                    out += [cell.text for row in shape.table.rows for cell in row.cells]
        return "\n".join(out)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    cells = [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    return "\n".join(wb.sheetnames + cells)


@pytest.mark.parametrize("kind", ["csv", "xlsx", "pdf", "pptx", "html"])
def test_the_verdict_is_in_every_export_of_a_scenario_above_its_ceiling(seed_db, kind):
    at = _with_ceiling_from_the_data()
    page = [m.value for m in at.markdown if HEADLINE in m.value]
    assert page and "4 jaren erboven" in page[0], page  # the page says it in words above its table
    made = made_export(at, kind)
    assert made.data, made.reference
    text = _texts(kind, made.data)
    assert TITLE in text and HEADLINE in text and "4 jaren erboven" in text, kind
    for year in ("2031", "2032", "2033", "2034"):
        assert year in text
    if kind == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(made.data))[TITLE]
        rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
        assert [r[1] for r in rows] == [2031, 2032, 2033, 2034]
        assert all(isinstance(r[4], (int, float)) and r[4] > 0 for r in rows), rows  # the overshoot as a number
        assert [r[3] for r in rows] == [95e6, 95e6, 94e6, 94e6]  # each year's own ceiling
    if kind == "html":
        assert "<h2>Kerncijfers</h2>" in text  # the headline figures the other formats carry


@pytest.mark.parametrize("kind", ["csv", "xlsx", "pdf", "pptx", "html"])
def test_no_verdict_without_a_ceiling(seed_db, kind):
    at = open_link("scenarios", {"lang": "nl"}).run()
    assert_page_ok(at)
    text = _texts(kind, made_export(at, kind).data)
    assert TITLE not in text and "Plafond ·" not in text and "erboven" not in text


def test_the_decks_cost_chart_marks_the_years_above_the_ceiling_as_the_page_does(seed_db):
    """Red triangles, no line joining them (a line would read as one more scenario)."""
    from pptx.enum.chart import XL_MARKER_STYLE

    at = _with_ceiling_from_the_data()
    at.session_state["sc_measure"] = "total_eur"
    at.run()
    deck = Presentation(io.BytesIO(made_export(at, "pptx").data))
    marks = [
        s
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_chart
        for s in shape.chart.plots[0].series
        if s.name == "Boven het plafond"
    ]
    assert len(marks) == 1
    (mark,) = marks
    assert mark.marker.style == XL_MARKER_STYLE.TRIANGLE
    assert mark.format.line.fill.type is not None and mark.format.line.fill.type == 5  # MSO_FILL.BACKGROUND: no line
    # continuation costs EUR 95.64 M a year; the ceiling falls to 95 M in 2031 and 94 M in 2033
    assert [v for v in mark.values if v is not None] == pytest.approx([95.6405] * 4)
