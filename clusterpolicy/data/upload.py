"""Reading an uploaded file into rows of text with their line numbers: CSV (comma or semicolon, UTF-8) and XLSX sheets.

What a file is made of is checked here (encoding, delimiter, damaged workbooks, formula cells,
values without a column); what its values mean is checked by ``importer`` against the schema.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

import pandas as pd

from clusterpolicy.data.build import Problem, ValidationError, problem


@dataclass
class Upload:
    header: list[str]
    csv_path: Path | None = None
    delimiter: str = ","
    frame: pd.DataFrame | None = None  # XLSX rows as text, with _line
    label: str = ""
    sheet: str | None = None
    problems: list = field(default_factory=list)  # found while reading, reported with the checks


def fail(label: str, key: str, line: int | None = None, column: str | None = None, /, **params):
    raise ValidationError([problem(label, line, column, key, **params)])


def read_csv_bytes(data: bytes, label: str, workdir: Path) -> Upload:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        fail(label, "utf16")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data[:4096]:
        fail(label, "not_text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        fail(label, "not_utf8", line, byte=exc.start, line=line)
    first = text.splitlines()[0] if text.strip() else ""
    if not first.strip():
        fail(label, "empty_file", columns="")
    # the delimiter is whatever separates the header's names: ',' (international) or ';' (Belgian Excel)
    delimiter = max((",", ";", "\t"), key=first.count)
    header = next(csv.reader([first], delimiter=delimiter))
    path = workdir / "upload.csv"
    path.write_text(text, encoding="utf-8")
    return Upload([h.strip() for h in header], csv_path=path, delimiter=delimiter, label=label)


def _cell_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    text = str(value)
    return text if text.strip() else None


def open_workbook(data: bytes, label: str):
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return openpyxl.load_workbook(io.BytesIO(data), data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        fail(label, "not_xlsx", detail=type(exc).__name__)


# LibreOffice Calc saves a logical value as a formula that returns it: a value, not a calculation
LOGICAL = {"=TRUE()": True, "=FALSE()": False, "=TRUE": True, "=FALSE": False}


def sheet_upload(ws, label: str, sheet: str | None, date_columns: set[str] = frozenset()) -> Upload:
    """One sheet's rows as text with their row numbers; formula cells refused with the cell named."""
    from openpyxl.utils import get_column_letter

    rows = list(ws.iter_rows())
    if not rows:
        raise ValidationError([replace(problem(label, None, None, "sheet_empty"), sheet=sheet)])
    header = [(_cell_text(c.value) or "").strip() for c in rows[0]]
    while header and not header[-1]:
        header.pop()
    problems = []
    records = []
    unnamed: dict[int, Problem] = {}
    for cells in rows[1:]:
        values = [c for c in cells[: len(header)]]
        for c in cells[len(header) :]:
            if c.value is not None and str(c.value).strip() and c.column not in unnamed:
                # a value right of the last named column (a row shifted, or a column without its header): named
                # once per column, checked with the sheet's other problems
                unnamed[c.column] = replace(
                    problem(label, c.row, None, "no_header", cell=c.coordinate, value=str(c.value)[:30]), sheet=sheet
                )
        if all(c.value is None or (isinstance(c.value, str) and not c.value.strip()) for c in values):
            continue  # an empty row (Excel often leaves one at the end)
        for j, c in enumerate(values):
            if c.data_type == "f" and str(c.value).replace(" ", "").upper() not in LOGICAL:
                column = header[j] if j < len(header) else get_column_letter(j + 1)
                found = problem(label, c.row, column, "formula", cell=c.coordinate, formula=str(c.value)[:30])
                problems.append(replace(found, sheet=sheet))
        texts = []
        for j, c in enumerate(values):
            value = c.value
            if c.data_type == "f":
                value = LOGICAL.get(str(value).replace(" ", "").upper(), value)  # a logical value as LibreOffice saves it
            if (
                header[j] in date_columns
                and isinstance(value, (int, float))
                and not isinstance(value, bool)
                and 1 <= value < 2958466
            ):
                # a date Excel stores as a serial number in a cell not formatted as a date
                from openpyxl.utils.datetime import from_excel

                value = from_excel(value)
            texts.append(_cell_text(value))
        records.append([c.row] + texts + [None] * (len(header) - len(values)))
    if problems:
        raise ValidationError(problems)
    frame = pd.DataFrame(records, columns=["_line", *header], dtype=object) if header else pd.DataFrame()
    return Upload(header, frame=frame, label=label, sheet=sheet, problems=list(unnamed.values()))


def read_xlsx_bytes(data: bytes, table: str, label: str) -> Upload:
    wb = open_workbook(data, label)
    ws = wb[table] if table in wb.sheetnames else wb.worksheets[0]
    return sheet_upload(ws, label, None)
