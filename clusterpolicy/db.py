"""Read access to the published DuckDB file: named queries from queries/, values bound as parameters."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

from .paths import QUERY_DIR, db_path

_PARAM_LINE = re.compile(r"^--\s*params:\s*(.*)$", re.MULTILINE)
_PARAM_NAME = re.compile(r"\$([a-z_][a-z0-9_]*)")


class QueryError(ValueError):
    """A query was asked for by a name or with parameters that do not fit its file."""


@cache
def load_sql(name: str) -> str:
    """The text of queries/<name>.sql; names that resolve outside queries/ are refused."""
    if not re.fullmatch(r"[a-z0-9_]+(/[a-z0-9_]+)?", name):
        raise QueryError(f"bad query name {name!r}")
    path = (QUERY_DIR / f"{name}.sql").resolve()
    if QUERY_DIR.resolve() not in path.parents or not path.is_file():
        raise QueryError(f"no query named {name!r} in {QUERY_DIR}")
    return path.read_text(encoding="utf-8")


@cache
def declared_params(name: str) -> frozenset[str]:
    """The $parameters a query file declares in its header."""
    match = _PARAM_LINE.search(load_sql(name))
    if not match:
        raise QueryError(f"query {name!r} has no '-- params:' header line")
    return frozenset(_PARAM_NAME.findall(match.group(1)))


def connect(path: Path | str | None = None) -> duckdb.DuckDBPyConnection:
    """Open the published database read-only (many processes may read it at once)."""
    return duckdb.connect(str(path or db_path()), read_only=True)


def run_query(con: duckdb.DuckDBPyConnection, name: str, params: dict | None = None) -> pd.DataFrame:
    """Run a named query on its own cursor (a shared connection is not thread-safe) and return a frame."""
    params = dict(params or {})
    expected = declared_params(name)
    if set(params) != expected:
        raise QueryError(f"query {name!r} takes {sorted(expected)}, got {sorted(params)}")
    cur = con.cursor()
    try:
        return cur.execute(load_sql(name), params).df()
    finally:
        cur.close()
