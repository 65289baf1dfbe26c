"""Exports of the current view, each carrying its context: XLSX, offline HTML, CSV (slides: slides.py, PDF: briefing).

A view is the page's charts (figure, the table behind it, its sources) plus the context a reader
needs afterwards: title, time, data version, the link that reopens the view, and the scenario
parameters where there are any. Nothing here imports Streamlit.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd
import plotly.graph_objects as go

from . import charts, exports, provenance
from .headline import Headline
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
class Table:
    """A table the page shows beside its charts (the ceiling's overshoot), in every export of the view.

    ``shown`` is the table as the page writes it (formatted text, for the PDF, PPTX and HTML);
    ``numbers`` the same rows with numbers as numbers (for the XLSX); ``long`` its figures in the
    chart tables' long form (series, category, value, text, unit), for the CSV; ``formats`` the Excel
    number format of a column of ``numbers``.
    """

    title: str
    shown: pd.DataFrame
    numbers: pd.DataFrame
    long: pd.DataFrame
    formats: dict[str, str] = field(default_factory=dict)
    empty_text: str = ""  # what an export says instead of an empty table


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
    marking: str = ""  # the data version's confidentiality marking ("" when it carries none)
    tables: list[Table] = field(default_factory=list)  # the page's tables beside its charts (the ceiling's verdict)

    def context_rows(self) -> list[tuple[str, str]]:
        """(label, value) pairs printed on every export; the marking first, where there is one."""
        L = self.lang
        marked = [(t("marking.label", L), self.marking)] if self.marking else []
        return marked + [
            (t("export.view", L), self.title),
            (t("export.generated", L), self.generated.strftime("%Y-%m-%d %H:%M")),
            (t("export.data_version", L), self.data_version),
            (t("export.link", L), self.link),
        ]

    def all_source_ids(self) -> list[str]:
        return provenance.flatten_ids(*[c.source_ids for c in self.charts])


# short words a file name does without ("Financieringsscenario's voor de basiswerking" -> financieringsscenarios-basiswerking)
_FILLERS = frozenset(
    "de het een van voor en in op per naar met wat wie waar welke the a an of for and in on per to with what who which".split()
)


def file_stem(view: View) -> str:
    """A file name without extension that reads as the view's title: its words, then the day it was made.

    "financieringsscenarios-basiswerking-2026-12-01": accents and apostrophes dropped, short filler
    words left out, at most six words; the data version is inside the file (its context rows).
    """
    plain = unicodedata.normalize("NFKD", view.title).encode("ascii", "ignore").decode().lower().replace("'", "")
    words = [w for w in re.split(r"[^a-z0-9]+", plain) if w and w not in _FILLERS]
    return "-".join([*words[:6], f"{view.generated:%Y-%m-%d}"])


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
    """Info sheet with the context, a parameters sheet, one sheet per chart with its numbers, and the sources.

    A chart's values carry the chart's own number format (a share as a percentage, amounts with
    the chart's decimals), in the reader's language.
    """
    L = view.lang
    sheets: dict[str, pd.DataFrame] = {}
    formats: dict[str, dict[str, str]] = {}
    if view.parameters is not None and len(view.parameters):
        sheets[t("export.parameters", L)] = view.parameters.reset_index()
    for table in view.tables:
        sheets[table.title] = table.numbers
        formats[table.title] = {col: fmt for col, fmt in table.formats.items()}
    for i, item in enumerate(view.charts, start=1):
        title = _sheet_title(i, item)
        sheets[title] = localise(item.data, L)
        # the values with the decimals the page shows them with (a heat map's too)
        formats[title] = {t("export.col_value", L): item.chart.value_format}
    sheets[t("export.sources_title", L)] = sources_table(view)
    # the first sheet: the context, then the headline figures (the ceiling's verdict among them), as the PDF's first page
    info = dict(view.context_rows()) | {h.label: " — ".join(filter(None, [h.value, h.note])) for h in view.headlines}
    return exports.to_xlsx(sheets, info, lang=L, formats=formats, marking=view.marking, title=view.title)


def localise(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Translate the generic column names of a chart table."""
    names = {c: t(f"export.col_{c}", lang) for c in ("series", "category", "value", "text", "unit") if c in df.columns}
    return df.rename(columns=names)


def to_csv(view: View) -> bytes:
    """All chart numbers in one long table, preceded by '#' context lines (read with comment='#').

    The context lines are the view's (marking, link, data version) and its headline figures; the
    table has the page's tables (the years above the ceiling) and then every chart's series.
    """
    frames = []
    for table in view.tables:
        data = table.long.copy()
        data.insert(0, "chart", table.title)
        frames.append(data)
    for item in view.charts:
        # the long form every chart shares: a builder's own table (a KPI series with its targets) is in the XLSX
        data = item.chart.plotted.copy()
        data.insert(0, "chart", item.title)
        frames.append(data)
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if "value" in table.columns:  # a chart with no series (an empty table) leaves the values as objects
        table["value"] = pd.to_numeric(table["value"], errors="coerce")
    for col in table.columns:  # a column some charts lack turns their whole numbers (years) into floats
        if col != "value" and (table[col].dtype == float or table[col].dtype == object):
            whole = [int(v) if isinstance(v, float) and v.is_integer() else v for v in table[col]]
            table[col] = pd.Series(whole, index=table.index, dtype=object)
    body = exports.to_csv(localise(table, view.lang).rename(columns={"chart": t("export.col_chart", view.lang)}), view.lang)
    lines = view.context_rows() + [(h.label, " — ".join(filter(None, [h.value, h.note]))) for h in view.headlines]
    header = "".join(f"# {k}: {v}\r\n" for k, v in lines)
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
        ".figure{font-size:20px;font-weight:bold;white-space:nowrap}.src{color:#444;font-size:14px}.ill{background:#fff4e0;border:1px solid #D55E00;padding:4px;display:inline-block}"
        ".marking{position:sticky;top:0;background:#B00020;color:#fff;font-weight:bold;padding:6px 10px;z-index:10}</style>",
    ]
    if view.marking:
        # the document's classification in its metadata, and a banner that stays in view while it is read
        parts.append(f"<meta name='classification' content='{esc(view.marking, quote=True)}'>")
        parts.append(f"</head><body><div class='marking' role='note'>{esc(view.marking)}</div>")
    else:
        parts.append("</head><body>")
    parts.append(f"<h1>{esc(view.title)}</h1><table>")
    for k, v in view.context_rows():
        value = f"<a href='{esc(v, quote=True)}'>{esc(v)}</a>" if k == t("export.link", L) else esc(v)
        parts.append(f"<tr><th>{esc(k)}</th><td>{value}</td></tr>")
    parts.append("</table>")
    if view.parameters is not None and len(view.parameters):
        parts.append(f"<h2>{esc(t('export.parameters', L))}</h2>")
        parts.append(view.parameters.reset_index().to_html(index=False, escape=True, border=0))
    if view.headlines:
        parts.append(f"<h2>{esc(t('export.headlines', L))}</h2><table class='headlines'>")
        for h in view.headlines:
            parts.append(f"<tr><th>{esc(h.label)}</th><td class='figure'>{esc(h.value)}</td><td>{esc(h.note)}</td></tr>")
        parts.append("</table>")
    for table in view.tables:
        parts.append(f"<h2>{esc(table.title)}</h2>")
        if len(table.shown):
            parts.append(table.shown.to_html(index=False, escape=True, border=0, na_rep=""))
        else:
            parts.append(f"<p>{esc(table.empty_text)}</p>")
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
            parts.append(f"<p class='ill'>⚠ {esc(item.chart.mark or t('chart.illustrative_mark', L))}</p>")
        parts.append(f"<p class='src'>{esc(provenance.plain_source_line(item.source_ids, view.sources, L))}</p>")
        parts.append(f"<details><summary>{esc(t('export.data_table', L))}</summary>")
        parts.append(localise(item.data, L).to_html(index=False, escape=True, border=0, na_rep=""))
        parts.append("</details>")
    parts.append(f"<h2>{esc(t('export.sources_title', L))}</h2>")
    parts.append(sources_table(view).to_html(index=False, escape=True, border=0))
    parts.append("</body></html>")
    return "\n".join(parts)
