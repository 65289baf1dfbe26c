"""Shared fixtures: a real database built from the seed into a temporary folder, and AppTest helpers."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from clusterpolicy.data import build

ROOT = Path(__file__).resolve().parents[1]
DASHBOARD = str(ROOT / "dashboard.py")

# The files that take longest (each over 30 s of a worker's time in a full run on the 2-core machine, in this
# order, measured 3 December 2026), started first: the two processes take a file at a time in this order, so a
# long file started last no longer runs on alone at the end (pyproject's --no-loadscope-reorder keeps the order)
SLOW_FIRST = (
    "e2e/test_replicas.py",
    "e2e/test_browser.py",
    "e2e/test_bench.py",
    "test_office.py",
    "test_workbook.py",
    "e2e/test_profile_browser.py",
    "e2e/test_signin.py",
    "e2e/test_library_browser.py",
    "test_exact_files.py",
    "e2e/test_workbook_browser.py",
    "e2e/test_smoke.py",
    "e2e/test_presenter_fit.py",
    "test_import.py",
    "test_marking.py",
    "test_as_it_was.py",
)


def pytest_collection_modifyitems(items):
    """The slowest files first (``SLOW_FIRST``), the others after them in their usual order."""

    def rank(item) -> int:
        path = Path(str(item.fspath)).relative_to(ROOT / "tests").as_posix()
        return SLOW_FIRST.index(path) if path in SLOW_FIRST else len(SLOW_FIRST)

    items.sort(key=rank)  # stable: a file's tests keep their order


# the tests choose the state backend themselves: a developer's own secrets file must not send them to a database
os.environ["CLUSTERPOLICY_APPSTATE_URL"] = ""


@pytest.fixture(scope="session")
def postgres_server():
    """A real PostgreSQL server of this test process (started on first use, stopped at the end)."""
    from tests import pg

    binaries = pg.bindir()
    if binaries is None:
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail("REQUIRE_BROWSER is set but PostgreSQL (initdb) was not found")
        pytest.skip("PostgreSQL is not installed (Debian: postgresql)")
    server = pg.Server(binaries).start()
    yield server
    from clusterpolicy.data import appstate_pg

    appstate_pg.close_all()
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def state_backend(request, monkeypatch) -> str:
    """The application state in each backend in turn: the SQLite file beside the data, or a fresh PostgreSQL schema."""
    if request.param == "postgresql":
        server = request.getfixturevalue("postgres_server")
        monkeypatch.setenv("CLUSTERPOLICY_APPSTATE_URL", server.url(server.new_schema()))
        yield request.param
        from clusterpolicy.data import appstate_pg

        appstate_pg.close_all()
        return
    yield request.param


def refused_write(sql: str) -> str:
    """Run a statement on the state as the app does (its own role); return why the database refused it.

    Fails the test when the database took it.
    """
    from clusterpolicy.data import appstate

    with appstate.connect() as con:
        try:
            con.raw.execute(sql)
        except Exception as exc:  # noqa: BLE001 - sqlite3.IntegrityError, or psycopg's privilege and trigger errors
            return str(exc)
    raise AssertionError(f"the state database took {sql!r}")


def state_env(data_dir: Path, **more: str) -> dict:
    """The environment a second process needs to find the same data and the same state (SQLite file or PostgreSQL)."""
    return {
        "CLUSTERPOLICY_DB": str(data_dir / "clusters.duckdb"),
        "CLUSTERPOLICY_APPSTATE_URL": os.environ.get("CLUSTERPOLICY_APPSTATE_URL", ""),
        "PATH": "/usr/bin:/bin",
        **more,
    }


@pytest.fixture(scope="session")
def seed_db(tmp_path_factory) -> Path:
    """The seed built into a fresh DuckDB file; also the file every AppTest reads."""
    path = tmp_path_factory.mktemp("db") / "clusters.duckdb"
    build.build(target=path)
    os.environ["CLUSTERPOLICY_DB"] = str(path)
    return path


@pytest.fixture()
def data_dir(seed_db, tmp_path, monkeypatch):
    """A fresh copy of the seed database in its own folder, served as the dashboard serves it (caches cleared).

    Its versions, import lock and application-state file (audit trail, library) live beside it.
    """
    import shutil

    from clusterpolicy.web import data as kept

    target = tmp_path / "clusters.duckdb"
    shutil.copyfile(seed_db, target)
    monkeypatch.setenv("CLUSTERPOLICY_DB", str(target))
    kept.clear_caches()
    return tmp_path


@pytest.fixture()
def con(seed_db):
    """A read-only connection to the seed database."""
    c = duckdb.connect(str(seed_db), read_only=True)
    yield c
    c.close()


@pytest.fixture()
def app(seed_db):
    """A fresh AppTest session of the dashboard on the seed database (the process's kept values stay: ``open_link``)."""
    from streamlit.testing.v1 import AppTest

    return AppTest.from_file(DASHBOARD, default_timeout=60)


def open_link(page: str | None = None, params: dict | None = None):
    """A fresh AppTest session opened from a link to ``/<page>`` (None: the overview at ``/``) with these query parameters.

    Before the first run AppTest names the page to open by a file name, as a browser names it by
    its URL path: pages/<page>.py is the script Streamlit runs for /<page> on a fresh server.

    The values the process keeps (``web.data``: query results, figures, scenario results, keyed on the
    served version's file, size and time) stay from one session to the next, as one server process keeps
    them for all its readers: a test on other data has other keys, and a test that needs a cold start
    clears them itself (``data.clear_caches()``).
    """
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    if page:
        at.switch_page(f"pages/{page}.py")
    for k, v in (params or {}).items():
        at.query_params[k] = v
    return at


def _frame_error_texts() -> tuple[str, ...]:
    """The start of the frame's "something went wrong, reference ..." message in each language."""
    from clusterpolicy import i18n

    return tuple(i18n.strings(lang)["error.friendly"].split("{reference}")[0] for lang in i18n.LANGS)


def assert_page_ok(at, errors_allowed: bool = False) -> None:
    """Fail when a run broke: an exception, the frame's error reference, or (unless allowed) any error message.

    The frame catches every page exception and shows a reference instead, so ``at.exception`` stays
    empty on a page that crashed; this helper looks for the reference too.
    """
    assert not at.exception, [e.value for e in at.exception]
    errors = [e.value for e in at.error]
    crashed = [e for e in errors if e.startswith(_frame_error_texts())]
    assert not crashed, crashed
    if not errors_allowed:
        assert not errors, errors


def seed_model(seed_db, lang: str = "nl"):
    """The scenario model's base and presets read from the seed database, as the pages read them."""
    import duckdb

    from clusterpolicy.data import db, model_input

    con = duckdb.connect(str(seed_db), read_only=True)
    try:
        base, _ = model_input.load_base(lambda name, **p: db.run_query(con, name, p))
        presets = model_input.load_presets(lambda name, **p: db.run_query(con, name, p), base, lang)
    finally:
        con.close()
    return base, presets


def made_export(at, kind: str):
    """Open the export panel of the page ``at`` shows, click "make" for ``kind`` and return what was made.

    Returns the panel's ``Made`` record: the file's name and bytes, or the reference of its failure.
    """
    at.session_state["x_panel"] = True
    at.run()
    assert_page_ok(at)
    at.button(key=f"x_{kind}_make").click().run()
    return at.session_state["_x_ready"]


def _blocks(node, kind: str) -> list:
    """Every block of this kind (``popover``, ``expander``, ...) under an AppTest node, in page order."""
    found = []
    for child in node.children.values() if isinstance(getattr(node, "children", None), dict) else []:
        if getattr(child, "type", None) == kind:
            found.append(child)
        found += _blocks(child, kind)
    return found


def open_profile_menus(at):
    """Open every chart's "open a cluster's profile" menu (its links are drawn only while it is open) and rerun."""
    keys = [b.key for b in _blocks(at.main, "popover") if (b.key or "").endswith("_profiles")]
    assert keys, "no chart on this page has a profile menu"
    for key in keys:
        at.session_state[key] = True
    at.run()
    assert_page_ok(at)
    return at
