"""What PostgreSQL adds for several replicas: protections that hold for any role, one served version for all, the URL.

Run on a real PostgreSQL server started by the tests (``postgres_server``); the app connects as an
ordinary role that owns its schema.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from clusterpolicy.data import appstate, appstate_pg, audit, importer, store
from clusterpolicy.data.access import Actor
from tests.conftest import state_env

ROOT = Path(__file__).resolve().parents[1]
STEWARD = Actor(role="steward", subject="sub-stan", email="stan@kabinet.example", name="Stan")
SEED_BF = (ROOT / "data" / "seed" / "basic_funding.csv").read_bytes()


@pytest.fixture()
def pg_state(postgres_server, data_dir, monkeypatch):
    schema = postgres_server.new_schema()
    monkeypatch.setenv("CLUSTERPOLICY_APPSTATE_URL", postgres_server.url(schema))
    yield postgres_server, schema
    appstate_pg.close_all()


def test_the_trail_refuses_change_even_to_a_superuser_and_the_app_role_holds_no_such_grant(pg_state):
    server, schema = pg_state
    audit.record(STEWARD, "import", "done", detail="one")
    with appstate.connect() as con:
        grants = con.raw.execute(
            "select has_table_privilege(current_user, 'audit_event', 'UPDATE') as u,"
            " has_table_privilege(current_user, 'audit_event', 'DELETE') as d,"
            " has_table_privilege(current_user, 'audit_event', 'INSERT') as i"
        ).fetchone()
    assert grants == {"u": False, "d": False, "i": True}
    with psycopg.connect(server.admin_url(), autocommit=True, options=f"-c search_path={schema}") as admin:
        for sql in ("update audit_event set email = 'x'", "delete from audit_event", "truncate audit_event"):
            with pytest.raises(psycopg.errors.IntegrityConstraintViolation, match="append-only"):
                admin.execute(sql)
        with pytest.raises(psycopg.errors.IntegrityConstraintViolation, match="never changed"):
            admin.execute("insert into scenario values ('abcdefgh', 's', '', '', 't', 't', null, null, 1)")
            admin.execute("insert into scenario_revision values ('abcdefgh', 1, 'n', '', '{}', 'v', 't', 's', '', '')")
            admin.execute("update scenario_revision set note = 'x'")
    assert audit.events()["detail"].tolist() == ["one"]


def test_every_replica_serves_the_version_switched_on_any_of_them(pg_state, data_dir):
    """A second process with its own copy of nothing but the URL and the shared folder sees an import and a restore."""
    first = importer.import_file(
        "basic_funding", SEED_BF.replace(b"vil,2024,500000.00", b"vil,2024,450000.00", 1), "a.csv", actor=STEWARD
    )
    assert not store.pointer_file().exists()  # with PostgreSQL the served version is a row, not the file
    read = "from clusterpolicy.data import store; print(store.version_of(store.served_path()))"
    other = subprocess.run(
        [sys.executable, "-c", read], cwd=ROOT, env=state_env(data_dir), capture_output=True, text=True, check=True
    )
    assert other.stdout.strip() == first.version_after
    seed = store.version_of(store.db_path())
    restore = f"from clusterpolicy.data import store; from clusterpolicy.data.access import Actor; store.restore({seed!r}, actor=Actor.command_line())"
    subprocess.run([sys.executable, "-c", restore], cwd=ROOT, env=state_env(data_dir), check=True)
    assert store.served_path() == store.db_path()  # the restore on the other replica is seen here at once


def test_a_replica_never_serves_a_file_that_is_not_there(pg_state, data_dir):
    store.versions_dir().mkdir()
    store.switch_to(store.versions_dir() / "missing.duckdb")
    assert store.served_path() == store.db_path()  # the seed build, rather than a file half copied or lost


def test_a_bad_state_url_says_what_is_wrong(monkeypatch):
    monkeypatch.setenv("CLUSTERPOLICY_APPSTATE_URL", "mysql://db/x")
    with pytest.raises(appstate.StateError, match="must be a postgresql:// URL"):
        appstate.backend()
    monkeypatch.setenv("CLUSTERPOLICY_APPSTATE_URL", "postgresql://dashboard:geheim@127.0.0.1:9/nothing")
    with pytest.raises(appstate.StateError, match=r"postgresql://dashboard:\*\*\*@127.0.0.1:9/nothing does not answer") as caught:
        with appstate.connect():
            pass
    assert "geheim" not in str(caught.value)


def test_the_url_can_come_from_the_secrets_file(tmp_path, monkeypatch):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[appstate]\nurl = "postgresql://dashboard@db.internal/clusterpolicy"\n')
    monkeypatch.delenv("CLUSTERPOLICY_APPSTATE_URL")
    monkeypatch.setenv("CLUSTERPOLICY_SECRETS", str(secrets))
    assert appstate.url() == "postgresql://dashboard@db.internal/clusterpolicy"
    secrets.write_text("[auth]\nredirect_uri = 'x'\n")
    assert appstate.backend() == "sqlite"  # the file is read again when it changes


@pytest.mark.usefixtures("data_dir")
def test_an_older_release_goes_on_working_on_a_schema_a_newer_one_migrated(state_backend, monkeypatch):
    """A rollout one replica at a time: the state has a step this code does not know; saving and reading go on."""
    from clusterpolicy.data import appstate_schema, library
    from clusterpolicy.model import scenarios

    newer = (*appstate_schema.MIGRATIONS, "m999_a_later_release")
    audit.record(STEWARD, "import", "done")  # migrated to this release's newest
    with appstate.connect() as con:
        if state_backend == "sqlite":
            con.raw.execute(f"pragma user_version = {len(newer)}")
        else:
            con.raw.execute("update appstate_schema set version = %s", (len(newer),))
    appstate_pg.close_all()  # a new process of the older release
    saved = library.save_new(STEWARD, scenarios.ScenarioParams(name="Na de uitrol"), "", "v")
    assert library.get(saved.id).name == "Na de uitrol" and audit.count() == 1
