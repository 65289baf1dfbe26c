"""The team library in the real app (AppTest): save a custom scenario, list it, compare, rename, archive;
short links ?s=<id>; another signed-in user duplicates but cannot archive; text from users shown literally."""

from __future__ import annotations

from dataclasses import replace

import pytest

from clusterpolicy.data import appstate, library
from clusterpolicy.data.access import Actor
from clusterpolicy.model import scenarios
from clusterpolicy.present import urlstate
from tests.conftest import assert_page_ok, open_link
from tests.test_auth_pages import ACCESS, AUTH, STEWARD, VIEWER

DEFAULTS = scenarios.ScenarioParams().to_dict()
MINE = scenarios.ScenarioParams(name="Afbouw naar 30 %", share_end=0.3)

# every test here in both state backends (the SQLite file, and PostgreSQL)
pytestmark = pytest.mark.usefixtures("state_backend")


def open_library(params: dict | None = None, user: dict | None = None):
    at = open_link("scenarios", params)
    if user is not None:
        at.secrets["auth"], at.secrets["access"], at.user = AUTH, ACCESS, user
    at.run()
    at.session_state["sc_library"] = True
    return at.run()


def with_custom(params: scenarios.ScenarioParams = MINE) -> dict:
    return {"cs": urlstate.encode_scenarios([params.to_dict()], DEFAULTS), "sc": ["continuation", "custom_1"]}


def compared(at) -> list[str]:
    return list(at.multiselect(key="sc").value)


def test_save_a_custom_scenario_and_it_is_listed_and_compared(data_dir):
    at = open_library(with_custom())
    assert_page_ok(at)
    assert at.text_input(key="lib_new_name").value == "Afbouw naar 30 %"
    at.text_input(key="lib_new_name").input("Afbouw, variant kabinet")
    at.text_area(key="lib_new_note").input("Besproken op dinsdag; *geen* beslissing")
    at.button(key="lib_save").click().run()
    assert_page_ok(at)
    saved = library.listing()
    assert [s.name for s in saved] == ["Afbouw, variant kabinet"] and saved[0].note.startswith("Besproken")
    assert f"lib_{saved[0].id}" in compared(at)
    table = next(d.value for d in at.dataframe if "Gemaakt door" in d.value.columns)
    assert list(table["Naam"]) == ["Afbouw, variant kabinet"]
    # the note is shown as typed, its Markdown escaped
    assert any(r"\*geen\*" in m.value for m in at.markdown)
    # the short link names it, and the page's link carries it
    assert any(f"?s={saved[0].id}" in c.value for c in at.code)
    assert saved[0].id in at.query_params["s"]


def test_a_short_link_opens_a_saved_scenario_against_the_baseline(data_dir):
    saved = library.save_new(Actor.local(), MINE, "", "v")
    at = open_link("scenarios", {"s": saved.id}).run()
    assert_page_ok(at)
    assert compared(at) == ["continuation", f"lib_{saved.id}"]
    assert at.get("plotly_chart")
    other = library.save_new(Actor.local(), replace(MINE, name="Nog een", share_end=0.2), "", "v")
    at = open_link("scenarios", {"s": [saved.id, other.id]}).run()
    assert compared(at) == [f"lib_{saved.id}", f"lib_{other.id}"]


def test_a_link_to_an_archived_scenario_still_opens_it_marked_archived(data_dir):
    saved = library.save_new(Actor.local(), MINE, "", "v")
    library.set_archived(Actor.local(), saved.id, True)
    at = open_link("scenarios", {"s": saved.id}).run()
    assert_page_ok(at)
    assert f"lib_{saved.id}" in compared(at)
    assert "gearchiveerd" in at.multiselect(key="sc").format_func(f"lib_{saved.id}")


