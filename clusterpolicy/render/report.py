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


def to_xlsx(view: outline.View) -> bytes:
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
    sheets[t("export.sources_title", L)] = outline.sources_table(view)
    # the first sheet: the context, then the headline figures (the ceiling's verdict among them), as the PDF's first page
    info = dict(view.context_rows()) | {h.label: " — ".join(filter(None, [h.value, h.note])) for h in view.headlines}
    return spreadsheet.to_xlsx(sheets, info, lang=L, formats=formats, marking=view.marking, title=view.title)


def localise(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Translate the generic column names of a chart table."""
    names = {c: t(f"export.col_{c}", lang) for c in ("series", "category", "value", "text", "unit") if c in df.columns}
    return df.rename(columns=names)


def to_csv(view: outline.View) -> bytes:
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
    body = spreadsheet.to_csv(localise(table, view.lang).rename(columns={"chart": t("export.col_chart", view.lang)}), view.lang)
    lines = view.context_rows() + [(h.label, " — ".join(filter(None, [h.value, h.note]))) for h in view.headlines]
    header = "".join(f"# {k}: {v}\r\n" for k, v in lines)
    return "\ufeff".encode() + header.encode("utf-8") + body.removeprefix("\ufeff".encode())


# ---------------------------------------------------------------- HTML


def to_html(view: outline.View) -> str:
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
    parts.append(outline.sources_table(view).to_html(index=False, escape=True, border=0))
    parts.append("</body></html>")
    return "\n".join(parts)
