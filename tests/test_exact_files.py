"""Every file says what the page says: each chart value of the CSV and the XLSX equals the page's value at
the page's precision, money is exact to the cent, a negative number is a number, every character of
every chart label has a glyph in the PDF's font, and the ceiling's verdict is in every export.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess

import openpyxl
import pandas as pd
import pytest

from clusterpolicy import i18n, spreadsheet
from clusterpolicy.present.charts import precision
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


def _page_points(at) -> list[tuple[str, str, object, float, str]]:
    """(chart title, series, category, value, label) of every point the page draws with a figure in its label."""
    points = []
    for el in at.get("plotly_chart"):
        spec = json.loads(el.proto.spec)
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
@pytest.mark.parametrize("page, params", VIEWS)
def test_every_file_value_is_the_pages_value_at_the_pages_precision(seed_db, page, params, lang):
    at = open_link(page, {"lang": lang, **params}).run()
    assert_page_ok(at)
    points = _page_points(at)
    assert points, "the view draws no labelled figure"
    csv_made = made_export(at, "csv")
    table = _csv(csv_made.data, lang)
    chart_col, series_col, cat_col, value_col, label_col, unit_col = (
        i18n.t(f"export.col_{c}", lang) for c in ("chart", "series", "category", "value", "text", "unit")
    )
    raw = csv_made.data.decode("utf-8-sig")
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
        str(t) for el in at.get("plotly_chart") for tr in json.loads(el.proto.spec)["data"]
        if tr.get("type") == "bar" and isinstance(tr.get("text"), list) and tr.get("showlegend") is not False
        for t in tr["text"] if isinstance(t, str) and re.search(r"\d", t) and not PERIOD.search(t)
    }  # fmt: skip
    if written and shutil.which("pdftotext"):
        pdf = subprocess.run(["pdftotext", "-", "-"], input=made_export(at, "pdf").data, capture_output=True, check=True)
        words = " ".join(pdf.stdout.decode().replace("\u00a0", " ").replace("\u202f", " ").split())
        missing = [w for w in written if " ".join(re.sub(r"<[^>]+>", " ", w).replace("\u00a0", " ").split()) not in words]
        assert not missing, missing

    xlsx = openpyxl.load_workbook(io.BytesIO(made_export(at, "xlsx").data))
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


def _chart_texts(chart) -> set[str]:
    plot = chart.spec
    texts = {plot.subtitle or "", chart.title, chart.unit}
    if plot.grid is not None:
        grid = plot.grid
        texts |= set(grid.rows) | set(grid.columns) | {c for row in grid.text for c in row} | {s for _, s in grid.scale_ticks}
    for s in plot.series:
        texts |= {s.name, *map(str, s.categories), *(s.labels or [])}
    return texts


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
    for page, params in VIEWS + [("cluster", {"c": "catalisti"}), ("cluster", {"c": "flux50"})]:
        at = open_link(page, {"lang": lang, **params}).run()
        assert_page_ok(at)
        for el in at.get("plotly_chart"):
            for label in _label_texts(json.loads(el.proto.spec)):
                for ch in label:
                    if ord(ch) not in covered and ch not in "\n\t":
                        missing.setdefault(ch, label)
    assert not missing, missing


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils (pdftotext)")
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_profiles_briefing_prints_the_published_star(seed_db, lang):
    at = open_link("cluster", {"lang": lang, "c": "vil"}).run()
    assert_page_ok(at)
    drawn = "".join(label for el in at.get("plotly_chart") for label in _label_texts(json.loads(el.proto.spec)))
    assert "★" in drawn  # the page marks a published value with a star
    made = made_export(at, "pdf")
    pdf_text = subprocess.run(["pdftotext", "-", "-"], input=made.data, capture_output=True, check=True).stdout.decode()
    assert "★" in pdf_text
