"""Validated imports into a new data version: one contract table from CSV or XLSX, or a whole workbook.

One function behind two doors each (``python -m clusterpolicy import`` and the upload form on the
data page). Everything is checked before anything changes: file size, encoding, delimiter, columns,
types (decimal commas accepted in ';' files), keys and duplicates, foreign keys, CHECK rules, rows
still referenced by other tables, formula cells in spreadsheets. Every problem is reported with its
sheet, line and column; with any problem nothing changes. A workbook's sheets are read and checked
together (a new cluster and its funding arrive in one upload) and applied as one version. A good
import is applied to a copy of the served database, written as a new immutable version file, and
only then switched in (see ``store``). A dry run is the preview: what changes, cell by cell, and
what that does to the headline figures.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from clusterpolicy.data import audit, build, store, workbook
from clusterpolicy.data.access import Actor
from clusterpolicy.data.build import Problem, ValidationError, problem
from clusterpolicy.data.changes import TablePlan, compare, key_columns
from clusterpolicy.data.db import ident, load_sql
from clusterpolicy.data.upload import Upload, fail, read_csv_bytes, read_xlsx_bytes

MAX_BYTES = 10 * 1024 * 1024
IMPORTABLE = build.CONTRACT_TABLES
MODES = ("upsert", "replace")


@dataclass(frozen=True)
class ImportResult:
    """What an import did (or, for a dry run, would do); a workbook's per table in ``plans``."""

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
    plans: tuple[TablePlan, ...] = ()
    left_out: tuple[str, ...] = ()  # contract tables a workbook has no sheet for: not touched
    not_read: tuple[tuple[str, str], ...] = ()  # (sheet, why) for sheets a workbook has that are not read
    effect: dict | None = None  # headline figures before and after (a dry run's preview)

    @property
    def changes(self) -> int:
        return self.added + self.changed + self.removed


def _key_sql(con, table: str) -> str:
    """The table's key as one row() expression over its columns (primary key or unique expression index)."""
    for ctype, cols, *_ in build.constraints_of(con, table):
        if ctype == "PRIMARY KEY":
            return "row(" + ", ".join(ident(c) for c in cols) + ")"
    rows = con.execute(load_sql("build/table_unique_indexes"), {"table": table}).fetchall()
    if rows:
        return f"row({rows[0][0]})"
    raise ValueError(f"table {table} has no key")


def _still_referenced(con, table: str, label: str, merged: dict[str, str]) -> list[Problem]:
    """Rows a replace would remove although other tables (as they will be after the import) still point at them."""
    new_rows = merged[table]
    problems = []
    for child, cols, ref_cols in con.execute(load_sql("build/referencing_constraints"), {"table": table}).fetchall():
        col, ref = cols[0], ref_cols[0]
        child_rows = merged.get(child) or ident(child)
        rows = con.execute(
            f"select c.{ident(col)}, count(*) from {child_rows} c "
            f"where c.{ident(col)} is not null and not exists (select 1 from {new_rows} s where s.{ident(ref)} = c.{ident(col)}) "
            f"group by 1 order by 1"
        ).fetchall()
        for value, n in rows:
            problems.append(problem(label, None, ref, "still_used", value=value, n=n, child=child, column=col))
    return problems


def _plan(con, table: str, mode: str, rows_in_file: int) -> TablePlan:
    """Put the table's new content in table _merged_<table> and say, row by row and cell by cell, what changes."""
    target, stage = build.table_ident(table), ident("stage_" + table)
    merged = ident("_merged_" + table)
    key = _key_sql(con, table)
    cols = [c for c, _, _ in build.columns_of(con, table)]
    col_list = ", ".join(ident(c) for c in cols)
    con.execute(f"drop table if exists {merged}")
    if mode == "replace":
        con.execute(f"create table {merged} as select {col_list} from {stage} order by _row")
    else:
        # rows the file does not mention stay as they are; rows it mentions take the file's values
        con.execute(f"create or replace temp table _tk as select rowid as rid, {key} as k from {target}")
        con.execute(f"create or replace temp table _sk as select {key} as k from {stage}")
        con.execute(
            f"create table {merged} as select {col_list} from (select {col_list}, 0 as _src, rowid as _ord from {target} "
            f"where rowid not in (select rid from _tk where k in (select k from _sk)) "
            f"union all select {col_list}, 1, _row from {stage}) order by _src, _ord"
        )
    before = con.execute(f"select {col_list} from {target}").fetchall()
    after = con.execute(f"select {col_list} from {merged}").fetchall()
    return compare(table, mode, rows_in_file, cols, key_columns(con, table), before, after)


