"""Links that reopen the same view: state -> URL -> a fresh session -> the same figures; bad links open with defaults and a notice."""

from __future__ import annotations

import base64
import json
import zlib

import pytest
from streamlit.testing.v1 import AppTest

from clusterpolicy import i18n
from clusterpolicy.model import scenarios
from clusterpolicy.present import urlstate
from tests.conftest import assert_page_ok, open_link


def fresh(seed_db, page: str | None = None, params: dict | None = None) -> AppTest:
    """A new session opened from a link to /<page> (the page straight from the link, as a browser does)."""
    at = open_link(page, params).run()
    assert_page_ok(at)
    return at


def _cs(fields: dict) -> str:
    """A custom-scenario link parameter holding these fields (raw, unchecked: as a crafted link would)."""
    raw = json.dumps([fields]).encode()
    return base64.urlsafe_b64encode(zlib.compress(raw, 9)).decode().rstrip("=")


def specs(at) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def link_params(at) -> dict:
    return {k: v for k, v in at.query_params.items()}


def test_scenario_view_round_trip(seed_db):
    at = fresh(seed_db, "scenarios")
    at.multiselect(key="sc").set_value(["continuation", "projects_only", "indexed_intercluster"]).run()
    at.selectbox(key="sc_year").select(2031).run()
    at.session_state["sc_view"] = "sensitivity"
    at.run()
    at.select_slider(key="sc_step").set_value(0.2).run()
    at.selectbox(key="lang").select("en").run()
    # a custom scenario travels in the link too
    at.session_state["sc_editor"] = True  # open the custom-scenario editor
    at.run()
    at.text_input(key="f_continuation_cap_eur").set_value("€ 250.000")
    at.button[0].click().run()
    assert_page_ok(at)
    params = link_params(at)
    assert params["lang"] == ["en"] if isinstance(params["lang"], list) else params["lang"] == "en"
    assert "cs" in params and "v" in params
    assert {k: params[k] for k in ("sc_view", "sc_year", "sc_step")} in (
        {"sc_view": "sensitivity", "sc_year": "2031", "sc_step": "0.2"},
        {"sc_view": ["sensitivity"], "sc_year": ["2031"], "sc_step": ["0.2"]},
    )
    before = specs(at)

    again = fresh(seed_db, "scenarios", params)
    assert again.multiselect(key="sc").value == at.multiselect(key="sc").value
    assert again.selectbox(key="lang").value == "en"
    assert specs(again) == before
    assert not again.warning or all("link" not in w.value.lower() for w in again.warning)


@pytest.mark.parametrize(
    "page, params, check",
    [
        (None, {"ov_year": "2019"}, lambda at: at.selectbox(key="ov_year").value == 2019),
        (
            "earmarked",
            {"ec_years": "2020-2022", "ec_themes": ["energy", "health"]},
            lambda at: (
                at.slider(key="ec_years").value == (2020, 2022) and at.multiselect(key="ec_themes").value == ["energy", "health"]
            ),
        ),
        (
            "kpis",
            {"kpi_clusters": ["medvia"], "kpi_id": "eu_funding_eur", "kpi_year": "2022"},
            lambda at: (
                at.multiselect(key="kpi_clusters").value == ["medvia"] and at.selectbox(key="kpi_id").value == "eu_funding_eur"
            ),
        ),
        ("data", {"data_table": "kpi"}, lambda at: at.selectbox(key="data_table").value == "kpi"),
    ],
)
def test_every_page_opens_from_its_link(seed_db, page, params, check):
    at = open_link(page, params).run()
    assert_page_ok(at)
    assert check(at)
    assert not at.warning


