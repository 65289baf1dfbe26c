"""Exports of the current view, each carrying its context: PPTX with native charts, XLSX, offline HTML, CSV.

A view is the page's charts (figure, the table behind it, its sources) plus the context a reader
needs afterwards: title, time, data version, the link that reopens the view, and the scenario
parameters where there are any. Nothing here imports Streamlit.
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.util import Inches, Pt

from . import charts, exports, provenance
from .i18n import t


class ChartItem:
    """One chart of the view: its ``charts.Chart`` (or a function that makes it on first use) and its sources.

    A page registers every chart it has, also the ones it does not draw right now (another section
    of the page, the other slides of the presenter deck); they are made only when an export or a
    slide needs them. Everything an export writes comes from the chart object: its table, unit,
    number format, illustrative flag and PowerPoint series; nothing is read back off a figure.
    """

    def __init__(self, key: str, source_ids: list[str], make=None, chart: charts.Chart | None = None):
        if chart is None and make is None:
            raise ValueError("a chart item needs a chart or a function that makes one")
        self.key = key
        self.source_ids = source_ids
        self._chart = chart
        self._make = make

    @property
    def chart(self) -> charts.Chart:
        if self._chart is None:
            self._chart = self._make()
        return self._chart

    @property
    def fig(self) -> go.Figure:
        return self.chart.fig

    @property
    def title(self) -> str:
        """The chart's title on one line (the figure breaks it for the screen)."""
        return self.chart.title or self.key

    @property
    def data(self) -> pd.DataFrame:
        """The numbers behind the chart."""
        return self.chart.table

    @property
    def illustrative(self) -> bool:
        return self.chart.illustrative


@dataclass(frozen=True)
class Headline:
    """One headline figure of a page: what it is, its value, and a note (its change, or its source)."""

    label: str
    value: str
    note: str = ""


@dataclass
class View:
    """Everything an export needs to stand on its own."""

    title: str
    lang: str
    link: str
    data_version: str
    charts: list[ChartItem]
    sources: pd.DataFrame
    parameters: pd.DataFrame | None = None  # rows: parameter, columns: scenarios
    question: str = ""  # what the page answers (its introduction, in Markdown)
    headlines: list[Headline] = field(default_factory=list)
    generated: datetime = field(default_factory=lambda: datetime.now().replace(microsecond=0))

    def context_rows(self) -> list[tuple[str, str]]:
        """(label, value) pairs printed on every export."""
        L = self.lang
        return [
            (t("export.view", L), self.title),
            (t("export.generated", L), self.generated.strftime("%Y-%m-%d %H:%M")),
            (t("export.data_version", L), self.data_version),
            (t("export.link", L), self.link),
        ]

    def all_source_ids(self) -> list[str]:
        return provenance.flatten_ids(*[c.source_ids for c in self.charts])


def file_stem(view: View) -> str:
    """A file name without extension: page, data version and time."""
    safe = "".join(ch if ch.isalnum() else "-" for ch in view.title.lower()).strip("-")
    while "--" in safe:
        safe = safe.replace("--", "-")
    return f"{safe[:40]}-{view.data_version}-{view.generated:%Y%m%d-%H%M}"


# ---------------------------------------------------------------- PPTX


def _text(slide, text: str, left, top, width, height, size: int, bold: bool = False, colour: str | None = None) -> None:
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    para = frame.paragraphs[0]
    para.text = text
    para.font.size = Pt(size)
    para.font.bold = bold
    if colour:
        para.font.color.rgb = RGBColor.from_string(colour)


def _table(slide, df: pd.DataFrame, left, top, width, height, size: int = 11, max_rows: int = 24) -> None:
    if df.empty or not len(df.columns):
        return
    rows, cols = min(len(df), max_rows) + 1, len(df.columns)
    row_height = min(int(height / rows), int(Pt(size * 2.6)))
    shape = slide.shapes.add_table(rows, cols, left, top, width, row_height * rows)
    for row in shape.table.rows:
        row.height = row_height
    for j, col in enumerate(df.columns):
        cell = shape.table.cell(0, j)
        cell.text = str(col)
        cell.text_frame.paragraphs[0].font.size = Pt(size)
        cell.text_frame.paragraphs[0].font.bold = True
    for i, row in enumerate(df.head(rows - 1).itertuples(index=False), start=1):
        for j, value in enumerate(row):
            cell = shape.table.cell(i, j)
            cell.text = "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)
            cell.text_frame.paragraphs[0].font.size = Pt(size)