def test_a_link_to_an_unknown_scenario_opens_the_defaults_with_a_notice(data_dir):
    at = open_link("scenarios", {"s": "nOsuch42"}).run()
    assert_page_ok(at)
    assert compared(at) == ["continuation", "degressive"]
    assert any("nOsuch42" in w.value and "niet bestaat" in w.value for w in at.warning)


def test_a_scenario_the_model_no_longer_accepts_opens_with_a_notice(data_dir):
    saved = library.save_new(Actor.local(), MINE, "", "v")
    # an entry written by an older model: a parameter now out of range, one that is gone
    body = '{"name": "Oud", "share_end": 7.5, "retired_knob": 1, "last_year": 2030}'
    revision = {"id": saved.id, "revision": 2, "name": "Oud", "note": "", "params": body, "data_version": "v"}
    with appstate.transaction() as con:
        con.run("library_insert_revision", {**revision, "at": "now", "subject": "x", "email": "", "by_name": ""})
        con.run("library_set_current", {"id": saved.id, "revision": 2, "at": "now"})
    at = open_link("scenarios", {"s": saved.id}).run()
    assert_page_ok(at)
    notice = next(w.value for w in at.warning if "past niet meer" in w.value)
    assert "retired\\_knob" in notice or "retired_knob" in notice
    assert f"lib_{saved.id}" in compared(at)


def test_rename_and_archive_by_the_author(data_dir):
    saved = library.save_new(Actor.local(), MINE, "eerste", "v")
    at = open_library({"s": saved.id})
    at.text_input(key="lib_edit_name").input("Afbouw (herzien)")
    at.button(key="FormSubmitter:lib_edit_form-Naam en toelichting bewaren (nieuwe revisie)").click().run()
    assert_page_ok(at)
    assert library.get(saved.id).name == "Afbouw (herzien)" and library.get(saved.id).current_revision == 2
    revisions = next(d.value for d in at.dataframe if "Revisie" in d.value.columns and "Door" in d.value.columns)
    assert list(revisions["Revisie"]) == [2, 1]
    at.button(key="lib_archive").click().run()
    assert library.get(saved.id).archived
    assert library.listing() == []


def test_another_user_duplicates_but_cannot_archive(data_dir):
    mine = library.save_new(Actor(role="viewer", subject="sub-v", email="vera@kabinet.example", name="Vera"), MINE, "", "v")
    at = open_library(
        {"s": mine.id},
        user=STEWARD | {"sub": "sub-other", "groups": ["cabinet"], "email": "otto@kabinet.example", "name": "Otto"},
    )
    assert_page_ok(at)
    assert not any(b.key == "lib_archive" for b in at.button)
    assert any("Alleen Vera" in c.value for c in at.caption)
    at.button(key="lib_duplicate").click().run()
    assert_page_ok(at)
    copies = [s for s in library.listing() if s.id != mine.id]
    assert [(c.name, c.author_email) for c in copies] == [("Kopie van Afbouw naar 30 %", "otto@kabinet.example")]
    # a replayed archive click (the button drawn for Vera, clicked as Otto) is refused by the library
    vera = open_library({"s": mine.id}, user=VIEWER | {"sub": "sub-v", "email": "vera@kabinet.example", "name": "Vera"})
    vera.selectbox(key="lib_pick").select(f"lib_{mine.id}").run()
    vera.user = VIEWER | {"sub": "sub-other", "email": "otto@kabinet.example", "name": "Otto"}
    vera.button(key="lib_archive").click().run()
    assert not library.get(mine.id).archived
    assert any("Geweigerd" in e.value for e in vera.error)


def test_a_data_steward_may_archive_anyones_scenario(data_dir):
    mine = library.save_new(Actor(role="viewer", subject="sub-v", email="vera@kabinet.example"), MINE, "", "v")
    at = open_library({"s": mine.id}, user=STEWARD)
    at.selectbox(key="lib_pick").select(f"lib_{mine.id}").run()
    at.button(key="lib_archive").click().run()
    assert library.get(mine.id).archived


