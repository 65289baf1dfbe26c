"""Validated imports of one contract table from CSV or XLSX into a new data version.

One function behind two doors (``python -m clusterpolicy import`` and the upload form on the data
page). Everything is checked before anything changes: file size, encoding, delimiter, columns,
types (decimal commas accepted in ';' files), keys and duplicates, foreign keys, CHECK rules, rows
still referenced by other tables, formula cells in spreadsheets. Every problem is reported with its
line and column; with any problem nothing changes. A good import is applied to a copy of the served
database, written as a new immutable version file, and only then switched in (see ``store``).
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import shutil
import tempfile
import time
import zipfile
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from . import audit, build, store
from .access import Actor
from .build import Problem, ValidationError
from .db import ident, load_sql

MAX_BYTES = 10 * 1024 * 1024
IMPORTABLE = build.CONTRACT_TABLES
MODES = ("upsert", "replace")


@dataclass(frozen=True)
class ImportResult:
    """What an import did (or, for a dry run, would do)."""

    table: str
    mode: str
    file_name: str
    file_sha256: str
    rows_in_file: int
    added: int
    changed: int
    removed: int
    version_before: str
    version_after: str | None
    applied: bool

    @property
    def changes(self) -> int:
        return self.added + self.changed + self.removed


@dataclass
class _Upload:
    header: list[str]
    csv_path: Path | None = None
    delimiter: str = ","
    frame: pd.DataFrame | None = None  # XLSX rows as text, with _line


def _fail(label: str, rule: str, line: int | None = None, column: str | None = None):
    raise ValidationError([Problem(label, line, column, rule)])


def _read_csv_bytes(data: bytes, label: str, workdir: Path) -> _Upload:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        _fail(label, "file is UTF-16 text; save it as 'CSV UTF-8' instead")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data[:4096]:
        _fail(label, "file is not text (it contains NUL bytes); expected CSV or XLSX")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        _fail(
            label,
            f"file is not UTF-8 (byte {exc.start}, line {line}); it looks like Windows-1252/Latin-1: save it as 'CSV UTF-8'",
            line,
        )
    first = text.splitlines()[0] if text.strip() else ""
    if not first.strip():
        _fail(label, "file is empty: expected a header row and at least one data row")
    # the delimiter is whatever separates the header's names: ',' (international) or ';' (Belgian Excel)
    delimiter = max((",", ";", "\t"), key=first.count)
    header = next(csv.reader([first], delimiter=delimiter))
    path = workdir / "upload.csv"
    path.write_text(text, encoding="utf-8")
    return _Upload([h.strip() for h in header], csv_path=path, delimiter=delimiter)


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


def _read_xlsx_bytes(data: bytes, table: str, label: str) -> _Upload:
    import openpyxl
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        _fail(label, f"not a readable XLSX file (truncated or damaged: {type(exc).__name__})")
    ws = wb[table] if table in wb.sheetnames else wb.worksheets[0]
    rows = list(ws.iter_rows())
    if not rows:
        _fail(label, "sheet is empty: expected a header row and at least one data row")
    header = [(_cell_text(c.value) or "").strip() for c in rows[0]]
    while header and not header[-1]:
        header.pop()
    problems = []
    records = []
    for cells in rows[1:]:
        values = [c for c in cells[: len(header)]]
        if all(c.value is None for c in values):
            continue
        for j, c in enumerate(values):
            if c.data_type == "f":
                problems.append(
                    Problem(
                        label,
                        c.row,
                        header[j] if j < len(header) else get_column_letter(j + 1),
                        f"cell {c.coordinate} holds a formula ({str(c.value)[:30]}); enter the value itself",
                    )
                )
        records.append([c.row] + [_cell_text(c.value) for c in values] + [None] * (len(header) - len(values)))
    if problems:
        raise ValidationError(problems)
    frame = pd.DataFrame(records, columns=["_line", *header], dtype=object) if header else pd.DataFrame()
    return _Upload(header, frame=frame)


def _key_sql(con, table: str) -> str:
    """The table's key as one row() expression over its columns (primary key or unique expression index)."""
    for ctype, cols, *_ in build.constraints_of(con, table):
        if ctype == "PRIMARY KEY":
            return "row(" + ", ".join(ident(c) for c in cols) + ")"
    rows = con.execute(load_sql("build/table_unique_indexes"), {"table": table}).fetchall()
    if rows:
        return f"row({rows[0][0]})"
    raise ValueError(f"table {table} has no key")


