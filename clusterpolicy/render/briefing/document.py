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
from clusterpolicy.present.outline import sources_table
from clusterpolicy.render.briefing.chart import ChartDrawing
from clusterpolicy.render.briefing.text import (
    BOLD,
    FONT,
    FOOTER,
    GREY,
    INK,
    MARGIN,
    RULE,
    WIDTH,
    esc,
    fit,
    fonts,
    glyphs,
    markdown,
    styles,
    text_width,
)

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


def _parameter_table(params, lang: str) -> Table:
    """Parameters (rows) of the compared scenarios (columns) as a table, parameter names in bold."""
    names = [str(c) for c in params.columns]
    header = [params.index.name or t("export.parameter", lang), *names]
    rows = [[k, *map(str, r)] for k, r in params.iterrows()]
    return _table(header, rows, _parameter_widths(len(names)), bold_first=True)


def differing(parameters) -> list[str]:
    """The parameters whose values are not the same in every compared scenario."""
    return [name for name, row in parameters.iterrows() if len(set(map(str, row.tolist()))) > 1]


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

    story: list = [Paragraph(esc(view.title), st["title"])]
    if view.question:
        story.append(Paragraph(markdown(view.question), st["body"]))
        story.append(Spacer(1, 6))
    link = f'<a href="{escape(view.link, {chr(34): "&quot;"})}" color="#0b5cad"><u>{esc(t("export.open_link", L))}</u></a>'
    context = [
        (t("export.generated", L), esc(view.generated.strftime("%Y-%m-%d %H:%M"))),
        (t("export.data_version", L), esc(view.data_version)),
        (t("export.link", L), link),
    ]
    rows = [[Paragraph(esc(k), st["head"]), Paragraph(v, st["cell"])] for k, v in context]
    rows.append([Paragraph("", st["small"]), Paragraph(esc(view.link), st["small"])])
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
    story.append(info)

    params = view.parameters if view.parameters is not None and len(view.parameters) else None
    if params is not None:
        names = [str(c) for c in params.columns]
        story.append(Paragraph(esc(t("export.compared", L)), st["h2"]))
        story.append(Paragraph(esc(" · ".join(names)), st["body"]))
        story.append(Paragraph(esc(t("export.differs", L)), st["h2"]))
        rows_differ = differing(params)
        if rows_differ:
            story.append(_parameter_table(params.loc[rows_differ], L))
        else:
            story.append(Paragraph(esc(t("export.no_difference", L)), st["body"]))

    if view.headlines:
        story.append(Paragraph(esc(t("export.headlines", L)), st["h2"]))
        cells = [
            [
                Paragraph(esc(h.label), st["cell"]),
                Paragraph(esc(h.value), st["figure"]),
                Paragraph(esc(h.note), st["small"]),
            ]
            for h in view.headlines
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
        story.append(heads)

    for table in view.tables:
        story.append(Paragraph(esc(table.title), st["h2"]))
        if len(table.shown):
            frame = table.shown.astype(str)
            widths = [WIDTH / len(frame.columns)] * len(frame.columns)
            story.append(_table(list(frame.columns), frame.values.tolist(), widths))
        else:
            story.append(Paragraph(esc(table.empty_text), st["body"]))

    for item in view.charts:
        chart = item.chart
        drawing = ChartDrawing(chart.plot, chart.number_format, item.illustrative, L, mark=chart.mark)  # the plot is read once
        source = provenance.plain_source_line(item.source_ids, view.sources, L)
        plot = drawing.plot
        block = [
            Paragraph(esc(item.title), st["chart"]),
            *([Paragraph(esc(plot.subtitle), st["small"])] if plot.subtitle else []),
            Spacer(1, 4),
            drawing,
            Spacer(1, 3),
            Paragraph(esc(source), st["small"]),
            Spacer(1, 6),
        ]
        story.append(CondPageBreak(min(drawing.height + 60, 300)))
        story.append(KeepTogether(block))

    if params is not None:
        story.append(Paragraph(esc(t("export.all_parameters", L)), st["h2"]))
        story.append(_parameter_table(params, L))

    sources = sources_table(view)
    if len(sources):
        story.append(Paragraph(esc(t("export.sources_title", L)), st["h2"]))
        widths = [WIDTH * 0.13, WIDTH * 0.2, WIDTH * 0.37, WIDTH * 0.3]
        story.append(_table(list(sources.columns), sources.astype(str).values.tolist(), widths))

    class Canvas(_NumberedCanvas):
        footer_left = f"{view.title} · {t('export.data_version', L)} {view.data_version} · {view.generated:%Y-%m-%d %H:%M}"
        footer_right = t("export.page_of", L, page="{page}", pages="{pages}")
        marking = view.marking

    doc.build(story, canvasmaker=Canvas)
    return buf.getvalue()
