"""Backup and restore of everything the dashboard cannot rebuild, for either state backend.

What it cannot rebuild: the imported data versions (``versions/*.duckdb`` and their history), which
one is served, and the application state (the audit trail, the team library with every revision,
the export log, short links). The published seed build is not copied: ``build`` makes it again from
data/seed, and the backup records its version so a restore can say when it differs.

A backup is a folder: the version files, ``history.jsonl``, a JSON-lines file per state table (rows
with their own ids, read as of one moment), and ``manifest.json`` with the served file, the counts
and every file's SHA-256. It is written into a temporary folder beside the target and renamed into
place when complete. The backup is neutral between the backends, so a SQLite deployment moves to
PostgreSQL by backing up and restoring.

A restore goes only into an empty state and a data folder without imported versions (a new
deployment, or one whose state was lost), checks every file against the manifest first, and writes
the state rows in one transaction: it is all there or nothing is.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from clusterpolicy.data import appstate, audit, store
from clusterpolicy.data.access import Actor

FORMAT = 1
MANIFEST = "manifest.json"


class BackupError(ValueError):
    """A backup that cannot be written or restored as asked: says which file or table, and why."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def state_rows() -> dict[str, list[dict]]:
    """Every state table's rows, read in one transaction as of one moment."""
    with appstate.transaction() as con:
        con.run("snapshot")
        return {table: con.run(f"dump_{table}").fetchall() for table in appstate.TABLES}