def test_a_name_too_long_is_refused_with_a_message(data_dir):
    at = open_library(with_custom())
    at.text_input(key="lib_new_name").input("   ")
    at.button(key="lib_save").click().run()
    assert_page_ok(at, errors_allowed=True)
    assert any("Geef het scenario een naam" in e.value for e in at.error)
    assert library.listing() == []


def test_a_name_with_markup_is_shown_literally_everywhere(data_dir):
    name = "<b>Vet</b> [klik](http://example.org) *ster*"
    saved = library.save_new(Actor.local(), replace(MINE, name=name), "<script>alert(1)</script>", "v")
    at = open_link("scenarios", {"s": saved.id}).run()
    at.session_state["sc_library"] = True
    at.run()
    assert_page_ok(at)
    specs = " ".join(c.proto.spec for c in at.get("plotly_chart"))
    assert "<b>Vet" not in specs and "&lt;b&gt;Vet&lt;" in specs  # escaped: Plotly would render the tag
    shown = " ".join(m.value for m in at.markdown)
    assert "<script>" not in shown.replace("\\<script\\>", "")  # the note's markup is escaped
    assert name in at.multiselect(key="sc").format_func(f"lib_{saved.id}")  # a plain-text label, as typed


def test_an_earlier_revision_stays_readable_in_the_panel(data_dir):
    saved = library.save_new(Actor.local(), replace(MINE, share_end=0.37), "", "v")
    library.revise(Actor.local(), saved.id, data_version="v", params=replace(MINE, share_end=0.11))

    def shown_parameters(at) -> str:
        frames = [d.value for d in at.dataframe if "Steunpercentage in het laatste jaar" in d.value.to_string()]
        assert len(frames) == 1  # the chosen revision's parameters, one table
        frame = frames[0].set_index("Parameter")  # the names are a column beside the values
        return frame.loc["Steunpercentage in het laatste jaar"].to_string()

    at = open_library({"s": saved.id})
    assert_page_ok(at)
    assert at.selectbox(key="lib_rev").value == 2
    assert "11,0" in shown_parameters(at) and "37,0" not in shown_parameters(at)
    at.selectbox(key="lib_rev").select(1).run()
    assert_page_ok(at)
    assert "37,0" in shown_parameters(at) and "11,0" not in shown_parameters(at)


def test_a_saved_scenario_named_like_the_preset_it_is_compared_with_is_kept_apart(data_dir):
    """Two bars of one name were drawn on one row of the cost breakdown; now the second is "Voortzetting (2)"."""
    import json

    saved = library.save_new(Actor.local(), replace(MINE, name="Voortzetting"), "", "v")
    at = open_link("scenarios", {"s": saved.id}).run()
    assert_page_ok(at)
    assert [m.label.split(" · ")[0].replace("\\", "") for m in at.metric] == [
        "Voortzetting",
        "Voortzetting (2)",
    ]  # Markdown-escaped
    figures = [json.loads(el.proto.spec) for el in at.get("plotly_chart")]
    components = next(f for f in figures if f["data"] and f["data"][0].get("orientation") == "h")
    assert list(components["data"][0]["y"]) == ["Voortzetting", "Voortzetting (2)"]


def test_a_revisions_parameters_are_named_and_a_note_keeps_its_lines(data_dir):
    saved = library.save_new(Actor.local(), MINE, "Eerste regel\nTweede regel", "v")
    at = open_library({"s": saved.id})
    assert at.selectbox(key="lib_pick").value == f"lib_{saved.id}"  # the one the link names
    assert_page_ok(at)
    params = next(d.value for d in at.dataframe if "Parameter" in d.value.columns)
    row = params[params["Parameter"] == "Steunpercentage in het laatste jaar"]
    assert row.iloc[0, 1] == "30,0\xa0%"  # the name beside its value
    assert any("Eerste regel  \n> Tweede regel" in m.value for m in at.markdown)
