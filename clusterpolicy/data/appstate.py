"""The application's own state, kept apart from the immutable data versions: SQLite beside the data, or PostgreSQL.

The served DuckDB files never change once written; what people do with the dashboard (the audit
trail, the team library of scenarios, the export log, short links) goes here. Two backends, one
interface (``connect``, ``transaction``, ``Connection.run``):

- **SQLite** (the default): one file beside the data, in WAL mode, which takes writers from several
  server processes on one host, one transaction at a time, while readers go on reading.
- **PostgreSQL**, when ``CLUSTERPOLICY_APPSTATE_URL`` or ``[appstate] url`` in the secrets file
  names one (``postgresql://...``): several replicas on several hosts share it (``appstate_pg``).

The schema is created and migrated by the app itself: each entry of ``MIGRATIONS`` (a script in
queries/appstate, and in queries/appstate/pg for PostgreSQL) runs once, in order, inside a
transaction, so a process killed during a migration leaves the state at the version before it.
A query is ``queries/appstate/<name>.sql``, or ``queries/appstate/pg/<name>.sql`` where PostgreSQL's
text differs; values are always bound as ``:name`` parameters.
"""

from __future__ import annotations

import os
import sqlite3
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from clusterpolicy.data.appstate_schema import MIGRATIONS as MIGRATIONS
from clusterpolicy.data.appstate_schema import TABLES as TABLES
from clusterpolicy.data.appstate_schema import Conflict as Conflict
from clusterpolicy.data.appstate_schema import StateError as StateError
from clusterpolicy.data.appstate_schema import query
from clusterpolicy.paths import ROOT, db_path

FILE_NAME = "appstate.sqlite"
URL_VARIABLE = "CLUSTERPOLICY_APPSTATE_URL"


def secrets_file() -> Path:
    """The secrets file the server reads (the one ``serve`` passes to Streamlit)."""
    return Path(os.environ.get("CLUSTERPOLICY_SECRETS") or ROOT / ".streamlit" / "secrets.toml")


_FROM_FILE: dict = {}


def url() -> str | None:
    """The PostgreSQL URL the state lives in, or None for the SQLite file (the default).

    ``CLUSTERPOLICY_APPSTATE_URL`` first, then ``[appstate] url`` in the secrets file (read again
    when the file changes).
    """
    value = os.environ.get(URL_VARIABLE)
    if value is None:
        file = secrets_file()
        try:
            stat = file.stat()
        except OSError:
            return None
        key = (str(file), stat.st_mtime_ns, stat.st_size)
        if _FROM_FILE.get("key") != key:
            try:
                section = tomllib.loads(file.read_text(encoding="utf-8")).get("appstate") or {}
            except (OSError, tomllib.TOMLDecodeError) as exc:
                raise StateError(f"{file}: cannot read [appstate]: {exc}") from exc
            _FROM_FILE.update(key=key, url=section.get("url") if isinstance(section, dict) else None)
        value = _FROM_FILE["url"]
    value = (value or "").strip()
    if not value:
        return None
    if not value.startswith(("postgresql://", "postgres://")):
        raise StateError(f"[appstate] url must be a postgresql:// URL (or unset for SQLite), got {value.split(':')[0]!r}")
    return value


def backend() -> str:
    """``"postgresql"`` or ``"sqlite"``: where the state lives for this process's configuration."""
    return "postgresql" if url() else "sqlite"


def path() -> Path:
    """The SQLite state file, beside the data it describes."""
    return db_path().parent / FILE_NAME  # store.root(): the folder of the data versions


def describe() -> str:
    """Where the state lives, for messages and logs (the PostgreSQL URL without its password)."""
    target = url()
    if target is None:
        return str(path())
    from clusterpolicy.data import appstate_pg

    return appstate_pg.safe_url(target)


