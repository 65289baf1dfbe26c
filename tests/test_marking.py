"""The confidentiality marking in every file that leaves the dashboard: every PDF page (header and footer), every slide
(footer, and the title slide), every sheet's header and footer and the first sheet, the CSV, the HTML report, and each
file's own properties; the deck as LibreOffice Impress renders it. A version without internal figures or a setting: none."""

from __future__ import annotations

import io

import openpyxl
import pytest
from pptx import Presentation
from pypdf import PdfReader

from clusterpolicy import i18n
from clusterpolicy.data import build, importer, store
from clusterpolicy.data.access import Actor
from tests.conftest import assert_page_ok, made_export, open_link
from tests.test_office import SOFFICE, outside, overlaps, soffice
from tests.test_workbook import DEFAULT_EN, DEFAULT_NL, edit, served_workbook, steward_edit

CLI = Actor.command_line()
MARKING = {"nl": DEFAULT_NL, "en": DEFAULT_EN}
KINDS = ("pdf", "pptx", "xlsx", "csv", "html")


def exports_of(page: str | None, lang: str, params: dict | None = None) -> dict[str, bytes]:
    at = open_link(page, {"lang": lang, **(params or {})}).run()
    assert_page_ok(at)
    out = {}
    for kind in KINDS:
        made = made_export(at, kind)
        assert made.reference is None, (page, lang, kind)
        out[kind] = made.data
    return out


@pytest.fixture(scope="module")
def marked(tmp_path_factory):
    """Every export of the scenario page and VIL's profile in both languages, on a version with internal figures."""
    from clusterpolicy.web import data as kept

    root = tmp_path_factory.mktemp("marked")
    target = root / "clusters.duckdb"
    build.build(target=target)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CLUSTERPOLICY_DB", str(target))
        kept.clear_caches()
        importer.import_workbook(edit(served_workbook(), steward_edit), "jaarupdate.xlsx", actor=CLI)
        files = {}
        for lang in i18n.LANGS:
            files["scenarios", lang] = exports_of("scenarios", lang)
            files["cluster", lang] = exports_of("cluster", lang, {"c": "vil"})
            at = open_link("data", {"lang": lang, "data_table": "basic_funding"}).run()
            at.session_state["data_downloads"] = True
            at.run()
            at.button(key="data_all_make").click().run()
            files["data", lang] = {"xlsx": at.session_state["_x_ready"].data}
        kept.clear_caches()
    return root, files


def test_every_pdf_page_carries_the_marking_in_its_header_and_footer(marked):
    _, files = marked
    for (page, lang), made in files.items():
        if "pdf" not in made:
            continue
        reader = PdfReader(io.BytesIO(made["pdf"]))
        assert len(reader.pages) >= 2
        for number, pdf_page in enumerate(reader.pages, start=1):
            assert pdf_page.extract_text().count(MARKING[lang]) == 2, (page, lang, number)
        assert reader.metadata.subject == MARKING[lang] and MARKING[lang] in reader.metadata.get("/Keywords", "")


def test_every_slide_and_the_title_slide_carry_the_marking(marked):
    _, files = marked
    for (page, lang), made in files.items():
        if "pptx" not in made:
            continue
        deck = Presentation(io.BytesIO(made["pptx"]))
        for number, slide in enumerate(deck.slides, start=1):
            texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
            assert texts.count(MARKING[lang]) == (2 if number == 1 else 1), (page, lang, number, texts)
        props = deck.core_properties
        assert (props.subject, props.keywords, props.content_status) == (MARKING[lang],) * 3


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")
def test_the_marking_as_impress_renders_the_deck(marked):
    """Converted by LibreOffice: the marking on every page, inside it, over nothing else."""
    import pdfplumber

    root, files = marked
    decks = []
    for (page, lang), made in files.items():
        if "pptx" in made:
            path = root / f"{page}-{lang}.pptx"
            path.write_bytes(made["pptx"])
            decks.append((path, lang))
    soffice(root / "impress", "pdf", [p for p, _ in decks])
    for path, lang in decks:
        with pdfplumber.open(root / "impress" / f"{path.stem}.pdf") as pdf:
            assert len(pdf.pages) == len(Presentation(path).slides)
            for number, pdf_page in enumerate(pdf.pages, start=1):
                assert MARKING[lang] in pdf_page.extract_text(), (path.name, number)
                assert not outside(pdf_page), (path.name, number)
                assert not overlaps(pdf_page), (path.name, number, overlaps(pdf_page)[:3])


def test_every_sheet_carries_the_marking_in_its_header_and_footer_and_the_first_sheet_says_it(marked):
    _, files = marked
    for (page, lang), made in files.items():
        wb = openpyxl.load_workbook(io.BytesIO(made["xlsx"]))
        for ws in wb.worksheets:
            assert ws.oddHeader.center.text == MARKING[lang] and ws.oddFooter.center.text == MARKING[lang], (page, ws.title)
        first = [c.value for row in wb.worksheets[0].iter_rows(max_row=4) for c in row]
        assert MARKING[lang] in first, (page, lang, first)
        assert wb.properties.subject == MARKING[lang] and wb.properties.keywords == MARKING[lang]


def test_the_csv_and_the_html_report_carry_the_marking(marked):
    _, files = marked
    for (_page, lang), made in files.items():
        if "csv" not in made:
            continue
        first = made["csv"].decode("utf-8-sig").splitlines()[0]
        assert first == f"# {i18n.t('marking.label', lang)}: {MARKING[lang]}"
        html = made["html"].decode("utf-8")
        assert f"<div class='marking' role='note'>{MARKING[lang]}</div>" in html
        assert f"<meta name='classification' content='{MARKING[lang]}'>" in html


def test_without_internal_figures_or_a_setting_no_file_is_marked(data_dir):
    for page, params in (("scenarios", {}), ("cluster", {"c": "vil"})):
        made = exports_of(page, "nl", params)
        pdf = PdfReader(io.BytesIO(made["pdf"]))
        assert all("Vertrouwelijk" not in p.extract_text() for p in pdf.pages) and pdf.metadata.get("/Keywords", "") == ""
        deck = Presentation(io.BytesIO(made["pptx"]))
        assert not any("Vertrouwelijk" in s.text_frame.text for slide in deck.slides for s in slide.shapes if s.has_text_frame)
        assert not deck.core_properties.subject
        wb = openpyxl.load_workbook(io.BytesIO(made["xlsx"]))
        assert all(not ws.oddHeader.center.text for ws in wb.worksheets) and not wb.properties.subject
        assert "Vertrouwelijk" not in made["csv"].decode("utf-8-sig") and "class='marking'" not in made["html"].decode()


def test_a_stewards_own_marking_replaces_the_default_everywhere(data_dir):
    importer.import_workbook(edit(served_workbook(), steward_edit), "jaarupdate.xlsx", actor=CLI)
    importer.set_classification("Geheim – kabinet & administratie", "Secret – cabinet & administration", "", actor=CLI)
    made = exports_of("scenarios", "nl")
    assert all(p.extract_text().count("Geheim – kabinet & administratie") == 2 for p in PdfReader(io.BytesIO(made["pdf"])).pages)
    wb = openpyxl.load_workbook(io.BytesIO(made["xlsx"]))
    # '&' starts a code in a spreadsheet's header: it is written doubled, and reads back as itself
    assert wb.worksheets[0].oddHeader.center.text in ("Geheim – kabinet && administratie", "Geheim – kabinet & administratie")
    assert DEFAULT_NL not in made["csv"].decode("utf-8-sig")
    assert store.served_path().parent.name == "versions"
