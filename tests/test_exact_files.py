"""Every file says what the page says, and draws what the page draws.

Exact figures: each chart value of the CSV and the XLSX equals the page's value at the page's precision,
money is exact to the cent, a negative number is a number, every character of every chart label has a glyph
in the PDF's font, and the ceiling's verdict is in every export.

One chart, the same everywhere: for every chart of every page, in both languages, the deck's native chart
has the page's series in the page's order, each in its colour (found by its name, not by its place), with
its dash and marker, its illustrative bars hatched where the page hatches them, and the page's values; the
briefing draws each series in the page's colour and line style, under the chart's title, with its name in
the legend. Read back from the PPTX (python-pptx) and the PDF (pdfplumber) that the export panel makes,
against the figure the page sends the browser.

Each view is opened once per test process and its four files made once through its export panel
(``opened``); the tests read the same page and the same files.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import json
import math
import re
import shutil
import subprocess

import openpyxl
import pandas as pd
import pdfplumber
import pytest
from pptx import Presentation
from pptx.enum.dml import MSO_FILL

from clusterpolicy import i18n, spreadsheet
from clusterpolicy.present import charts
from clusterpolicy.present.charts import precision
from clusterpolicy.render.briefing.text import DASH_PATTERNS  # Plotly's dash names as the briefing strokes them
from clusterpolicy.render.slides import PPTX_DASHES  # Plotly's dash names in PowerPoint's terms
from tests.conftest import assert_page_ok, made_export, open_link

# every page, and each section of the scenario page, as a reader opens them
VIEWS = [
    (None, {}),
    ("scenarios", {"sc_view": "costs"}),
    ("scenarios", {"sc_view": "clusters"}),
    ("scenarios", {"sc_view": "sensitivity"}),
    ("scenarios", {"sc_view": "ranges", "sc_uceil": "3.0"}),
    ("earmarked", {}),
    ("kpis", {}),
    ("cluster", {"c": "vil"}),
]


PERIOD = re.compile(r"\d{4}\s*[–-]")
VIEW_IDS = [f"{page or 'overview'}-{'-'.join(params.values())}" for page, params in VIEWS]
KINDS = ("csv", "xlsx", "pdf", "pptx")


@dataclasses.dataclass(frozen=True)
class Opened:
    """A view as its link opens it: the figures the page sends the browser, then its files from the export panel."""

    specs: tuple[dict, ...]
    files: dict[str, bytes]


@functools.cache
def opened(view: int, lang: str) -> Opened:
    """``VIEWS[view]`` opened in ``lang`` and its four files made, once per test process (the seed data's
    tests only read them). The page's figures are read before its panel is opened."""
    page, params = VIEWS[view]
    at = open_link(page, {"lang": lang, **params}).run()
    assert_page_ok(at)
    specs = tuple(json.loads(el.proto.spec) for el in at.get("plotly_chart"))
    files = {}
    for kind in KINDS:
        made = made_export(at, kind)
        assert made.reference is None, (VIEWS[view], lang, kind)
        files[kind] = made.data
    return Opened(specs, files)


def _page_points(specs) -> list[tuple[str, str, object, float, str]]:
    """(chart title, series, category, value, label) of every point the page draws with a figure in its label."""
    points = []
    for spec in specs:
        title = re.sub(r"<[^>]+>", " ", spec["layout"]["title"]["text"])
        for tr in spec["data"]:
            if tr.get("type") not in ("bar", "scatter") or not tr.get("name") or tr.get("showlegend") is False:
                continue
            horizontal = tr.get("orientation") == "h"
            cats, vals = (tr.get("y"), tr.get("x")) if horizontal else (tr.get("x"), tr.get("y"))
            labels = tr.get("text") if isinstance(tr.get("text"), list) else None
            if labels is None and isinstance(tr.get("customdata"), list) and "customdata" in tr.get("hovertemplate", ""):
                labels = [c[0] if isinstance(c, list) else c for c in tr["customdata"]]
            for c, v, label in zip(cats or [], vals or [], labels or []):
                # a label that is a figure of the value (not a period such as a timeline's "2021–nu")
                if v is not None and isinstance(label, str) and any(ch.isdigit() for ch in label) and not PERIOD.search(label):
                    points.append((" ".join(title.split()), tr["name"], c, float(v), label))
    return points


