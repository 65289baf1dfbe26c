"""The team library of scenarios: saved for everyone, every revision kept, edits and archiving only by the
author or a data steward, safe for several server processes writing at once, and whole after a kill."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from clusterpolicy.data import appstate, backup, library
from clusterpolicy.data.access import Actor, PermissionDenied
from clusterpolicy.model import scenarios
from tests.conftest import refused_write

ROOT = Path(__file__).resolve().parents[1]
ANNA = Actor(role="viewer", subject="sub-anna", email="anna@kabinet.example", name="Anna")
BART = Actor(role="viewer", subject="sub-bart", email="bart@kabinet.example", name="Bart")
STEWARD = Actor(role="steward", subject="sub-stan", email="stan@kabinet.example", name="Stan")
PARAMS = scenarios.ScenarioParams(name="Degressief tot 30 %", share_start=0.5, share_end=0.3, last_year=2032)


@pytest.fixture()
def state_dir(tmp_path, monkeypatch, state_backend):
    monkeypatch.setenv("CLUSTERPOLICY_DB", str(tmp_path / "clusters.duckdb"))
    return tmp_path


def test_a_saved_scenario_is_kept_with_its_author_and_data_version(state_dir):
    saved = library.save_new(ANNA, PARAMS, "voor het kabinetsoverleg van dinsdag", "abc123def456")
    assert len(saved.id) == 8 and saved.revision == 1 and saved.current_revision == 1
    assert (saved.name, saved.note, saved.author_email, saved.data_version) == (
        "Degressief tot 30 %",
        "voor het kabinetsoverleg van dinsdag",
        "anna@kabinet.example",
        "abc123def456",
    )
    assert scenarios.ScenarioParams.from_dict(saved.params) == PARAMS
    assert [s.id for s in library.listing()] == [saved.id]


@pytest.mark.parametrize(
    "name, note, words",
    [
        ("   ", "", "needs a name"),
        ("x" * 81, "", "at most 80"),
        ("ok", "n" * 501, "at most 500"),
    ],
)
def test_names_and_notes_are_limited(state_dir, name, note, words):
    with pytest.raises(library.LibraryError, match=words):
        library.save_new(ANNA, replace(PARAMS, name=name), note, "v")
    assert library.listing() == []


def test_someone_without_a_role_cannot_save(state_dir):
    for who in (None, Actor(role=None, subject="x")):
        with pytest.raises(PermissionDenied):
            library.save_new(who, PARAMS, "", "v")
    assert library.listing() == []


def test_an_edit_is_a_new_revision_and_the_old_one_stays_readable(state_dir):
    first = library.save_new(ANNA, PARAMS, "eerste versie", "v1")
    second = library.revise(ANNA, first.id, data_version="v2", params=replace(PARAMS, share_end=0.2))
    third = library.revise(ANNA, first.id, data_version="v2", name="Degressief tot 20 %", note="na overleg")
    assert (second.revision, third.revision, third.current_revision) == (2, 3, 3)
    old = library.get(first.id, revision=1)
    assert old.params["share_end"] == 0.3 and old.note == "eerste versie" and old.data_version == "v1"
    assert library.get(first.id).params["share_end"] == 0.2 and library.get(first.id).name == "Degressief tot 20 %"
    assert list(library.revisions(first.id)["revision"]) == [3, 2, 1]
    with pytest.raises(library.LibraryError, match="revision 9"):
        library.get(first.id, revision=9)


def test_only_the_author_or_a_steward_edits_or_archives_and_everyone_duplicates(state_dir):
    saved = library.save_new(ANNA, PARAMS, "", "v")
    with pytest.raises(PermissionDenied):
        library.revise(BART, saved.id, data_version="v", note="overgenomen")
    with pytest.raises(PermissionDenied):
        library.set_archived(BART, saved.id, True)
    copy = library.duplicate(BART, saved.id, "Kopie van Anna's scenario", "v")
    assert copy.id != saved.id and copy.author_email == "bart@kabinet.example"
    assert library.revise(STEWARD, saved.id, data_version="v", note="door de databeheerder").revision == 2
    archived = library.set_archived(ANNA, saved.id, True)
    assert archived.archived and [s.id for s in library.listing()] == [copy.id]
    assert library.find(saved.id).archived  # a link to it still opens it
    assert {s.id for s in library.listing(include_archived=True)} == {saved.id, copy.id}
    assert not library.set_archived(STEWARD, saved.id, False).archived


def test_a_revision_cannot_be_changed_or_removed_in_the_database(state_dir):
    saved = library.save_new(ANNA, PARAMS, "", "v")
    for sql in ("update scenario_revision set note = 'x'", "delete from scenario_revision"):
        why = refused_write(sql)
        assert "never" in why or "permission denied" in why, why  # SQLite's trigger; PostgreSQL's role has no such grant
    assert library.get(saved.id).note == ""


def test_a_scenario_the_model_no_longer_accepts_opens_with_what_still_holds(state_dir):
    saved = library.save_new(ANNA, replace(PARAMS, stops=(("vil", 2027),)), "", "v")
    old = replace(
        saved,
        params={**saved.params, "share_end": 7.5, "cap_eur": "a lot", "retired_knob": 3, "stops": [["atlantis", 2027]]},
    )
    params, dropped = library.usable(old, ("vil", "flux50"))
    assert dropped == ["cap_eur", "retired_knob", "share_end", "stops"]
    assert params.last_year == 2032 and params.share_start == 0.5  # the rest is kept
    defaults = scenarios.ScenarioParams()
    assert (params.share_end, params.cap_eur, params.stops) == (defaults.share_end, defaults.cap_eur, ())
    assert params.name == saved.name
    params.validated()


_WORKER = r"""
import json, sys, threading, time
from dataclasses import replace
from clusterpolicy.data import audit, library
from clusterpolicy.model import scenarios
from clusterpolicy.data.access import Actor

