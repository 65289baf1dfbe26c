"""The document outline every export fills: the view (title, question, headline figures, charts,
tables, parameters, sources, link, data version, marking), its charts and tables, and its sources table.

A view is the page's charts (figure, the table behind it, its sources) plus the context a reader
needs afterwards. The page assembles it once; the deck (``render.slides``), the briefing
(``render.briefing``) and the workbook, HTML and CSV (``render.report``) each write it out.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd
import plotly.graph_objects as go

from clusterpolicy.data import provenance
from clusterpolicy.i18n import MINUS, t
from clusterpolicy.present import charts, tables
from clusterpolicy.present.headline import Headline


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


# a Table column of euros in a workbook: to the cent, a real minus sign before a negative amount
MONEY_FORMAT = '#,##0.00;"' + MINUS + '"#,##0.00'


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
    # the same rows for a workbook: numbers as numbers beside their unit, and each row's Excel format
    parameter_numbers: tuple[pd.DataFrame, list[str]] | None = None
    question: str = ""  # what the page answers (its introduction, in Markdown)
    headlines: list[Headline] = field(default_factory=list)
    generated: datetime = field(default_factory=lambda: datetime.now().replace(microsecond=0))
    marking: str = ""  # the data version's confidentiality marking ("" when it carries none)
    tables: list[Table] = field(default_factory=list)  # the page's tables beside its charts (the ceiling's verdict)

    def context(self) -> list[tuple[str, str]]:
        """(label, value): when the view was made, on which data version, and the link that reopens it."""
        L = self.lang
        return [
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
    """The sources behind the view's charts, in the order they are first cited: kind, publisher, title, link.

    The same rows as the data page's source list (``tables.sources``), cut to the columns a file needs.
    """
    L = view.lang
    rows = view.sources.set_index("source_id")
    cited = [sid for sid in view.all_source_ids() if sid in rows.index]
    url = t("data.col_url", L)
    shown = tables.sources(rows.loc[cited].reset_index(), L)
    out = shown[[t("data.col_kind", L), t("data.col_publisher", L), t("data.col_title", L), url]].reset_index(drop=True)
    out[url] = [u if isinstance(u, str) else "" for u in out[url]]
    return out


# ---------------------------------------------------------------- the outline every export fills

# the parts of an export, in the order every format writes them
KINDS = ("title", "question", "context", "compared", "differs", "headlines", "table", "chart", "parameters", "sources")


@dataclass(frozen=True)
class Section:
    """One part of the outline: its kind (one of ``KINDS``), its heading in the view's language, what it holds,
    and the sentence a format writes where it holds nothing (no parameter differs)."""

    kind: str
    heading: str
    body: object = None
    empty_text: str = ""


def plain_markdown(text: str) -> str:
    """A page's Markdown introduction as plain text (its emphasis dropped), for a format that has no markup."""
    return text.replace("**", "").replace("*", "")


def differing(parameters: pd.DataFrame) -> list[str]:
    """The parameters whose values are not the same in every compared scenario."""
    return [name for name, row in parameters.iterrows() if len(set(map(str, row.tolist()))) > 1]


def parameter_frame(parameters: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Parameters (rows) of the compared scenarios (columns) as text, the parameter's name in the first column."""
    frame = parameters.reset_index()
    frame.columns = [parameters.index.name or t("export.parameter", lang), *map(str, parameters.columns)]
    return frame.astype(str)


def sections(view: View) -> list[Section]:
    """The view's outline: title, the question it answers, its context (made, data version, link), the compared
    scenarios and what differs between them, the headline figures, the page's tables, every chart, all parameters,
    the sources. A part with nothing in it is left out (no parameters on a page without scenarios)."""
    L = view.lang
    out = [Section("title", view.title)]
    if view.question:
        out.append(Section("question", "", view.question))
    out.append(Section("context", "", view.context()))
    params = view.parameters if view.parameters is not None and len(view.parameters) else None
    if params is not None:
        out.append(Section("compared", t("export.compared", L), [str(c) for c in params.columns]))
        rows = differing(params)
        out.append(Section("differs", t("export.differs", L), parameter_frame(params.loc[rows], L), t("export.no_difference", L)))
    if view.headlines:
        out.append(Section("headlines", t("export.headlines", L), view.headlines))
    out += [Section("table", table.title, table, table.empty_text) for table in view.tables]
    out += [Section("chart", item.title, item) for item in view.charts]
    if params is not None:
        out.append(Section("parameters", t("export.all_parameters", L), parameter_frame(params, L)))
    sources = sources_table(view)
    if len(sources):
        out.append(Section("sources", t("export.sources_title", L), sources))
    return out