def _csv(data: bytes, lang: str) -> pd.DataFrame:
    sep, decimal = (";", ",") if lang == "nl" else (",", ".")
    table = pd.read_csv(io.BytesIO(data), sep=sep, comment="#", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    value = i18n.t("export.col_value", lang)
    table[value] = [float(v.replace(decimal, ".")) if v else float("nan") for v in table[value]]
    return table


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("view", range(len(VIEWS)), ids=VIEW_IDS)
def test_every_file_value_is_the_pages_value_at_the_pages_precision(seed_db, view, lang):
    this = opened(view, lang)
    points = _page_points(this.specs)
    assert points, "the view draws no labelled figure"
    table = _csv(this.files["csv"], lang)
    chart_col, series_col, cat_col, value_col, label_col, unit_col = (
        i18n.t(f"export.col_{c}", lang) for c in ("chart", "series", "category", "value", "text", "unit")
    )
    raw = this.files["csv"].decode("utf-8-sig")
    assert "'" + "-" not in raw and not re.search(r"[;,]'[-+]?\d", raw), "a number is written as quoted text"
    checked, own = 0, set()
    for title, series, category, value, label in points:
        if (table.loc[table[chart_col].map(lambda s: " ".join(str(s).split())) == title, cat_col] == "").all():
            own.add(title)  # the chart's file table is its builder's own (a KPI's series with its targets)
            continue
        rows = table[
            (table[chart_col].map(lambda s: " ".join(str(s).split())) == title)
            & (table[series_col].astype(str) == re.sub(r"<[^>]+>", " ", str(series)).strip())
            & (table[cat_col].astype(str) == str(category))
        ]
        assert not rows.empty, (title, series, category)
        row = rows.iloc[0]
        read = precision.shown(label, lang)
        places = precision.decimals_in_unit(read[1], read[2], row[unit_col])
        # the file's value is the page's value at the page's precision, and the label the file gives is the page's
        assert round(row[value_col], places) == round(value, places), (title, series, category, row[value_col], value)
        scale = 1.0 if read[2] is None else _unit_scale(row[unit_col]) / read[2]
        assert round(row[value_col] * scale, read[1]) == pytest.approx(read[0], abs=10 ** -read[1] / 2 + 1e-9), (title, label)
        assert row[label_col] == label.replace("<br>", " ") or str(row[label_col]) == re.sub(r"<[^>]+>", "", label)
        # money is the decimal it is: never more decimals than a cent in its unit
        cents = precision.cent_decimals(row[unit_col])
        assert round(row[value_col], cents) == row[value_col]
        checked += 1
    assert checked or own, "no figure of the page was found in the CSV"

    # the figures written beside the bars are in the PDF as the page writes them
    written = {
        str(t) for spec in this.specs for tr in spec["data"]
        if tr.get("type") == "bar" and isinstance(tr.get("text"), list) and tr.get("showlegend") is not False
        for t in tr["text"] if isinstance(t, str) and re.search(r"\d", t) and not PERIOD.search(t)
    }  # fmt: skip
    if written and shutil.which("pdftotext"):
        pdf = subprocess.run(["pdftotext", "-", "-"], input=this.files["pdf"], capture_output=True, check=True)
        words = " ".join(pdf.stdout.decode().replace("\u00a0", " ").replace("\u202f", " ").split())
        missing = [w for w in written if " ".join(re.sub(r"<[^>]+>", " ", w).replace("\u00a0", " ").split()) not in words]
        assert not missing, missing

    xlsx = openpyxl.load_workbook(io.BytesIO(this.files["xlsx"]))
    titles = table[chart_col].drop_duplicates().tolist()
    chart_sheets = [ws for ws in xlsx.worksheets[1:] if [c.value for c in ws[1]][:3] == [series_col, cat_col, value_col]]
    titles = [title for title in titles if (table.loc[table[chart_col] == title, cat_col] != "").any()]
    assert chart_sheets
    for sheet in chart_sheets:  # "02 Realisatie van de doelen in " is the chart titled "Realisatie van de doelen in 2024"
        title = next(t for t in titles if spreadsheet._sheet_name(t).startswith(sheet.title[3:].rstrip()))
        part = table[table[chart_col] == title].reset_index(drop=True)
        values = [float("nan") if r[2].value is None else r[2].value for r in sheet.iter_rows(min_row=2)]
        assert values == pytest.approx(part[value_col].tolist(), nan_ok=True), title
        needed = precision.page_decimals(part.rename(columns={value_col: "value", label_col: "text", unit_col: "unit"}), lang)
        formats = {r[2].number_format for r in sheet.iter_rows(min_row=2) if isinstance(r[2].value, (int, float))}
        for fmt in formats:  # the sheet shows at least the decimals the page shows, with the page's minus sign
            body = fmt.split(";")[0]
            shown = len(body.split(".")[1]) if "." in body else 0
            assert needed is None or shown >= needed, (title, fmt, needed)
            assert fmt.endswith('"' + i18n.MINUS + '"' + body.removeprefix("[$-813]")), fmt


def _unit_scale(unit: str) -> float:
    return {"eur": 1.0, "eur_k": 1e3, "eur_m": 1e6}.get(precision._units().get(str(unit), ""), 1.0)


@pytest.mark.parametrize(
    "text, quoted",
    [
        ("-781", False),
        ("+3", False),
        ("-1.234,5", False),
        ("-12 %", False),
        ("\u2212€ 4,19 mln", False),
        ("-2+3", True),
        ("=SUM(A1)", True),
        ("@cmd", True),
        ("-€ 4,19 mln", True),
        ("+32 2 553 00 00 ext", True),
    ],
)
def test_only_text_that_is_not_a_number_is_guarded(text, quoted):
    assert (spreadsheet.safe_text(text) == "'" + text) is quoted


def test_money_is_rounded_to_the_cent_of_its_unit():
    table = pd.DataFrame(
        {
            "value": [2347333.3200000003, 24.710333329999997, -851.6666600000001, 50.06402048655569, -0.0000001],
            "unit": ["euro", "miljoen euro", "thousand euro", "procent", "euro"],
        }
    )
    out = precision.exact(table)["value"].tolist()
    assert out == [2347333.32, 24.71033333, -851.66666, 50.06402, 0.0]
    assert str(out[-1]) == "0.0"  # no "-0"


@pytest.mark.parametrize(
    "label, lang, expected",
    [
        ("€ 28,90 mln", "nl", (28.9, 2, 1e6)),
        ("€92.8 m", "en", (92.8, 1, 1e6)),
        ("\u2212€ 4,19 mln", "nl", (-4.19, 2, 1e6)),
        ("€ 390.500", "nl", (390500.0, 0, 1.0)),
        ("\u2212992", "nl", (-992.0, 0, None)),
        ("61\u00a0%", "nl", (61.0, 0, None)),
        ("geen", "nl", None),
    ],
)
def test_a_page_label_is_read_as_the_figure_it_shows(label, lang, expected):
    assert precision.shown(label, lang) == expected


def _label_texts(spec: dict) -> list[str]:
    """Every text a chart writes: title, subtitle, legend names, category and bar labels, annotations."""
    layout = spec["layout"]
    texts = [layout["title"]["text"], (layout["title"].get("subtitle") or {}).get("text", "")]
    texts += [a.get("text", "") for a in layout.get("annotations", [])]
    for tr in spec["data"]:
        texts.append(str(tr.get("name", "")))
        for key in ("text", "x", "y", "customdata"):
            values = tr.get(key)
            if isinstance(values, list):
                flat = [v for row in values for v in (row if isinstance(row, list) else [row])]
                texts += [v for v in flat if isinstance(v, str)]
    return [re.sub(r"<[^>]+>", " ", t) for t in texts]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_character_of_every_chart_label_has_a_glyph_in_the_pdfs_font(seed_db, lang):
    """The star of a published value, the warning sign, the minus sign: drawn, never a '?'."""
    from clusterpolicy.render import typeface

    covered = typeface.covered()
    missing = {}
    specs = [spec for view in range(len(VIEWS)) for spec in opened(view, lang).specs]
    for c in ("catalisti", "flux50"):
        at = open_link("cluster", {"lang": lang, "c": c}).run()
        assert_page_ok(at)
        specs += [json.loads(el.proto.spec) for el in at.get("plotly_chart")]
    for spec in specs:
        for label in _label_texts(spec):
            for ch in label:
                if ord(ch) not in covered and ch not in "\n\t":
                    missing.setdefault(ch, label)
    assert not missing, missing


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils (pdftotext)")
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_profiles_briefing_prints_the_published_star(seed_db, lang):
    vil = opened(VIEWS.index(("cluster", {"c": "vil"})), lang)
    drawn = "".join(label for spec in vil.specs for label in _label_texts(spec))
    assert "★" in drawn  # the page marks a published value with a star
    pdf_text = subprocess.run(["pdftotext", "-", "-"], input=vil.files["pdf"], capture_output=True, check=True).stdout.decode()
    assert "★" in pdf_text


# ---------------------------------------------------------------- one chart, the same everywhere


def _plain(text) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", str(text))).strip().replace("&amp;", "&").replace("&#x27;", "'")


def _page_series(spec: dict) -> list[dict]:
    """The series a reader sees in a page chart, in the page's order."""
    out = []
    for tr in spec["data"]:
        if tr.get("type") not in ("bar", "scatter") or not tr.get("name") or tr.get("showlegend") is False:
            continue
        horizontal = tr.get("orientation") == "h"
        cats, vals = (tr.get("y"), tr.get("x")) if horizontal else (tr.get("x"), tr.get("y"))
        marker, line = tr.get("marker") or {}, tr.get("line") or {}
        lines = tr["type"] == "scatter" and "lines" in (tr.get("mode") or "lines")
        colour = line.get("color") if lines and line.get("color") else marker.get("color")
        pattern = marker.get("pattern") or {}
        shape = pattern.get("shape")
        shapes = [shape or ""] * len(cats) if isinstance(shape, str) or shape is None else [x or "" for x in shape]
        out.append(
            {
                "name": _plain(tr["name"]),
                "kind": "bar" if tr["type"] == "bar" else "line" if lines else "points",
                "categories": [_plain(c) for c in cats],
                "values": vals,
                "colours": [colour] * len(cats) if isinstance(colour, str) else colour,
                "dash": line.get("dash") or "solid",
                "shapes": shapes,
                "pattern_colour": pattern.get("fgcolor"),
            }
        )
    return out


def _rgb(colour) -> str:
    return charts.hex_colour(colour)


def _series_by_title(view: int, lang: str):
    """The page of ``VIEWS[view]``: (its charts' series by title, whether each has a legend)."""
    on_page, legend = {}, {}
    for spec in opened(view, lang).specs:
        title = _plain(spec["layout"]["title"]["text"])
        on_page[title] = _page_series(spec)
        # Plotly shows a legend where the layout asks for one, or by itself where there are two series or more
        legend[title] = spec["layout"].get("showlegend", len(on_page[title]) > 1)
    return on_page, legend


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("view", range(len(VIEWS)), ids=VIEW_IDS)
def test_the_deck_draws_each_series_as_the_page_does(seed_db, view, lang):
    on_page, _ = _series_by_title(view, lang)
    prs = Presentation(io.BytesIO(opened(view, lang).files["pptx"]))
    compared = 0
    for slide in prs.slides:
        title = next((_plain(s.text_frame.text) for s in slide.shapes if s.has_text_frame and s.text_frame.text.strip()), "")
        frames = [s for s in slide.shapes if s.has_chart]
        if not frames or title not in on_page:
            continue
        drawn = {s["name"]: s for s in on_page[title]}
        # a chart of bars with a line over them is a bar plot and a line plot on the same axes
        plots = list(frames[0].chart.plots)
        assert len(plots) == len({"bar" if s["kind"] == "bar" else "line" for s in on_page[title]}), title
        deck = [s for plot in plots for s in plot.series if s.name.strip()]
        # the same series, in the same order
        assert [s.name for s in deck] == [s["name"] for s in on_page[title]], title
        categories = [_plain(c) for c in frames[0].chart.plots[0].categories]
        for s in deck:
            own = drawn[s.name]
            by_cat = dict(zip(own["categories"], range(len(own["categories"]))))
            # the same values, category by category
            for c, v in zip(categories, s.values):
                j = by_cat.get(c)
                page_value = None if j is None else own["values"][j]
                if page_value is None or (isinstance(page_value, float) and math.isnan(page_value)):
                    assert v is None, (title, s.name, c)
                else:
                    # written as the decimal it is: to the cent, or to six decimals (charts.precision)
                    assert v == pytest.approx(float(page_value), rel=1e-9, abs=1e-6), (title, s.name, c)
            if own["kind"] == "line":
                assert str(s.format.line.color.rgb) == _rgb(own["colours"][0]), (title, s.name)
                assert s.format.line.dash_style == PPTX_DASHES[own["dash"]], (title, s.name, own["dash"])
            elif own["kind"] == "bar":
                for k, c in enumerate(categories):
                    j = by_cat.get(c)
                    if j is None:
                        continue
                    # a bar drawn apart from its series has a fill of its own; the others take the series'
                    fill = s.points[k].format.fill
                    if fill.type is None:
                        fill = s.format.fill
                    shape, colour = own["shapes"][j], own["colours"][j]
                    if shape:  # hatched, dotted or striped, in the pattern's colour over the bar's
                        assert fill.type == MSO_FILL.PATTERNED, (title, s.name, c, shape)
                        assert str(fill.back_color.rgb) == _rgb(colour), (title, s.name, c)
                        assert str(fill.fore_color.rgb) == _rgb(own["pattern_colour"] or "#FFFFFF"), (title, s.name, c)
                    else:
                        assert fill.type == MSO_FILL.SOLID, (title, s.name, c)
                        assert str(fill.fore_color.rgb) == _rgb(colour), (title, s.name, c)
            compared += 1
    assert compared >= 1, on_page.keys()


def _pdf_colour(colour) -> str | None:
    """A pdfplumber colour (a grey level or an RGB triple from 0 to 1) as six hex digits."""
    if colour is None:
        return None
    values = [colour] * 3 if isinstance(colour, (int, float)) else list(colour)
    return "".join(f"{round(float(v) * 255):02X}" for v in values[:3]) if len(values) >= 3 else None


def _chart_title(char: dict) -> bool:
    return abs(char["size"] - 11) < 0.5 and char["fontname"].endswith("Bold")


def _chart_regions(pdf, titles: list[str]) -> dict[str, tuple]:
    """For each chart title, (page, top, bottom) of the part of the page its title heads: down to the next chart's
    title on the same page, else to the page's foot (the briefing keeps a chart with its title)."""
    found = []
    for page in pdf.pages:
        for title in titles:
            # set as a chart's title (11 pt bold), not the same words in a sentence, a table or the sources
            hits = [h for h in page.search(title[:40], regex=False) if _chart_title(h["chars"][0])]
            if hits:
                found.append((page.page_number, hits[0]["top"], title, page))
    found.sort(key=lambda x: (x[0], x[1]))
    regions = {}
    for i, (number, top, title, page) in enumerate(found):
        after = [t for n, t, _, _ in found[i + 1 :] if n == number]
        regions[title] = (page, top, after[0] if after else page.height)
    return regions


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("view", range(len(VIEWS)), ids=VIEW_IDS)
def test_the_briefing_draws_each_series_in_the_pages_colour_and_line_style(seed_db, view, lang):
    on_page, legend = _series_by_title(view, lang)
    compared = 0
    with pdfplumber.open(io.BytesIO(opened(view, lang).files["pdf"])) as pdf:
        regions = _chart_regions(pdf, list(on_page))
        for title, series in on_page.items():
            if not series:
                continue  # a heat map or a network: drawn from cells and nodes, no series
            assert title in regions, (title, "is not in the briefing")
            page, top, bottom = regions[title]
            part = page.crop((0, top, page.width, bottom))
            text = " ".join(part.extract_text().split())
            # what the plot draws, not its legend's swatches (a 12 x 8 pt bar, a 14 pt line: briefing/chart.py)
            fills = {
                _pdf_colour(o["non_stroking_color"])
                for o in part.rects + part.curves
                if o.get("fill") and not (abs(o["width"] - 12) < 0.2 and abs(o["height"] - 8) < 0.2)
            }
            strokes = {}
            for o in part.lines + part.curves:
                if o.get("stroke") and not (abs(o["width"] - 14) < 0.2 and o["height"] < 0.5):
                    dash = o.get("dash")
                    strokes.setdefault(_pdf_colour(o["stroking_color"]), set()).add(tuple(dash[0]) if dash and dash[0] else ())
            for s in series:
                if legend[title]:  # the legend names it (a long name may wrap; its first word is enough to find it)
                    assert _plain(s["name"]).split()[0] in text, (title, s["name"])
                colours = {_rgb(c) for c in s["colours"]}
                if all(v is None for v in s["values"]):
                    continue  # a legend entry only (a heat map's categories): named above, drawn nowhere else
                if s["kind"] == "line":
                    wanted = tuple(DASH_PATTERNS[s["dash"]] or ())
                    assert colours & set(strokes), (title, s["name"], colours, set(strokes))
                    assert any(wanted in strokes[c] for c in colours & set(strokes)), (title, s["name"], s["dash"], strokes)
                elif s["kind"] == "bar":
                    # every colour the page gives its bars is a bar in the briefing
                    assert colours <= fills, (title, s["name"], colours - fills)
                else:
                    assert colours <= fills | set(strokes), (title, s["name"])
                compared += 1
    assert compared >= 1
