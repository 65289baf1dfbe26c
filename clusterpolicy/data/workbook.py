"""The whole data set as one workbook, and back: a sheet per contract table, a first sheet that explains them.

A data steward's yearly update is one download, one edit in Excel and one upload. ``write`` makes
the workbook from a data version: the first sheet explains every table and column (meaning, type,
allowed values, whether required) and says per table whether its sheet replaces the table or adds
and updates rows; every other sheet holds one table with a frozen header, numbers as numbers,
dates as dates, and drop-down lists for the columns with fixed values and for the ids other sheets
define. ``read`` takes such a workbook (or any with sheets named after contract tables) apart for
``importer.import_workbook``, which checks all sheets together and applies them as one version.
"""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import datetime

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from clusterpolicy import i18n
from clusterpolicy.data import build
from clusterpolicy.data.build import ValidationError, problem
from clusterpolicy.data.db import load_sql
from clusterpolicy.data.upload import open_workbook, sheet_upload

TABLES = build.CONTRACT_TABLES
# the first sheet, by language; either name is recognised on upload
ABOUT_SHEETS = {"nl": "uitleg", "en": "about"}
MODES = ("replace", "upsert")
# drop-down lists of ids: the column that holds them, by the table that defines them
ID_COLUMNS = {"source": "source_id", "cluster": "cluster_id", "kpi": "kpi_id", "intercluster_project": "project_id"}
_HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")
# number formats by column type; Dutch ones carry the Belgian locale, as every export does
_FORMATS = {"DECIMAL(14,2)": "#,##0.00", "DECIMAL(18,4)": "#,##0.####", "DECIMAL(6,4)": "0.0###", "DECIMAL(18,2)": "#,##0.00"}


def _columns(con, table: str) -> list[dict]:
    """Each column of a table: name, type, required, allowed values (from the schema's own CHECK rules)."""
    allowed: dict[str, list[str]] = {}
    for ctype, cols, expr, _, _ in build.constraints_of(con, table):
        if ctype == "CHECK" and len(set(cols)) == 1:
            values = build.allowed_values(expr)
            if values:
                allowed[cols[0]] = values
    return [
        {"name": name, "type": dtype, "required": not nullable, "allowed": allowed.get(name, [])}
        for name, dtype, nullable in build.columns_of(con, table)
    ]


def _references(con, table: str) -> dict[str, str]:
    """column -> the table its values must exist in (the foreign keys)."""
    return {cols[0]: ref for ctype, cols, _, ref, _ in build.constraints_of(con, table) if ctype == "FOREIGN KEY"}


def _number_format(dtype: str, lang: str) -> str:
    from clusterpolicy.spreadsheet import cell_format

    if dtype in ("SMALLINT", "INTEGER", "BIGINT"):
        return "0"  # years and counts: no thousands separator (2.025 is not a year)
    return cell_format(_FORMATS.get(dtype, "General"), lang)


