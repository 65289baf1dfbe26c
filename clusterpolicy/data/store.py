"""Versioned data: which database file is served, switching to a new version, and going back.

Every imported version is an immutable file ``versions/<version>.duckdb`` beside the published
seed file. A small pointer file names the one that is served; switching is an atomic rename of
that pointer, so a reader opens either the old file or the new one, never half of either, and a
process killed mid-import leaves the pointer (and so the served data) as they were. Readers keep
their connection to the file they opened; the next page run opens the new file by its own path
(DuckDB caches database instances per path, so a new path is the clean way to see new data).

With the application state in PostgreSQL (several replicas sharing one data folder), the served
version is a row there instead of the pointer file: switched in one statement, read by every
replica at its next run, and only ever naming a file written in full (fsynced, then renamed into
``versions/``) before the switch. One import at a time is then a lock in the database, which every
replica takes, rather than a lock file.
"""

from __future__ import annotations

import json
import os
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from clusterpolicy.data import appstate, audit
from clusterpolicy.data.access import Actor
from clusterpolicy.data.db import connect, run_query
from clusterpolicy.paths import db_path


def root() -> Path:
    """The folder holding the published seed file, the versions and the pointer."""
    return db_path().parent


def versions_dir() -> Path:
    return root() / "versions"


def pointer_file() -> Path:
    return root() / f"{db_path().name}.current"


def history_file() -> Path:
    return versions_dir() / "history.jsonl"


def _served_relative() -> str:
    if appstate.backend() == "postgresql":
        with appstate.connect() as con:
            row = con.run("served_get").fetchone()
        return row["file"] if row else ""
    try:
        return pointer_file().read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return ""


def served_path() -> Path:
    """The database file to read now: the version the pointer (or the state database) names, else the published seed file."""
    relative = _served_relative()
    if not relative:
        return db_path()
    target = (root() / relative).resolve()
    if relative and target.is_file() and root().resolve() in target.parents:
        return target
    return db_path()


def _relative(path: Path) -> str:
    return str(Path(path).resolve().relative_to(root().resolve()))


def sync_file(path: Path) -> None:
    """Put a written file (or a folder's list of names) on disk before it is named anywhere: a replica must never
    find half of one."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def switch_to(path: Path, by: str = "") -> None:
    """Serve another database file from now on, on every replica (atomic: a new pointer renamed over the old, or one row)."""
    if appstate.backend() == "postgresql":
        sync_file(Path(path).parent)  # the file's name is on disk before any replica is told to open it
        with appstate.transaction() as con:
            con.run("served_set", {"file": _relative(path), "at": audit.now(), "by": by})
        return
    tmp = pointer_file().with_name(pointer_file().name + f".{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(_relative(path) + "\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, pointer_file())
    sync_file(root())


def record(event: dict) -> None:
    """Append one switch (import or restore) to the history."""
    versions_dir().mkdir(parents=True, exist_ok=True)
    event = {"at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), **event}
    with open(history_file(), "a", encoding="utf-8") as f:
        f.write(json.dumps(event, sort_keys=True) + "\n")


def history() -> list[dict]:
    """Every switch so far, oldest first."""
    try:
        lines = history_file().read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    out = []
    for line in lines:
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError:
            continue  # a line cut short by a crash; the pointer, not the history, decides what is served
    return out


def previous_path() -> Path | None:
    """The file served before the current one came in by import (walks back along imports)."""
    current = _relative(served_path())
    for event in reversed(history()):
        if event.get("action") == "import" and event.get("to") == current:
            candidate = root() / event["from"]
            return candidate if candidate.is_file() else None
    return None


@contextmanager
def import_lock():
    """One import at a time per data folder (imports are rare; readers never wait for this).

    With several replicas (state in PostgreSQL) the lock is the database's, which every replica takes.
    """
    import fcntl

    versions_dir().mkdir(parents=True, exist_ok=True)
    if appstate.backend() == "postgresql":
        with appstate.shared_lock("import"):
            yield
        return
    with open(versions_dir() / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def version_of(path: Path) -> str:
    """The data version a database file holds (read from the file itself)."""
    with connect(path) as database:
        return str(run_query(database, "data_version")["version"].iloc[0])


_VERSION_OF: dict = {}


def version_file(version: str) -> Path | None:
    """The kept database file that holds this data version (an imported version, or the seed build), or None.

    Version files are named by their version; the seed build's version is read from the file
    (kept per file size and time, so a rebuild is seen).
    """
    if not isinstance(version, str) or not version.isalnum() or len(version) > 64:
        return None
    candidate = versions_dir() / f"{version}.duckdb"
    if candidate.is_file():
        return candidate
    seed = db_path()
    try:
        stat = seed.stat()
    except FileNotFoundError:
        return None
    key = (str(seed), stat.st_size, stat.st_mtime_ns)
    if key not in _VERSION_OF:
        _VERSION_OF.clear()
        _VERSION_OF[key] = version_of(seed)
    return seed if _VERSION_OF[key] == version else None


def restore_previous(*, actor: Actor | None) -> Path:
    """Serve the previous version again; raises LookupError when there is none.

    Only a data steward may (PermissionDenied otherwise, recorded in the audit trail); a restore
    is recorded there with its author, and undone if it cannot be.
    """
    audit.require_steward(actor, "restore")
    with import_lock():
        previous = previous_path()
        if previous is None:
            raise LookupError("there is no earlier version to restore")
        return _serve(previous, actor)


def _serve(target: Path, actor: Actor) -> Path:
    """Serve ``target`` from now on, recorded in the audit trail and the history (switched back if it cannot be recorded).

    Called under the import lock by the restores, after their steward check.
    """
    current = served_path()
    switch_to(target, actor.subject)
    try:
        audit.record(
            actor,
            "restore",
            "done",
            version_before=version_of(current),
            version_after=version_of(target),
            detail=f"{_relative(current)} -> {_relative(target)}",
        )
    except Exception:
        switch_to(current, actor.subject)
        raise
    record({"action": "restore", "by": actor.subject, "from": _relative(current), "to": _relative(target)})
    return target


_RECORDS: dict = {}


def _record_of(path: Path) -> dict:
    """A version file's own data_version row (kept per file, size and time: a version file never changes)."""
    stat = path.stat()
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    if key not in _RECORDS:
        with connect(path) as database:
            row = run_query(database, "data_version").iloc[0]
        _RECORDS[key] = {
            "version": str(row["version"]),
            "built_at": row["built_at"].to_pydatetime(),
            "origin": str(row["origin"]),
        }
    return _RECORDS[key]