def to_pptx(view: View) -> bytes:
    """A deck: title slide with context and parameters, one slide per chart (native, editable), a sources slide."""
    L = view.lang
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    blank = prs.slide_layouts[6]
    width = prs.slide_width

    slide = prs.slides.add_slide(blank)
    _text(slide, view.title, Inches(0.6), Inches(0.4), width - Inches(1.2), Inches(1.0), 36, bold=True)
    context = "\n".join(f"{k}: {v}" for k, v in view.context_rows()[1:])
    _text(slide, context, Inches(0.6), Inches(1.4), width - Inches(1.2), Inches(1.2), 14)
    if view.parameters is not None and len(view.parameters):
        params = view.parameters.reset_index()
        _table(slide, params, Inches(0.6), Inches(2.3), width - Inches(1.2), Inches(5.0), size=8)

    for item in view.charts:
        slide = prs.slides.add_slide(blank)
        _text(slide, item.title, Inches(0.5), Inches(0.25), width - Inches(1.0), Inches(0.8), 26, bold=True)
        spec = item.chart.pptx
        top, height = Inches(1.1), Inches(5.2)
        if spec is None:
            data = item.data
            if {"series", "category", "value"} <= set(data.columns):
                column = "text" if data["text"].notna().any() else "value"
                data = data.pivot_table(index="series", columns="category", values=column, aggfunc="first", sort=False)
                data = data.rename_axis(index="", columns=None).reset_index()
            _table(slide, data, Inches(0.5), top, width - Inches(1.0), height, size=11)
        else:
            kind, categories, series = spec
            chart_data = CategoryChartData()
            chart_data.categories = [str(c) for c in categories]
            for name, values in series.items():
                chart_data.add_series(str(name), values)
            frame = slide.shapes.add_chart(
                getattr(XL_CHART_TYPE, kind), Inches(0.5), top, width - Inches(1.0), height, chart_data
            )
            chart = frame.chart
            # the dashboard's colour-blind-safe palette, not Office's default red and green
            for i, series in enumerate(chart.plots[0].series):
                colour = RGBColor.from_string(charts.PALETTE[i % len(charts.PALETTE)].lstrip("#"))
                if kind.startswith("LINE"):
                    series.format.line.color.rgb = colour
                    series.format.line.width = Pt(3)
                    series.marker.format.fill.solid()
                    series.marker.format.fill.fore_color.rgb = colour
                else:
                    series.format.fill.solid()
                    series.format.fill.fore_color.rgb = colour
            chart.has_legend = True
            chart.legend.position = XL_LEGEND_POSITION.BOTTOM
            chart.legend.include_in_layout = False
            chart.font.size = Pt(14)
            if item.chart.unit:
                chart.value_axis.has_title = True
                chart.value_axis.axis_title.text_frame.text = item.chart.unit
            chart.value_axis.tick_labels.number_format = item.chart.number_format
            chart.value_axis.tick_labels.number_format_is_linked = False
        foot = provenance.plain_source_line(item.source_ids, view.sources, L)
        if item.illustrative:
            foot = "⚠ " + t("chart.illustrative_mark", L) + "\n" + foot
        _text(slide, foot, Inches(0.5), Inches(6.4), width - Inches(1.0), Inches(1.0), 11, colour="444444")

    slide = prs.slides.add_slide(blank)
    _text(slide, t("export.sources_title", L), Inches(0.5), Inches(0.25), width - Inches(1.0), Inches(0.8), 26, bold=True)
    _table(slide, sources_table(view), Inches(0.5), Inches(1.1), width - Inches(1.0), Inches(5.8), size=10)
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


def sources_table(view: View) -> pd.DataFrame:
    """The sources behind the view's charts: kind, publisher, title, link."""
    rows = view.sources.set_index("source_id")
    out = []
    for sid in view.all_source_ids():
        if sid not in rows.index:
            continue
        r = rows.loc[sid]
        out.append(
            {
                t("data.col_kind", view.lang): t(f"kind.{r['kind']}", view.lang),
                t("data.col_publisher", view.lang): r["publisher"],
                t("data.col_title", view.lang): provenance.title_of(r, view.lang),
                t("data.col_url", view.lang): r["url"] if isinstance(r["url"], str) else "",
            }
        )
    return pd.DataFrame(out)