def backup(target: Path, *, actor: Actor | None = None) -> dict:
    """Write a backup into ``target`` (a folder that must not exist yet, or be empty); returns its manifest.

    Imports and restores wait while it runs (it holds the import lock); readers and writers of the
    state go on.
    """
    audit.require_steward(actor, "backup")
    target = Path(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BackupError(f"{target}: the backup folder must be new or empty")
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        with store.import_lock():
            served = store.served_path()
            files = {}
            (work / "versions").mkdir()
            for source in sorted(store.versions_dir().glob("*.duckdb")):
                copy = work / "versions" / source.name
                shutil.copyfile(source, copy)
                files[f"versions/{source.name}"] = _sha256(copy)
            if store.history_file().is_file():
                shutil.copyfile(store.history_file(), work / "history.jsonl")
                files["history.jsonl"] = _sha256(work / "history.jsonl")
            tables = state_rows()
        for table, rows in tables.items():
            name = f"state/{table}.jsonl"
            (work / "state").mkdir(exist_ok=True)
            with open(work / name, "w", encoding="utf-8") as f:
                for row in rows:
                    f.write(json.dumps(row, sort_keys=True, ensure_ascii=False) + "\n")
            files[name] = _sha256(work / name)
        served_relative = str(served.resolve().relative_to(store.root().resolve()))
        manifest = {
            "format": FORMAT,
            "made_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "made_by": (actor.subject if actor else "") or "",
            "backend": appstate.backend(),
            "schema_version": len(appstate.MIGRATIONS),
            "served_file": served_relative,
            "served_version": store.version_of(served),
            "seed_version": store.version_of(store.db_path()) if store.db_path().is_file() else None,
            "rows": {table: len(rows) for table, rows in tables.items()},
            "files": files,
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        for path in work.rglob("*"):
            if path.is_file():
                store.sync_file(path)
        if target.exists():
            target.rmdir()
        os.replace(work, target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    audit.record(actor, "backup", "done", version_before=manifest["served_version"], file_name=str(target)[:255])
    return manifest


def read_manifest(source: Path) -> dict:
    """The manifest of a backup folder, every file in it checked against its SHA-256 (BackupError otherwise)."""
    source = Path(source)
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise BackupError(f"{source}: no {MANIFEST}; this is not a backup folder") from exc
    except json.JSONDecodeError as exc:
        raise BackupError(f"{source / MANIFEST}: not valid JSON ({exc})") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{source / MANIFEST}: backup format {manifest.get('format')!r}, this code reads {FORMAT}")
    if manifest.get("schema_version", 0) > len(appstate.MIGRATIONS):
        raise BackupError(f"{source}: made by a newer release (state schema {manifest['schema_version']})")
    for name, digest in manifest["files"].items():
        path = (source / name).resolve()
        if source.resolve() not in path.parents:
            raise BackupError(f"{source / MANIFEST}: the file name {name!r} points outside the backup")
        if not path.is_file():
            raise BackupError(f"{source / name}: missing from the backup")
        if _sha256(path) != digest:
            raise BackupError(f"{source / name}: its SHA-256 differs from the manifest's (damaged or changed)")
    return manifest


def _state_rows(source: Path, manifest: dict) -> dict[str, list[dict]]:
    out = {}
    for table in appstate.TABLES:
        name = f"state/{table}.jsonl"
        if name not in manifest["files"]:
            raise BackupError(f"{source}: the backup holds no {name}")
        rows = []
        for number, line in enumerate((source / name).read_text(encoding="utf-8").splitlines(), start=1):
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise BackupError(f"{source / name}, line {number}: not valid JSON ({exc})") from exc
        if len(rows) != manifest["rows"].get(table):
            raise BackupError(f"{source / name}: {len(rows)} rows, the manifest says {manifest['rows'].get(table)}")
        out[table] = rows
    return out


def restore_backup(source: Path, *, actor: Actor | None = None) -> dict:
    """Bring a backup back into an empty state and a data folder without imported versions; returns its manifest.

    Nothing is changed unless every check passes; the state rows go in one transaction, the version
    files are in place (written in full) before the served version is switched to the backup's.
    """
    audit.require_steward(actor, "restore")
    source = Path(source)
    manifest = read_manifest(source)
    rows = _state_rows(source, manifest)
    with store.import_lock():
        served = manifest["served_file"]
        if served == store.db_path().name and store.version_of(store.db_path()) != manifest["served_version"]:
            raise BackupError(
                f"the backup served the seed build {manifest['served_version']}, but {store.db_path()} holds "
                f"{store.version_of(store.db_path())}: build the seed of the release the backup was made with, then restore"
            )
        with appstate.connect() as con:
            held = {k: v for k, v in con.run("state_rows").fetchone().items() if v}
        if held:
            counts = ", ".join(f"{table} {n}" for table, n in held.items())
            raise BackupError(
                f"the state at {appstate.describe()} is not empty ({counts}); a backup is restored into an empty one"
            )
        present = sorted(p.name for p in store.versions_dir().glob("*.duckdb"))
        if present:
            raise BackupError(
                f"{store.versions_dir()} already holds imported versions ({', '.join(present[:3])}); restore into a new data folder"
            )
        if served != store.db_path().name and f"versions/{Path(served).name}" not in manifest["files"]:
            raise BackupError(f"{source / MANIFEST}: the served file {served!r} is not in the backup")
        copied = []
        try:
            for name in manifest["files"]:
                if name.startswith("versions/"):
                    final = store.versions_dir() / Path(name).name
                    partial = final.with_name(final.name + ".restoring")
                    shutil.copyfile(source / name, partial)
                    store.sync_file(partial)
                    os.replace(partial, final)
                    copied.append(final)
            with appstate.transaction() as con:
                for table in appstate.TABLES:
                    for row in rows[table]:
                        con.run(f"restore_{table}", row)
                con.run("identity_catch_up")
        except BaseException:
            for path in copied:
                path.unlink(missing_ok=True)
            raise
        if (source / "history.jsonl").is_file():
            shutil.copyfile(source / "history.jsonl", store.history_file())
        if served != store.db_path().name:
            store.switch_to(store.versions_dir() / Path(served).name, (actor.subject if actor else "") or "")
    audit.record(
        actor,
        "restore",
        "done",
        version_after=manifest["served_version"],
        detail=f"backup {source.name} of {manifest['made_at']}",
    )
    return manifest
