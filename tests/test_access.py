"""Roles, modes and the audit trail in the core: the data-changing functions refuse anyone but a data
steward themselves, and every import, restore and refusal is in a trail that outlives the process."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from clusterpolicy.data import access, appstate, audit, build, importer, store
from clusterpolicy.data.access import Actor, PermissionDenied
from tests.conftest import refused_write, state_env

ROOT = Path(__file__).resolve().parents[1]
BF = "basic_funding"
GOOD = (ROOT / "data" / "seed" / "basic_funding.csv").read_bytes().replace(b"vil,2024,500000.00", b"vil,2024,450000.00", 1)
CONFIG = access.AccessConfig.from_mapping(
    {
        "viewer_groups": ["cabinet"],
        "steward_groups": ["data-stewards"],
        "viewer_emails": ["Guest@Cabinet.example"],
        "steward_emails": ["lead@cabinet.example"],
        "contact": "data@cabinet.example",
    }
)
VIEWER = Actor(role="viewer", subject="sub-viewer", email="viewer@cabinet.example", name="Vera Viewer")
STEWARD = Actor(role="steward", subject="sub-steward", email="steward@cabinet.example", name="Stan Steward")
NO_ROLE = Actor(role=None, subject="sub-nobody", email="nobody@elsewhere.example")


def served() -> tuple[str, str]:
    path = store.served_path()
    with duckdb.connect(str(path), read_only=True) as con:
        return str(path), build.content_hash(con)


# ---------------------------------------------------------------- roles and modes


@pytest.mark.parametrize(
    "claims, role",
    [
        ({"groups": ["cabinet"]}, "viewer"),
        ({"groups": ["cabinet", "data-stewards"]}, "steward"),
        ({"groups": "data-stewards"}, "steward"),  # a provider that sends one group as a string
        ({"groups": ["Data-Stewards"]}, None),  # group ids are case-sensitive
        ({"groups": []}, None),
        ({}, None),
        ({"groups": [1, None]}, None),
        ({"email": "guest@cabinet.example"}, "viewer"),  # allow-listed, whatever the case
        ({"email": "LEAD@cabinet.example", "groups": ["cabinet"]}, "steward"),
        ({"email": "lead@cabinet.example", "email_verified": False}, None),  # an unverified address counts for nothing
        ({"email": "lead@cabinet.example", "email_verified": True}, "steward"),
        ({"email": "someone@cabinet.example"}, None),
    ],
)
def test_role_from_claims(claims, role):
    assert access.role_for(claims, CONFIG) == role


def test_role_claim_is_configuration():
    config = access.AccessConfig.from_mapping({"role_claim": "roles", "steward_groups": ["steward"]})
    assert access.role_for({"roles": ["steward"]}, config) == "steward"
    assert access.role_for({"groups": ["steward"]}, config) is None


@pytest.mark.parametrize(
    "section, words",
    [
        ({"viewer_group": ["x"]}, "unknown key(s) viewer_group"),
        ({"steward_groups": "ok", "viewer_emails": [1]}, "viewer_emails must be a list of strings"),
        ({"role_claim": ""}, "role_claim must be the name of a claim"),
        ({"contact": 3}, "contact must be a string"),
    ],
)
def test_a_bad_access_section_says_which_key(section, words):
    with pytest.raises(ValueError, match=words.replace("(", r"\(").replace(")", r"\)")):
        access.AccessConfig.from_mapping(section)


def test_no_access_section_gives_no_one_a_role():
    assert access.role_for({"groups": ["cabinet"], "email": "a@b.c"}, access.AccessConfig.from_mapping(None)) is None


@pytest.mark.parametrize(
    "address, loopback",
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("", False),  # Streamlit then listens on every interface
        (None, False),
        ("10.1.2.3", False),
        ("dashboard.cabinet.example", False),
    ],
)
def test_loopback_addresses(address, loopback):
    assert access.is_loopback(address) is loopback
    assert access.mode_for(False, address) == ("local" if loopback else "exposed")
    assert access.mode_for(True, address) == "oidc"


def test_actor_from_claims_keeps_who_they_are():
    actor = access.actor_from_claims(
        {"sub": "abc", "email": "lead@cabinet.example", "name": "Lea", "iss": "http://idp", "groups": []}, CONFIG
    )
    assert actor == Actor(role="steward", subject="abc", email="lead@cabinet.example", name="Lea", via="web", issuer="http://idp")


# ---------------------------------------------------------------- the functions that change data refuse


@pytest.mark.usefixtures("state_backend")
@pytest.mark.parametrize("who", [VIEWER, NO_ROLE, Actor.anonymous(), None], ids=["viewer", "no-role", "exposed", "nobody"])
@pytest.mark.parametrize("dry_run", [False, True], ids=["import", "dry-run"])
def test_import_is_refused_to_anyone_but_a_steward(data_dir, who, dry_run):
    before = served()
    with pytest.raises(PermissionDenied):
        importer.import_file(BF, GOOD, "bf.csv", dry_run=dry_run, actor=who)
    assert served() == before
    assert not store.versions_dir().exists() or not list(store.versions_dir().glob("*.duckdb"))
    entry = audit.events().iloc[0]
    assert (entry.action, entry.outcome) == ("dry_run" if dry_run else "import", "denied")
    assert entry.file_sha256 == hashlib.sha256(GOOD).hexdigest() and entry.file_name == "bf.csv"
    assert entry.email == (who.email if who else "") and entry.role == ((who.role or "") if who else "")


@pytest.mark.usefixtures("state_backend")
@pytest.mark.parametrize("who", [VIEWER, NO_ROLE, Actor.anonymous(), None], ids=["viewer", "no-role", "exposed", "nobody"])
def test_restore_is_refused_to_anyone_but_a_steward(data_dir, who):
    importer.import_file(BF, GOOD, "bf.csv", actor=STEWARD)
    after_import = served()
    with pytest.raises(PermissionDenied):
        store.restore_previous(actor=who)
    assert served() == after_import
    assert tuple(audit.events().iloc[0][["action", "outcome"]]) == ("restore", "denied")


@pytest.mark.usefixtures("state_backend")
def test_every_data_change_is_in_the_trail_with_its_author(data_dir):
    path0, hash0 = served()
    result = importer.import_file(BF, GOOD, "financiering.csv", actor=STEWARD)
    again = importer.import_file(BF, GOOD, "financiering.csv", actor=STEWARD)  # changes nothing
    with pytest.raises(build.ValidationError):
        importer.import_file(BF, GOOD.replace(b"450000.00", b"-1.00"), "bad.csv", actor=STEWARD)
    store.restore_previous(actor=STEWARD)
    assert served() == (path0, hash0)
    trail = audit.events().iloc[::-1]  # oldest first
    assert list(zip(trail.action, trail.outcome, strict=True)) == [
        ("import", "done"),
        ("import", "unchanged"),
        ("import", "refused"),
        ("restore", "done"),
    ]
    done = trail.iloc[0]
    assert done.email == "steward@cabinet.example" and done.subject == "sub-steward" and done.role == "steward"
    assert done.file_name == "financiering.csv" and done.file_sha256 == hashlib.sha256(GOOD).hexdigest()
    assert (done.table_name, done["mode"], done.added, done.changed, done.removed) == (BF, "upsert", 0, 1, 0)
    assert (done.version_before, done.version_after) == (result.version_before, result.version_after)
    assert not again.applied
    assert "1 problem(s)" in trail.iloc[2].detail and "bad.csv" == trail.iloc[2].file_name
    restore = trail.iloc[3]
    assert (restore.version_before, restore.version_after) == (result.version_after, result.version_before)
    assert restore.email == "steward@cabinet.example"
    # the file-based history names the author too
    assert [e.get("by") for e in store.history()] == ["sub-steward", "sub-steward"]


def test_no_change_without_its_author_in_the_trail(data_dir):
    """When the trail cannot be written the switch is undone: the data stay as they were."""
    before = served()
    appstate.path().mkdir()  # a folder where the state file should be: SQLite cannot open it
    with pytest.raises(sqlite3.OperationalError):
        importer.import_file(BF, GOOD, "bf.csv", actor=STEWARD)
    assert served() == before


@pytest.mark.usefixtures("state_backend")
def test_the_trail_is_append_only_and_outlives_the_process(data_dir):
    importer.import_file(BF, GOOD, "bf.csv", actor=STEWARD)
    for sql in ("update audit_event set email = 'someone@else'", "delete from audit_event"):
        why = refused_write(sql)
        assert "append-only" in why or "permission denied" in why, why  # SQLite's trigger; PostgreSQL's role has no such grant
    # another process (a restarted server) reads the same trail
    out = subprocess.run(
        [sys.executable, "-m", "clusterpolicy", "audit"],
        cwd=ROOT,
        env=state_env(data_dir),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "import   done      steward@cabinet.example" in out and "bf.csv" in out


@pytest.mark.usefixtures("state_backend")
def test_a_sign_in_is_recorded_once_per_token(data_dir):
    assert audit.record(VIEWER, "sign_in", "done", once_key="sign_in:idp:sub-viewer:1700000000")
    assert not audit.record(VIEWER, "sign_in", "done", once_key="sign_in:idp:sub-viewer:1700000000")
    assert audit.record(VIEWER, "sign_in", "done", once_key="sign_in:idp:sub-viewer:1700000999")
    assert audit.count() == 2


def test_an_unknown_field_is_an_error_not_a_silent_loss(data_dir):
    with pytest.raises(TypeError, match="file_sha"):
        audit.record(STEWARD, "import", "done", file_sha="abc")


@pytest.mark.usefixtures("state_backend")
def test_the_schema_is_migrated_once_by_several_processes_at_once(data_dir):
    """Eight processes open a new state file at the same moment and write 10 entries each: all 80 kept, ids distinct."""
    code = (
        "import sys; from clusterpolicy.data import audit; from clusterpolicy.data.access import Actor\n"
        "a = Actor(role='steward', subject='p' + sys.argv[1], via='cli')\n"
        "for i in range(10): audit.record(a, 'restore', 'done', detail=str(i))\n"
    )
    env = state_env(data_dir)
    procs = [subprocess.Popen([sys.executable, "-c", code, str(n)], cwd=ROOT, env=env) for n in range(8)]
    assert [p.wait(120) for p in procs] == [0] * 8
    trail = audit.events()
    assert len(trail) == 80 and trail.id.is_unique
    assert sorted(trail.groupby("subject").size()) == [10] * 8


def test_a_process_that_waited_behind_a_migration_does_not_set_the_version_back(data_dir):
    """A process reads version 6, then waits for the lock while another takes the file to the newest version: it
    must find the work done. (Before 3 December 2026 it ran step 7 again, which set the version back to 7, and every
    later open failed on step 8's existing tables: two of twenty eight-process races on a loaded machine.)"""
    import threading

    first = appstate._open(appstate.path())
    for step in appstate.MIGRATIONS[:6]:
        first.execute("begin immediate")
        for statement in appstate.statements(appstate.query(step, "sqlite")):
            first.execute(statement)
        first.execute("commit")
    first.execute("begin immediate")  # the other process holds the lock, not yet migrated
    waiting, outcome = threading.Event(), {}

    def migrate_late():
        late = appstate._open(appstate.path())
        late.set_trace_callback(lambda sql: waiting.set() if sql.startswith("begin immediate") else None)
        outcome["version"] = appstate.migrate(late)
        late.close()

    thread = threading.Thread(target=migrate_late)
    thread.start()
    assert waiting.wait(60)  # the late process has read version 6 and now asks for the lock
    for step in appstate.MIGRATIONS[6:]:
        for statement in appstate.statements(appstate.query(step, "sqlite")):
            first.execute(statement)
    first.execute("commit")
    thread.join(60)
    newest = len(appstate.MIGRATIONS)
    assert outcome == {"version": newest}
    assert first.execute("pragma user_version").fetchone()["user_version"] == newest
    first.close()
    assert audit.record(STEWARD, "restore", "done") and audit.count() == 1  # the file still opens


@pytest.mark.usefixtures("state_backend")
def test_command_line_import_is_recorded_as_the_server_user(data_dir):
    upload = data_dir / "bf.csv"
    upload.write_bytes(GOOD)
    env = state_env(data_dir)
    subprocess.run([sys.executable, "-m", "clusterpolicy", "import", BF, str(upload)], cwd=ROOT, env=env, check=True)
    entry = audit.events().iloc[0]
    assert (entry.action, entry.outcome, entry.via, entry.role) == ("import", "done", "cli", "steward")
    assert entry.subject.startswith("os:")
    out = data_dir / "trail.csv"
    subprocess.run([sys.executable, "-m", "clusterpolicy", "audit", "--csv", str(out)], cwd=ROOT, env=env, check=True)
    text = out.read_bytes().decode("utf-8-sig")
    assert text.splitlines()[0].startswith("id,at,action,outcome,email") and hashlib.sha256(GOOD).hexdigest() in text


def test_the_example_secrets_file_is_a_working_configuration():
    import tomllib

    example = tomllib.loads((ROOT / ".streamlit" / "secrets.toml.example").read_text(encoding="utf-8"))
    assert {"redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url"} <= set(example["auth"])
    assert example["auth"]["redirect_uri"].endswith("/oauth2callback")
    config = access.AccessConfig.from_mapping(example["access"])
    assert access.role_for({"groups": ["cluster-policy-data-stewards"]}, config) == "steward"
    # and the real secrets file is never committed
    assert ".streamlit/secrets.toml" in (ROOT / ".gitignore").read_text()


def test_secrets_from_the_environment_go_into_auth_and_nothing_else_changes():
    from clusterpolicy import serve

    secrets = {"auth": {"client_id": "x", "redirect_uri": "r"}, "access": {"viewer_groups": ["a"]}}
    env = {"CLUSTERPOLICY_AUTH_COOKIE_SECRET": "c" * 40, "CLUSTERPOLICY_AUTH_CLIENT_SECRET": "s3cret"}
    out = serve.merged(secrets, env)
    assert out["auth"] == {"client_id": "x", "redirect_uri": "r", "cookie_secret": "c" * 40, "client_secret": "s3cret"}
    assert out["access"] == secrets["access"] and "cookie_secret" not in secrets["auth"]  # the input is left as it was
    assert serve.merged(secrets, {}) is secrets
    assert serve.merged(secrets, {"CLUSTERPOLICY_AUTH_CLIENT_SECRET": ""}) is secrets  # empty is unset
