"""A link made before an import reopens on the data it was made on, while that version is kept: the same
figures, a banner that says so, and one click to the current data."""

from __future__ import annotations

import pytest

from clusterpolicy.data import importer, store
from clusterpolicy.data.access import Actor
from tests.conftest import assert_page_ok, open_link
from tests.test_import import BF, ROW, csv_with


def chart_specs(at) -> list[str]:
    return [c.proto.spec for c in at.get("plotly_chart")]


def shown_version(at) -> str:
    return at.query_params["v"][0] if isinstance(at.query_params["v"], list) else at.query_params["v"]


@pytest.mark.usefixtures("state_backend")
def test_a_link_made_before_an_import_reopens_the_old_figures_and_one_click_goes_to_the_current(data_dir):
    before = open_link("overview", {"year": "2024"}).run()
    assert_page_ok(before)
    old_version, old_charts = shown_version(before), chart_specs(before)
    importer.import_file(
        BF, csv_with(BF, ROW, b"vil,2024,250000.00,764000.00,illus_basic_funding"), "bf.csv", actor=Actor.command_line()
    )
    now = open_link("overview", {"year": "2024"}).run()
    assert shown_version(now) != old_version and chart_specs(now) != old_charts  # the import changed the figures

    at = open_link("overview", {"year": "2024", "v": old_version}).run()
    assert_page_ok(at)
    assert chart_specs(at) == old_charts  # exactly what was shown when the link was made
    assert shown_version(at) == old_version  # and the link keeps naming that version
    banner = next(i.value for i in at.info if "Getoond op de data van" in i.value)
    assert old_version in banner
    at.button(key="to_current").click().run()
    assert_page_ok(at)
    assert chart_specs(at) == chart_specs(now) and shown_version(at) == shown_version(now)
    assert not any("Getoond op de data van" in i.value for i in at.info)


def test_a_link_to_a_version_no_longer_kept_opens_the_current_data_and_says_so(data_dir):
    at = open_link("overview", {"v": "0123456789ab"}).run()
    assert_page_ok(at)
    assert any("niet meer bewaard" in w.value and "0123456789ab" in w.value for w in at.warning)
    assert shown_version(at) != "0123456789ab"


@pytest.mark.parametrize("crafted", ["../../etc/passwd", "x" * 300, "abc def", ""])
def test_a_crafted_version_in_a_link_is_never_a_file(data_dir, crafted):
    assert store.version_file(crafted) is None
    at = open_link("overview", {"v": crafted}).run()
    assert_page_ok(at)


STEWARD = Actor(role="steward", subject="sub-s", email="stan@kabinet.example")


def _two_imports():
    """Two imports: the seed, then versions a and b (b served); returns (a, b)."""
    cli = Actor.command_line()
    a = importer.import_file(BF, csv_with(BF, ROW, b"vil,2024,250000.00,764000.00,illus_basic_funding"), "a.csv", actor=cli)
    b = importer.import_file(BF, csv_with(BF, ROW, b"vil,2024,260000.00,764000.00,illus_basic_funding"), "b.csv", actor=cli)
    return a.version_after, b.version_after


@pytest.mark.usefixtures("state_backend")
def test_a_steward_removes_an_old_version_and_a_link_to_it_then_opens_the_current_data(data_dir):
    from clusterpolicy.data import audit

    a, b = _two_imports()
    assert [v["version"] for v in store.old_versions()] == [a]
    store.remove_version(a, actor=STEWARD)
    assert store.version_file(a) is None and store.old_versions() == []
    entry = audit.events().iloc[0]
    assert (entry.action, entry.outcome, entry.email, entry.version_before) == (
        "remove_version",
        "done",
        "stan@kabinet.example",
        a,
    )
    at = open_link("overview", {"v": a}).run()
    assert_page_ok(at)
    assert any("niet meer bewaard" in w.value for w in at.warning) and shown_version(at) == b


@pytest.mark.usefixtures("state_backend")
def test_a_version_saved_scenarios_were_made_on_is_kept_unless_confirmed(data_dir):
    from clusterpolicy.data import library
    from clusterpolicy.model import scenarios

    a, _ = _two_imports()
    library.save_new(STEWARD, scenarios.ScenarioParams(name="Op versie a"), "", a)
    with pytest.raises(store.VersionInUse) as exc:
        store.remove_version(a, actor=STEWARD)
    assert (exc.value.scenarios, exc.value.revisions) == (1, 1) and store.version_file(a) is not None
    store.remove_version(a, actor=STEWARD, confirm=True)
    assert store.version_file(a) is None


@pytest.mark.usefixtures("state_backend")
@pytest.mark.parametrize("who", [Actor(role="viewer", subject="v"), None], ids=["viewer", "nobody"])
def test_only_a_steward_removes_a_version(data_dir, who):
    from clusterpolicy.data.access import PermissionDenied

    a, _ = _two_imports()
    with pytest.raises(PermissionDenied):
        store.remove_version(a, actor=who)
    assert store.version_file(a) is not None


@pytest.mark.usefixtures("state_backend")
def test_the_served_version_and_the_seed_are_never_removed(data_dir):
    seed_version = shown_version(open_link("overview").run())
    assert store.version_file(seed_version) == store.db_path()
    _, b = _two_imports()
    for version in (b, seed_version, "nosuchversion"):
        with pytest.raises(LookupError):
            store.remove_version(version, actor=STEWARD)
    assert store.version_file(b) is not None and store.db_path().is_file()


def test_the_steward_removes_an_old_version_on_the_data_page(data_dir):
    a, _ = _two_imports()
    at = open_link("data").run()
    at.session_state["data_tab"] = "Importeren en versies"
    at.run()
    at.selectbox(key="ver_pick").select(a).run()
    at.button(key="ver_remove").click().run()
    assert_page_ok(at)
    assert store.version_file(a) is None
    assert any(f"Versie {a} verwijderd" in s.value for s in at.success)


def test_migrating_the_trail_keeps_its_entries_and_its_protection(data_dir):
    import sqlite3

    from clusterpolicy.data import appstate, audit

    con = sqlite3.connect(appstate.path(), isolation_level=None)
    for script in appstate.MIGRATIONS[:2]:  # a state file as the previous release left it
        con.executescript(appstate.query(script, "sqlite"))
    con.execute(
        "insert into audit_event (at, action, outcome, via, email) values ('2026-11-30T10:00:00.000000Z', 'import', 'done', 'cli', 'old@x')"
    )
    con.close()
    assert audit.events().email.tolist() == ["old@x"]  # migrated on open, the old entry kept
    audit.record(STEWARD, "remove_version", "done", version_before="abc")
    assert audit.count() == 2
    with sqlite3.connect(appstate.path()) as con:
        assert con.execute("pragma user_version").fetchone()[0] == len(appstate.MIGRATIONS)
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            con.execute("delete from audit_event")


@pytest.mark.usefixtures("state_backend")
def test_a_version_a_logged_export_was_made_on_is_kept_unless_confirmed(data_dir):
    from clusterpolicy.data import audit

    a, _ = _two_imports()
    audit.record_export(STEWARD, "Overzicht", "pptx", "overzicht.pptx", a, "http://x/?v=" + a)
    assert store.references(a) == (0, 0, 1)
    with pytest.raises(store.VersionInUse) as exc:
        store.remove_version(a, actor=STEWARD)
    assert exc.value.exports == 1 and "1 logged export" in str(exc.value)
    store.remove_version(a, actor=STEWARD, confirm=True)
    assert store.version_file(a) is None
