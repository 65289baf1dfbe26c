"""The slide deck of a view (PPTX, 16:9): native, editable charts, and every text placed so that it fits.

Text is measured before it is placed: each box and table row gets the height its wrapped lines
need, measured with the typeface the briefing embeds (``typeface``: DejaVu Sans, wider than Calibri and
its metric twin Carlito that LibreOffice uses), so a box that fits here fits in PowerPoint and Impress. A table
that needs more room than a slide has continues on the next slide, with its header repeated.
The title slide lists only what differs between the compared scenarios; the full parameter list
is an appendix. Numbers on Dutch slides carry the Belgian locale ([$-813]) in their format, which
LibreOffice honours and PowerPoint reads with the reader's own separators.
"""

from __future__ import annotations

import io
import math

import numpy as np
import pandas as pd
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import PP_ALIGN
from pptx.util import Emu, Pt

from clusterpolicy.data import provenance
from clusterpolicy.i18n import t
from clusterpolicy.present import outline
from clusterpolicy.present.outline import View
from clusterpolicy.render.slides import native_chart
from clusterpolicy.render.typeface import BOLD, FONT, text_width

SLIDE_W, SLIDE_H = 960.0, 540.0  # points: 13.333 x 7.5 inches
MARGIN = 36.0
TEXT_W = SLIDE_W - 2 * MARGIN
LINE = 1.22  # line height as a multiple of the font size
CELL_PAD_X, CELL_PAD_Y = 7.2, 3.6  # python-pptx's default cell margins (0.1 and 0.05 inch)
GREY = "444444"
MARK_RED, MARK_SIZE = "B00020", 8.0  # the confidentiality marking in each slide's footer: below the source line's 18 pt


def _pt(points: float) -> Emu:
    return Emu(int(points * 12700))


def lines_needed(text: str, width: float, size: float, bold: bool = False) -> int:
    """How many lines ``text`` takes in a box ``width`` points wide (words wrap; each paragraph apart)."""
    font = BOLD if bold else FONT
    total = 0
    for paragraph in str(text).split("\n"):
        lines, current = 1, ""
        for word in paragraph.split():
            trial = f"{current} {word}".strip()
            if text_width(trial, size, font) <= width:
                current = trial
                continue
            if current:
                lines += 1
            # a word wider than the box (an address) is broken over as many lines as it needs
            extra = math.ceil(text_width(word, size, font) / width) - 1
            lines += extra
            current = word if not extra else ""
        total += lines
    return total


def _text(slide, text: str, left: float, top: float, width: float, size: float, *, bold=False, colour=None, most=None):
    """A text box exactly as tall as its wrapped lines (at most ``most`` lines, the rest cut); returns its bottom."""
    lines = lines_needed(text, width - 14.4, size, bold)
    if most is not None and lines > most:
        text = _cut(text, width - 14.4, size, most, bold)
        lines = most
    height = lines * size * LINE + 7.2
    box = slide.shapes.add_textbox(_pt(left), _pt(top), _pt(width), _pt(height))
    frame = box.text_frame
    frame.word_wrap = True
    frame.margin_top = frame.margin_bottom = _pt(3.6)
    para = frame.paragraphs[0]
    para.alignment = PP_ALIGN.LEFT
    para.text = text
    para.font.size = Pt(size)
    para.font.bold = bold
    if colour:
        para.font.color.rgb = RGBColor.from_string(colour)
    return top + height


def _cut(text: str, width: float, size: float, most: int, bold: bool) -> str:
    """The longest start of ``text`` (whole words, then an ellipsis) that takes at most ``most`` lines."""
    words = text.split()
    lo, hi = 0, len(words)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if lines_needed(" ".join(words[:mid]) + " …", width, size, bold) <= most:
            lo = mid
        else:
            hi = mid - 1
    return " ".join(words[:lo]) + " …"


def _title(slide, text: str) -> float:
    """A slide title at 26 pt, or 22 pt on two lines where it is long; returns its bottom."""
    size = 26 if lines_needed(text, TEXT_W - 14.4, 26, True) == 1 else 22
    return _text(slide, text, MARGIN, 18, TEXT_W, size, bold=True, most=2)


def _cell_text(value) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return str(value)


def _row_height(cells: list[str], widths: list[float], size: float, bold: bool = False) -> float:
    lines = max(lines_needed(text, w - 2 * CELL_PAD_X, size, bold) for text, w in zip(cells, widths))
    return lines * size * LINE + 2 * CELL_PAD_Y + 2