proc, shared, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
me = Actor(role="steward", subject="p" + proc, email=f"p{proc}@test")
errors, made, edits = [], [], []
start_gate = threading.Event()

def work(t):
    start_gate.wait()
    for i in range(n):
        try:
            made.append(library.save_new(me, scenarios.ScenarioParams(name=f"p{proc} t{t} #{i}"), "", "v").id)
            audit.record(me, "dry_run", "done", once_key=f"p{proc} t{t} #{i}")
            rev = library.revise(me, shared, data_version="v", note=f"p{proc} t{t} #{i}").revision
            edits.append(rev)
        except Exception as exc:
            errors.append(repr(exc))

threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
for th in threads: th.start()
began = time.perf_counter(); start_gate.set()
for th in threads: th.join()
print(json.dumps({"made": made, "edits": edits, "errors": errors, "seconds": time.perf_counter() - began}))
"""


def test_server_processes_saving_and_editing_at_once_lose_nothing(state_dir, state_backend):
    """Four threads in each process, 5 saves and 5 edits of one shared scenario per thread, all at once, and an audit
    entry for each save: two processes on one host (SQLite), or two on each of two replicas (PostgreSQL)."""
    shared = library.save_new(STEWARD, PARAMS, "", "v").id
    env = {**os.environ, "CLUSTERPOLICY_DB": str(state_dir / "clusters.duckdb")}
    n_procs = 4 if state_backend == "postgresql" else 2
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _WORKER, str(p), shared, "5"], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
        )
        for p in range(1, n_procs + 1)
    ]
    outs = [json.loads(p.communicate(timeout=180)[0]) for p in procs]
    assert [o["errors"] for o in outs] == [[]] * n_procs
    saves = 20 * n_procs
    made = [sid for o in outs for sid in o["made"]]
    assert len(made) == saves and len(set(made)) == saves  # nothing lost, no id twice
    listed = {s.id for s in library.listing()}
    assert set(made) <= listed and len(listed) == saves + 1
    revisions = library.revisions(shared)
    assert sorted(revisions["revision"]) == list(range(1, saves + 2))  # one edit per save: none twice, no gap
    assert sorted(e for o in outs for e in o["edits"]) == list(range(2, saves + 2))
    for rev in (1, 17, saves + 1):
        assert library.get(shared, rev).revision == rev
    expected = {f"p{p} t{t} #{i}" for p in range(1, n_procs + 1) for t in range(4) for i in range(5)}
    assert sorted(e["once_key"] for e in backup.state_rows()["audit_event"]) == sorted(expected)  # every audit entry kept
    writes_per_s = 3 * saves / max(o["seconds"] for o in outs)
    print(f"{n_procs} processes ({state_backend}): {3 * saves} writes at {writes_per_s:.0f} writes/s, 0 errors, 0 lost")


_KILLED = r"""
import sys
from clusterpolicy.data import library
from clusterpolicy.model import scenarios
from clusterpolicy.data.access import Actor
me = Actor(role="steward", subject="killed")
shared = sys.argv[1]
print("go", flush=True)
i = 0
while True:
    i += 1
    library.revise(me, shared, data_version="v", note=f"edit {i}")
    library.save_new(me, scenarios.ScenarioParams(name=f"s{i}"), "", "v")
"""


def test_a_process_killed_while_saving_leaves_a_whole_store(state_dir):
    shared = library.save_new(STEWARD, PARAMS, "", "v").id
    env = {**os.environ, "CLUSTERPOLICY_DB": str(state_dir / "clusters.duckdb")}
    for _ in range(3):
        proc = subprocess.Popen([sys.executable, "-c", _KILLED, shared], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
        assert proc.stdout.readline().strip() == "go"
        before = library.get(shared).current_revision
        deadline = time.monotonic() + 30
        while library.get(shared).current_revision < before + 3 and time.monotonic() < deadline:
            pass  # until it is in the middle of a stream of saves
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        if appstate.backend() == "sqlite":
            con = sqlite3.connect(appstate.path())
            assert con.execute("pragma integrity_check").fetchone()[0] == "ok"
            con.close()
        current = library.get(shared)
        revs = list(library.revisions(shared)["revision"])
        assert revs == list(range(current.current_revision, 0, -1))  # the newest revision is the current one; no gap
        for s in library.listing():
            assert library.get(s.id).revision == s.current_revision  # every listed scenario opens at its revision
