"""The briefing document: A4 pages, the context, the compared scenarios, headline figures, charts and sources."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from clusterpolicy.data import provenance
from clusterpolicy.i18n import t
from clusterpolicy.present import outline
from clusterpolicy.render.briefing.chart import ChartDrawing
from clusterpolicy.render.briefing.text import FOOTER, GREY, INK, MARGIN, RULE, WIDTH, esc, fit, markdown, styles
from clusterpolicy.render.typeface import BOLD, FONT, fonts, glyphs, text_width

MARK_RED, MARK_SIZE = "#B00020", 8.5


class _NumberedCanvas(pdfcanvas.Canvas):
    """A canvas that writes "page n of N" once the number of pages is known."""

    footer_left = ""
    footer_right = ""
    marking = ""  # the confidentiality marking: in the header and the footer of every page

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._footer(total)
            super().showPage()
        super().save()

    def _footer(self, total: int) -> None:
        right = self.footer_right.format(page=self._pageNumber, pages=total)
        self.setFont(FONT, FOOTER)
        self.setFillColor(GREY)
        self.drawRightString(A4[0] - MARGIN, 10 * mm, right)
        room = WIDTH - text_width(right, FOOTER) - 12
        self.drawString(MARGIN, 10 * mm, glyphs(fit(self.footer_left, room, FOOTER)))
        self.setStrokeColor(RULE)
        self.setLineWidth(0.4)
        self.line(MARGIN, 10 * mm + FOOTER + 3, A4[0] - MARGIN, 10 * mm + FOOTER + 3)
        if self.marking:
            text = glyphs(fit(self.marking, WIDTH, MARK_SIZE, BOLD))
            self.setFont(BOLD, MARK_SIZE)
            self.setFillColor(MARK_RED)
            self.drawCentredString(A4[0] / 2, A4[1] - 11 * mm, text)  # the header, above the top margin's text
            self.drawCentredString(A4[0] / 2, 10 * mm + FOOTER + 7, text)  # the footer, above its rule


def _table(header: list[str], rows: list[list[str]], widths: list[float], bold_first: bool = False) -> Table:
    st = styles()
    data = [[Paragraph(esc(str(h)), st["head"]) for h in header]]
    for row in rows:
        data.append([Paragraph(esc(str(v)), st["head"] if bold_first and j == 0 else st["cell"]) for j, v in enumerate(row)])
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),  # a table's own default is Helvetica, not embedded
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
                ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _parameter_widths(n_scenarios: int) -> list[float]:
    first = WIDTH * (0.34 if n_scenarios > 2 else 0.4)
    return [first] + [(WIDTH - first) / n_scenarios] * n_scenarios


def _title(section, view, st) -> list:
    return [Paragraph(esc(section.heading), st["title"])]


def _question(section, view, st) -> list:
    return [Paragraph(markdown(section.body), st["body"]), Spacer(1, 6)]


def _context(section, view, st) -> list:
    """When, on which data, and the link as words that open it, with the address in small print under it."""
    L = view.lang
    link_label = t("export.link", L)
    rows = []
    for label, value in section.body:
        if label == link_label:
            link = f'<a href="{escape(value, {chr(34): "&quot;"})}" color="#0b5cad"><u>{esc(t("export.open_link", L))}</u></a>'
            rows.append([Paragraph(esc(label), st["head"]), Paragraph(link, st["cell"])])
            rows.append([Paragraph("", st["small"]), Paragraph(esc(value), st["small"])])
        else:
            rows.append([Paragraph(esc(label), st["head"]), Paragraph(esc(value), st["cell"])])
    info = Table(rows, colWidths=[WIDTH * 0.22, WIDTH * 0.78], hAlign="LEFT")
    info.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),  # a table's own default is Helvetica, not embedded
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    return [info]


def _compared(section, view, st) -> list:
    return [Paragraph(esc(section.heading), st["h2"]), Paragraph(esc(" · ".join(section.body)), st["body"])]


def _parameters(section, view, st) -> list:
    """What differs, or all parameters: a table with the parameter names in bold, or the sentence that none differs."""
    frame = section.body
    if not len(frame):
        return [Paragraph(esc(section.heading), st["h2"]), Paragraph(esc(section.empty_text), st["body"])]
    widths = _parameter_widths(len(frame.columns) - 1)
    return [
        Paragraph(esc(section.heading), st["h2"]),
        _table(list(frame.columns), frame.values.tolist(), widths, bold_first=True),
    ]


def _headlines(section, view, st) -> list:
    cells = [
        [
            Paragraph(esc(h.label), st["cell"]),
            Paragraph(esc(h.value), st["figure"]),
            Paragraph(esc(h.note), st["small"]),
        ]
        for h in section.body
    ]
    heads = Table(cells, colWidths=[WIDTH * 0.42, WIDTH * 0.26, WIDTH * 0.32], hAlign="LEFT")
    heads.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return [Paragraph(esc(section.heading), st["h2"]), heads]


def _page_table(section, view, st) -> list:
    table = section.body
    if not len(table.shown):
        return [Paragraph(esc(section.heading), st["h2"]), Paragraph(esc(section.empty_text), st["body"])]
    frame = table.shown.astype(str)
    widths = [WIDTH / len(frame.columns)] * len(frame.columns)
    return [Paragraph(esc(section.heading), st["h2"]), _table(list(frame.columns), frame.values.tolist(), widths)]


def _chart(section, view, st) -> list:
    item = section.body
    chart = item.chart
    drawing = ChartDrawing(chart.spec, chart.format, item.illustrative, view.lang, mark=chart.mark)  # the plot is read once
    source = provenance.plain_source_line(item.source_ids, view.sources, view.lang)
    plot = drawing.plot
    block = [
        Paragraph(esc(section.heading), st["chart"]),
        *([Paragraph(esc(plot.subtitle), st["small"])] if plot.subtitle else []),
        Spacer(1, 4),
        drawing,
        Spacer(1, 3),
        Paragraph(esc(source), st["small"]),
        Spacer(1, 6),
    ]
    return [CondPageBreak(min(drawing.height + 60, 300)), KeepTogether(block)]


def _sources(section, view, st) -> list:
    frame = section.body
    widths = [WIDTH * 0.13, WIDTH * 0.2, WIDTH * 0.37, WIDTH * 0.3]
    return [Paragraph(esc(section.heading), st["h2"]), _table(list(frame.columns), frame.astype(str).values.tolist(), widths)]


# how the briefing writes each part of the outline
_SECTIONS = {
    "title": _title,
    "question": _question,
    "context": _context,
    "compared": _compared,
    "differs": _parameters,
    "headlines": _headlines,
    "table": _page_table,
    "chart": _chart,
    "parameters": _parameters,
    "sources": _sources,
}


def to_pdf(view) -> bytes:
    """The briefing of ``view`` (a outline.View) as PDF bytes."""
    fonts()
    st = styles()
    L = view.lang
    buf = io.BytesIO()
    doc = BaseDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 6 * mm,
        title=view.title,
        subject=view.marking or t("export.pdf", L),
        keywords=view.marking,
        author="Cluster policy dashboard",
        creator="clusterpolicy (ReportLab)",
        initialFontName=FONT,  # else every page names Helvetica, a font the file does not embed
        lang={"nl": "nl-BE", "en": "en-GB"}.get(L, L),
    )
    frame = Frame(
        MARGIN,
        MARGIN + 6 * mm,
        WIDTH,
        A4[1] - 2 * MARGIN - 6 * mm,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])

    story: list = []
    for section in outline.sections(view):
        story += _SECTIONS[section.kind](section, view, st)

    class Canvas(_NumberedCanvas):
        footer_left = f"{view.title} · {t('export.data_version', L)} {view.data_version} · {view.generated:%Y-%m-%d %H:%M}"
        footer_right = t("export.page_of", L, page="{page}", pages="{pages}")
        marking = view.marking

    doc.build(story, canvasmaker=Canvas)
    return buf.getvalue()