# ---------------------------------------------------------------- XLSX, CSV


def _sheet_title(i: int, item: ChartItem) -> str:
    return f"{i:02d} {item.title}"[:31]


def to_xlsx(view: View) -> bytes:
    """Info sheet with the context, a parameters sheet, one sheet per chart with its numbers, and the sources."""
    sheets: dict[str, pd.DataFrame] = {}
    if view.parameters is not None and len(view.parameters):
        sheets[t("export.parameters", view.lang)] = view.parameters.reset_index()
    for i, item in enumerate(view.charts, start=1):
        sheets[_sheet_title(i, item)] = localise(item.data, view.lang)
    sheets[t("export.sources_title", view.lang)] = sources_table(view)
    return exports.to_xlsx(sheets, dict(view.context_rows()))


def localise(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Translate the generic column names of a chart table."""
    names = {c: t(f"export.col_{c}", lang) for c in ("series", "category", "value", "text", "unit") if c in df.columns}
    return df.rename(columns=names)


def to_csv(view: View) -> bytes:
    """All chart numbers in one long table, preceded by '#' context lines (read with comment='#')."""
    frames = []
    for item in view.charts:
        data = item.data.copy()
        data.insert(0, "chart", item.title)
        frames.append(data)
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    body = exports.to_csv(localise(table, view.lang).rename(columns={"chart": t("export.col_chart", view.lang)}), view.lang)
    header = "".join(f"# {k}: {v}\r\n" for k, v in view.context_rows())
    return "\ufeff".encode() + header.encode("utf-8") + body.removeprefix("\ufeff".encode())


# ---------------------------------------------------------------- HTML


def to_html(view: View) -> str:
    """A standalone report that opens offline: context, parameters, interactive charts, their sources."""
    L = view.lang
    esc = html.escape
    parts = [
        f"<!doctype html><html lang='{esc(L)}'><head><meta charset='utf-8'>",
        f"<title>{esc(view.title)}</title>",
        "<style>body{font-family:Arial,sans-serif;max-width:1200px;margin:2em auto;color:#1a1a1a;padding:0 1em}"
        "table{border-collapse:collapse;font-size:14px}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}"
        ".src{color:#444;font-size:14px}.ill{background:#fff4e0;border:1px solid #D55E00;padding:4px;display:inline-block}</style>",
        "</head><body>",
        f"<h1>{esc(view.title)}</h1><table>",
    ]
    for k, v in view.context_rows():
        value = f"<a href='{esc(v, quote=True)}'>{esc(v)}</a>" if k == t("export.link", L) else esc(v)
        parts.append(f"<tr><th>{esc(k)}</th><td>{value}</td></tr>")
    parts.append("</table>")
    if view.parameters is not None and len(view.parameters):
        parts.append(f"<h2>{esc(t('export.parameters', L))}</h2>")
        parts.append(view.parameters.reset_index().to_html(index=False, escape=True, border=0))
    for i, item in enumerate(view.charts):
        parts.append(f"<h2>{esc(item.title)}</h2>")
        parts.append(
            item.fig.to_html(
                full_html=False,
                include_plotlyjs="inline" if i == 0 else False,
                config={"displaylogo": False},
                div_id=f"chart-{i}",
            )
        )
        if item.illustrative:
            parts.append(f"<p class='ill'>⚠ {esc(t('chart.illustrative_mark', L))}</p>")
        parts.append(f"<p class='src'>{esc(provenance.plain_source_line(item.source_ids, view.sources, L))}</p>")
        parts.append(f"<details><summary>{esc(t('export.data_table', L))}</summary>")
        parts.append(localise(item.data, L).to_html(index=False, escape=True, border=0, na_rep=""))
        parts.append("</details>")
    parts.append(f"<h2>{esc(t('export.sources_title', L))}</h2>")
    parts.append(sources_table(view).to_html(index=False, escape=True, border=0))
    parts.append("</body></html>")
    return "\n".join(parts)
