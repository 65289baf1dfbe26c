"""One document outline, filled by every export in the same order: title, question, context, compared scenarios,
what differs, headline figures, the page's tables, the charts, all parameters, the sources."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from html.parser import HTMLParser

import openpyxl
import pytest
from pptx import Presentation
from pypdf import PdfReader

from clusterpolicy import i18n
from clusterpolicy.data import db
from clusterpolicy.model import scenarios
from clusterpolicy.present import charts, outline, tables, verdict
from clusterpolicy.render import briefing, report, slides

QUESTION = "Wat kost de **basiswerking** over tien jaar?\n\nEn wie verliest het meest?"


@pytest.fixture(scope="module", params=i18n.LANGS)
def view(seed_db, request):
    """A scenario view with everything an outline can hold: a question, two scenarios that differ (one above a
    ceiling, so the page has its table of years above it), headline figures, three charts, parameters, sources."""
    lang = request.param
    con = db.connect(seed_db)
    try:
        base = scenarios.Base.from_frames(db.run_query(con, "scenario_base", {}), db.run_query(con, "earmarked_last_level", {}))
        presets = db.run_query(con, "scenario_presets", {})
        sources = db.run_query(con, "sources", {})
    finally:
        con.close()
    first = scenarios.preset_params(presets.iloc[0], base, lang)
    capped = replace(first, name="Met plafond", ceiling_eur=1_000_000.0, share_end=0.3, new_clusters=2)
    params = [first, capped]
    results = [scenarios.run(base, p) for p in params]
    names = [p.name for p in params]
    items = [
        outline.ChartItem("lines", ["illus_basic_funding"], chart=charts.scenario_cost_lines(results, "basic_eur", lang, True)),
        outline.ChartItem("parts", ["illus_basic_funding"], chart=charts.scenario_components(results, None, lang, True)),
        outline.ChartItem("clusters", ["illus_basic_funding"], chart=charts.basic_by_cluster(results[0], lang, True)),
    ]
    years = verdict.table(results, names, lang)
    assert years is not None and len(years.shown)  # the capped scenario goes above its ceiling
    built = outline.View(
        "Financieringsscenario's",
        lang,
        "http://127.0.0.1/scenarios?sc=continuation",
        "abc123def456",
        items,
        sources,
        tables.scenario_parameters(params, base, lang),
        question=QUESTION,
        headlines=verdict.headlines(results, names, lang),
        tables=[years],
        parameter_numbers=tables.scenario_parameter_numbers(params, base, lang),
    )
    built.params = params  # the compared scenarios themselves, to check the workbook's numbers against
    return built


def _headings(v: outline.View) -> list[str]:
    return [s.heading for s in outline.sections(v) if s.heading]


def _in_order(text: str, wanted: list[str]) -> list[str]:
    """The headings of ``wanted`` not found in ``text`` after the one before them (whitespace ignored)."""
    flat, missing, at = re.sub(r"\s+", "", text), [], 0
    for heading in wanted:
        found = flat.find(re.sub(r"\s+", "", heading), at)
        if found < 0:
            missing.append(heading)
        else:
            at = found + 1
    return missing


def test_the_outline_holds_every_part_in_its_order(view):
    kinds = [s.kind for s in outline.sections(view)]
    assert kinds == [
        "title",
        "question",
        "context",
        "compared",
        "differs",
        "headlines",
        "table",
        *["chart"] * 3,
        "parameters",
        "sources",
    ]
    differs = next(s for s in outline.sections(view) if s.kind == "differs")
    # the two scenarios differ in their name's column only where their values do: the ceiling and the end share
    assert len(differs.body) >= 2 and len(differs.body) < len(view.parameters)


def test_an_outline_without_scenarios_leaves_their_parts_out(view):
    bare = replace(view, parameters=None, question="", headlines=[], tables=[])
    assert [s.kind for s in outline.sections(bare)] == ["title", "context", "chart", "chart", "chart", "sources"]


class _Headings(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found, self._in = [], False

    def handle_starttag(self, tag, attrs):
        if tag in ("h1", "h2"):
            self._in, self.found = True, [*self.found, ""]

    def handle_endtag(self, tag):
        if tag in ("h1", "h2"):
            self._in = False

    def handle_data(self, data):
        if self._in:
            self.found[-1] += data


def test_the_html_report_has_the_outlines_headings_and_nothing_else(view):
    page = report.to_html(view)
    parser = _Headings()
    parser.feed(page)
    assert parser.found == _headings(view)
    # the question, without its Markdown, in two paragraphs
    assert "<p class='question'>Wat kost de basiswerking over tien jaar?</p>" in page and "**basiswerking" not in page


def test_the_briefing_writes_the_outline_in_its_order(view):
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(briefing.to_pdf(view))).pages)
    assert _in_order(text, _headings(view)) == []
    assert _in_order(text, ["basiswerking", i18n.t("export.data_version", view.lang)]) == []


def test_the_deck_writes_the_outline_in_its_order_and_the_question_in_the_title_slides_notes(view):
    prs = Presentation(io.BytesIO(slides.to_pptx(view)))
    texts = []
    for slide in prs.slides:
        texts += [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]
        texts += [c.text_frame.text for sh in slide.shapes if sh.has_table for row in sh.table.rows for c in row.cells]
    assert _in_order("\n".join(texts), _headings(view)) == []
    notes = prs.slides[0].notes_slide.notes_text_frame.text
    assert notes.startswith("Wat kost de basiswerking") and "**" not in notes


def test_the_workbook_follows_the_outline(view):
    wb = openpyxl.load_workbook(io.BytesIO(report.to_xlsx(view)))
    L = view.lang
    info = [r[0].value for r in wb.worksheets[0].iter_rows()]
    sections = outline.sections(view)
    firsts = [
        i18n.t("export.view", L),
        i18n.t("export.question", L),
        i18n.t("export.generated", L),
        i18n.t("export.compared", L),
        i18n.t("export.differs", L),
        *(h.label for h in view.headlines),
    ]
    assert [x for x in info if x in firsts] == firsts
    differs = next(s for s in sections if s.kind == "differs")
    assert dict((r[0].value, r[1].value) for r in wb.worksheets[0].iter_rows())[i18n.t("export.differs", L)] == " · ".join(
        differs.body.iloc[:, 0]
    )
    tables_, charts_ = [s.heading for s in sections if s.kind == "table"], [s.heading for s in sections if s.kind == "chart"]
    expected = [*(h[:31] for h in tables_), *(f"{i:02d} {h}"[:31] for i, h in enumerate(charts_, 1))]
    expected = [re.sub(r"[\\/*?:\[\]]", "_", name) for name in expected]  # characters Excel refuses in a sheet's name
    expected += [i18n.t("export.parameters", L), i18n.t("export.sources_title", L)]
    assert wb.sheetnames[1:] == expected


def test_the_csv_carries_the_outlines_text_above_its_table(view):
    text = report.to_csv(view).decode("utf-8-sig")
    comments = [line[2:] for line in text.splitlines() if line.startswith("# ")]
    L = view.lang
    labels = [line.split(":", 1)[0] for line in comments]
    order = [i18n.t("export.view", L), i18n.t("export.question", L), i18n.t("export.generated", L)]
    order += [i18n.t("export.compared", L), i18n.t("export.differs", L), view.headlines[0].label, i18n.t("export.source", L)]
    assert [x for x in labels if x in order][: len(order) - 1] == order[:-1] and order[-1] in labels
    # every parameter is a line of its own, its value for each scenario; nothing but the table follows the lines
    params = outline.parameter_frame(view.parameters, L)
    assert all(any(line.startswith(f"{name}: ") for line in comments) for name in params.iloc[:, 0])
    table = text.split("\r\n")[len(comments) :]
    header = next(csv.reader([table[0]], delimiter=";" if L == "nl" else ","))
    assert header[0] == i18n.t("export.col_chart", L) and not any(line.startswith("#") for line in table)
    assert '"' not in "".join(comments)  # a spreadsheet would open a quoted cell at a straight quote


def test_the_workbooks_parameters_are_numbers_in_their_unit_and_format(view):
    """A number stays a number in the workbook: an amount in euros, a share as its fraction shown as a percentage, a
    year as a year; each equal to the scenario's own value. What is not a number (a switch, the horizon) is its text."""
    from clusterpolicy.model import paramspec

    wb = openpyxl.load_workbook(io.BytesIO(report.to_xlsx(view)))
    L = view.lang
    sheet = wb[i18n.t("export.parameters", L)]
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=2)}
    checked = {"eur": 0, "share": 0, "rate": 0, "year": 0, "count": 0}
    for spec in paramspec.NUMERIC:
        label = paramspec.label(spec, L, with_unit=False)
        if label not in rows or spec.unit not in checked:
            continue
        for cell, p in zip(rows[label][2:], view.params):
            value = getattr(p, spec.name)
            if cell.value == "–":  # does not apply (no new clusters, no ceiling), as every other file says
                continue
            assert isinstance(cell.value, (int, float)) and cell.value == pytest.approx(value), (label, cell.value, value)
            if spec.unit in ("share", "rate"):
                assert cell.number_format.endswith("%"), (label, cell.number_format)
            elif spec.unit == "year":
                assert cell.number_format.endswith("]0") or cell.number_format == "0", (label, cell.number_format)
            elif spec.unit == "count":
                assert cell.number_format.endswith("#,##0"), (label, cell.number_format)
            else:
                assert "#,##0" in cell.number_format, (label, cell.number_format)
            checked[spec.unit] += 1
    assert all(checked.values()), checked
    horizon = rows[i18n.t("param.horizon", L)]
    assert all(isinstance(c.value, str) and "–" in c.value for c in horizon[2:])
