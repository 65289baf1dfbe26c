"""The page, the deck and the briefing draw the same chart: for every chart of every page, in both languages, the
deck's native chart has the page's series in the page's order, each in its colour (found by its name, not by its
place), with its dash and marker, its illustrative bars hatched where the page hatches them, and the page's values;
the briefing draws each series in the page's colour and line style, under the chart's title, with its name in the
legend.

Read back from the PPTX (python-pptx) and the PDF (pdfplumber) that the export panel makes, against the figure the
page sends the browser. The values in the PDF, the XLSX and the CSV are held to the page in ``test_exact_files``.
"""

from __future__ import annotations

import io
import json
import math
import re

import pdfplumber
import pytest
from pptx import Presentation
from pptx.enum.dml import MSO_FILL

from clusterpolicy.present import charts
from clusterpolicy.render.briefing.text import DASH_PATTERNS  # Plotly's dash names as the briefing strokes them
from clusterpolicy.render.slides import PPTX_DASHES  # Plotly's dash names in PowerPoint's terms
from tests.conftest import assert_page_ok, made_export, open_link
from tests.test_exact_files import VIEWS


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


def _opened(view, lang: str):
    """The page of ``view`` opened from its link: (the AppTest, its charts' series by title, whether each has a legend)."""
    page, params = view
    at = open_link(page, {**params, "lang": lang})
    at.run()
    assert_page_ok(at)
    on_page, legend = {}, {}
    for el in at.get("plotly_chart"):
        spec = json.loads(el.proto.spec)
        title = _plain(spec["layout"]["title"]["text"])
        on_page[title] = _page_series(spec)
        # Plotly shows a legend where the layout asks for one, or by itself where there are two series or more
        legend[title] = spec["layout"].get("showlegend", len(on_page[title]) > 1)
    return at, on_page, legend


VIEW_IDS = [f"{page or 'overview'}-{'-'.join(params.values())}" for page, params in VIEWS]


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("view", VIEWS, ids=VIEW_IDS)
def test_the_deck_draws_each_series_as_the_page_does(seed_db, view, lang):
    at, on_page, _ = _opened(view, lang)
    made = made_export(at, "pptx")
    assert made.reference is None
    prs = Presentation(io.BytesIO(made.data))
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
@pytest.mark.parametrize("view", VIEWS, ids=VIEW_IDS)
def test_the_briefing_draws_each_series_in_the_pages_colour_and_line_style(seed_db, view, lang):
    at, on_page, legend = _opened(view, lang)
    made = made_export(at, "pdf")
    assert made.reference is None
    compared = 0
    with pdfplumber.open(io.BytesIO(made.data)) as pdf:
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
