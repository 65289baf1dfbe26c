"""Read access to the published DuckDB file: named queries from queries/, values bound as parameters."""

from __future__ import annotations

import itertools
import queue
import re
import threading
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

from clusterpolicy.paths import QUERY_DIR, db_path

_PARAM_LINE = re.compile(r"^--\s*params:\s*(.*)$", re.MULTILINE)
_PARAM_NAME = re.compile(r"\$([a-z_][a-z0-9_]*)")


class QueryError(ValueError):
    """A query was asked for by a name or with parameters that do not fit its file."""


def ident(name: str) -> str:
    """Quote a table, column or database name that comes from the schema catalog, an allow-list or this package."""
    if not name.replace("_", "").isalnum():
        raise ValueError(f"refusing identifier {name!r}")
    return '"' + name + '"'


@cache
def load_sql(name: str) -> str:
    """The text of queries/<name>.sql; names that resolve outside queries/ are refused."""
    if not re.fullmatch(r"[a-z0-9_]+(/[a-z0-9_]+){0,2}", name):
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


# Starting a DuckDB instance takes 12-17 ms on the 2-core machine, most of it DuckDB setting up its
# function catalogue, and did so on every page's first run: a query cannot start before it. The
# process starts one engine, once, and each database file served is attached to it read-only
# (about 3 ms), its own catalogue and data read from the file as before.
_ENGINE_LOCK = threading.Lock()
_ENGINE: list[duckdb.DuckDBPyConnection] = []
_ALIASES = itertools.count(1)


def _engine_cursor() -> duckdb.DuckDBPyConnection:
    """A new connection to the process's in-memory DuckDB engine (started on first use)."""
    with _ENGINE_LOCK:
        if not _ENGINE:
            _ENGINE.append(duckdb.connect(":memory:"))
        return _ENGINE[0].cursor()


class Database:
    """A database file attached read-only to the process's engine; queries take a pooled cursor.

    Every cursor has the file as its default catalogue (``use``), so named queries name tables
    plainly. A cursor is set up once (``use`` is a statement: 0.2 ms) and goes back to the pool
    after each query; a thread takes its own, as a DuckDB connection is not thread-safe.
    """

    def __init__(self, path: Path | str):
        self.path = str(path)
        self.alias = f"served_{next(_ALIASES)}"  # made here, never from data
        with _engine_cursor() as cur:
            cur.execute(f"attach $path as {ident(self.alias)} (read_only)", {"path": self.path})
        self._idle: queue.SimpleQueue = queue.SimpleQueue()

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A new cursor on this file, for callers that close it themselves."""
        cur = _engine_cursor()
        cur.execute(f"use {ident(self.alias)}")
        return cur

    @contextmanager
    def borrowed(self):
        """A cursor from the pool, given back when the block ends."""
        try:
            cur = self._idle.get_nowait()
        except queue.Empty:
            cur = self.cursor()
        try:
            yield cur
        finally:
            self._idle.put(cur)

    def run(self, name: str, params: dict) -> pd.DataFrame:
        """Run the named query with its parameters bound on a pooled cursor and return a frame."""
        with self.borrowed() as cur:
            return cur.execute(load_sql(name), params).df()

    def close(self) -> None:
        """Close the pooled cursors and detach the file (tests and the benchmark's cold runs)."""
        while True:
            try:
                self._idle.get_nowait().close()
            except queue.Empty:
                break
        with _engine_cursor() as cur:
            cur.execute(f"detach database if exists {ident(self.alias)}")

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def connect(path: Path | str | None = None) -> Database:
    """Attach the published database read-only (many processes may read it at once)."""
    return Database(path or db_path())


def run_query(con, name: str, params: dict | None = None) -> pd.DataFrame:
    """Run a named query and return a frame.

    ``con`` is a ``Database`` (a pooled cursor) or a plain DuckDB connection (its own cursor: a
    shared connection is not thread-safe).
    """
    params = dict(params or {})
    expected = declared_params(name)
    if set(params) != expected:
        raise QueryError(f"query {name!r} takes {sorted(expected)}, got {sorted(params)}")
    if isinstance(con, Database):
        return con.run(name, params)
    cur = con.cursor()
    try:
        return cur.execute(load_sql(name), params).df()
    finally:
        cur.close()
