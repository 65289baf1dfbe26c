"""The application state's schema steps, its query texts in each dialect, and its errors (both backends use them).

A query is ``queries/appstate/<name>.sql``, or ``queries/appstate/pg/<name>.sql`` where PostgreSQL's
text differs; a migration step has a file in each.
"""

from __future__ import annotations

from functools import cache

from clusterpolicy.data.db import QueryError, load_sql

# each a script queries/appstate/<name>.sql (and pg/<name>.sql) that runs in its own transaction and sets the version last
# (the transaction is the caller's: a script holds no begin or commit).
# A step only adds (tables, columns, values a check allows): while replicas are rolled out one at a time, the
# older ones go on working on the schema a newer one has migrated. Removing or renaming takes two releases:
# the first stops using the thing, the second's step removes it.
MIGRATIONS: tuple[str, ...] = (
    "m001_audit",
    "m002_library",
    "m003_audit_remove_version",
    "m004_export_log",
    "m005_export_pdf_outcome",
    "m006_short_link",
    "m007_served_version",
    "m008_audit_backup",
    "m009_sign_in_return",
)
# what the backup holds and the restore brings back, in an order that respects the references between them
TABLES: tuple[str, ...] = ("audit_event", "scenario", "scenario_revision", "export_event", "short_link")


class StateError(RuntimeError):
    """The state database cannot be used as configured (a bad URL, a schema newer than this code)."""


class Conflict(Exception):
    """A write broke a uniqueness rule of the state database (an id or revision another writer took first)."""


@cache
def query(name: str, dialect: str) -> str:
    """The text of a state query in a dialect: queries/appstate/pg/<name>.sql where PostgreSQL's differs."""
    if dialect == "postgresql":
        try:
            return load_sql(f"appstate/pg/{name}")
        except QueryError:
            pass
    return load_sql(f"appstate/{name}")
