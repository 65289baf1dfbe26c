"""Backup and restore of what the dashboard cannot rebuild, in both state backends and from one to the other.

A deployment with imported versions, a served version that is not the newest, saved scenarios with
revisions, exports and short links is backed up by the real command; a fresh data folder and an
empty state take the backup back; everything is compared row by row.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from clusterpolicy.data import appstate, audit, backup, importer, library, shortlinks, store
from clusterpolicy.data.access import Actor, PermissionDenied
from clusterpolicy.model import scenarios
from tests.conftest import state_env

ROOT = Path(__file__).resolve().parents[1]
SEED_BF = (ROOT / "data" / "seed" / "basic_funding.csv").read_bytes()
STEWARD = Actor(role="steward", subject="sub-stan", email="stan@kabinet.example", name="Stan")
ANNA = Actor(role="viewer", subject="sub-anna", email="anna@kabinet.example", name="Anna")
CLI = Actor.command_line()


def _busy_deployment() -> str:
    """Two imports, the first served again, a library with revisions, exports and a short link; returns the served version."""
    first = importer.import_file(
        "basic_funding", SEED_BF.replace(b"vil,2024,500000.00", b"vil,2024,450000.00", 1), "a.csv", actor=STEWARD
    )
    importer.import_file(
        "basic_funding", SEED_BF.replace(b"vil,2024,500000.00", b"vil,2024,440000.00", 1), "b.csv", actor=STEWARD
    )
    store.restore(first.version_after, actor=STEWARD)
    saved = library.save_new(
        ANNA, scenarios.ScenarioParams(name="Degressief", share_end=0.3), "voor dinsdag", first.version_after
    )
    library.revise(ANNA, saved.id, data_version=first.version_after, note="na het overleg")
    library.revise(
        STEWARD,
        saved.id,
        data_version=first.version_after,
        params=replace(scenarios.ScenarioParams(), name="Degressief", share_end=0.25),
    )
    library.set_archived(ANNA, library.save_new(ANNA, scenarios.ScenarioParams(name="Oud"), "", first.version_after).id, True)
    audit.record_export(ANNA, "scenarios", "pdf", "briefing.pdf", first.version_after, "/scenarios?lang=nl")
    audit.record_export(
        ANNA, "scenarios", "pptx", "deck.pptx", first.version_after, "/scenarios", outcome="failed", reference="ab12cd34"
    )
    shortlinks.make("scenarios", "lang=nl&sc=cont", first.version_after, actor=ANNA)
    return first.version_after


def _cli(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "clusterpolicy", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def _fresh_target(request, backend: str, tmp_path: Path, seed_db: Path, monkeypatch) -> Path:
    """A new data folder holding only the seed build, and an empty state in ``backend``; made current for this process."""
    folder = tmp_path / "fresh"
    folder.mkdir()
    shutil.copyfile(seed_db, folder / "clusters.duckdb")
    monkeypatch.setenv("CLUSTERPOLICY_DB", str(folder / "clusters.duckdb"))
    if backend == "postgresql":
        server = request.getfixturevalue("postgres_server")
        monkeypatch.setenv("CLUSTERPOLICY_APPSTATE_URL", server.url(server.new_schema()))
    else:
        monkeypatch.setenv("CLUSTERPOLICY_APPSTATE_URL", "")
    return folder


@pytest.mark.parametrize("target", ["same backend", "other backend"])
def test_a_backup_brings_back_the_versions_the_served_one_the_library_the_trail_and_the_exports(
    request, data_dir, state_backend, target, seed_db, tmp_path, monkeypatch
):
    """From SQLite to PostgreSQL is the move from one host to replicas; the other way back to one host."""
    served = _busy_deployment()
    before = backup.state_rows()
    versions_before = {p.name: p.read_bytes() for p in store.versions_dir().glob("*.duckdb")}

    made = _cli(state_env(data_dir), "backup", str(tmp_path / "bk"))
    assert made.returncode == 0, made.stderr
    assert f"serving {served}" in made.stdout
    manifest = json.loads((tmp_path / "bk" / "manifest.json").read_text())
    assert manifest["rows"] == {"audit_event": 3, "scenario": 2, "scenario_revision": 4, "export_event": 2, "short_link": 1}

    other = {"sqlite": "postgresql", "postgresql": "sqlite"}[state_backend]
    folder = _fresh_target(request, state_backend if target == "same backend" else other, tmp_path, seed_db, monkeypatch)
    assert store.served_path() == folder / "clusters.duckdb"  # a new deployment serves the seed build
    back = _cli(state_env(folder), "restore-backup", str(tmp_path / "bk"))
    assert back.returncode == 0, back.stderr

    assert store.version_of(store.served_path()) == served
    assert {p.name: p.read_bytes() for p in store.versions_dir().glob("*.duckdb")} == versions_before
    after = backup.state_rows()
    for table in ("scenario", "scenario_revision", "export_event", "short_link"):
        assert after[table] == before[table], table
    # the trail: every entry as it was, with its own id, and then the restore of the backup itself (the entry for
    # the backup was written to the old state after its snapshot)
    assert after["audit_event"][: len(before["audit_event"])] == before["audit_event"]
    extra = after["audit_event"][len(before["audit_event"]) :]
    assert [(e["action"], e["outcome"], e["via"]) for e in extra] == [("restore", "done", "cli")]
    # and the state goes on: new entries and revisions follow the restored ones, none twice
    audit.record(STEWARD, "restore", "done", detail="after the restore")
    assert audit.events(1)["id"].iloc[0] == max(e["id"] for e in after["audit_event"]) + 1
    sid = next(s["id"] for s in after["scenario"] if s["archived_at"] is None)
    assert library.revise(ANNA, sid, data_version=served, note="verder").revision == 4


def test_a_restore_goes_only_into_an_empty_state_and_changes_nothing_otherwise(request, data_dir, state_backend, tmp_path):
    _busy_deployment()
    backup.backup(tmp_path / "bk", actor=CLI)
    before = backup.state_rows()
    with pytest.raises(backup.BackupError, match=r"is not empty \(audit_event 4, scenario 2"):
        backup.restore_backup(tmp_path / "bk", actor=CLI)
    assert backup.state_rows()["scenario_revision"] == before["scenario_revision"]


def test_a_damaged_or_foreign_backup_is_refused_with_the_file_and_the_reason(data_dir, state_backend, tmp_path):
    _busy_deployment()
    backup.backup(tmp_path / "bk", actor=CLI)
    with pytest.raises(backup.BackupError, match="must be new or empty"):
        backup.backup(tmp_path / "bk", actor=CLI)
    revisions = tmp_path / "bk" / "state" / "scenario_revision.jsonl"
    revisions.write_text(revisions.read_text().replace("na het overleg", "anders"))
    with pytest.raises(backup.BackupError, match=r"scenario_revision.jsonl: its SHA-256 differs"):
        backup.read_manifest(tmp_path / "bk")
    with pytest.raises(backup.BackupError, match="no manifest.json"):
        backup.read_manifest(tmp_path)


def test_only_a_steward_backs_up_or_restores_and_a_refusal_is_in_the_trail(data_dir, state_backend, tmp_path):
    for who in (ANNA, None):
        with pytest.raises(PermissionDenied):
            backup.backup(tmp_path / "bk", actor=who)
    assert not (tmp_path / "bk").exists()
    trail = audit.events()
    assert list(zip(trail.action, trail.outcome, strict=True)) == [("backup", "denied"), ("backup", "denied")]
    assert appstate.backend() == state_backend


def test_a_backup_that_served_the_seed_build_is_not_restored_onto_another_seed(data_dir, state_backend, tmp_path, seed_db):
    import duckdb

    backup.backup(tmp_path / "bk", actor=CLI)  # serving the seed build
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    shutil.copyfile(seed_db, fresh / "clusters.duckdb")
    con = duckdb.connect(str(fresh / "clusters.duckdb"))
    con.execute("update data_version set version = 'anotherseed1'")
    con.close()
    env = state_env(fresh)
    back = _cli(env, "restore-backup", str(tmp_path / "bk"))
    assert back.returncode == 1 and "served the seed build" in back.stderr and "anotherseed1" in back.stderr