def versions() -> list[dict]:
    """Every kept data version, newest first: version, when it was made, what made it, its file, whether it is served.

    The seed build and every imported or restored version still on disk; a steward restores any of them.
    """
    served = served_path().resolve()
    paths = [db_path()] if db_path().is_file() else []
    paths += sorted(versions_dir().glob("*.duckdb")) if versions_dir().is_dir() else []
    out = []
    for path in paths:
        try:
            record = _record_of(path)
        except Exception:  # a file that cannot be read is no version to offer
            continue
        out.append({**record, "path": path, "served": path.resolve() == served, "seed": path == db_path()})
    return sorted(out, key=lambda v: v["built_at"], reverse=True)


def restore(version: str, *, actor: Actor | None) -> Path:
    """Serve a kept data version again (any of ``versions()``, earlier or later than the served one).

    Only a data steward may (PermissionDenied otherwise, recorded in the audit trail); the restore
    is recorded there with both version ids, and undone if it cannot be. LookupError when no such
    version is kept, or it is the one served.
    """
    audit.require_steward(actor, "restore", version_after=str(version)[:64])
    with import_lock():
        current = served_path()
        target = version_file(version)
        if target is None:
            raise LookupError(f"there is no kept version {version!r}")
        if target.resolve() == current.resolve():
            raise LookupError(f"version {version} is served now")
        return _serve(target, actor)


class VersionInUse(Exception):
    """An old version that saved scenarios or logged exports were made on: removed only when the data steward confirms."""

    def __init__(self, version: str, scenarios: int, revisions: int, exports: int = 0):
        self.version, self.scenarios, self.revisions, self.exports = version, scenarios, revisions, exports
        super().__init__(
            f"{scenarios} saved scenario(s) ({revisions} revision(s)) and {exports} logged export(s) were made on version {version}"
        )


def old_versions() -> list[dict]:
    """The kept imported versions other than the one served now: version, file size, when written, newest first."""
    served = served_path().resolve()
    out = []
    for path in versions_dir().glob("*.duckdb") if versions_dir().is_dir() else []:
        if path.resolve() == served:
            continue
        stat = path.stat()
        out.append({"version": path.stem, "bytes": stat.st_size, "written": datetime.fromtimestamp(stat.st_mtime, UTC)})
    return sorted(out, key=lambda v: v["written"], reverse=True)


def all_references() -> dict[str, tuple[int, int, int]]:
    """(saved scenarios, their revisions, logged exports) by the data version they were made on, in one query."""
    with appstate.connect() as con:
        rows = con.run("version_refs").fetchall()
    return {r["data_version"]: (int(r["scenarios"]), int(r["revisions"]), int(r["exports"])) for r in rows}


def references(version: str) -> tuple[int, int, int]:
    """(saved scenarios, their revisions, logged exports) made on this data version."""
    return all_references().get(str(version), (0, 0, 0))


def remove_version(version: str, *, actor: Actor | None, confirm: bool = False) -> None:
    """Delete an old imported version's file (data stewards only; recorded in the audit trail).

    Never the version served now, nor the seed build. A version that saved scenarios or logged
    exports were made on raises VersionInUse unless ``confirm``; a link made on a removed version opens the current data
    and says so.
    """
    audit.require_steward(actor, "remove_version", version_before=str(version)[:64])
    with import_lock():
        path = version_file(version)
        if path is None or path.resolve() == db_path().resolve() or path.parent != versions_dir():
            raise LookupError(f"there is no removable version {version!r}")
        if path.resolve() == served_path().resolve():
            raise LookupError(f"version {version} is served now; restore or import another first")
        used_by, revisions, exports = references(version)
        if (used_by or exports) and not confirm:
            raise VersionInUse(version, used_by, revisions, exports)
        detail = path.name + (
            f"; {used_by} saved scenario(s) and {exports} export(s) were made on it" if used_by or exports else ""
        )
        audit.record(actor, "remove_version", "done", version_before=version, detail=detail)
        try:
            path.unlink()
        except OSError as exc:
            audit.record(actor, "remove_version", "failed", version_before=version, detail=str(exc)[:200])
            raise
