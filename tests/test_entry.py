"""Numbers typed the Belgian way: the editor shows amounts and shares as the pages write them and reads them back."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clusterpolicy import i18n
from clusterpolicy.model import paramspec
from clusterpolicy.web import editor
from tests.conftest import assert_page_ok, open_link


@pytest.mark.parametrize(
    "text, lang, value",
    [
        ("500.000", "nl", 500_000.0),
        ("€ 500.000", "nl", 500_000.0),
        ("2,75", "nl", 2.75),
        ("2,75 %", "nl", 2.75),
        ("2.75", "nl", 2.75),  # an English decimal point on the Dutch page is read as meant
        ("\u22124,19", "nl", -4.19),
        ("1.234.567,5", "nl", 1_234_567.5),
        ("500,000", "en", 500_000.0),
        ("€90.00 m", "en", 90.0),
        ("2,5", "en", 2.5),
    ],
)
def test_a_number_is_read_as_the_reader_writes_it(text, lang, value):
    assert i18n.parse_number(text, lang) == value


@pytest.mark.parametrize("text", ["", "veel", "1,2,3", "€", "2..5"])
def test_text_that_is_no_number_is_refused(text):
    with pytest.raises(ValueError):
        i18n.parse_number(text, "nl")


TYPED = [s for s in paramspec.SPECS if s.unit in editor.TYPED and s.widget == "number"]


@settings(max_examples=200, deadline=None)
@given(data=st.data(), lang=st.sampled_from(["nl", "en"]))
def test_what_a_field_shows_reads_back_as_the_same_value(data, lang):
    """No value is lost between the field and the model: a scenario saved unchanged stays the same scenario."""
    spec = data.draw(st.sampled_from(TYPED))
    lo, hi, _ = spec.display_bounds()
    cents = {"eur": 2, "eur_m": 8, "rate": 8}[spec.unit]
    value = round(data.draw(st.floats(min_value=lo, max_value=min(hi, 1e6), allow_nan=False)), cents)
    text = editor.entry_text(spec, value, lang)
    read, issue = editor.entry_value(spec, text, lang)
    assert issue is None and read == pytest.approx(0.0 if (spec.optional and not value) else value, abs=10**-cents), text


@pytest.mark.parametrize(
    "spec, lang, shown, text",
    [
        ("cap_eur", "nl", 500_000.0, "€ 500.000"),
        ("cap_eur", "en", 500_000.0, "€500,000"),
        ("cp_eur", "nl", 90.0, "€ 90,00 mln"),
        ("ceiling_eur", "nl", 0.0, ""),
        ("cap_indexation", "nl", 2.75, "2,75\xa0%"),
        ("cap_indexation", "en", 2.0, "2.0%"),
    ],
)
def test_a_field_shows_a_value_as_the_pages_write_it(spec, lang, shown, text):
    assert editor.entry_text(paramspec.BY_NAME[spec], shown, lang).replace("\xa0", " ") == text.replace("\xa0", " ")


def _editor(lang: str = "nl"):
    at = open_link("scenarios", {"lang": lang})
    at.session_state["sc_editor"] = True
    at.run()
    assert_page_ok(at)
    return at


def test_the_editor_shows_and_takes_belgian_amounts_and_shares(seed_db):
    at = _editor()
    assert at.text_input(key="f_continuation_cap_eur").value.replace("\xa0", " ") == "€ 500.000"
    assert at.select_slider(key="f_continuation_share_end").value == 50.0
    at.text_input(key="f_continuation_cap_eur").set_value("€ 0,3 mln")
    at.text_input(key="f_continuation_cap_indexation").set_value("2,75 %")
    at.button[0].click().run()
    assert_page_ok(at)
    saved = at.session_state["custom_scenarios"]["custom_1"]
    assert saved["cap_eur"] == 300_000.0 and saved["cap_indexation"] == pytest.approx(0.0275)


@pytest.mark.parametrize("lang, words", [("nl", "is niet te lezen als bedrag"), ("en", "cannot be read as an amount")])
def test_an_amount_that_cannot_be_read_is_refused_in_the_readers_language(seed_db, lang, words):
    at = _editor(lang)
    at.text_input(key="f_continuation_cap_eur").set_value("vijfhonderdduizend")
    at.button[0].click().run()
    assert_page_ok(at, errors_allowed=True)
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and words in errors[0] and "vijfhonderdduizend" in errors[0], errors
    assert not at.session_state["custom_scenarios"]  # nothing saved


def test_a_value_out_of_range_is_named_in_dutch_with_its_range_in_euro(seed_db):
    at = _editor()
    at.text_input(key="f_continuation_cap_eur").set_value("€ 9.000.000")
    at.button[0].click().run()
    assert_page_ok(at, errors_allowed=True)
    (error,) = [e.value.replace("\xa0", " ").replace("\\", "") for e in at.error]
    assert "buiten het toegelaten bereik" in error and "€ 5.000.000" in error, error
    assert "outside" not in error


def test_switching_language_keeps_the_editor_open_and_translates_its_fields_and_the_chips(seed_db):
    """(Text typed into the form and not yet saved is the browser's until Save: the form sends it then.)"""
    at = _editor()
    at.selectbox(key="lang").select("en").run()
    assert_page_ok(at)
    assert at.session_state["sc_editor"] is True
    assert at.text_input(key="f_continuation_cap_eur").value == "€500,000"
    assert at.text_input(key="f_continuation_cap_eur").label.startswith("Cap on the basic subsidy")
    chips = at.multiselect(key="sc")
    assert [chips.format_func(o) for o in chips.value] == ["Continuation", "Degressive to 25 %"]
    at.text_input(key="f_continuation_cap_eur").set_value("€450,000")
    at.button[0].click().run()
    assert at.session_state["custom_scenarios"]["custom_1"]["cap_eur"] == 450_000.0


def test_a_made_up_scenario_name_follows_the_language(seed_db):
    at = _editor()
    assert at.text_input(key="f_continuation_name").value == "Eigen scenario 1"
    at.selectbox(key="lang").select("en").run()
    assert at.text_input(key="f_continuation_name").value == "Custom scenario 1"
