"""The audit trail: every import and restore with its author, file and SHA-256, sign-ins and refusals.

Kept in the application-state file (``appstate``), so it survives restarts and new data versions.
Entries are only ever added; nothing in the code updates or deletes one.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd

from clusterpolicy.data import appstate
from clusterpolicy.data.access import Actor, PermissionDenied

_FIELDS = (
    "table_name",
    "file_name",
    "file_sha256",
    "mode",
    "version_before",
    "version_after",
    "added",
    "changed",
    "removed",
    "detail",
)
# what events() returns, in this order: the entry, who, then what it was about
ALL = 2**62  # the limit that takes every entry (SQLite's -1 means that, PostgreSQL's does not)
COLUMNS = ("id", "at", "action", "outcome", "email", "name", "subject", "role", "via", *_FIELDS)


def now() -> str:
    """The time of an entry: UTC, to the microsecond, sortable as text."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def record(actor: Actor | None, action: str, outcome: str, *, once_key: str | None = None, **fields) -> bool:
    """Add one entry; returns False when ``once_key`` was recorded before (a sign-in seen twice).

    Unknown field names raise TypeError: a typo must not silently drop what the trail should hold.
    """
    unknown = set(fields) - set(_FIELDS)
    if unknown:
        raise TypeError(f"unknown audit field(s): {', '.join(sorted(unknown))}")
    actor = actor or Actor(role=None, via="web")
    values = {
        "at": now(),
        "action": action,
        "outcome": outcome,
        "subject": actor.subject,
        "email": actor.email,
        "name": actor.name,
        "role": actor.role or "",
        "via": actor.via,
        "issuer": actor.issuer,
        "once_key": once_key,
        **{k: fields.get(k) for k in _FIELDS},
    }
    values["detail"] = str(values["detail"] or "")
    with appstate.transaction() as con:
        cur = con.run("audit_insert", values)
        return cur.rowcount == 1


def events(limit: int | None = None) -> pd.DataFrame:
    """The trail, newest first (all of it, or the last ``limit`` entries)."""
    with appstate.connect() as con:
        rows = con.run("audit_events", {"limit": ALL if limit is None else int(limit)}).fetchall()
    frame = pd.DataFrame([[r[c] for c in COLUMNS] for r in rows], columns=list(COLUMNS))
    for column in ("added", "changed", "removed"):
        frame[column] = frame[column].astype("Int64")
    return frame


def count() -> int:
    """How many entries the trail holds (cheap: a page can key its kept copy on it)."""
    with appstate.connect() as con:
        return con.run("audit_count").fetchone()["entries"]


def require_steward(actor: Actor | None, action: str, **fields) -> Actor:
    """Return the actor if they may change data; else record the refusal and raise PermissionDenied.

    Called by the functions that change data themselves, so no page, widget or replayed message
    can get past it.
    """
    if actor is not None and actor.is_steward:
        return actor
    record(actor, action, "denied", **fields)
    raise PermissionDenied(action, actor)


def record_export(
    actor: Actor | None,
    page: str,
    fmt: str,
    file_name: str,
    data_version: str,
    link: str,
    *,
    outcome: str = "done",
    reference: str = "",
) -> None:
    """Log an export of a view (who took which figures out of the dashboard, on which data version).

    A failed export is logged too (``outcome="failed"``) with the reference the reader was shown,
    which is also the one in the server log beside the traceback.
    """
    actor = actor or Actor(role=None, via="web")
    with appstate.transaction() as con:
        con.run(
            "export_insert",
            {
                "at": now(),
                "subject": actor.subject,
                "email": actor.email,
                "name": actor.name,
                "role": actor.role or "",
                "via": actor.via,
                "page": str(page)[:200],
                "format": fmt,
                "file_name": str(file_name)[:255],
                "data_version": str(data_version),
                "link": str(link)[:4000],
                "outcome": outcome,
                "reference": reference,
            },
        )


EXPORT_COLUMNS = (
    "id",
    "at",
    "subject",
    "email",
    "name",
    "role",
    "via",
    "page",
    "format",
    "file_name",
    "data_version",
    "link",
    "outcome",
    "reference",
)


def exports() -> pd.DataFrame:
    """The export log, oldest first (every file made, and every export that failed with its reference)."""
    with appstate.connect() as con:
        rows = con.run("export_events").fetchall()
    return pd.DataFrame([[r[c] for c in EXPORT_COLUMNS] for r in rows], columns=list(EXPORT_COLUMNS))
