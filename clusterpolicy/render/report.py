"""A view's workbook (XLSX), offline HTML and CSV, each carrying its context (the deck: slides.py, the PDF: briefing).

The view and its parts are the document outline (``present.outline``); nothing here imports Streamlit.
"""

from __future__ import annotations

import html

import pandas as pd

from clusterpolicy import spreadsheet
from clusterpolicy.data import provenance
from clusterpolicy.i18n import t
from clusterpolicy.present import outline

# ---------------------------------------------------------------- XLSX, CSV


def _sheet_title(i: int, item: outline.ChartItem) -> str:
    return f"{i:02d} {item.title}"[:31]


# the outline's parts a table-only format writes as (label, text) rows: its first sheet, the CSV's '#' lines
_TEXT_KINDS = ("title", "question", "context", "compared", "differs", "headlines")


def _text_rows(section: outline.Section, lang: str) -> list[tuple[str, str]]:
    """A text part of the outline as (label, text) rows; what differs by the parameters' names (their values follow)."""
    kind, body = section.kind, section.body
    if kind == "title":
        return [(t("export.view", lang), section.heading)]
    if kind == "question":
        return [(t("export.question", lang), outline.plain_markdown(body))]
    if kind == "context":
        return list(body)
    if kind == "compared":
        return [(section.heading, " · ".join(body))]
    if kind == "differs":
        return [(section.heading, " · ".join(body.iloc[:, 0]) if len(body) else section.empty_text)]
    return [(h.label, " — ".join(filter(None, [h.value, h.note]))) for h in body]  # headlines


def to_xlsx(view: outline.View) -> bytes:
    """The outline as a workbook: a first sheet with the title, question, context, compared scenarios, what differs
    and the headline figures; then a sheet per page table and per chart with its numbers, the parameters, the sources.

    A chart's values carry the chart's own number format (a share as a percentage, amounts with
    the chart's decimals), in the reader's language.
    """
    L = view.lang
    info: dict[str, str] = {t("marking.label", L): view.marking} if view.marking else {}
    sheets: dict[str, pd.DataFrame] = {}
    formats: dict[str, dict[str, str]] = {}
    charts = 0
    for section in outline.sections(view):
        kind, body = section.kind, section.body
        if kind in _TEXT_KINDS:
            info |= dict(_text_rows(section, L))
        elif kind == "table":
            sheets[section.heading] = body.numbers
            formats[section.heading] = dict(body.formats)
        elif kind == "chart":
            charts += 1
            title = _sheet_title(charts, body)
            sheets[title] = localise(body.data, L)
            # the values with the decimals the page shows them with (a heat map's too)
            formats[title] = {t("export.col_value", L): body.chart.value_format}
        elif kind == "parameters":
            name = t("export.parameters", L)
            if view.parameter_numbers is not None:
                # numbers as numbers (euros, shares as percentages, years), each row in its own format
                frame, row_formats = view.parameter_numbers
                sheets[name] = frame
                formats[name] = {str(col): row_formats for col in frame.columns[2:]}
            else:
                sheets[name] = body
        elif kind == "sources":
            sheets[section.heading] = body
    return spreadsheet.to_xlsx(sheets, info, lang=L, formats=formats, marking=view.marking, title=view.title)