class Connection:
    """A state connection: ``run`` a named query with ``:name`` parameters; rows come back as dicts."""

    dialect = "sqlite"

    def __init__(self, con: sqlite3.Connection):
        self.raw = con

    def run(self, name: str, params: dict | None = None):
        try:
            return self.raw.execute(query(name, self.dialect), params or {})
        except sqlite3.IntegrityError as exc:
            if "UNIQUE" in str(exc) or "PRIMARY KEY" in str(exc):
                raise Conflict(str(exc)) from exc
            raise


def _dict_row(cursor: sqlite3.Cursor, row: tuple) -> dict:
    return {column[0]: value for column, value in zip(cursor.description, row, strict=True)}


def _open(file: Path) -> sqlite3.Connection:
    file.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(file, timeout=30, isolation_level=None)  # transactions are explicit
    con.row_factory = _dict_row
    con.execute("pragma busy_timeout = 30000")
    con.execute("pragma journal_mode = wal")
    con.execute("pragma synchronous = full")  # rare, small writes: each one on disk before it returns
    con.execute("pragma foreign_keys = on")
    return con


def _version(con: sqlite3.Connection) -> int:
    return con.execute("pragma user_version").fetchone()["user_version"]


def statements(script: str) -> list[str]:
    """A migration script as its statements, one by one (a trigger's body stays whole: SQLite says when one is complete)."""
    out, pending = [], ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            out.append(pending.strip())
            pending = ""
    return out


def migrate(con: sqlite3.Connection) -> int:
    """Bring the SQLite schema to this code's newest version (a newer one is left as it is); returns the version.
    Safe to run from several processes at once.

    Each step takes the write lock first (``begin immediate``), then reads the version again under it, so a
    process that waited behind another one's migration sees that work done and never repeats a step or
    sets the version back. A step runs whole or not at all.
    """
    newest = len(MIGRATIONS)
    version = _version(con)
    if version >= newest:  # the usual case: no lock taken on an open
        return version
    while True:
        con.execute("begin immediate")
        try:
            version = _version(con)
            if version >= newest:  # newer: a later release's steps only add, so this code still works
                con.execute("commit")
                return version
            for statement in statements(query(MIGRATIONS[version], "sqlite")):
                con.execute(statement)
            if _version(con) != version + 1:
                raise StateError(f"migration {MIGRATIONS[version]} did not set the schema version to {version + 1}")
        except BaseException:
            con.execute("rollback")
            raise
        con.execute("commit")


@contextmanager
def connect() -> Iterator[Connection]:
    """A connection to the migrated state (SQLite file or PostgreSQL), given back afterwards."""
    target = url()
    if target is not None:
        from clusterpolicy.data import appstate_pg

        with appstate_pg.connect(target) as con:
            yield con
        return
    con = _open(path())
    try:
        migrate(con)
        yield Connection(con)
    finally:
        con.close()


@contextmanager
def transaction() -> Iterator[Connection]:
    """A write transaction: all of it or nothing (SQLite takes the write lock at once, so writers queue)."""
    target = url()
    if target is not None:
        from clusterpolicy.data import appstate_pg

        with appstate_pg.transaction(target) as con:
            yield con
        return
    with connect() as con:
        con.raw.execute("begin immediate")
        try:
            yield con
        except BaseException:
            con.raw.execute("rollback")
            raise
        con.raw.execute("commit")


def stamp() -> tuple:
    """What changes whenever the library is written, cheap to read on every run (a page keys its kept copy on it)."""
    target = url()
    if target is not None:
        with connect() as con:
            row = con.run("library_stamp").fetchone()
        return (describe(), row["scenarios"], row["digest"])
    out = []
    for suffix in ("", "-wal"):
        try:
            st_ = os.stat(str(path()) + suffix)
            out.append((st_.st_size, st_.st_mtime_ns))
        except FileNotFoundError:
            out.append(None)
    return (str(path()), *out)


@contextmanager
def shared_lock(name: str) -> Iterator[None]:
    """A lock that every replica sharing the PostgreSQL state takes in turn (for SQLite, see the callers' lock files)."""
    from clusterpolicy.data import appstate_pg

    target = url()
    if target is None:
        raise StateError("a shared lock needs the state in PostgreSQL")
    with appstate_pg.advisory_lock(target, name):
        yield
