"""The one parameter specification: the schema, both languages, the model, the editor and the link all agree with it."""

from __future__ import annotations

import shutil
from dataclasses import fields, replace

import duckdb
import pytest
from hypothesis import given, settings

from clusterpolicy import i18n
from clusterpolicy.model import paramspec, scenarios
from clusterpolicy.model.scenarios import ScenarioParams
from clusterpolicy.present import urlstate
from tests import strategies
from tests.conftest import assert_page_ok, open_link


def test_every_model_field_is_specified_once():
    model = [f.name for f in fields(ScenarioParams) if f.name != "preset_id"]
    assert sorted(paramspec.NAMES) == sorted(model)
    assert len(set(paramspec.NAMES)) == len(paramspec.NAMES)


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_both_languages_label_every_parameter_and_its_unit(lang):
    strings = i18n.strings(lang)
    for spec in paramspec.SPECS:
        label = paramspec.label(spec, lang)
        assert label and "{" not in label, spec.name
        if spec.unit in ("share", "rate", "eur", "eur_m"):
            # the unit is said once, by the specification, not typed into the label
            assert strings[f"unit_form.{spec.unit}"] in label
            assert strings[f"unit_form.{spec.unit}"] not in paramspec.label(spec, lang, with_unit=False)
        if spec.optional:
            assert strings["unit_form.none_zero"] in label


def test_the_editors_none_is_no_value_of_an_optional_parameter():
    """The editor writes 0 for "none": were 0 a value in range, it could not be entered (a ceiling of 0 was lost)."""
    for spec in paramspec.SPECS:
        if spec.optional:
            assert not spec.lo <= 0 <= spec.hi, spec.name
            assert spec.from_display(0) is None and spec.to_display(None) == 0


# (column of scenario_preset, parameter) where the preset stores the parameter itself
PRESET_COLUMNS = [s.name for s in paramspec.NUMERIC if s.name not in ("cp_eur", "ic_eur", "ceiling_eur")] + ["ceiling_eur"]


@pytest.fixture()
def preset_db(seed_db, tmp_path):
    """A writable copy of the seed database, to try presets on."""
    path = tmp_path / "presets.duckdb"
    shutil.copy(seed_db, path)
    con = duckdb.connect(str(path))
    yield con
    con.close()


def _accepts(con, column: str, value) -> bool:
    """Whether the database takes a copy of the first preset with one column changed."""
    con.execute("begin")
    try:
        con.execute(
            "create temp table probe as select * from scenario_preset where position = 1; "
            "update probe set preset_id = 'probe', position = 99"
        )
        con.execute(f'update probe set "{column}" = $v', {"v": value})  # column from paramspec, not from input
        con.execute("insert into scenario_preset select * from probe")
        return True
    except duckdb.ConstraintException:
        return False
    finally:
        con.execute("rollback")


@pytest.mark.parametrize("name", PRESET_COLUMNS)
def test_the_schema_takes_exactly_the_specified_range(preset_db, name):
    spec = paramspec.BY_NAME[name]
    # years: keep the horizon rule out of the way by moving the other end with the probed one
    if name in ("first_year", "last_year"):
        for year, ok in ((spec.lo, True), (spec.hi, True), (spec.lo - 1, False), (spec.hi + 1, False)):
            preset_db.execute("begin")
            try:
                preset_db.execute(
                    "insert into scenario_preset select * replace ('probe' as preset_id, 99 as position, "
                    "$y::smallint as first_year, $y::smallint as last_year) from scenario_preset where position = 1",
                    {"y": int(year)},
                )
                took = True
            except duckdb.ConstraintException:
                took = False
            finally:
                preset_db.execute("rollback")
            assert took is ok, (name, year)
        return
    step = spec.step or 1
    assert _accepts(preset_db, name, spec.lo) and _accepts(preset_db, name, spec.hi)
    below, above = spec.lo - step, spec.hi + step
    assert not _accepts(preset_db, name, below), (name, below)
    assert not _accepts(preset_db, name, above), (name, above)


@settings(max_examples=300, deadline=None)
@given(strategies.scenario(("vil", "catalisti", "flux50")))
def test_every_accepted_scenario_survives_the_editor_and_the_link(params):
    params.validated(("vil", "catalisti", "flux50"))
    shown = scenarios.to_form(params)
    # every value lies inside its widget's range
    for spec in paramspec.NUMERIC:
        lo, hi, _ = spec.display_bounds()
        assert lo <= shown[spec.name] <= hi, (spec.name, shown[spec.name], lo, hi)
    assert scenarios.from_form(shown) == params
    defaults = ScenarioParams().to_dict()
    back = urlstate.decode_scenarios(urlstate.encode_scenarios([params.to_dict()], defaults), defaults)
    assert ScenarioParams.from_dict(back[0]) == params


def test_the_property_tests_draw_every_parameter_of_the_specification():
    """The strategies are derived from the specification: over 200 draws every parameter (switches, names,
    stops and the ceiling path included) takes at least two values, so no part of the model goes untested."""
    seen: dict[str, set] = {name: set() for name in paramspec.NAMES}

    @settings(max_examples=200, deadline=None, database=None)
    @given(strategies.scenario(("vil", "catalisti", "flux50")))
    def draw(params):
        for name in paramspec.NAMES:
            seen[name].add(repr(getattr(params, name)))

    draw()
    assert [name for name, values in seen.items() if len(values) < 2] == []


def test_out_of_range_values_are_named_with_the_specified_range():
    for spec in paramspec.NUMERIC:
        with pytest.raises(scenarios.ScenarioError) as exc:
            replace(ScenarioParams(), **{spec.name: spec.hi + (spec.step or 1)}).validated()
        assert any(name == spec.name and f"{spec.hi:g}" in msg for name, msg in exc.value.problems), spec.name


# scenarios that broke the editor or lost data in it: years past the old form's 2045, stops of two
# clusters in different years, an optional ceiling and a basic end year
HARD = [
    ScenarioParams(name="Late", first_year=2040, last_year=2055, basic_end_year=2048, new_clusters=2, new_from_year=2048),
    ScenarioParams(name="Stops", stops=(("vil", 2027), ("flux50", 2031)), ceiling_eur=30e6, cap_indexation=0.015),
    ScenarioParams(name="Shares", share_start=0.4321, share_end=0.1234, perf_share=0.35, cp_eur=12_345_678.91),
]


@pytest.mark.parametrize("params", HARD, ids=[p.name for p in HARD])
def test_a_scenario_from_a_link_opens_in_the_editor_and_saves_back_unchanged(seed_db, params):
    defaults = ScenarioParams().to_dict()
    link = {"cs": urlstate.encode_scenarios([params.to_dict()], defaults), "sc": ["continuation", "custom_1"]}
    at = open_link("scenarios", link).run()
    assert_page_ok(at)
    at.session_state["sc_editor"] = True
    at.run()
    at.selectbox(key="sc_from").select("custom_1").run()
    assert_page_ok(at)
    # the stops are shown, each with its own year
    assert sorted(at.multiselect(key="f_custom_1_stops").value) == sorted(c for c, _ in params.stops)
    for cid, year in params.stops:
        assert at.number_input(key=f"f_custom_1_stop_{cid}").value == year
    assert at.slider(key="f_custom_1_horizon").value == (params.first_year, params.last_year)
    at.button[0].click().run()  # save without changing anything
    assert_page_ok(at)
    kept = at.session_state["custom_scenarios"]
    assert list(kept) == ["custom_1"]  # not added a second time
    assert ScenarioParams.from_dict(kept["custom_1"]) == params
    assert any("al in de vergelijking" in i.value for i in at.info)