def write(con, lang: str, version: str = "", marking: str = "") -> bytes:
    """The workbook of every contract table of the data version ``con`` reads (a DuckDB connection)."""
    wb = Workbook()
    about = wb.active
    about.title = ABOUT_SHEETS[lang]
    t = lambda key, **kw: i18n.t(f"workbook.{key}", lang, **kw)  # noqa: E731
    row = 1
    about.cell(row, 1, t("title")).font = Font(bold=True, size=14)
    row += 1
    if marking:
        about.cell(row, 1, marking).font = Font(bold=True, color="B00020")
        row += 1
    about.cell(row, 1, t("version", version=version, at=datetime.now().strftime("%Y-%m-%d %H:%M")))
    row += 2
    for key in ("how_1", "how_2", "how_3", "how_4"):
        about.cell(row, 1, t(key))
        row += 1
    row += 1
    frames = {}
    cur = con.cursor()
    try:
        for table in TABLES:
            frames[table] = cur.execute(load_sql(f"table_{table}")).fetchall(), [d[0] for d in cur.description]
        columns = {table: _columns(cur, table) for table in TABLES}
        refs = {table: _references(cur, table) for table in TABLES}
    finally:
        cur.close()
    # the tables, with the mode each sheet is read in (a drop-down: replace or upsert)
    header = [t("col_sheet"), t("col_mode"), t("col_rows"), t("col_about")]
    for c, text in enumerate(header, start=1):
        cell = about.cell(row, c, text)
        cell.font, cell.fill = Font(bold=True), _HEADER_FILL
    row += 1
    mode_list = DataValidation(type="list", formula1='"replace,upsert"', allow_blank=False)
    mode_list.error = t("mode_error")
    mode_list.errorTitle = t("col_mode")
    about.add_data_validation(mode_list)
    for table in TABLES:
        about.cell(row, 1, table).data_type = "s"
        about.cell(row, 2, "replace")
        mode_list.add(about.cell(row, 2))
        about.cell(row, 3, len(frames[table][0]))
        about.cell(row, 4, i18n.t(f"data.about_{table}", lang))
        row += 1
    row += 1
    about.cell(row, 1, t("modes")).alignment = Alignment(wrap_text=False)
    row += 2
    header = [t("col_sheet"), t("col_column"), t("col_meaning"), t("col_type"), t("col_allowed"), t("col_required")]
    for c, text in enumerate(header, start=1):
        cell = about.cell(row, c, text)
        cell.font, cell.fill = Font(bold=True), _HEADER_FILL
    row += 1
    for table in TABLES:
        for col in columns[table]:
            about.cell(row, 1, table)
            about.cell(row, 2, col["name"])
            about.cell(row, 3, i18n.t(f"column.{table}__{col['name']}", lang))
            about.cell(row, 4, _type_text(col["type"], lang))
            allowed = ", ".join(col["allowed"])
            if not allowed and col["name"] in refs[table]:
                allowed = t("from_sheet", sheet=refs[table][col["name"]])
            about.cell(row, 5, allowed)
            about.cell(row, 6, t("yes") if col["required"] else t("no"))
            row += 1
    for letter, width in zip("ABCDEF", (24, 24, 80, 22, 40, 10)):
        about.column_dimensions[letter].width = width
    about.freeze_panes = "A2"

    for table in TABLES:
        rows, names = frames[table]
        ws = wb.create_sheet(table)
        info = {c["name"]: c for c in columns[table]}
        for c, name in enumerate(names, start=1):
            cell = ws.cell(1, c, name)
            cell.font, cell.fill = Font(bold=True), _HEADER_FILL
            ws.column_dimensions[get_column_letter(c)].width = max(12, min(50, len(name) + 4))
        formats = [_number_format(info[n]["type"], lang) for n in names]
        for r, values in enumerate(rows, start=2):
            for c, value in enumerate(values, start=1):
                if value is None:
                    continue
                cell = ws.cell(r, c, value)
                if isinstance(value, str):
                    cell.data_type = "s"  # text stays text: never a formula, whatever it starts with
                elif hasattr(value, "year") and not isinstance(value, datetime):
                    cell.number_format = "dd/mm/yyyy" if lang == "nl" else "yyyy-mm-dd"
                elif not isinstance(value, bool):
                    cell.number_format = formats[c - 1]
        ws.freeze_panes = "A2"
        last = 5000  # the lists cover rows a steward adds below the data
        for c, name in enumerate(names, start=1):
            letter = get_column_letter(c)
            options = info[name]["allowed"]
            if options:
                formula = '"' + ",".join(options) + '"'
            elif name in refs[table] and refs[table][name] in ID_COLUMNS:
                parent = refs[table][name]
                id_letter = get_column_letter(frames[parent][1].index(ID_COLUMNS[parent]) + 1)
                formula = f"'{parent}'!${id_letter}$2:${id_letter}${last}"
            else:
                continue
            check = DataValidation(type="list", formula1=formula, allow_blank=not info[name]["required"])
            check.error = i18n.t("workbook.list_error", lang, column=name)
            check.errorTitle = name
            ws.add_data_validation(check)
            check.add(f"{letter}2:{letter}{last}")
    from clusterpolicy.spreadsheet import mark_workbook

    mark_workbook(wb, marking, i18n.t("workbook.title", lang))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def column_table(docs: pd.DataFrame, table: str, lang: str) -> pd.DataFrame:
    """A table's columns as a reader reads them: name, meaning, kind of value, required (the import form, a template)."""
    return pd.DataFrame(
        {
            i18n.t("workbook.col_column", lang): docs["column_name"],
            i18n.t("workbook.col_meaning", lang): [i18n.t(f"column.{table}__{c}", lang) for c in docs["column_name"]],
            i18n.t("workbook.col_type", lang): [_type_text(str(d), lang) for d in docs["data_type"]],
            i18n.t("workbook.col_required", lang): [
                i18n.t("workbook.yes" if r else "workbook.no", lang) for r in docs["required"]
            ],
        }
    )


