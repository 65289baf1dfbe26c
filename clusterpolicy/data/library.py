"""The team library of scenarios: saved for everyone on the same dashboard, every revision kept.

A saved scenario has a short id (its link is ``?s=<id>``), an author, and revisions: each save
of new parameters, a new name or a new note adds one, and earlier revisions stay readable (the
database refuses to change or remove one). Everyone with a role saves and duplicates; only the
author or a data steward edits or archives (``PermissionDenied`` otherwise, checked here, where
the change is made). Archived scenarios are hidden from the list, not destroyed: their links still
open them. Names and notes are limited in length; parameters are stored as the model's own
dictionary and validated again when read, so a scenario that a later model no longer accepts
opens with what still holds (``usable``).
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, replace

import pandas as pd

from clusterpolicy.data import appstate
from clusterpolicy.data.access import Actor, PermissionDenied
from clusterpolicy.data.audit import now
from clusterpolicy.model import scenarios

MAX_NAME = 80
MAX_NOTE = 500
ID_BYTES = 6  # 8 URL-safe characters: 2^48 ids
PAGE_PREFIX = "lib_"  # a saved scenario's id where pages pick scenarios (presets and custom ones have others)


class LibraryError(ValueError):
    """A save the library refuses (an empty or over-long name, an unknown scenario): a code for the page, and the reason."""

    def __init__(self, code: str, message: str, **values):
        self.code, self.values = code, values
        super().__init__(message)


@dataclass(frozen=True)
class Saved:
    """One scenario at one revision, as read from the library."""

    id: str
    revision: int
    current_revision: int
    name: str
    note: str
    params: dict
    data_version: str
    author_subject: str
    author_email: str
    author_name: str
    created_at: str
    changed_at: str
    archived_at: str | None
    saved_by_email: str

    @property
    def archived(self) -> bool:
        return self.archived_at is not None

    @property
    def author(self) -> str:
        return self.author_name or self.author_email or self.author_subject


def _clean(name: str, note: str) -> tuple[str, str]:
    name = " ".join(str(name).split())
    note = str(note).strip()
    if not name:
        raise LibraryError("name_empty", "a saved scenario needs a name")
    if len(name) > MAX_NAME:
        raise LibraryError("name_long", f"the name is {len(name)} characters long; at most {MAX_NAME}", n=len(name), max=MAX_NAME)
    if len(note) > MAX_NOTE:
        raise LibraryError("note_long", f"the note is {len(note)} characters long; at most {MAX_NOTE}", n=len(note), max=MAX_NOTE)
    return name, note


def _known(actor: Actor | None) -> bool:
    """Someone with a role and an identity (not the anonymous visitor of a server without sign-in)."""
    return actor is not None and actor.role is not None and actor.via != "exposed"


def _may_save(actor: Actor | None) -> Actor:
    if not _known(actor):
        raise PermissionDenied("saving a scenario", actor)
    return actor


def may_edit(actor: Actor | None, saved: Saved) -> bool:
    """Whether this actor may edit or archive this scenario: its author or a data steward."""
    return _known(actor) and (actor.is_steward or actor.subject == saved.author_subject)


def _params_json(params: scenarios.ScenarioParams) -> str:
    return json.dumps(params.validated().to_dict(), sort_keys=True)


def save_new(actor: Actor | None, params: scenarios.ScenarioParams, note: str, data_version: str) -> Saved:
    """Save a scenario as a new entry of the library (its name is the scenario's name); returns it."""
    actor = _may_save(actor)
    name, note = _clean(params.name, note)
    body = _params_json(replace(params, name=name))
    at = now()
    for _ in range(5):
        sid = secrets.token_urlsafe(ID_BYTES)
        try:
            with appstate.transaction() as con:
                con.run(
                    "library_insert_scenario",
                    {"id": sid, "subject": actor.subject, "email": actor.email, "name": actor.name, "at": at},
                )
                _insert_revision(con, sid, 1, name, note, body, data_version, at, actor)
        except appstate.Conflict:
            continue  # the id was taken (one chance in 2^48 per scenario): draw another
        return get(sid)
    raise RuntimeError("could not find a free scenario id")  # pragma: no cover - five collisions in a row


def _insert_revision(con, sid, revision, name, note, body, data_version, at, actor: Actor) -> None:
    con.run(
        "library_insert_revision",
        {
            "id": sid,
            "revision": revision,
            "name": name,
            "note": note,
            "params": body,
            "data_version": data_version,
            "at": at,
            "subject": actor.subject,
            "email": actor.email,
            "by_name": actor.name,
        },
    )


def revise(
    actor: Actor | None,
    sid: str,
    *,
    data_version: str,
    params: scenarios.ScenarioParams | None = None,
    name: str | None = None,
    note: str | None = None,
) -> Saved:
    """Save a new revision: new parameters, a new name or a new note (what is not given stays).

    Only the author or a data steward; the revision number is taken inside the write transaction,
    so two saves at once from two processes get two revisions, never one number twice.
    """
    current = get(sid)
    if not may_edit(actor, current):
        raise PermissionDenied("editing a saved scenario", actor)
    new_params = scenarios.ScenarioParams.from_dict(current.params) if params is None else params
    new_name, new_note = _clean(
        name if name is not None else (params.name if params else current.name), note if note is not None else current.note
    )
    body = _params_json(replace(new_params, name=new_name))
    at = now()
    for _ in range(20):
        try:
            with appstate.transaction() as con:
                con.run("library_lock", {"id": sid})
                row = con.run("library_owner", {"id": sid}).fetchone()
                revision = row["newest"] + 1
                _insert_revision(con, sid, revision, new_name, new_note, body, data_version, at, actor)
                con.run("library_set_current", {"id": sid, "revision": revision, "at": at})
        except appstate.Conflict:
            continue  # another writer took this number first (the key refuses it twice): take the next one
        return get(sid, revision)  # the revision written here (another writer may have added one since)
    raise RuntimeError(f"could not save a revision of {sid!r}: other writers took every number tried")


def duplicate(actor: Actor | None, sid: str, name: str, data_version: str) -> Saved:
    """A copy of a scenario's current revision as a new entry of the library, by this actor (anyone with a role)."""
    source = get(sid)
    params = replace(scenarios.ScenarioParams.from_dict(source.params), name=name)
    return save_new(actor, params, source.note, data_version)


def set_archived(actor: Actor | None, sid: str, archived: bool) -> Saved:
    """Archive a scenario (hidden from the list, links still open it) or bring it back: author or data steward."""
    current = get(sid)
    if not may_edit(actor, current):
        raise PermissionDenied("archiving a saved scenario", actor)
    with appstate.transaction() as con:
        con.run(
            "library_set_archived",
            {"id": sid, "at": now() if archived else None, "by": actor.subject if archived else None},
        )
    return get(sid)


def _saved(row) -> Saved:
    return Saved(
        id=row["id"],
        revision=row["revision"],
        current_revision=row["current_revision"],
        name=row["name"],
        note=row["note"],
        params=json.loads(row["params"]),
        data_version=row["data_version"],
        author_subject=row["author_subject"],
        author_email=row["author_email"],
        author_name=row["author_name"],
        created_at=row["created_at"],
        changed_at=row["changed_at"],
        archived_at=row["archived_at"],
        saved_by_email=row["saved_by_email"],
    )


def get(sid: str, revision: int | None = None) -> Saved:
    """A scenario at a revision (default: its current one); LibraryError if there is no such scenario or revision."""
    with appstate.connect() as con:
        row = con.run("library_get", {"id": str(sid), "revision": revision}).fetchone()
    if row is None:
        what = f"scenario {sid!r}" + (f" revision {revision}" if revision is not None else "")
        raise LibraryError("unknown", f"there is no saved {what}", id=str(sid))
    return _saved(row)


def find(sid: str) -> Saved | None:
    """A scenario's current revision, or None."""
    try:
        return get(sid)
    except LibraryError:
        return None


def listing(include_archived: bool = False) -> list[Saved]:
    """Every saved scenario at its current revision, most recently changed first."""
    with appstate.connect() as con:
        rows = con.run("library_list").fetchall()
    items = [_saved(r) for r in rows]
    return items if include_archived else [s for s in items if not s.archived]


def revisions(sid: str) -> pd.DataFrame:
    """Every revision of a scenario, newest first (revision, name, note, data version, when, by whom)."""
    with appstate.connect() as con:
        rows = con.run("library_revisions", {"id": str(sid)}).fetchall()
    columns = ["revision", "name", "note", "params", "data_version", "saved_at", "saved_by_email", "saved_by_name"]
    return pd.DataFrame([[r[c] for c in columns] for r in rows], columns=columns)


def _fails_alone(key: str, value, defaults: dict) -> bool:
    try:
        scenarios.ScenarioParams.from_dict({**defaults, key: value}).problems()
    except (TypeError, ValueError, KeyError):
        return True
    return False


def usable(saved: Saved, known_clusters: tuple[str, ...] | None = None) -> tuple[scenarios.ScenarioParams, list[str]]:
    """The saved parameters the model accepts now, and the names of those it no longer does (they take the default).

    A scenario saved under an older model may hold a parameter that is gone, out of today's range,
    of the wrong type or naming a cluster that is no longer there; it opens with the rest, and the
    page names what was dropped.
    """
    defaults = scenarios.ScenarioParams().to_dict()
    if set(saved.params) <= set(defaults):  # the usual case: saved under this model, valid as it is
        try:
            params = scenarios.ScenarioParams.from_dict(saved.params)
            if not params.problems(known_clusters):
                return replace(params, name=saved.name, preset_id=None), []
        except (TypeError, ValueError, KeyError):
            pass
    dropped = {k for k in saved.params if k not in defaults}
    values = {k: v for k, v in saved.params.items() if k in defaults and k != "preset_id"}
    dropped |= {k for k, v in values.items() if _fails_alone(k, v, defaults)}
    values = {k: v for k, v in values.items() if k not in dropped}
    while True:
        params = scenarios.ScenarioParams.from_dict({**defaults, **values})
        problems = {name for name, _ in params.problems(known_clusters)}
        if not problems:
            break
        # a rule broken by a kept value names it; one broken between kept values and defaults
        # names a default: then keep none of them rather than guess which one to drop
        culprits = (problems & set(values)) or set(values)
        dropped |= culprits
        values = {k: v for k, v in values.items() if k not in culprits}
    return replace(params, name=saved.name), sorted(dropped)