def _write_version(scratch: Path, fresh: Path, merged: dict[str, str]) -> None:
    """Build a new database file from the schema and the validated scratch copy, each imported table from its plan.

    Writing every table anew (in foreign-key order) rather than updating rows in place checks every
    constraint once more on the way in, and sidesteps DuckDB's refusal to update rows other tables point at.
    """
    con = duckdb.connect(str(fresh))
    try:
        con.execute(load_sql("build/schema"))
        con.execute(load_sql("build/attach_source"), {"path": str(scratch)})
        con.execute("begin transaction")
        present = {r[0] for r in con.execute("select table_name from duckdb_tables() where database_name = 'src'").fetchall()}
        for name in (*build.TABLES, "import_log", "data_version"):
            if name not in merged and name not in present:
                continue  # a version made before this table existed: it starts empty
            source = "src." + (merged.get(name) or ident(name))
            con.execute(f"insert into {ident(name)} select * from {source}")
        con.execute("commit")
        con.execute("detach src")
        con.execute("checkpoint")
    finally:
        con.close()


def _reconciled(fresh: Path, labels: dict[str, str], lines: dict[str, dict]) -> None:
    """Refuse a new version whose values break a published total or rule, as the build does (build.reconciled).

    ``lines`` maps each imported table's row keys to their lines, so a refusal names its row.
    """
    con = duckdb.connect(str(fresh), read_only=True)
    try:
        build.reconciled(con, labels, lines)
    finally:
        con.close()


