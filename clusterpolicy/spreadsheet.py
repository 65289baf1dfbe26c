"""Files people take away: CSV in the reader's convention and XLSX with real numbers, safe to open in Excel."""

from __future__ import annotations

import io
import re
from datetime import datetime

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from clusterpolicy import i18n
from clusterpolicy.naming import unique_names

# A cell that starts with one of these is run as a formula by spreadsheet programs
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# text that is a plain number ("-781", "+3", "-1.234,5", "-12 %"): a spreadsheet reads it as that number, never as a formula
_PLAIN_NUMBER = re.compile(r"[+-]\d[\d.,\u00a0\u202f]*(?:\s?%)?")


def safe_text(value):
    """Neutralise formula injection: text that a spreadsheet would evaluate gets a leading apostrophe.

    Only text that is not a number: "-781" stays as it is, "-2+3" and "=SUM(A1)" are quoted.
    """
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    out.columns = unique_names(out.columns)  # out[col] of a repeated name is a frame, not a column
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            # built as objects: Series.map would turn a column of years and blanks into floats (2017.0)
            cleaned = [safe_text(", ".join(map(str, v)) if isinstance(v, (list, tuple)) else v) for v in out[col]]
            out[col] = pd.Series(cleaned, index=out.index, dtype=object)
        elif hasattr(out[col], "dt") and getattr(out[col].dt, "tz", None) is not None:
            out[col] = out[col].dt.tz_localize(None)
    return out


def to_csv(df: pd.DataFrame, lang: str) -> bytes:
    """CSV for the reader's Excel: Dutch ';' and decimal comma, English ',' and decimal point; UTF-8 with BOM."""
    sep, decimal = (";", ",") if lang == "nl" else (",", ".")
    text = _plain(df).to_csv(index=False, sep=sep, decimal=decimal, lineterminator="\r\n")
    return ("\ufeff" + text).encode("utf-8")


def cell_format(fmt: str, lang: str | None) -> str:
    """An Excel number format for the reader's language: Dutch ones carry the Belgian locale ([$-813]).

    Excel and Calc show a number with the separators of the reader's own settings; the locale in
    the format makes Calc show Belgian ones whatever its settings, and Excel ignores it for these.
    """
    if lang != "nl" or fmt == "General":
        return fmt
    if fmt.endswith("%") and not fmt.endswith("\\ %"):
        fmt = fmt[:-1] + "\\ %"  # Belgian usage: a space before the percent sign
    return "[$-813]" + fmt


def _default_format(name: str, values: pd.Series) -> str:
    """A number format by what a column holds: years plain, whole numbers and amounts with thousands separators."""
    lowered = name.lower()
    if pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values):
        return "General"
    if any(word in lowered for word in ("year", "jaar", "id", "version", "versie")):
        return "0" if pd.api.types.is_integer_dtype(values) else "General"
    if pd.api.types.is_integer_dtype(values):
        return "#,##0"
    finite = values.dropna()
    if len(finite) and (finite.round(0) == finite).all():
        return "#,##0"
    return "#,##0.00"


def to_xlsx(
    sheets: dict[str, pd.DataFrame],
    info: dict[str, str] | None = None,
    *,
    lang: str | None = None,
    formats: dict[str, dict[str, str]] | None = None,
    marking: str = "",
    title: str = "",
) -> bytes:
    """A workbook with an info sheet (what, when, which data version) and one sheet per frame; numbers stay numbers.

    Each numeric column gets a number format (``formats[sheet][column]`` where given, one per row
    where that is a list, else one chosen by what it holds) in the reader's language; the header row is frozen; columns are as
    wide as their contents (up to 60 characters).
    """
    wb = Workbook()
    ws = wb.active
    ws.title = i18n.t("export.info_sheet", lang or "en")
    # when it was made, in the reader's language, unless the info says so itself (a view's context does)
    made = i18n.t("export.generated", lang or "en")
    rows = dict(info or {})
    if made not in rows:
        rows = {made: datetime.now().strftime("%Y-%m-%d %H:%M"), **rows}
    for r, (key, value) in enumerate(rows.items(), start=1):
        ws.cell(r, 1, safe_text(str(key))).font = Font(bold=True)
        ws.cell(r, 2, safe_text(str(value)))
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 90
    titles: list[str] = [ws.title]
    for name in sheets:  # Excel's limit is 31 characters; two names cut to the same get a number
        title, n = _sheet_name(name)[:31], 1
        while title in titles:
            n += 1
            title = _sheet_name(name)[: 31 - len(f" ({n})")] + f" ({n})"
        titles.append(title)
    for title, (name, df) in zip(titles[1:], sheets.items(), strict=True):
        sheet = wb.create_sheet(title)
        plain = _plain(df)
        given = (formats or {}).get(name, {})
        for c, col in enumerate(plain.columns, start=1):
            sheet.cell(1, c, safe_text(str(col))).font = Font(bold=True)
            texts = plain[col].head(200).map(lambda v: "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v))
            widest = max([len(str(col)), *texts.map(len).tolist()]) if len(texts) else len(str(col))
            sheet.column_dimensions[get_column_letter(c)].width = max(10, min(60, widest + 3))
        # a column's format, or one per row where a sheet's rows hold different things (the parameters)
        column_formats = [
            [cell_format(f, lang) for f in given[str(col)]]
            if isinstance(given.get(str(col)), list)
            else cell_format(given.get(str(col)) or _default_format(str(col), plain[col]), lang)
            for col in plain.columns
        ]
        for r, row in enumerate(plain.itertuples(index=False), start=2):
            for c, value in enumerate(row, start=1):
                if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA or value is pd.NaT:
                    continue
                if hasattr(value, "item"):  # numpy scalars -> Python numbers
                    value = value.item()
                cell = sheet.cell(r, c, value)
                if isinstance(value, str):
                    cell.data_type = "s"  # never a formula, whatever the text
                elif isinstance(value, (int, float)) and not isinstance(value, bool):
                    fmt = column_formats[c - 1]
                    cell.number_format = fmt[r - 2] if isinstance(fmt, list) else fmt
        sheet.freeze_panes = "A2"
    mark_workbook(wb, marking, title)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def mark_workbook(wb, marking: str, title: str = "") -> None:
    """The confidentiality marking in the header and footer of every sheet and in the document's properties."""
    if title:
        wb.properties.title = title[:255]
    if not marking:
        return
    for sheet in wb.worksheets:
        for part in (sheet.oddHeader, sheet.evenHeader, sheet.firstHeader, sheet.oddFooter, sheet.evenFooter, sheet.firstFooter):
            part.center.text = marking.replace("&", "&&")  # '&' starts a header code in Excel
            part.center.font = "Arial,Bold"
    wb.properties.subject = marking
    wb.properties.keywords = marking
    wb.properties.category = marking
    wb.properties.contentStatus = marking


def _sheet_name(name: str) -> str:
    bad = "[]:*?/\\"
    return "".join("_" if ch in bad else ch for ch in name)[:31] or "Sheet"
