"""Every export of every page, opened the way a recipient opens it.

LibreOffice (headless, Debian's libreoffice-impress and libreoffice-calc) converts each deck to PDF,
each workbook to CSV (every sheet, as stored and as shown), and reads each CSV with Dutch or
English settings; a PDF library (pdfplumber, pypdf) then reads the converted decks and the
briefings: text inside the page, no two words on top of each other, every font embedded, pages
and slides as many as expected, and the numbers equal to the model's. A few pages are rendered
to PNG under artifacts/exports for a person to look at.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pandas as pd
import pdfplumber
import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE, XL_TICK_LABEL_POSITION
from pypdf import PdfReader

from clusterpolicy import i18n
from clusterpolicy.data import build, db, importer, library, workbook
from clusterpolicy.data.access import Actor
from clusterpolicy.model import scenarios
from tests.conftest import ROOT, assert_page_ok, made_export, open_link

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOPPM = shutil.which("pdftoppm")
ART = ROOT / "artifacts" / "exports"
# scenarios4: four scenarios, one with a long name, with the ranges section open; cluster: VIL's profile (six charts, a heat map with values in its cells)
PAGES = ("overview", "scenarios", "earmarked", "kpis", "scenarios4", "cluster")
LONG_NAME = "Degressief met nieuwe clusters, prestatiedeel, plafond 2034"  # 60 characters, the most a name may have
KINDS = ("pdf", "pptx", "xlsx", "csv")
LINES = (XL_CHART_TYPE.LINE_MARKERS, XL_CHART_TYPE.LINE)

# .ci/run sets REQUIRE_BROWSER: there the office tests must run, not skip
REQUIRED = bool(os.environ.get("REQUIRE_BROWSER") or os.environ.get("REQUIRE_OFFICE"))
pytestmark = pytest.mark.skipif(SOFFICE is None and not REQUIRED, reason="LibreOffice (soffice) is not installed")


def soffice(out: Path, target: str, files: list[Path], infilter: str | None = None) -> None:
    """One LibreOffice process converts all ``files`` to ``target`` into ``out`` (its own profile, no window)."""
    profile = out / ".profile"
    command = [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore", "--nologo"]
    if infilter:
        command.append(f"--infilter={infilter}")
    command += ["--convert-to", target, "--outdir", str(out), *map(str, files)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    """Every export of every page in both languages, made through the page's own export panel.

    The scenario page compares the preset "Voortzetting" with a saved scenario of the same name.
    """
    from clusterpolicy.web import data as kept

    if SOFFICE is None:
        pytest.fail("REQUIRE_BROWSER is set but LibreOffice (soffice) was not found")
    root = tmp_path_factory.mktemp("office")
    target = root / "clusters.duckdb"
    build.build(target=target)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CLUSTERPOLICY_DB", str(target))
        kept.clear_caches()
        same_name = scenarios.ScenarioParams(name="Voortzetting", share_end=0.3)
        saved = library.save_new(Actor.local(), same_name, "", "seed")
        # the most a title slide and a briefing get: four scenarios, a long name, most parameters changed
        busy = scenarios.ScenarioParams(
            name=LONG_NAME,
            share_start=0.45,
            share_end=0.25,
            cap_eur=450_000.0,
            cap_indexation=0.02,
            budget_growth=0.01,
            new_clusters=2,
            new_from_year=2028,
            perf_share=0.2,
            cp_eur=60_000_000.0,
            cp_growth=0.02,
            ic_eur=4_000_000.0,
            ic_growth=0.05,
            ceiling_eur=90_000_000.0,
        )
        long = library.save_new(Actor.local(), busy, "", "seed")
        files: dict[tuple[str, str, str], Path] = {}
        headlines: dict[str, list[str]] = {}
        for page in PAGES:
            for lang in i18n.LANGS:
                params = {"lang": lang}
                if page == "scenarios":
                    params["s"] = saved.id  # its short link: "Voortzetting" beside the saved one
                if page == "cluster":
                    params["c"] = "vil"
                if page == "scenarios4":
                    params["sc"] = ["continuation", "degressive", *(f"{library.PAGE_PREFIX}{x.id}" for x in (saved, long))]
                    params.update(sc_view="ranges", sc_uceil="3.5")  # with the ranges: four fans, the chances, the ranges used
                at = open_link({"overview": None, "scenarios4": "scenarios"}.get(page, page), params).run()
                assert_page_ok(at)
                if page == "scenarios4":
                    assert len(at.metric) == 4 and any(LONG_NAME[:30] in m.label for m in at.metric)
                if page == "scenarios":
                    headlines[lang] = [m.value for m in at.metric]
                    assert at.session_state["sc"] == ["continuation", f"{library.PAGE_PREFIX}{saved.id}"]
                for kind in KINDS:
                    made = made_export(at, kind)
                    assert made.reference is None, (page, lang, kind)
                    path = root / lang / f"{page}.{kind}"
                    path.parent.mkdir(exist_ok=True)
                    path.write_bytes(made.data)
                    files[page, lang, kind] = path
        # the data page's downloads: one table as CSV and XLSX, and every table in one workbook
        for lang in i18n.LANGS:
            at = open_link("data", {"lang": lang, "data_table": "basic_funding"}).run()
            at.session_state["data_downloads"] = True
            at.run()
            assert_page_ok(at)
            for key, kind in (("data_csv", "csv"), ("data_xlsx", "xlsx"), ("data_all", "all.xlsx")):
                at.button(key=f"{key}_make").click().run()
                made = at.session_state["_x_ready"]
                assert made.reference is None, (lang, key)
                path = root / lang / f"data.{kind}"
                path.write_bytes(made.data)
                files["data", lang, kind] = path
        with db.connect(target) as con:
            base = scenarios.Base.from_frames(
                db.run_query(con, "scenario_base", {}), db.run_query(con, "earmarked_last_level", {})
            )
            presets = db.run_query(con, "scenario_presets", {})
        preset = next(scenarios.preset_params(r, base, "nl") for _, r in presets.iterrows() if r["preset_id"] == "continuation")
        mine = scenarios.ScenarioParams.from_dict(library.get(saved.id).params)
        model = [scenarios.run(base, preset), scenarios.run(base, mine)]
        kept.clear_caches()
    for lang in i18n.LANGS:
        soffice(root / lang / "slides", "pdf", [files[p, lang, "pptx"] for p in PAGES])
    return {"root": root, "files": files, "model": model, "headlines": headlines}


# ---------------------------------------------------------------- reading PDFs


def words(page) -> list[dict]:
    return page.extract_words(keep_blank_chars=False, use_text_flow=False, extra_attrs=["upright", "size"])


def overlaps(page) -> list[tuple[str, str]]:
    """Pairs of upright words whose inked boxes lie on top of each other.

    A word's box runs from its font's ascent to its descent, which neighbouring lines share at
    ordinary line spacing; the inked part is taken as the band from 0.95 to 0.05 of the font size
    above the box's bottom (letters and most descenders), and 0.6 pt in from each side.
    """
    boxes = []
    for w in words(page):
        if not w["upright"] or not w["text"].strip():
            continue
        size = float(w["size"])
        boxes.append((w["x0"] + 0.6, w["x1"] - 0.6, w["bottom"] - 0.95 * size, w["bottom"] - 0.05 * size, w["text"]))
    boxes.sort()
    found = []
    for i, (_x0, x1, t0, b0, text) in enumerate(boxes):
        for x0b, _x1b, t1, b1, other in boxes[i + 1 :]:
            if x0b >= x1:
                break
            if t1 < b0 and t0 < b1:
                found.append((text, other))
    return found


def outside(page, margin: float = 0.5) -> list[str]:
    """Characters drawn (partly) outside the page."""
    w, h = float(page.width), float(page.height)
    return [
        c["text"]
        for c in page.chars
        if c["text"].strip() and (c["x0"] < -margin or c["x1"] > w + margin or c["top"] < -margin or c["bottom"] > h + margin)
    ]


def fonts_not_embedded(path: Path) -> set[str]:
    """Names of the fonts a PDF uses without embedding them."""
    missing = set()
    for page in PdfReader(path).pages:
        fonts = (page.get("/Resources") or {}).get("/Font") or {}
        for ref in fonts.values():
            font = ref.get_object()
            if font.get("/Subtype") == "/Type3":
                continue  # drawn by the file itself
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                missing.add(str(font.get("/BaseFont")))
    return missing


@functools.cache  # a file two tests read is parsed once (pdfminer reads a chart's every path: 1-2 s a file)
def check_pdf(path: Path) -> tuple[int, str]:
    """Assert a PDF has no text outside its pages, no overlapping words and only embedded fonts; (pages, text)."""
    assert fonts_not_embedded(path) == set(), path
    texts = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            assert outside(page) == [], (path.name, number)
            assert overlaps(page) == [], (path.name, number, overlaps(page)[:5])
            texts.append(page.extract_text() or "")
        return len(pdf.pages), "\n".join(texts)


def look(pdf: Path, name: str, pages: tuple[int, ...] = (1,)) -> None:
    """Render a few pages to PNG under artifacts/exports (for a person, and CI's artifacts)."""
    if PDFTOPPM is None:
        return
    ART.mkdir(parents=True, exist_ok=True)
    for p in pages:
        subprocess.run(
            [PDFTOPPM, "-r", "70", "-png", "-f", str(p), "-l", str(p), "-singlefile", str(pdf), str(ART / f"{name}-{p}")],
            check=True,
            timeout=60,
        )


# ---------------------------------------------------------------- the briefing


@pytest.mark.parametrize("lang", i18n.LANGS)
@pytest.mark.parametrize("page", PAGES)
def test_every_briefing_fits_its_pages(office, page, lang):
    path = office["files"][page, lang, "pdf"]
    pages, text = check_pdf(path)
    with pdfplumber.open(path) as pdf:
        assert all(
            (float(p.width), float(p.height)) == pytest.approx((595.28, 841.89), abs=0.1) for p in pdf.pages
        )  # A4 portrait
    assert "…" not in text  # nothing cut short to fit (labels, legends and cells break over lines instead)
    footer = i18n.t("export.page_of", lang, page=pages, pages=pages)
    assert footer in text  # "page N of N" on the last page: the count is the file's
    assert i18n.t("export.open_link", lang) in text and i18n.t("export.sources_title", lang) in text
    if page in ("overview", "scenarios", "scenarios4"):
        assert i18n.t("export.headlines", lang) in text
    if lang == "nl" and page in ("scenarios", "scenarios4", "cluster"):
        look(path, f"briefing-{page}-{lang}", tuple(range(1, min(pages, 3) + 1)))


def test_the_briefing_links_back_to_the_view(office):
    reader = PdfReader(office["files"]["scenarios", "nl", "pdf"])
    links = [a.get_object()["/A"]["/URI"] for a in reader.pages[0].get("/Annots", []) if "/A" in a.get_object()]
    assert len(links) == 1 and "sc=continuation&sc=lib_" in links[0] and "lang=nl" in links[0]


def test_the_briefing_carries_the_models_numbers(office):
    """The scenario page's headline figures, as the model computes them, are in the briefing of each language."""
    for lang in i18n.LANGS:
        _, text = check_pdf(office["files"]["scenarios", lang, "pdf"])
        flat = " ".join(text.split())
        for result in office["model"]:
            assert i18n.eur_millions(result.summary["cumulative_basic_eur"], lang, 2) in flat
        for shown in office["headlines"][lang]:
            assert shown in flat  # and they are the ones the page showed
        # the two scenarios of one name are both there, and what differs between them is listed
        # in Dutch the preset and the saved scenario share one name: both are there, apart
        names = ("Voortzetting", "Voortzetting (2)") if lang == "nl" else ("Continuation", "Voortzetting")
        assert i18n.t("export.compared", lang) + " " + " · ".join(names) in flat
        assert all(f"{name} · 2025–2034" in flat for name in names)  # a headline each
        assert i18n.t("export.differs", lang) in flat


# ---------------------------------------------------------------- the slides


@pytest.mark.parametrize("lang", i18n.LANGS)
@pytest.mark.parametrize("page", PAGES)
def test_every_deck_opens_in_impress_and_fits_its_slides(office, page, lang):
    deck = office["files"][page, lang, "pptx"]
    converted = office["root"] / lang / "slides" / f"{page}.pdf"
    pages, text = check_pdf(converted)
    assert pages == len(Presentation(deck).slides)
    assert "…" not in text  # no title, note or cell cut short to fit
    assert i18n.t("export.open_link", lang) in text and "http" not in text.split("\n")[0]
    for slide in Presentation(deck).slides:
        for shape in slide.shapes:
            if shape.has_chart and shape.chart.chart_type not in LINES:
                # category names at the low end of the value axis, never over negative bars at zero
                assert shape.chart.category_axis.tick_label_position == XL_TICK_LABEL_POSITION.LOW
    if page in ("scenarios", "scenarios4", "cluster"):
        look(converted, f"slides-{page}-{lang}", (1, 2, 3, 5))


def test_deck_numbers_equal_the_model_and_use_the_readers_separators(office):
    for lang, thousands in (("nl", "2.500.000"), ("en", "2,500,000")):
        deck = Presentation(office["files"]["scenarios", lang, "pptx"])
        chart = next(sh.chart for s in deck.slides for sh in s.shapes if sh.has_chart)
        names = ["Voortzetting", "Voortzetting (2)"] if lang == "nl" else ["Continuation", "Voortzetting"]
        assert [s.name for s in chart.plots[0].series] == names  # one name twice: two series, apart
        for series, result in zip(chart.plots[0].series, office["model"], strict=True):
            assert list(series.values) == pytest.approx(result.years["basic_eur"].tolist())
        _, text = check_pdf(office["root"] / lang / "slides" / "scenarios.pdf")
        assert thousands in text  # the value axis, as Impress drew it


# ---------------------------------------------------------------- the workbook


def converted_once(out: Path, target: str, sources: list[Path], infilter: str | None = None) -> Path:
    """``out``, after one LibreOffice run converted all ``sources`` into it (the first time it is asked for).

    A run costs about a second before its first file and a tenth of that for each further file, so
    the files a language's tests read are converted together.
    """
    if not out.is_dir():
        out.mkdir()
        soffice(out, target, sources, infilter)
    return out


def calc_saved(office, lang: str, page: str, kind: str = "xlsx") -> Path:
    """The workbook after Calc opened it and saved it again as XLSX (every workbook of a language in one run)."""
    sources = [office["files"][p, lang, k] for p, k in WORKBOOKS]
    out = converted_once(office["root"] / lang / "calc", "xlsx:Calc MS Excel 2007 XML", sources)
    return out / f"{office['files'][page, lang, kind].stem}.xlsx"


def through_calc(office, lang: str, page: str, kind: str = "xlsx") -> openpyxl.Workbook:
    """The workbook after Calc opened it and saved it again, read by openpyxl."""
    return openpyxl.load_workbook(calc_saved(office, lang, page, kind))


WORKBOOKS = [(page, "xlsx") for page in PAGES] + [("data", "xlsx"), ("data", "all.xlsx")]


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_the_whole_data_set_saved_again_by_calc_imports_with_no_change(office, lang, monkeypatch):
    """A steward who opens the downloaded workbook in a spreadsheet and saves it uploads the same data: nothing changes."""
    saved = calc_saved(office, lang, "data", "all.xlsx")
    monkeypatch.setenv("CLUSTERPOLICY_DB", str(office["root"] / "clusters.duckdb"))
    result = importer.import_workbook(saved.read_bytes(), saved.name, dry_run=True, actor=Actor.command_line())
    assert result.changes == 0, [(p.table, p.rows[:2]) for p in result.plans if p.changes]
    assert {p.table for p in result.plans} == set(workbook.TABLES)


@pytest.mark.parametrize("lang", i18n.LANGS)
@pytest.mark.parametrize(("page", "kind"), WORKBOOKS)
def test_every_workbook_opens_in_calc_with_numbers_as_numbers(office, page, kind, lang):
    wb = openpyxl.load_workbook(office["files"][page, lang, kind])
    # the whole data set explains itself first; any other workbook starts with what it is, in the reader's language
    first = workbook.ABOUT_SHEETS[lang] if kind == "all.xlsx" else i18n.t("export.info_sheet", lang)
    assert wb.sheetnames[0] == first and len(set(wb.sheetnames)) == len(wb.sheetnames)
    calc = through_calc(office, lang, page, kind)
    assert calc.sheetnames == wb.sheetnames
    numbers = 0
    for ws in wb.worksheets[1:]:
        header = [c.value for c in ws[1]]
        assert len(set(header)) == len(header), (ws.title, header)
        assert ws.freeze_panes == "A2"
        theirs = calc[ws.title]
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                other = theirs[cell.coordinate]
                if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                    numbers += 1
                    # Calc read a number and wrote the same number, not text
                    assert other.data_type == "n" and other.value == pytest.approx(cell.value), (ws.title, cell.coordinate)
                    if lang == "nl":
                        assert cell.number_format.startswith("[$-813]") or cell.number_format in ("0", "General"), (
                            ws.title,
                            cell.number_format,
                        )
                elif isinstance(cell.value, bool):  # Calc saves a logical value as a formula
                    assert other.value in (cell.value, f"={str(cell.value).upper()}()"), (ws.title, cell.coordinate)
                else:
                    assert other.value == cell.value or (other.value is None and cell.value in (None, "")), (
                        ws.title,
                        cell.coordinate,
                    )
    assert numbers > 0


def test_the_scenario_workbook_holds_both_scenarios_of_one_name_and_the_models_numbers(office):
    for lang in i18n.LANGS:
        calc = through_calc(office, lang, "scenarios")
        # two scenarios of one name stay apart: in the parameter sheet's columns and in the chart sheets
        names = ("Voortzetting", "Voortzetting (2)") if lang == "nl" else ("Continuation", "Voortzetting")
        params = calc[i18n.t("export.parameters", lang)]
        # (the parameter, its unit, then one column per scenario)
        assert tuple(c.value for c in params[1])[1:] == (i18n.t("export.col_unit", lang), *names)
        lines = next(calc[name] for name in calc.sheetnames if name.startswith("01 "))
        header = [c.value for c in lines[1]]
        value, series = (header.index(i18n.t(f"export.col_{k}", lang)) for k in ("value", "series"))
        rows = [[c.value for c in r] for r in lines.iter_rows(min_row=2)]
        n = len(office["model"][0].years)
        assert [r[series] for r in rows] == [names[0]] * n + [names[1]] * n
        assert [r[value] for r in rows[:n]] == pytest.approx(office["model"][0].years["basic_eur"].tolist())
        assert [r[value] for r in rows[n:]] == pytest.approx(office["model"][1].years["basic_eur"].tolist())


def test_a_dutch_workbook_shows_belgian_separators_in_calc(office):
    out = office["root"] / "nl" / "shown"
    out.mkdir(exist_ok=True)
    # token 9 "true": the cells as Calc shows them, with their number formats
    soffice(
        out,
        "csv:Text - txt - csv (StarCalc):59,34,76,1,,2067,false,true,true,false,false,-1",
        [office["files"]["scenarios", "nl", "xlsx"]],
    )
    shown = next(p for p in out.glob("scenarios-01 *.csv")).read_text("utf-8")
    assert re.search(r";2\.\d{3}\.\d{3}(;|\r?\n|$)", shown), shown[:300]  # e.g. 2.890.000


# ---------------------------------------------------------------- the CSV


CALC_SETTINGS = [("nl", "59,34,76,1,,2067"), ("en", "44,34,76,1,,2057")]  # separator, quote, UTF-8, row 1, locale


def calc_read_csv(office, lang: str, options: str, page: str) -> Path:
    """The CSV as Calc read it with the reader's settings (``options``), saved as XLSX (every CSV of a language in one run)."""
    sources = [office["files"][p, lang, "csv"] for p in (*PAGES, "data")]
    folder = office["root"] / lang / ("csv-" + options.replace(",", "_"))  # other settings, another reading
    out = converted_once(folder, "xlsx", sources, infilter=f"Text - txt - csv (StarCalc):{options}")
    return out / f"{office['files'][page, lang, 'csv'].stem}.xlsx"


@pytest.mark.parametrize(("lang", "options"), CALC_SETTINGS)
def test_the_data_pages_csv_reads_as_numbers_in_calc(office, lang, options):
    source = office["files"]["data", lang, "csv"]
    rows = [[c.value for c in r] for r in openpyxl.load_workbook(calc_read_csv(office, lang, options, "data")).active.iter_rows()]
    sep, decimal = (";", ",") if lang == "nl" else (",", ".")
    ours = pd.read_csv(source, sep=sep, decimal=decimal, encoding="utf-8-sig")
    assert rows[0] == list(ours.columns) and len(rows) == len(ours) + 1
    for column in ("public_eur", "member_eur", "year"):
        j = rows[0].index(column)
        got = [r[j] for r in rows[1:]]
        assert all(isinstance(g, (int, float)) for g in got) and got == pytest.approx(ours[column].tolist())


@pytest.mark.parametrize(("lang", "options"), CALC_SETTINGS)
@pytest.mark.parametrize("page", PAGES)
def test_the_csv_reads_as_numbers_in_calc_with_the_readers_settings(office, page, lang, options):
    """Dutch: ';' and decimal commas, read by Calc set to Dutch (Belgium); English: ',' and points, English (UK)."""
    source = office["files"][page, lang, "csv"]
    ws = openpyxl.load_workbook(calc_read_csv(office, lang, options, page)).active
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    head = next(i for i, r in enumerate(rows) if r[0] == i18n.t("export.col_chart", lang))
    value = rows[head].index(i18n.t("export.col_value", lang))
    sep, decimal = (";", ",") if lang == "nl" else (",", ".")
    ours = pd.read_csv(source, sep=sep, decimal=decimal, comment="#", encoding="utf-8-sig")
    got = [r[value] for r in rows[head + 1 :]]
    expected = ours[i18n.t("export.col_value", lang)].tolist()
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        if pd.isna(e):
            assert g is None
        else:
            assert isinstance(g, (int, float)) and g == pytest.approx(e)