def _finish_version(fresh: Path, result: ImportResult, origin: str) -> ImportResult:
    """Stamp the freshly written version with its content hash, data version and an import-log row per changed table."""
    con = duckdb.connect(str(fresh))
    try:
        digest_all = build.content_hash(con)
        version_after = digest_all[:12]
        now = datetime.now(UTC).replace(tzinfo=None)
        con.execute("begin transaction")
        con.execute(
            load_sql("build/insert_data_version"),
            {"version": version_after, "hash": digest_all, "built_at": now, "origin": origin},
        )
        for plan in result.plans:
            if not plan.changes:
                continue
            con.execute(
                load_sql("build/insert_import_log"),
                {
                    "at": now,
                    "table": plan.table,
                    "mode": plan.mode,
                    "file": result.file_name,
                    "sha": result.file_sha256,
                    "added": plan.added,
                    "changed": plan.changed,
                    "removed": plan.removed,
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

    def read(work: Path) -> dict:
        if table not in IMPORTABLE:
            fail(label, "not_importable", table=table, tables=", ".join(IMPORTABLE))
        if mode not in MODES:
            fail(label, "bad_mode", mode=mode)
        is_xlsx = data.startswith(b"PK\x03\x04") or label.lower().endswith((".xlsx", ".xlsm"))
        found = read_xlsx_bytes(data, table, label) if is_xlsx else read_csv_bytes(data, label, work)
        return {table: (found, mode)}

    return _import(data, label, str(table)[:64], str(mode)[:16], read, dry_run, actor, allow_empty=False)


def import_workbook(
    data: bytes, file_name: str, dry_run: bool = False, *, actor: Actor | None, modes: dict[str, str] | None = None
) -> ImportResult:
    """Validate every sheet of a workbook together and, unless dry_run, apply them all as one new data version.

    A sheet named after a contract table is read; its mode (replace or upsert) comes from ``modes``,
    else from the workbook's first sheet (the dashboard's own download writes one), else replace.
    Contract tables without a sheet are not touched; hidden sheets and sheets of other names are
    not read (the result says which). The same steward check and audit entries as ``import_file``.
    """
    label = os.path.basename(file_name) or "upload.xlsx"

    def read(work: Path) -> dict:
        return workbook.read(data, label, modes or {})

    return _import(data, label, "workbook", "workbook", read, dry_run, actor, allow_empty=True)


def set_classification(marking_nl: str, marking_en: str, note: str = "", *, actor: Actor | None) -> ImportResult:
    """Set the confidentiality marking of the served data (a new version); both texts empty removes it.

    The same door as any import: the steward check, the checks of the schema, one audit entry.
    """
    marking_nl, marking_en = (marking_nl or "").strip(), (marking_en or "").strip()
    rows = [["scope", "marking_nl", "marking_en", "note"]]
    if marking_nl or marking_en:
        rows.append(["all", marking_nl, marking_en, (note or "").strip()])
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    data = buf.getvalue().encode("utf-8")
    label = "classification"

    def read(work: Path) -> dict:
        return {"classification": (read_csv_bytes(data, label, work), "replace")}

    return _import(data, label, "classification", "replace", read, False, actor, allow_empty=True)


def _import(data, label, table_name, mode_name, read, dry_run, actor, allow_empty) -> ImportResult:
    """The steward check, the audit entry of a refusal, then the checked import (``read`` gives the uploads)."""
    digest = hashlib.sha256(data).hexdigest()
    about = {"table_name": table_name, "file_name": label[:255], "file_sha256": digest, "mode": mode_name}
    audit.require_steward(actor, "dry_run" if dry_run else "import", **about)
    try:
        if len(data) == 0:
            fail(label, "empty_file", columns="")
        if len(data) > MAX_BYTES:
            fail(label, "too_big", size=f"{len(data) / 1e6:.1f}", limit=MAX_BYTES // (1024 * 1024))
        result = _import_checked(data, label, table_name, mode_name, read, dry_run, digest, actor, allow_empty)
    except ValidationError as exc:
        if not dry_run:
            first = exc.problems[0] if exc.problems else None
            sheets = sorted({p.sheet for p in exc.problems if p.sheet})
            detail = f"{len(exc.problems)} problem(s)" + (f" in sheet(s) {', '.join(sheets)}" if sheets else "")
            detail += f"; first: {first.rule}"[:300] if first else ""
            audit.record(actor, "import", "refused", detail=detail[:500], **about)
        raise
    if not dry_run and not result.applied:
        audit.record(actor, "import", "unchanged", version_before=result.version_before, detail="no changes", **about)
    return result


def _import_checked(data, label, table_name, mode_name, read, dry_run, digest, actor, allow_empty) -> ImportResult:
    """import_file and import_workbook after the role check: validate, write the new version, switch to it, record it."""
    with store.import_lock(), tempfile.TemporaryDirectory(prefix="import-", dir=store.versions_dir()) as work:
        for stale in store.versions_dir().glob("import-*"):
            if stale.is_dir() and stale.name != Path(work).name:
                shutil.rmtree(stale, ignore_errors=True)  # left by a process killed mid-import
        work = Path(work)
        found = read(work)
        uploads, left_out, not_read = found if isinstance(found, tuple) else (found, (), ())
        base = store.served_path()
        scratch = work / "scratch.duckdb"
        shutil.copyfile(base, scratch)
        con = duckdb.connect(str(scratch))
        try:
            plans, merged, version_before, lines = _validate(con, uploads, allow_empty)
        finally:
            con.close()
        n_rows = sum(p.rows_in_file for p in plans)
        totals = {a: sum(getattr(p, a) for p in plans) for a in ("added", "changed", "removed")}
        result = ImportResult(
            table_name,
            mode_name,
            label,
            digest,
            n_rows,
            totals["added"],
            totals["changed"],
            totals["removed"],
            version_before,
            None,
            applied=False,
            plans=tuple(plans),
            left_out=tuple(left_out),
            not_read=tuple(not_read),
        )
        if not result.changes:
            return result
        changed = {p.table: merged[p.table] for p in plans if p.changes}
        fresh = work / "fresh.duckdb"
        try:
            _write_version(scratch, fresh, changed)
        except duckdb.Error as exc:
            # a rule the checks above did not foresee: DuckDB's own constraints still refuse it
            raise ValidationError([problem(label, None, None, "refused_by_db", detail=str(exc).splitlines()[0][:200])]) from exc
        labels = {t: _label_of(uploads, t, label) for t in build.TABLES}
        _reconciled(fresh, labels, lines)  # also in a dry run: the check shows what the import would be refused for
        if dry_run:
            from clusterpolicy.data import preview

            return replace(result, effect=preview.effect(base, fresh))
        result = replace(result, applied=True)
        tables = [p.table for p in plans if p.changes]
        origin = (
            f"import {table_name} ({mode_name}) from {label}"
            if table_name != "workbook"
            else f"workbook {label}: {', '.join(tables)}"
        )
        result = _finish_version(fresh, result, origin)
        final = store.versions_dir() / f"{result.version_after}.duckdb"
        if not final.exists():
            store.sync_file(fresh)
            os.replace(fresh, final)
        pause = float(os.environ.get("CLUSTERPOLICY_TEST_PAUSE_BEFORE_SWITCH", "0") or 0)
        if pause:
            time.sleep(pause)  # lets a test kill the process between writing and switching
        store.switch_to(final, actor.subject if actor else "")
        counts = "; ".join(f"{p.table} +{p.added} ~{p.changed} -{p.removed}" for p in plans if p.changes)
        try:
            audit.record(
                actor,
                "import",
                "done",
                table_name=table_name if table_name != "workbook" else ",".join(tables)[:200],
                file_name=label,
                file_sha256=digest,
                mode=mode_name,
                version_before=result.version_before,
                version_after=result.version_after,
                added=result.added,
                changed=result.changed,
                removed=result.removed,
                detail=counts[:500],
            )
        except Exception:
            store.switch_to(base, actor.subject if actor else "")  # no change without its author in the trail
            raise
        store.record(
            {
                "action": "import",
                "table": table_name,
                "mode": mode_name,
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


def _label_of(uploads: dict, table: str, label: str) -> str:
    """How messages name the input a table came from: the file, and its sheet for a workbook."""
    upload = uploads.get(table, (None,))[0]
    if upload is not None and upload.sheet:
        return f"{label} [{upload.sheet}]"
    return label


def _validate(con, uploads: dict, allow_empty: bool) -> tuple[list[TablePlan], dict[str, str], str, dict]:
    """Stage and check every upload against the data as they will be; plan each table. Raises with every problem found.

    Tables go in foreign-key order, and each table's foreign keys are checked against the new
    content of its parents where the same upload changes them: a new cluster and its funding
    arrive together.
    """
    problems: list[Problem] = []
    plans: list[TablePlan] = []
    merged: dict[str, str] = {}
    lines: dict[str, dict] = {}  # table -> row key -> the row's line in its file or sheet
    for table in build.TABLES:
        if table not in uploads:
            continue
        upload, mode = uploads[table]
        found, plan = _validate_table(con, table, upload, mode, merged, allow_empty)
        problems += [replace(p, sheet=upload.sheet) if upload.sheet else p for p in found]
        if plan is not None:
            plans.append(plan)
            merged[table] = ident("_merged_" + table)
            col_list = ", ".join(ident(c) for c in plan.key_columns)
            stage = ident("stage_" + table)
            lines[table] = {tuple(r[:-1]): r[-1] for r in con.execute(f"select {col_list}, _row from {stage}").fetchall()}
    for plan in plans:
        if plan.mode == "replace" and plan.removed:
            upload = uploads[plan.table][0]
            found = _still_referenced(con, plan.table, upload.label, merged)
            problems += [replace(p, sheet=upload.sheet) if upload.sheet else p for p in found]
    if problems:
        raise ValidationError(sorted(problems, key=lambda p: (p.sheet or "", p.line or 0, p.column or "")))
    version_before = con.execute("select version from data_version order by built_at desc limit 1").fetchone()[0]
    return plans, merged, version_before, lines


def _validate_table(con, table, upload: Upload, mode, merged, allow_empty) -> tuple[list[Problem], TablePlan | None]:
    """One table's problems, and its plan when it could be staged."""
    label = upload.label
    columns = build.columns_of(con, table)
    header = upload.header
    # optional (nullable) columns may be left out of the file; they are then empty
    optional_missing = [c for c, _, nullable in columns if nullable and c not in header]
    problems = build.check_header(header, {c: t for c, t, _ in columns if c not in optional_missing}, label)
    problems += [replace(p, sheet=None) for p in upload.problems]  # the caller sets the sheet on all
    if problems:
        return problems, None
    raw = ident("raw_" + table)
    if upload.csv_path is not None:
        problems = build.read_raw_csv(con, table, upload.csv_path, header, label, upload.delimiter)
    else:
        frame = upload.frame
        con.register("_upload_frame", frame)
        con.execute(f"create or replace temp table {raw} as select * from _upload_frame")
        con.unregister("_upload_frame")
    for c in optional_missing:
        con.execute(f"alter table {raw} add column {ident(c)} varchar")
    n_rows = con.execute(f"select count(*) from {raw}").fetchone()[0]
    if n_rows == 0 and not problems and not allow_empty:
        return [problem(label, None, None, "no_rows")], None
    problems += build.stage_raw(con, table, label, decimal_comma=upload.delimiter == ";")
    cast_failed = {(p.line, p.column) for p in problems}
    problems += [p for p in build.check_staged(con, table, label, merged) if (p.line, p.column) not in cast_failed]
    return problems, _plan(con, table, mode, n_rows)


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
        example = cur.execute(f"select * from {build.table_ident(table)} order by all limit 1").df()
        return example, column_docs(cur, table)
    finally:
        cur.close()