def _still_referenced(con, table: str, label: str) -> list[Problem]:
    """Rows a replace would remove although other tables still point at them."""
    stage = ident("stage_" + table)
    problems = []
    for child, cols, ref_cols in con.execute(load_sql("build/referencing_constraints"), {"table": table}).fetchall():
        col, ref = cols[0], ref_cols[0]
        rows = con.execute(
            f"select c.{ident(col)}, count(*) from {ident(child)} c "
            f"where c.{ident(col)} is not null and not exists (select 1 from {stage} s where s.{ident(ref)} = c.{ident(col)}) "
            f"group by 1 order by 1"
        ).fetchall()
        for value, n in rows:
            problems.append(Problem(label, None, ref, f"'{value}' would be removed but {n} row(s) of {child}.{col} still use it"))
    return problems


def _plan(con, table: str, mode: str) -> tuple[int, int, int]:
    """Count added, changed and removed rows, and put the table's new content in table _merged."""
    target, stage = build._table_ident(table), ident("stage_" + table)
    key = _key_sql(con, table)
    cols = [c for c, _, _ in build.columns_of(con, table)]
    col_list = ", ".join(ident(c) for c in cols)
    con.execute(f"create or replace temp table _tk as select rowid as rid, {key} as k from {target}")
    con.execute(f"create or replace temp table _sk as select _row, {key} as k from {stage}")
    key_cols = {c for c in cols if re.search(rf'\b"?{re.escape(c)}"?\b', key)}
    differs = " or ".join(f"s.{ident(c)} is distinct from t.{ident(c)}" for c in cols if c not in key_cols) or "false"
    changed = con.execute(
        f"select count(*) from _tk tk join _sk sk on tk.k = sk.k join {stage} s on s._row = sk._row "
        f"join {target} t on t.rowid = tk.rid where {differs}"
    ).fetchone()[0]
    added = con.execute("select count(*) from _sk where k not in (select k from _tk)").fetchone()[0]
    removed = 0
    if mode == "replace":
        removed = con.execute("select count(*) from _tk where k not in (select k from _sk)").fetchone()[0]
        con.execute(f"create table _merged as select {col_list} from {stage} order by _row")
    else:
        # rows the file does not mention stay as they are; rows it mentions take the file's values
        con.execute(
            f"create table _merged as select {col_list} from (select {col_list}, 0 as _src, rowid as _ord from {target} "
            f"where rowid not in (select rid from _tk where k in (select k from _sk)) "
            f"union all select {col_list}, 1, _row from {stage}) order by _src, _ord"
        )
    return added, changed, removed


def _write_version(scratch: Path, fresh: Path, table: str) -> None:
    """Build a new database file from the schema and the validated scratch copy, the imported table from _merged.

    Writing every table anew (in foreign-key order) rather than updating rows in place checks every
    constraint once more on the way in, and sidesteps DuckDB's refusal to update rows other tables point at.
    """
    con = duckdb.connect(str(fresh))
    try:
        con.execute(load_sql("build/schema"))
        con.execute(load_sql("build/attach_source"), {"path": str(scratch)})
        con.execute("begin transaction")
        for name in (*build.TABLES, "import_log", "data_version"):
            target = ident(name)
            source = "src._merged" if name == table else "src." + ident(name)
            con.execute(f"insert into {target} select * from {source}")
        con.execute("commit")
        con.execute("detach src")
        con.execute("checkpoint")
    finally:
        con.close()


def _reconciled(fresh: Path, label: str) -> None:
    """Refuse a new version whose values break a published total or rule, as the build does (build.reconciled)."""
    con = duckdb.connect(str(fresh), read_only=True)
    try:
        build.reconciled(con, dict.fromkeys(build.TABLES, label))
    finally:
        con.close()