def table_slides(
    prs,
    title: str,
    df: pd.DataFrame,
    widths: list[float],
    size: float = 12,
    top: float | None = None,
    slide=None,
    bottom: float | None = None,
):
    """``df`` as a table on as many slides as it needs (header on each); returns the slides it used.

    ``slide``, ``top`` and ``bottom`` place the first part on an existing slide between other content. A column
    named like the link column of the sources table makes each address a hyperlink (written out in full: a
    printed deck needs it).
    """
    if df.empty or not len(df.columns):
        return []
    blank = prs.slide_layouts[6]
    url_col = t("data.col_url", "nl"), t("data.col_url", "en")
    header = [str(c) for c in df.columns]
    rows = [[_cell_text(v) for v in r] for r in df.itertuples(index=False)]
    shown = [list(r) for r in rows]  # what each cell shows (cut only where one row is taller than a slide)
    head_h = _row_height(header, widths, size, bold=True)
    heights = [_row_height(r, widths, size) for r in shown]
    used, start, part = [], 0, 0
    fresh = slide is None
    while start < len(rows):
        if fresh or part > 0:
            slide = prs.slides.add_slide(blank)
            top = _title(slide, title if not used else f"{title} ({len(used) + 1})") + 8
        room = (bottom if not fresh and part == 0 and bottom is not None else SLIDE_H - MARGIN) - top - head_h
        if heights[start] > room and not fresh and part == 0:
            part, fresh = 1, True  # not even the first row fits under the slide's other content: a slide of its own
            continue
        if heights[start] > room:
            # one row taller than a whole slide: each cell cut to the lines there are (the full text is in the workbook)
            most = max(1, int((room - 2 * CELL_PAD_Y - 2) // (size * LINE)))
            shown[start] = [
                _cut(text, w - 2 * CELL_PAD_X, size, most, False) if lines_needed(text, w - 2 * CELL_PAD_X, size) > most else text
                for text, w in zip(shown[start], widths)
            ]
            heights[start] = _row_height(shown[start], widths, size)
        end, total = start, 0.0
        while end < len(rows) and (total + heights[end] <= room or end == start):
            total += heights[end]
            end += 1
        shape = slide.shapes.add_table(end - start + 1, len(header), _pt(MARGIN), _pt(top), _pt(sum(widths)), _pt(head_h + total))
        table = shape.table
        for j, w in enumerate(widths):
            table.columns[j].width = _pt(w)
        table.rows[0].height = _pt(head_h)
        for j, h in enumerate(header):
            _fill(table.cell(0, j), h, size, bold=True)
        for i, (r, s) in enumerate(zip(rows[start:end], shown[start:end]), start=1):
            table.rows[i].height = _pt(heights[start + i - 1])
            for j, (value, text) in enumerate(zip(r, s)):
                _fill(table.cell(i, j), text, size, link=value if header[j] in url_col and value else None)
        used.append(slide)
        start, part = end, part + 1
    return used


def _fill(cell, text: str, size: float, bold: bool = False, link: str | None = None) -> None:
    frame = cell.text_frame
    frame.word_wrap = True
    para = frame.paragraphs[0]
    run = para.add_run()
    run.text = text
    run.font.size = Pt(size)
    run.font.bold = bold
    if link:
        run.hyperlink.address = link


def _parameter_widths(n: int) -> list[float]:
    first = TEXT_W * (0.34 if n > 2 else 0.4)
    return [first] + [(TEXT_W - first) / n] * n


# the parts of the outline the title slide holds; the question goes in its notes
_OPENING = ("title", "question", "context", "compared", "differs")


def _title_slide(prs, view: View, opening: dict) -> None:
    """The view's title, its marking, when and on which data, the link, the compared scenarios and what differs."""
    L = view.lang
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    title = opening["title"].heading
    size = 32 if lines_needed(title, TEXT_W - 14.4, 32, True) <= 2 else 26
    y = _text(slide, title, MARGIN, 30, TEXT_W, size, bold=True, most=3) + 4
    if view.marking:
        y = _text(slide, view.marking, MARGIN, y, TEXT_W, 16, bold=True, colour=MARK_RED, most=2) + 2
    if "question" in opening:  # what the page answers, for the presenter: the slide's notes
        slide.notes_slide.notes_text_frame.text = outline.plain_markdown(opening["question"].body)
    link_label = t("export.link", L)
    for key, value in opening["context"].body:
        if key != link_label:
            y = _text(slide, f"{key}: {value}", MARGIN, y, TEXT_W, 14, colour=GREY)
            continue
        # the link as a short text that opens the view, not the raw address
        box = slide.shapes.add_textbox(_pt(MARGIN), _pt(y), _pt(TEXT_W), _pt(14 * LINE + 7.2))
        box.text_frame.word_wrap = True
        para = box.text_frame.paragraphs[0]
        para.alignment = PP_ALIGN.LEFT
        run = para.add_run()
        run.text = t("export.open_link", L)
        run.font.size = Pt(14)
        run.hyperlink.address = value
        y += 14 * LINE + 7.2
    y += 10
    if "compared" not in opening:
        return
    compared, differs = opening["compared"], opening["differs"]
    y = _text(slide, compared.heading + ": " + " · ".join(compared.body), MARGIN, y, TEXT_W, 16, bold=True, most=2) + 2
    y = _text(slide, differs.heading, MARGIN, y, TEXT_W, 14, bold=True) + 2
    if not len(differs.body):
        _text(slide, differs.empty_text, MARGIN, y, TEXT_W, 14)
        return
    widths = _parameter_widths(len(differs.body.columns) - 1)
    table_slides(prs, differs.heading, differs.body, widths, size=12, top=y, slide=slide)


def _headline_slide(prs, view: View, section) -> None:
    L = view.lang
    columns = [t("export.col_figure", L), t("export.col_value", L), t("export.col_note", L)]
    frame = pd.DataFrame([(h.label, h.value, h.note) for h in section.body], columns=columns)
    table_slides(prs, section.heading, frame, [TEXT_W * 0.3, TEXT_W * 0.2, TEXT_W * 0.5], size=12)


def _table_slide(prs, view: View, section) -> None:
    """A page's table; an empty one (no year above the ceiling) gets no slide: the headline slide says so."""
    shown = section.body.shown
    if len(shown):
        table_slides(prs, section.heading, shown.astype(str), [TEXT_W / len(shown.columns)] * len(shown.columns), size=12)


def _parameter_slides(prs, view: View, section) -> None:
    table_slides(prs, section.heading, section.body, _parameter_widths(len(section.body.columns) - 1), size=12)


def _source_slides(prs, view: View, section) -> None:
    table_slides(prs, section.heading, section.body, [TEXT_W * 0.12, TEXT_W * 0.2, TEXT_W * 0.4, TEXT_W * 0.28], size=11)


def _chart_slide(prs, view: View, item) -> None:
    L = view.lang
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    top = _title(slide, item.title) + 6
    foot = provenance.plain_source_line(item.source_ids, view.sources, L)
    if item.illustrative:
        foot = "⚠ " + (item.chart.mark or t("chart.illustrative_mark", L)) + "\n" + foot
    # the whole source line, in a smaller size where it is long (the chart gives up the room)
    foot_size = next((z for z in (11, 10, 9) if lines_needed(foot, TEXT_W - 14.4, z) <= 5), 8)
    foot_lines = lines_needed(foot, TEXT_W - 14.4, foot_size)
    foot_top = SLIDE_H - 18 - (foot_lines * foot_size * LINE + 7.2)
    _text(slide, foot, MARGIN, foot_top, TEXT_W, foot_size, colour=GREY)
    height = foot_top - 6 - top
    spec = item.chart.pptx
    if spec is None:
        data = item.data
        if {"series", "category", "value"} <= set(data.columns):
            column = "text" if data["text"].notna().any() else "value"
            data = data.pivot_table(index="series", columns="category", values=column, aggfunc="first", sort=False)
            data = data.rename_axis(index="", columns=None).reset_index()
        n = len(data.columns)
        first = min(TEXT_W * 0.3, max(text_width(str(v), 11) for v in data.iloc[:, 0].astype(str)) + 2 * CELL_PAD_X + 4)
        widths = [first] + [(TEXT_W - first) / max(1, n - 1)] * (n - 1)
        # the table fits under the title or goes on over more slides; the source line stays on the first
        table_slides(prs, item.title, data, widths, size=11, top=top, slide=slide, bottom=foot_top - 6)
        return
    native_chart.draw(slide, item, spec, MARGIN, top, TEXT_W, height, view.lang)


def to_pptx(view: View) -> bytes:
    """The deck, in the outline's order: a title slide (context, what differs; the question in its notes), the
    headline figures, the page's tables, one slide per chart, all parameters, the sources."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = _pt(SLIDE_W), _pt(SLIDE_H)
    parts = outline.sections(view)
    _title_slide(prs, view, {s.kind: s for s in parts if s.kind in _OPENING})
    for section in parts:
        if section.kind == "chart":
            _chart_slide(prs, view, section.body)
        elif section.kind not in _OPENING:
            _SLIDES[section.kind](prs, view, section)
    _mark(prs, view)
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


# how the deck writes the parts of the outline after its title slide (a chart: _chart_slide)
_SLIDES = {"headlines": _headline_slide, "table": _table_slide, "parameters": _parameter_slides, "sources": _source_slides}


def _mark(prs, view: View) -> None:
    """The confidentiality marking in the footer of every slide (below every other text) and in the file's properties."""
    props = prs.core_properties
    props.title = view.title[:255]
    if not view.marking:
        return
    props.subject = view.marking
    props.keywords = view.marking
    props.category = view.marking
    props.content_status = view.marking
    for slide in prs.slides:
        _text(
            slide,
            view.marking,
            MARGIN,
            SLIDE_H - MARK_SIZE * LINE - 7.2 - 2,
            TEXT_W,
            MARK_SIZE,
            bold=True,
            colour=MARK_RED,
            most=1,
        )