def localise(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Translate the generic column names of a chart table."""
    names = {c: t(f"export.col_{c}", lang) for c in ("series", "category", "value", "text", "unit") if c in df.columns}
    return df.rename(columns=names)


def _comment(label: str, value: str) -> str:
    """One '#' line of the CSV: on one line, with no straight double quote (a spreadsheet would start a quoted cell)."""
    text = " ".join(f"{label}: {value}".split()).replace('"', "”")
    return f"# {text}\r\n"


def to_csv(view: outline.View) -> bytes:
    """All chart numbers in one long table, preceded by '#' lines with the rest of the outline (read with comment='#').

    The '#' lines are the marking, title, question, context, compared scenarios, what differs and the headline
    figures, then the parameters and the sources (all above the table, so that a spreadsheet reads the table's
    rows and nothing after them); the table has the page's tables (the years above the ceiling) and then every
    chart's series.
    """
    L = view.lang
    head: list[tuple[str, str]] = [(t("marking.label", L), view.marking)] if view.marking else []
    tail: list[tuple[str, str]] = []
    frames = []
    for section in outline.sections(view):
        kind, body = section.kind, section.body
        if kind in _TEXT_KINDS:
            head += _text_rows(section, L)
        elif kind == "table":
            data = body.long.copy()
            data.insert(0, "chart", section.heading)
            frames.append(data)
        elif kind == "chart":
            # the long form every chart shares: a builder's own table (a KPI series with its targets) is in the XLSX
            data = body.chart.plotted.copy()
            data.insert(0, "chart", section.heading)
            frames.append(data)
        elif kind == "parameters":
            names = list(body.columns[1:])
            tail += [
                (row.iloc[0], " · ".join(f"{n} {v}" for n, v in zip(names, row.iloc[1:], strict=True)))
                for _, row in body.iterrows()
            ]
        elif kind == "sources":
            tail += [(t("export.source", L), " · ".join(x for x in map(str, row) if x)) for row in body.itertuples(index=False)]
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if "value" in table.columns:  # a chart with no series (an empty table) leaves the values as objects
        table["value"] = pd.to_numeric(table["value"], errors="coerce")
    for col in table.columns:  # a column some charts lack turns their whole numbers (years) into floats
        if col != "value" and (table[col].dtype == float or table[col].dtype == object):
            whole = [int(v) if isinstance(v, float) and v.is_integer() else v for v in table[col]]
            table[col] = pd.Series(whole, index=table.index, dtype=object)
    body = spreadsheet.to_csv(localise(table, L).rename(columns={"chart": t("export.col_chart", L)}), L)
    before = "".join(_comment(k, v) for k, v in head + tail).encode("utf-8")
    return "\ufeff".encode() + before + body.removeprefix("\ufeff".encode())


# ---------------------------------------------------------------- HTML


def to_html(view: outline.View) -> str:
    """A standalone report that opens offline, in the outline's order: title, question, context, what differs,
    headline figures, the page's tables, interactive charts with their sources, all parameters, the sources."""
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
    charts = 0
    for section in outline.sections(view):
        kind, body, heading = section.kind, section.body, esc(section.heading)
        if kind == "title":
            parts.append(f"<h1>{heading}</h1>")
        elif kind == "question":  # the page's introduction: plain paragraphs, its emphasis dropped
            parts += [f"<p class='question'>{esc(p)}</p>" for p in outline.plain_markdown(body).split("\n\n") if p.strip()]
        elif kind == "context":
            parts.append("<table>")
            for k, v in body:
                value = f"<a href='{esc(v, quote=True)}'>{esc(v)}</a>" if k == t("export.link", L) else esc(v)
                parts.append(f"<tr><th>{esc(k)}</th><td>{value}</td></tr>")
            parts.append("</table>")
        elif kind == "compared":
            parts.append(f"<h2>{heading}</h2><p>{esc(' · '.join(body))}</p>")
        elif kind in ("differs", "parameters"):
            parts.append(f"<h2>{heading}</h2>")
            parts.append(body.to_html(index=False, escape=True, border=0) if len(body) else f"<p>{esc(section.empty_text)}</p>")
        elif kind == "headlines":
            parts.append(f"<h2>{heading}</h2><table class='headlines'>")
            for h in body:
                parts.append(f"<tr><th>{esc(h.label)}</th><td class='figure'>{esc(h.value)}</td><td>{esc(h.note)}</td></tr>")
            parts.append("</table>")
        elif kind == "table":
            parts.append(f"<h2>{heading}</h2>")
            shown = body.shown
            parts.append(
                shown.to_html(index=False, escape=True, border=0, na_rep="")
                if len(shown)
                else f"<p>{esc(section.empty_text)}</p>"
            )
        elif kind == "chart":
            parts += _html_chart(body, heading, charts, view)
            charts += 1
        elif kind == "sources":
            parts.append(f"<h2>{heading}</h2>")
            parts.append(body.to_html(index=False, escape=True, border=0))
    parts.append("</body></html>")
    return "\n".join(parts)


def _html_chart(item: outline.ChartItem, heading: str, i: int, view: outline.View) -> list[str]:
    """A chart of the report: interactive (Plotly's script inlined once, with the first), its mark, source and table."""
    esc, L = html.escape, view.lang
    parts = [
        f"<h2>{heading}</h2>",
        item.fig.to_html(
            full_html=False,
            include_plotlyjs="inline" if i == 0 else False,
            config={"displaylogo": False},
            div_id=f"chart-{i}",
        ),
    ]
    if item.illustrative:
        parts.append(f"<p class='ill'>⚠ {esc(item.chart.mark or t('chart.illustrative_mark', L))}</p>")
    parts.append(f"<p class='src'>{esc(provenance.plain_source_line(item.source_ids, view.sources, L))}</p>")
    parts.append(f"<details><summary>{esc(t('export.data_table', L))}</summary>")
    parts.append(localise(item.data, L).to_html(index=False, escape=True, border=0, na_rep=""))
    parts.append("</details>")
    return parts