def _finish_version(fresh: Path, result: ImportResult) -> ImportResult:
    """Stamp the freshly written version with its content hash, data version and import-log row."""
    con = duckdb.connect(str(fresh))
    try:
        digest_all = build.content_hash(con)
        version_after = digest_all[:12]
        now = datetime.now(UTC).replace(tzinfo=None)
        con.execute("begin transaction")
        con.execute(
            load_sql("build/insert_data_version"),
            {
                "version": version_after,
                "hash": digest_all,
                "built_at": now,
                "origin": f"import {result.table} ({result.mode}) from {result.file_name}",
            },
        )
        con.execute(
            load_sql("build/insert_import_log"),
            {
                "at": now,
                "table": result.table,
                "mode": result.mode,
                "file": result.file_name,
                "sha": result.file_sha256,
                "added": result.added,
                "changed": result.changed,
                "removed": result.removed,
                "before": result.version_before,
                "after": version_after,
            },
        )
        con.execute("commit")
        con.execute("checkpoint")
    finally:
        con.close()
    return replace(result, version_after=version_after)


def import_file(
    table: str, data: bytes, file_name: str, mode: str = "upsert", dry_run: bool = False, *, actor: Actor | None
) -> ImportResult:
    """Validate a CSV/XLSX file for one table and, unless dry_run, make it the served data version.

    Only a data steward may (``actor``; the command line passes ``Actor.command_line()``): anyone
    else is refused with PermissionDenied before the file is read, and the refusal is in the audit
    trail. Every real import is recorded there with its author, file, SHA-256 and what it changed,
    including the ones refused for invalid data; a switch that cannot be recorded is undone.
    """
    label = os.path.basename(file_name) or "upload"
    digest = hashlib.sha256(data).hexdigest()
    about = {"table_name": str(table)[:64], "file_name": label[:255], "file_sha256": digest, "mode": str(mode)[:16]}
    audit.require_steward(actor, "dry_run" if dry_run else "import", **about)
    try:
        result = _import_checked(table, data, label, mode, dry_run, digest, actor)
    except ValidationError as exc:
        if not dry_run:
            first = exc.problems[0] if exc.problems else None
            detail = f"{len(exc.problems)} problem(s)" + (f"; first: {first.rule}"[:300] if first else "")
            audit.record(actor, "import", "refused", detail=detail, **about)
        raise
    if not dry_run and not result.applied:
        audit.record(actor, "import", "unchanged", version_before=result.version_before, detail="no changes", **about)
    return result


def _import_checked(table, data, label, mode, dry_run, digest, actor) -> ImportResult:
    """import_file after the role check: validate, write the new version, switch to it, record it."""
    if table not in IMPORTABLE:
        _fail(label, f"'{table}' is not an importable table; choose one of {', '.join(IMPORTABLE)}")
    if mode not in MODES:
        _fail(label, f"mode must be upsert or replace, not '{mode}'")
    if len(data) == 0:
        _fail(label, "file is empty: expected a header row and at least one data row")
    if len(data) > MAX_BYTES:
        _fail(label, f"file is {len(data) / 1e6:.1f} MB; the limit is {MAX_BYTES // (1024 * 1024)} MB")
    is_xlsx = data.startswith(b"PK\x03\x04") or label.lower().endswith((".xlsx", ".xlsm"))
    with store.import_lock(), tempfile.TemporaryDirectory(prefix="import-", dir=store.versions_dir()) as work:
        for stale in store.versions_dir().glob("import-*"):
            if stale.is_dir() and stale.name != Path(work).name:
                shutil.rmtree(stale, ignore_errors=True)  # left by a process killed mid-import
        work = Path(work)
        upload = _read_xlsx_bytes(data, table, label) if is_xlsx else _read_csv_bytes(data, label, work)
        base = store.served_path()
        scratch = work / "scratch.duckdb"
        shutil.copyfile(base, scratch)
        con = duckdb.connect(str(scratch))
        try:
            result = _validate(con, table, upload, label, mode, digest, dry_run)
        finally:
            con.close()
        if not result.changes:
            return result
        fresh = work / "fresh.duckdb"
        try:
            _write_version(scratch, fresh, table)
        except duckdb.Error as exc:
            # a rule the checks above did not foresee: DuckDB's own constraints still refuse it
            raise ValidationError(
                [Problem(label, None, None, f"refused by the database: {str(exc).splitlines()[0][:200]}")]
            ) from exc
        _reconciled(fresh, label)  # also in a dry run: the check shows what the import would be refused for
        if not result.applied:
            return result
        result = _finish_version(fresh, result)
        final = store.versions_dir() / f"{result.version_after}.duckdb"
        if not final.exists():
            os.replace(fresh, final)
        pause = float(os.environ.get("CLUSTERPOLICY_TEST_PAUSE_BEFORE_SWITCH", "0") or 0)
        if pause:
            time.sleep(pause)  # lets a test kill the process between writing and switching
        store.switch_to(final)
        try:
            audit.record(
                actor,
                "import",
                "done",
                table_name=table,
                file_name=label,
                file_sha256=digest,
                mode=mode,
                version_before=result.version_before,
                version_after=result.version_after,
                added=result.added,
                changed=result.changed,
                removed=result.removed,
            )
        except Exception:
            store.switch_to(base)  # no change without its author in the trail
            raise
        store.record(
            {
                "action": "import",
                "table": table,
                "mode": mode,
                "file": label,
                "sha256": digest,
                "by": actor.subject if actor else "",
                "from": str(base.resolve().relative_to(store.root().resolve())),
                "to": str(final.resolve().relative_to(store.root().resolve())),
                "version_from": result.version_before,
                "version_to": result.version_after,
            }
        )
        return result


