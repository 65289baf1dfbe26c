"""What an import or a restore changes: two contents of a table compared on its key, row by row and cell by cell.

The import's preview and a restore's confirmation both show these, so a data steward sees every
added, changed and removed row (and the old and new value of each changed cell) before anything is served.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from clusterpolicy.data import build
from clusterpolicy.data.db import ident, load_sql


@dataclass(frozen=True)
class CellChange:
    """One changed cell of a row: its column, the value before and after."""

    column: str
    old: object
    new: object


@dataclass(frozen=True)
class RowChange:
    """One row an import adds, changes or removes, by its key; a changed row lists its changed cells."""

    action: str  # added, changed, removed
    key: tuple
    cells: tuple[CellChange, ...] = ()


@dataclass(frozen=True)
class TablePlan:
    """What an import does to one table."""

    table: str
    mode: str
    rows_in_file: int
    added: int
    changed: int
    removed: int
    rows: tuple[RowChange, ...] = ()
    key_columns: tuple[str, ...] = ()

    @property
    def changes(self) -> int:
        return self.added + self.changed + self.removed


def key_columns(con, table: str) -> list[str]:
    """The columns of the table's key (its primary key, or the columns of its unique expression index), in table order."""
    for ctype, cols, *_ in build.constraints_of(con, table):
        if ctype == "PRIMARY KEY":
            return list(cols)
    rows = con.execute(load_sql("build/table_unique_indexes"), {"table": table}).fetchall()
    key = rows[0][0] if rows else ""
    return [c for c, _, _ in build.columns_of(con, table) if re.search(rf'\b"?{re.escape(c)}"?\b', key)]


def compare(table, mode, rows_in_file, cols, key_cols, before_rows, after_rows) -> TablePlan:
    """Two contents of a table compared row by row on its key: what was added, changed (cell by cell) and removed."""
    at = [cols.index(c) for c in key_cols]
    before = {tuple(r[i] for i in at): r for r in before_rows}
    after = {tuple(r[i] for i in at): r for r in after_rows}
    rows: list[RowChange] = []
    for k, row in after.items():
        old = before.get(k)
        if old is None:
            rows.append(RowChange("added", k, tuple(CellChange(c, None, v) for c, v in zip(cols, row) if v is not None)))
        elif old != row:
            cells = tuple(CellChange(c, o, n) for c, o, n in zip(cols, old, row) if o != n)
            rows.append(RowChange("changed", k, cells))
    rows += [
        RowChange("removed", k, tuple(CellChange(c, v, None) for c, v in zip(cols, before[k]) if v is not None))
        for k in before
        if k not in after
    ]
    count = {a: sum(1 for r in rows if r.action == a) for a in ("added", "changed", "removed")}
    return TablePlan(table, mode, rows_in_file, count["added"], count["changed"], count["removed"], tuple(rows), tuple(key_cols))


def difference(before: Path, after: Path) -> list[TablePlan]:
    """What serving ``after`` instead of ``before`` changes, per contract table (shown before a restore)."""
    con = duckdb.connect()
    try:
        con.execute(load_sql("build/attach_source"), {"path": str(before)})  # as src
        con.execute("attach $path as dst (read_only)", {"path": str(after)})
        out = []
        for table in build.CONTRACT_TABLES:
            con.execute("use src")
            cols = [c for c, _, _ in build.columns_of(con, table)]
            key_cols = key_columns(con, table)
            col_list = ", ".join(ident(c) for c in cols)
            old = con.execute(f"select {col_list} from src.{ident(table)}").fetchall()
            try:
                new = con.execute(f"select {col_list} from dst.{ident(table)}").fetchall()
            except duckdb.CatalogException:
                new = []  # a version made before the table existed
            plan = compare(table, "replace", len(new), cols, key_cols, old, new)
            if plan.changes:
                out.append(plan)
        return out
    finally:
        con.close()
