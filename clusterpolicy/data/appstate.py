"""The application's own state, kept apart from the immutable data versions: one SQLite file beside the data.

The served DuckDB files never change once written; what people do with the dashboard (the audit
trail, the team library of scenarios) goes here. SQLite in WAL mode takes writers from several server processes on one host,
one transaction at a time, while readers go on reading. The schema is created and migrated by the
app itself, by ``PRAGMA user_version``: each entry of ``MIGRATIONS`` (a script in queries/appstate)
runs once, in order, inside a transaction, so a process killed during a migration leaves the file
at the version before it.

Back it up with ``sqlite3 data/appstate.sqlite ".backup backup.sqlite"`` (safe while the server runs).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from clusterpolicy.data.db import load_sql
from clusterpolicy.paths import db_path

FILE_NAME = "appstate.sqlite"

# each a script queries/appstate/<name>.sql that runs in its own transaction and sets user_version last
MIGRATIONS: tuple[str, ...] = (
    "appstate/m001_audit",
    "appstate/m002_library",
    "appstate/m003_audit_remove_version",
    "appstate/m004_export_log",
    "appstate/m005_export_pdf_outcome",
    "appstate/m006_short_link",
)


def path() -> Path:
    """The state file, beside the data it describes."""
    return db_path().parent / FILE_NAME  # store.root(): the folder of the data versions


def _open(file: Path) -> sqlite3.Connection:
    file.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(file, timeout=30, isolation_level=None)  # transactions are explicit
    con.row_factory = sqlite3.Row
    con.execute("pragma busy_timeout = 30000")
    con.execute("pragma journal_mode = wal")
    con.execute("pragma synchronous = full")  # rare, small writes: each one on disk before it returns
    con.execute("pragma foreign_keys = on")
    return con


def _version(con: sqlite3.Connection) -> int:
    return con.execute("pragma user_version").fetchone()[0]


def migrate(con: sqlite3.Connection) -> int:
    """Bring the schema to the newest version; returns it. Safe to run from several processes at once.

    Each migration takes the write lock first (``begin immediate`` in its script), so a second
    process waits; if it then finds the work done (its script fails on the existing table), it
    rolls back and reads the version again.
    """
    newest = len(MIGRATIONS)
    version = _version(con)
    while version < newest:
        try:
            con.executescript(load_sql(MIGRATIONS[version]))
        except sqlite3.OperationalError:
            if con.in_transaction:
                con.execute("rollback")
            if _version(con) <= version:
                raise
        version = _version(con)
    if version > newest:
        raise RuntimeError(f"{path()} has schema version {version}, newer than this code knows ({newest})")
    return version


@contextmanager
def connect() -> Iterator[sqlite3.Connection]:
    """A connection to the migrated state file, closed afterwards."""
    con = _open(path())
    try:
        migrate(con)
        yield con
    finally:
        con.close()


@contextmanager
def transaction() -> Iterator[sqlite3.Connection]:
    """A write transaction (taken at once, so two writers queue instead of failing later)."""
    with connect() as con:
        con.execute("begin immediate")
        try:
            yield con
        except BaseException:
            con.execute("rollback")
            raise
        con.execute("commit")