def _validate(con, table, upload: _Upload, label, mode, digest, dry_run) -> ImportResult:
    """Stage and check the upload against the served data; plan the change (no version is written here)."""
    columns = build.columns_of(con, table)
    header = upload.header
    # optional (nullable) columns may be left out of the file; they are then empty
    optional_missing = [c for c, _, nullable in columns if nullable and c not in header]
    problems = build.check_header(header, {c: t for c, t, _ in columns if c not in optional_missing}, label)
    if problems:
        raise ValidationError(problems)
    raw = ident("raw_" + table)
    if upload.csv_path is not None:
        problems = build.read_raw_csv(con, table, upload.csv_path, header, label, upload.delimiter)
    else:
        con.register("_upload_frame", upload.frame)
        con.execute(f"create or replace temp table {raw} as select * from _upload_frame")
        con.unregister("_upload_frame")
    for c in optional_missing:
        con.execute(f"alter table {raw} add column {ident(c)} varchar")
    n_rows = con.execute(f"select count(*) from {raw}").fetchone()[0]
    if n_rows == 0 and not problems:
        raise ValidationError([Problem(label, None, None, "the file has a header but no data rows")])
    problems += build.stage_raw(con, table, label, decimal_comma=upload.delimiter == ";")
    cast_failed = {(p.line, p.column) for p in problems}
    problems += [p for p in build.check_staged(con, table, label, set()) if (p.line, p.column) not in cast_failed]
    if mode == "replace":
        problems += _still_referenced(con, table, label)
    if problems:
        raise ValidationError(sorted(problems, key=lambda p: (p.line or 0, p.column or "")))
    version_before = con.execute("select version from data_version order by built_at desc limit 1").fetchone()[0]
    added, changed, removed = _plan(con, table, mode)
    return ImportResult(
        table,
        mode,
        label,
        digest,
        n_rows,
        added,
        changed,
        removed,
        version_before,
        None,
        applied=not dry_run and added + changed + removed > 0,
    )


# ---------------------------------------------------------------- templates


def column_docs(con, table: str) -> pd.DataFrame:
    """Name, type, required and description of each column (descriptions are the schema's comments)."""
    return con.execute(load_sql("build/table_column_docs"), {"table": table}).df()


def template_frames(con, table: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(one example row taken from the data, the column documentation) for a table's import template."""
    if table not in IMPORTABLE:
        raise ValueError(f"no template for {table!r}")
    cur = con.cursor()
    try:
        example = cur.execute(f"select * from {build._table_ident(table)} order by all limit 1").df()
        return example, column_docs(cur, table)
    finally:
        cur.close()
