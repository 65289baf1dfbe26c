"""The application state in PostgreSQL, shared by several replicas on several hosts (psycopg 3 and its pool).

One pool per process and URL, opened on first use. The schema is migrated once per process: each
step of ``MIGRATIONS`` (queries/appstate/pg/<step>.sql) runs in its own transaction under
a transaction-level advisory lock, so replicas starting at once queue, and each step sets the
version in ``appstate_schema`` last. Queries are written with SQLite's ``:name`` parameters; they
are turned into psycopg's ``%(name)s`` once per query text (values are never put into the text).

Writers on several hosts stay correct without any lock in a process: a revision number is unique
by the primary key, and the scenario's row is locked (``for update``) while its next number is taken.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import errors
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from clusterpolicy.data.appstate_schema import MIGRATIONS, Conflict, StateError, query

_LOCK = threading.Lock()
_POOLS: dict[str, ConnectionPool] = {}
_MIGRATED: set[str] = set()
# a number of this app's own for its advisory locks, with the schema's name hashed in (several states in one database)
LOCK_SPACE = 0x0C1A5
_PARAM = re.compile(r"(?<![:\w]):([a-z_][a-z0-9_]*)")


def safe_url(url: str) -> str:
    """The URL without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))


@cache
def to_psycopg(sql: str) -> str:
    """A query written with ``:name`` parameters, in psycopg's ``%(name)s`` style (a literal % doubled)."""
    return _PARAM.sub(r"%(\1)s", sql.replace("%", "%%"))


class Connection:
    """A pooled PostgreSQL connection with the same ``run`` as SQLite's."""

    dialect = "postgresql"

    def __init__(self, con: psycopg.Connection):
        self.raw = con

    def run(self, name: str, params: dict | None = None):
        try:
            return self.raw.execute(to_psycopg(query(name, self.dialect)), params or {})
        except errors.UniqueViolation as exc:
            raise Conflict(str(exc)) from exc


def pool(url: str) -> ConnectionPool:
    """The process's pool for this URL (rows as dicts, autocommit unless in a transaction)."""
    with _LOCK:
        found = _POOLS.get(url)
        if found is None:
            try:  # one attempt first: a wrong address or a refusal is told at once, not after the pool's retries
                psycopg.connect(url, connect_timeout=10).close()
            except psycopg.Error as exc:
                raise StateError(f"the state database at {safe_url(url)} does not answer: {exc}") from exc
            found = ConnectionPool(
                url,
                min_size=1,
                max_size=8,
                kwargs={"autocommit": True, "row_factory": dict_row},
                name="clusterpolicy-appstate",
                open=False,
            )
            try:
                found.open(wait=True, timeout=15)
            except Exception as exc:
                found.close()
                raise StateError(f"the state database at {safe_url(url)} does not answer: {exc}") from exc
            _POOLS[url] = found
        return found


def close_all() -> None:
    """Close every pool of this process (tests, and a clean shutdown)."""
    with _LOCK:
        for found in _POOLS.values():
            found.close()
        _POOLS.clear()
        _MIGRATED.clear()


def schema_version(con: psycopg.Connection) -> int:
    """The state's schema version (0 before the first migration)."""
    row = con.execute("select to_regclass('appstate_schema') is not null as made").fetchone()
    if not row["made"]:
        return 0
    return con.execute("select coalesce(max(version), 0) as version from appstate_schema").fetchone()["version"]


def migrate(con: psycopg.Connection) -> int:
    """Bring the schema to the newest version, one step a transaction, replicas queueing on an advisory lock."""
    newest = len(MIGRATIONS)
    while True:
        with con.transaction():
            con.execute("select pg_advisory_xact_lock(%s, hashtext(current_schema()))", (LOCK_SPACE,))
            version = schema_version(con)
            if version >= newest:  # newer: a newer release's steps, which only add (see appstate_schema)
                return version
            con.execute(query(MIGRATIONS[version], "postgresql"))


@contextmanager
def connect(url: str) -> Iterator[Connection]:
    """A pooled connection to the migrated state (autocommit: each statement its own transaction)."""
    with pool(url).connection() as con:
        if url not in _MIGRATED:
            migrate(con)
            _MIGRATED.add(url)
        yield Connection(con)


@contextmanager
def transaction(url: str) -> Iterator[Connection]:
    """A write transaction: committed when the block ends, rolled back when it raises."""
    with connect(url) as con, con.raw.transaction():
        yield con


@contextmanager
def advisory_lock(url: str, name: str) -> Iterator[None]:
    """A lock every replica sharing this state takes in turn (held on one connection for the block)."""
    with connect(url) as con:
        con.raw.execute("select pg_advisory_lock(%s, hashtext(current_schema() || %s))", (LOCK_SPACE, name))
        try:
            yield
        finally:
            con.raw.execute("select pg_advisory_unlock(%s, hashtext(current_schema() || %s))", (LOCK_SPACE, name))
