"""Short links: one for any view, kept with the full view it stands for, opening exactly what the long link opens."""

from __future__ import annotations

import json
import urllib.parse

import pytest

from clusterpolicy.data import shortlinks
from clusterpolicy.data.access import Actor
from tests.conftest import assert_page_ok, open_link

# every test here in both state backends (the SQLite file, and PostgreSQL)
pytestmark = pytest.mark.usefixtures("state_backend")


def _specs(at) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def _short(at) -> str:
    at.session_state["x_panel"] = True
    at.run()
    assert_page_ok(at)
    (code_block,) = at.code
    link = code_block.value
    assert len(link) < 60 and "?k=" in link, link  # about 250 characters as a long link
    return urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)["k"][0]


@pytest.mark.parametrize(
    "page, params",
    [
        ("scenarios", {"sc_view": "sensitivity", "sc_step": "0.2", "sc": ["continuation", "projects_only"]}),
        ("kpis", {}),
        ("cluster", {"c": "flux50"}),
        (None, {"lang": "en"}),
    ],
)
def test_a_short_link_opens_what_the_long_link_opens(data_dir, page, params):
    at = open_link(page, params).run()
    assert_page_ok(at)
    long = dict(at.query_params)
    code = _short(at)
    assert _short(at) == code  # the same view, the same short link
    fresh = open_link(page, {"k": code}).run()
    assert_page_ok(fresh)
    assert _specs(fresh) == _specs(at)
    shown = {k: v for k, v in dict(fresh.query_params).items() if k != "k"}
    assert shown == long  # the link bar then shows the full view, data version included
    assert "v" in shown


def test_a_short_link_keeps_custom_scenarios_and_the_data_version(data_dir):
    at = open_link("scenarios").run()
    at.session_state["sc_editor"] = True
    at.run()
    at.text_input(key="f_continuation_ceiling_eur").set_value("96")
    at.button[0].click().run()
    assert_page_ok(at)
    code = _short(at)
    page, query, version = shortlinks.resolve(code, actor=Actor.anonymous())
    assert "cs=" in query and f"v={version}" in query
    fresh = open_link("scenarios", {"k": code}).run()
    assert_page_ok(fresh)
    assert fresh.multiselect(key="sc").value == at.multiselect(key="sc").value
    assert _specs(fresh) == _specs(at)


def test_an_unknown_short_link_opens_the_defaults_with_a_notice(data_dir):
    at = open_link("scenarios", {"k": "aaaaaaaaaa"}).run()
    assert_page_ok(at)
    assert any("aaaaaaaaaa" in w.value for w in at.warning)
    assert at.multiselect(key="sc").value == ["continuation", "degressive"]


def test_only_someone_with_a_role_makes_or_opens_a_short_link(data_dir):
    with pytest.raises(PermissionError):
        shortlinks.make("", "lang=nl", "abc", actor=None)
    with pytest.raises(PermissionError):
        shortlinks.resolve("aaaaaaaaaa", actor=Actor(role=None, subject="x"))
    code = shortlinks.make("kpis", "lang=nl&v=abc", "abc", actor=Actor.anonymous())
    assert shortlinks.resolve(code, actor=Actor.anonymous()) == ("kpis", "lang=nl&v=abc", "abc")
    assert shortlinks.resolve("../etc'; --", actor=Actor.anonymous()) is None