@pytest.mark.parametrize(
    "params, bad",
    [
        ({"sc": ["continuation", "nonsense"]}, "sc"),
        ({"sc_year": "abc"}, "sc_year"),
        ({"sc_step": "9.5"}, "sc_step"),
        ({"sc_cal": "guess"}, "sc_cal"),
        ({"lang": "fr"}, "lang"),
        ({"present": "yes"}, "present"),
        ({"cs": "not-base64-!!"}, "cs"),
        ({"cs": urlstate.encode_scenarios([{"share_start": 7.0}], scenarios.ScenarioParams().to_dict())}, "cs"),
        # a few hundred characters that decode to JSON nested deeper than Python's recursion limit
        ({"cs": base64.urlsafe_b64encode(zlib.compress(b"[" * 100_000, 9)).decode().rstrip("=")}, "cs"),
        ({"cs": _cs({"share_start": [[0.5]]})}, "cs"),
        ({"cs": _cs({"stops": [["vil"]]})}, "cs"),
        ({"cs": _cs({"stops": "vil"})}, "cs"),
        ({"cs": _cs({"name": "x" * 61})}, "cs"),
        ({"cs": _cs({"name": 12})}, "cs"),
        ({"cs": _cs({"basic_end_year": 2200})}, "cs"),
    ],
)
def test_malformed_link_opens_with_defaults_and_a_notice(seed_db, params, bad):
    at = open_link("scenarios", params).run()
    assert_page_ok(at)
    notices = [w.value.replace("\\", "") for w in at.warning]  # markdown escapes, as shown in the browser
    if bad == "cs":  # one plain sentence in the reader's language, not the decoder's message cut mid-word
        assert notices[0] == i18n.t("link.bad_scenarios", "nl"), notices
    else:
        assert any(f"'{bad}'" in n for n in notices), notices
    assert at.multiselect(key="sc").value == ["continuation", "degressive"]
    assert len(at.get("plotly_chart")) == 3  # the first of the three chart sections


def test_link_from_older_data_version_says_so(seed_db):
    at = fresh(seed_db, None, {"v": "000000000000"})
    notices = [w.value for w in at.warning]
    assert any("000000000000" in n for n in notices)


def test_present_flag_in_link(seed_db):
    at = fresh(seed_db, None, {"present": "1", "slide": "2"})
    charts = specs(at)
    assert len(charts) == 1
    assert "Basissubsidie" in charts[0]["layout"]["title"]["text"]


def test_encode_decode_scenarios_round_trip():
    defaults = scenarios.ScenarioParams().to_dict()
    p = scenarios.ScenarioParams(name="Mijn <b>plan</b>", share_end=0.3, stops=(("vil", 2028),), ceiling_eur=1e8)
    text = urlstate.encode_scenarios([p.to_dict()], defaults)
    back = urlstate.decode_scenarios(text, defaults)
    assert scenarios.ScenarioParams.from_dict(back[0]) == p
    with pytest.raises(ValueError):
        urlstate.decode_scenarios(text[:-5] + "AAAAA", defaults)
    with pytest.raises(ValueError):
        urlstate.decode_scenarios("x" * 30_000, defaults)


def test_param_parsing():
    year = urlstate.Param("y", "int", 2024, choices=(2023, 2024))
    assert year.parse(["2023"]) == (2023, True)
    assert year.parse(["2022"]) == (2024, False)
    assert year.parse(["1", "2"]) == (2024, False)
    rng = urlstate.Param("r", "range", (2018, 2025), lo=2018, hi=2025)
    assert rng.parse(["2019-2020"]) == ((2019, 2020), True)
    assert rng.parse(["2021-2019"])[1] is False and rng.parse(["2010-2019"])[1] is False
    lst = urlstate.Param("l", "list", ["a"], choices=("a", "b"), max_items=2)
    assert lst.parse(["b", "a"]) == (["b", "a"], True)
    assert lst.parse(["a", "a"])[1] is False and lst.parse(["c"])[1] is False
    assert lst.serialize(["a"]) is None and lst.serialize(["b"]) == ["b"]
    assert urlstate.Param("f", "float", 0.1).parse(["nan"])[1] is False


def test_a_link_with_one_name_twice_opens_with_distinct_names(seed_db):
    """Links made before the editor kept names apart carry "Eigen scenario 1" twice; ids stay, names part."""
    defaults = scenarios.ScenarioParams().to_dict()
    twice = [scenarios.ScenarioParams(name="Eigen scenario 1", cap_eur=c).to_dict() for c in (300_000.0, 300_000.0)]
    link = {"cs": urlstate.encode_scenarios(twice, defaults), "sc": ["continuation", "custom_1", "custom_2"]}
    at = fresh(seed_db, "scenarios", link)
    assert at.multiselect(key="sc").value == ["continuation", "custom_1", "custom_2"]
    labels = [m.label.replace("\\", "") for m in at.metric]  # as shown: without the Markdown escapes
    assert labels[1].startswith("Eigen scenario 1 ·") and labels[2].startswith("Eigen scenario 1 (2) ·"), labels


def test_a_slide_past_the_end_is_corrected_in_the_link_too(seed_db):
    at = open_link("scenarios", {"present": "1", "slide": "99"}).run()
    assert_page_ok(at)
    assert at.session_state["slide"] == 7  # the last of the scenario deck's seven charts
    assert at.query_params["slide"] in (["7"], "7"), dict(at.query_params)  # and the link says so