def _type_text(dtype: str, lang: str) -> str:
    """A column's type as a reader says it."""
    key = {
        "VARCHAR": "type_text",
        "SMALLINT": "type_whole",
        "INTEGER": "type_whole",
        "BOOLEAN": "type_bool",
        "DATE": "type_date",
    }.get(dtype)
    if key:
        return i18n.t(f"workbook.{key}", lang)
    found = re.fullmatch(r"DECIMAL\((\d+),(\d+)\)", dtype)
    if found:
        return i18n.t("workbook.type_decimal", lang, digits=found.group(2))
    return dtype.lower()


def _modes_from_about(ws) -> dict[str, tuple[str, int]]:
    """table -> (mode, row) as the first sheet gives them (a row whose first cell names a table and second a mode)."""
    out = {}
    for cells in ws.iter_rows(min_col=1, max_col=2):
        name, mode = (str(c.value).strip() if c.value is not None else "" for c in cells)
        if name in TABLES and name not in out and mode:
            out[name] = (mode, cells[1].row)
    return out


def read(data: bytes, label: str, modes: dict[str, str]) -> tuple[dict, tuple[str, ...], tuple[tuple[str, str], ...]]:
    """The uploads of a workbook, by table: ({table: (upload, mode)}, tables without a sheet, (sheet, why not read)).

    Problems found in any sheet are raised together (a formula in one sheet, a bad mode in another).
    """
    wb = open_workbook(data, label)
    problems = []
    about = next((wb[name] for name in wb.sheetnames if name.strip().lower() in ABOUT_SHEETS.values()), None)
    listed = _modes_from_about(about) if about is not None else {}
    uploads, not_read = {}, []
    for name in wb.sheetnames:
        ws = wb[name]
        table = name.strip()
        if ws is about:
            continue
        if ws.sheet_state != "visible":
            not_read.append((name, "hidden"))
            continue
        if table not in TABLES:
            not_read.append((name, "unknown"))
            continue
        mode = modes.get(table)
        if mode is None:
            mode, line = listed.get(table, ("replace", None))
            if mode not in MODES:
                problems.append(
                    replace(problem(label, line, "mode", "bad_sheet_mode", value=mode, table=table), sheet=about.title)
                )
                continue
        dates = {c for c, dtype, _ in _declared_columns(table) if dtype == "DATE"}
        try:
            uploads[table] = (sheet_upload(ws, label, name, dates), mode)
        except ValidationError as exc:
            problems += exc.problems
    if problems:
        raise ValidationError(problems)
    if not uploads:
        raise ValidationError([problem(label, None, None, "no_sheets", tables=", ".join(TABLES))])
    left_out = tuple(t for t in TABLES if t not in uploads)
    return uploads, left_out, tuple(not_read)


_DECLARED: dict[str, list] = {}


def _declared_columns(table: str) -> list[tuple[str, str, bool]]:
    """A contract table's columns as the schema declares them (read once from an in-memory copy of the schema)."""
    if not _DECLARED:
        import duckdb

        con = duckdb.connect()
        try:
            con.execute(load_sql("build/schema"))
            for name in TABLES:
                _DECLARED[name] = build.columns_of(con, name)
        finally:
            con.close()
    return _DECLARED[table]
