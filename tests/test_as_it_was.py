"""A link made before an import reopens on the data it was made on, while that version is kept: the same
figures, a banner that says so, and one click to the current data."""

from __future__ import annotations

import shutil

import pytest

from clusterpolicy import importer, store
from clusterpolicy.access import Actor
from tests.conftest import assert_page_ok, open_link
from tests.test_import import BF, ROW, csv_with


@pytest.fixture()
def data_dir(seed_db, tmp_path, monkeypatch):
    shutil.copyfile(seed_db, tmp_path / "clusters.duckdb")
    monkeypatch.setenv("CLUSTERPOLICY_DB", str(tmp_path / "clusters.duckdb"))
    return tmp_path


def chart_specs(at) -> list[str]:
    return [c.proto.spec for c in at.get("plotly_chart")]


def shown_version(at) -> str:
    return at.query_params["v"][0] if isinstance(at.query_params["v"], list) else at.query_params["v"]


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
