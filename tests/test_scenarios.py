"""The funding-scenario model: hand-computed cases, refused parameters, and properties over random scenarios."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clusterpolicy.data import db, model_input
from clusterpolicy.model import scenarios, sensitivity
from clusterpolicy.model.scenarios import COMPONENTS, Base, ScenarioError, ScenarioParams, run
from tests import strategies

BASE = Base(
    year=2024,
    cluster_ids=("a", "b"),
    cluster_names=("A", "B"),
    budget_eur=np.array([1_200_000.0, 600_000.0]),
    public_eur=np.array([500_000.0, 300_000.0]),
    attainment=np.array([1.0, 0.5]),
    cp_eur=10_000_000.0,
    ic_eur=2_000_000.0,
)
P = ScenarioParams(name="Base", cp_eur=10_000_000.0, ic_eur=2_000_000.0)


def public(result, cluster, year):
    c = result.clusters
    return float(c.loc[(c.cluster_id == cluster) & (c.year == year), "public_eur"].iloc[0])


def test_cap_binds_and_share_applies_below_it():
    r = run(BASE, P)
    assert public(r, "a", 2025) == 500_000  # 50 % of 1.2 M is 600 k, capped
    assert public(r, "b", 2025) == 300_000  # 50 % of 600 k, under the cap
    assert r.years["basic_eur"].tolist() == [800_000.0] * 10
    assert r.years["total_eur"].iloc[0] == 12_800_000


def test_degressive_path_reaches_exactly_its_end_share():
    r = run(BASE, replace(P, share_end=0.25))
    assert public(r, "b", 2034) == 150_000  # 25 % of 600 k
    assert public(r, "a", 2034) == 300_000  # 25 % of 1.2 M, now under the cap
    assert public(r, "b", 2025) == 300_000
    share_2029 = 0.5 - 0.25 * 4 / 9
    assert public(r, "b", 2029) == pytest.approx(round(share_2029 * 600_000, 2))
    # what the government saves, the members must find
    c = r.clusters
    assert float(c.loc[(c.cluster_id == "b") & (c.year == 2034), "member_eur"].iloc[0]) == 450_000


def test_cluster_that_stops_gets_nothing_from_its_stop_year():
    r = run(BASE, replace(P, stops=(("b", 2028),)))
    assert public(r, "b", 2027) == 300_000
    assert public(r, "b", 2028) == 0 and public(r, "b", 2034) == 0
    c = r.clusters
    assert float(c.loc[(c.cluster_id == "b") & (c.year == 2028), "member_eur"].iloc[0]) == 600_000
    assert r.summary["clusters_funded_last_year"] == 1


def test_basic_end_year_stops_everyone():
    r = run(BASE, replace(P, basic_end_year=2025))
    assert r.summary["cumulative_basic_eur"] == 0
    assert r.summary["cumulative_public_eur"] == 12_000_000 * 10
    assert np.isnan(r.summary["leverage"])


def test_new_clusters_appear_in_their_year_and_ramp_up():
    r = run(BASE, replace(P, new_clusters=2, new_from_year=2027, new_budget_eur=900_000, new_ramp_years=3), "New {n}")
    c = r.clusters
    new = c[c.is_new]
    assert set(new.cluster_id) == {"new_1", "new_2"} and set(new.cluster_name) == {"New 1", "New 2"}
    assert new.year.min() == 2027
    assert public(r, "new_1", 2027) == 150_000  # a third of 900 k, at 50 %
    assert public(r, "new_1", 2028) == 300_000
    assert public(r, "new_2", 2029) == 450_000 and public(r, "new_2", 2034) == 450_000
    years = r.years.set_index("year")
    assert years.loc[2026, "basic_eur"] == 800_000
    assert years.loc[2027, "basic_eur"] == 800_000 + 2 * 150_000
    assert years.loc[2027, "clusters_funded"] == 4


def test_one_year_horizon():
    r = run(BASE, replace(P, first_year=2025, last_year=2025, share_start=0.5, share_end=0.4))
    assert len(r.years) == 1
    assert public(r, "b", 2025) == 240_000  # a one-year horizon is its own last year
    assert r.summary["cumulative_public_eur"] == r.years["total_eur"].iloc[0]


def test_ceiling_overshoot_reported_and_only_scaled_on_request():
    r = run(BASE, replace(P, ceiling_eur=12_000_000))
    assert r.years["overshoot_eur"].tolist() == [800_000.0] * 10
    assert r.years["total_eur"].iloc[0] == 12_800_000  # not scaled: the overshoot is shown, not hidden
    assert r.summary["overshoot_years"] == 10 and r.summary["cumulative_overshoot_eur"] == 8_000_000
    s = run(BASE, replace(P, ceiling_eur=12_000_000, scale_to_ceiling=True))
    assert s.years["total_eur"].iloc[0] == pytest.approx(12_000_000, abs=0.02)
    assert s.years["scale_factor"].iloc[0] == pytest.approx(12 / 12.8)
    assert s.years["overshoot_eur"].iloc[0] == 800_000  # reported before scaling
    assert run(BASE, replace(P, ceiling_eur=20_000_000)).summary["overshoot_years"] == 0


def test_performance_share_redistributes_then_caps():
    r = run(BASE, replace(P, perf_share=1.0))
    # pool 800 k split 2:1 by attainment; A's 533 k is cut back to the cap
    assert public(r, "a", 2025) == 500_000
    assert public(r, "b", 2025) == pytest.approx(266_666.67, abs=0.01)
    half = run(BASE, replace(P, perf_share=0.5))
    assert public(half, "b", 2025) == pytest.approx(0.5 * 300_000 + 400_000 / 3, abs=0.01)


def test_growth_indexation_and_envelopes():
    r = run(BASE, replace(P, budget_growth=0.10, cap_indexation=0.02, cp_growth=0.10, ic_growth=-0.2))
    assert public(r, "b", 2025) == 330_000  # 600 k grown 10 % from the base year 2024, at 50 %
    assert public(r, "a", 2026) == pytest.approx(510_000)  # capped; the cap is indexed 2 % a year
    years = r.years.set_index("year")
    assert years.loc[2026, "cluster_projects_eur"] == pytest.approx(11_000_000)
    assert years.loc[2026, "intercluster_eur"] == pytest.approx(1_600_000)


def test_leverage_and_summary():
    r = run(BASE, P)
    assert r.summary["cumulative_members_eur"] == 10 * (700_000 + 300_000)
    assert r.summary["leverage"] == pytest.approx(1_000_000 / 800_000)
    assert r.summary["self_financing_share_last_year"] == pytest.approx(1_000_000 / 1_800_000)


@pytest.mark.parametrize(
    "change, parameter, words",
    [
        ({"share_start": 1.5}, "share_start", "0 to 1"),
        ({"cap_eur": -1.0}, "cap_eur", "0 to 5e+06"),
        ({"first_year": 2030, "last_year": 2029}, "last_year", "before first_year"),
        ({"last_year": 2060}, "last_year", "at most 30 years"),
        ({"new_clusters": 2, "new_from_year": 2040}, "new_from_year", "outside the horizon"),
        ({"stops": (("zz", 2027),)}, "stops", "unknown cluster"),
        ({"budget_growth": float("nan")}, "budget_growth", "outside the allowed range"),
    ],
)
def test_invalid_parameters_are_refused_with_their_name_and_range(change, parameter, words):
    with pytest.raises(ScenarioError) as exc:
        run(BASE, replace(P, **change))
    assert any(name == parameter and words in msg for name, msg in exc.value.problems), exc.value.problems


def test_compare_differences_against_baseline():
    results = [run(BASE, P), run(BASE, replace(P, name="Deg", share_end=0.25))]
    cmp = scenarios.compare(results)
    assert cmp.loc[0, "diff_total_eur"] == 0
    diff = results[1].summary["cumulative_basic_eur"] - results[0].summary["cumulative_basic_eur"]
    assert cmp.loc[1, "diff_basic_eur"] == pytest.approx(diff)
    # same budgets: every euro the government saves, the members add
    assert cmp.loc[1, "diff_members_eur"] == pytest.approx(-diff)


def test_sensitivity_moves_each_parameter_both_ways():
    sens = sensitivity.sensitivity(BASE, P, step=0.1)
    row = sens.set_index("parameter").loc["cp_eur"]
    assert row["low_eur"] == pytest.approx(-0.1 * 10_000_000 * 10)
    assert row["high_eur"] == pytest.approx(0.1 * 10_000_000 * 10)
    assert sens["swing_eur"].is_monotonic_decreasing
    # share_start only matters on the first year's uncapped cluster
    assert sens.set_index("parameter").loc["share_start", "swing_eur"] > 0


def test_form_round_trip():
    p = replace(P, share_end=0.25, ceiling_eur=15_000_000, stops=(("a", 2030),))
    form = scenarios.to_form(p)
    assert form["share_end"] == 25 and form["ceiling_eur"] == 15
    assert scenarios.from_form(form) == p
    form["share_start"] = 150
    with pytest.raises(ScenarioError):
        scenarios.from_form(form)


def test_presets_from_the_database(con):
    funding = db.run_query(con, "scenario_base", {})
    envelopes = db.run_query(con, "earmarked_last_level", {})
    base = Base.from_frames(funding, envelopes)
    presets = {
        r["preset_id"]: scenarios.preset_params(r, base, "en") for _, r in db.run_query(con, "scenario_presets", {}).iterrows()
    }
    assert presets["continuation"].cap_eur == 500_000 and presets["continuation"].share_end == 0.5
    assert presets["degressive"].share_end == 0.25 and presets["degressive"].last_year == 2034
    assert presets["projects_only"].basic_end_year == presets["projects_only"].first_year
    assert presets["indexed_intercluster"].ic_eur == pytest.approx(1.5 * base.ic_eur)
    deg = run(base, presets["degressive"])
    cont = run(base, presets["continuation"])
    assert deg.summary["cumulative_basic_eur"] < cont.summary["cumulative_basic_eur"]
    assert run(base, presets["projects_only"]).summary["cumulative_basic_eur"] == 0


# ---- properties over random scenarios

# every scenario the specification allows, on BASE's two clusters (tests/strategies.py derives it from paramspec)
params_strategy = strategies.scenario(("a", "b"))


@settings(max_examples=150, deadline=None)
@given(params_strategy)
def test_public_plus_members_plus_shortfall_is_the_operating_budget(params):
    r = run(BASE, params)
    c = r.clusters
    assert np.allclose(c["public_eur"] + c["member_eur"] + c["shortfall_eur"], c["budget_eur"], atol=0.011)
    assert (c["public_eur"] >= 0).all() and (c["member_eur"] >= -0.011).all() and (c["shortfall_eur"] >= 0).all()
    if not params.member_cap:
        assert (c["shortfall_eur"] == 0).all()
    assert r.summary["cumulative_shortfall_eur"] == pytest.approx(c["shortfall_eur"].sum(), abs=0.05)


@settings(max_examples=150, deadline=None)
@given(params_strategy)
def test_cumulative_cost_is_the_sum_of_yearly_costs(params):
    r = run(BASE, params)
    assert r.summary["cumulative_public_eur"] == pytest.approx(r.years["total_eur"].sum(), abs=0.05)
    # every cost part the model names, the thematic projects included (a part left out would not add up)
    parts = r.years[list(COMPONENTS)].sum(axis=1)
    assert np.allclose(parts, r.years["total_eur"], atol=0.05)


@settings(max_examples=150, deadline=None)
@given(params_strategy, st.floats(0, 1_000_000))
def test_public_cost_never_falls_when_the_cap_rises(params, extra):
    low = run(BASE, params).summary["cumulative_public_eur"]
    high = run(BASE, replace(params, cap_eur=min(params.cap_eur + extra, 5_000_000))).summary["cumulative_public_eur"]
    # every amount (each cluster's subsidy, both envelopes) is rounded to the cent on its own, each year
    amounts = len(BASE.cluster_ids) + params.new_clusters + 2
    assert high >= low - 0.01 * amounts * len(range(params.first_year, params.last_year + 1))


# ---------------------------------------------------------------- calibration of the starting point


def test_calibrated_to_a_total_scales_every_base_amount_and_the_cap_by_one_factor():
    """A (capped at 500k) and B (300k) make 800k; to a total of 1.2 M the factor is 1.5, by hand:
    A: min(0.5 x 1.8 M, 1.5 x 500k) = 750k; B: min(0.5 x 900k, 750k) = 450k; together 1.2 M."""
    calibrated = BASE.calibrated(1_200_000.0)
    assert calibrated.scale == pytest.approx(1.5)
    assert calibrated.calibration == "total" and calibrated.total_eur == 1_200_000.0
    r = run(calibrated, P)
    assert public(r, "a", 2025) == pytest.approx(750_000.0)
    assert public(r, "b", 2025) == pytest.approx(450_000.0)
    assert r.years["basic_eur"].iloc[0] == pytest.approx(1_200_000.0)
    members = r.clusters.set_index(["cluster_id", "year"])["member_eur"]
    assert members[("a", 2025)] == pytest.approx(1_050_000.0) and members[("b", 2025)] == pytest.approx(450_000.0)
    assert (r.calibration, r.scale, r.total_eur, r.base_year) == ("total", pytest.approx(1.5), 1_200_000.0, 2024)
    # the rule's result, every amount times the factor; the split over the clusters is unchanged
    rule = run(BASE, P)
    assert np.allclose(r.clusters["public_eur"], rule.clusters["public_eur"] * 1.5, atol=0.01)
    assert rule.calibration == "rule" and rule.scale == 1.0


def test_calibrated_to_its_own_total_changes_nothing():
    same = run(BASE.calibrated(800_000.0), P)
    assert same.summary["cumulative_basic_eur"] == pytest.approx(run(BASE, P).summary["cumulative_basic_eur"])


def test_a_new_cluster_keeps_its_own_budget_under_the_scaled_cap():
    """New clusters' budgets are a parameter, not data: the calibration scales only the cap they are held to."""
    p = replace(P, new_clusters=1, new_from_year=2025, new_budget_eur=2_000_000.0, new_ramp_years=1)
    rule, total = run(BASE, p), run(BASE.calibrated(1_200_000.0), p)
    assert public(rule, "new_1", 2025) == pytest.approx(500_000.0)  # 0.5 x 2 M, capped at 500k
    assert public(total, "new_1", 2025) == pytest.approx(750_000.0)  # capped at 1.5 x 500k


@pytest.mark.parametrize("total", [0.0, -1.0])
def test_calibration_to_no_total_is_refused(total):
    with pytest.raises(ValueError, match="positive total"):
        BASE.calibrated(total)


# ---------------------------------------------------------------- members' capacity


def test_capped_members_pay_exactly_the_caps_growth_and_the_rest_is_a_shortfall():
    """No basic subsidy from 2025: A's members are asked its whole 1.2 M budget, B's its 600k.

    They paid 700k and 300k in 2024; growing at most 10 % a year they can pay 770k and 330k in 2025,
    847k and 363k in 2026. The rest (430k and 270k, then 353k and 237k) is at risk, and not spent.
    """
    p = replace(P, basic_end_year=2025, member_cap=True, member_growth=0.10)
    r = run(BASE, p)
    c = r.clusters.set_index(["cluster_id", "year"])
    assert c.loc[("a", 2025), "member_eur"] == pytest.approx(770_000.0)
    assert c.loc[("a", 2025), "shortfall_eur"] == pytest.approx(430_000.0)
    assert c.loc[("b", 2025), "member_eur"] == pytest.approx(330_000.0)
    assert c.loc[("b", 2025), "shortfall_eur"] == pytest.approx(270_000.0)
    assert c.loc[("a", 2026), "member_eur"] == pytest.approx(847_000.0)
    assert c.loc[("b", 2026), "shortfall_eur"] == pytest.approx(600_000.0 - 363_000.0)
    assert (c["public_eur"] == 0).all()  # the shortfall is reported, not paid by the government
    assert r.years["basic_eur"].sum() == 0 and r.summary["clusters_short"] == 2
    # once the members' capacity has grown past the budget, there is no shortfall left
    a = c.loc["a"]
    assert a.loc[2034, "shortfall_eur"] == 0 and a.loc[2034, "member_eur"] == pytest.approx(1_200_000.0)


def test_a_limit_members_stay_under_changes_nothing():
    """Continuation asks A's members the 700k they paid; B's 300k: at 0 % growth, no shortfall."""
    p = replace(P, member_cap=True, member_growth=0.0)
    r, free = run(BASE, p), run(BASE, P)
    assert r.summary["cumulative_shortfall_eur"] == 0 and r.summary["clusters_short"] == 0
    assert r.clusters["member_eur"].tolist() == free.clusters["member_eur"].tolist()


def test_a_new_clusters_members_start_from_their_first_year():
    """A new cluster (800k after one year's ramp, 50 %) asks its members 400k in its first year;
    with no subsidy from 2029 they are asked 800k, and can pay 400k grown 5 % a year."""
    p = replace(P, new_clusters=1, new_from_year=2027, new_ramp_years=1, basic_end_year=2029, member_cap=True, member_growth=0.05)
    c = run(BASE, p).clusters.set_index(["cluster_id", "year"])
    assert c.loc[("new_1", 2027), "member_eur"] == pytest.approx(400_000.0)
    assert c.loc[("new_1", 2029), "member_eur"] == pytest.approx(400_000.0 * 1.05**2)
    assert c.loc[("new_1", 2029), "shortfall_eur"] == pytest.approx(800_000.0 - 400_000.0 * 1.05**2)


def test_a_preset_from_a_data_version_older_than_a_parameter_takes_its_default():
    """A served file built before members' capacity existed has no member_cap column in its presets."""
    row = {
        "preset_id": "old",
        "name_nl": "Oud",
        "cp_factor": 1.0,
        "ic_factor": 1.0,
        **{
            s.name: getattr(P, s.name) for s in scenarios.paramspec.NUMERIC if s.name not in ("member_growth", "cp_eur", "ic_eur")
        },
        "scale_to_ceiling": False,
    }
    params = scenarios.preset_params(row, BASE)
    assert params.member_cap is False and params.member_growth == 0.0
    assert run(BASE, params).summary["cumulative_shortfall_eur"] == 0


# ---------------------------------------------------------------- yearly ceilings


def test_a_ceiling_path_with_one_year_over():
    """12.8 M a year against a ceiling of 13 M, except 12.5 M in 2027: only 2027 is over, by 300k."""
    r = run(BASE, replace(P, ceiling_eur=13_000_000.0, ceiling_path=((2027, 12_500_000.0),)))
    over = dict(zip(r.years["year"], r.years["overshoot_eur"]))
    assert over[2027] == pytest.approx(300_000.0) and sum(v > 0 for v in over.values()) == 1
    assert r.years.set_index("year").loc[2026, "ceiling_eur"] == 13_000_000.0
    assert r.summary["overshoot_years"] == 1 and r.summary["cumulative_overshoot_eur"] == pytest.approx(300_000.0)


def test_a_path_alone_leaves_the_other_years_without_a_ceiling_and_scales_only_its_own():
    r = run(BASE, replace(P, ceiling_path=((2030, 6_400_000.0),), scale_to_ceiling=True))
    y = r.years.set_index("year")
    assert np.isnan(y.loc[2029, "ceiling_eur"]) and y.loc[2029, "scale_factor"] == 1.0
    assert y.loc[2030, "scale_factor"] == pytest.approx(0.5) and y.loc[2030, "total_eur"] == pytest.approx(6_400_000.0)
    assert y.loc[2031, "total_eur"] == pytest.approx(12_800_000.0)


@pytest.mark.parametrize(
    "path, message",
    [
        (((2027, 1e6), (2027, 2e6)), "2027 has two ceilings"),
        (((2070, 1e6),), "year 2070 is outside"),
        (((2027, 0.5),), "must be between 1 and"),
    ],
)
def test_a_bad_ceiling_path_is_refused_by_name(path, message):
    with pytest.raises(ScenarioError) as e:
        run(BASE, replace(P, ceiling_path=path))
    assert any(name == "ceiling_path" and message in msg for name, msg in e.value.problems), e.value.problems


def test_a_ceiling_path_travels_through_to_dict_and_back():
    p = replace(P, ceiling_path=((2030, 6_400_000.0), (2027, 12_500_000.0)))
    back = ScenarioParams.from_dict(p.to_dict())
    assert back.ceiling_path == ((2027, 12_500_000.0), (2030, 6_400_000.0))


# ---------------------------------------------------------------- new themes: organisations or projects


def test_new_themes_as_organisations_or_as_projects_by_hand():
    """Two new themes from 2027 (2027-2034: 8 years). As clusters: 800k budget after one start-up year,
    50 % under a cap of 300k, so 300k each a year: 4.8 M public, 8 x 2 x 500k = 8 M on the members.
    As projects: 800k of projects per theme a year, 50 % public and not capped: 6.4 M public, 6.4 M
    on the companies. Both cover the two themes; only the first adds cluster organisations."""
    common = replace(P, cap_eur=300_000.0, new_clusters=2, new_from_year=2027, new_ramp_years=1)
    orgs = run(BASE, common)
    projects = run(BASE, replace(common, themes_as_projects=True, theme_project_eur=800_000.0, theme_public_share=0.5))
    assert orgs.summary["new_themes_public_eur"] == pytest.approx(4_800_000.0)
    assert orgs.summary["new_themes_members_eur"] == pytest.approx(8_000_000.0)
    assert projects.summary["new_themes_public_eur"] == pytest.approx(6_400_000.0)
    assert projects.summary["new_themes_members_eur"] == pytest.approx(6_400_000.0)
    assert orgs.summary["themes_covered_last_year"] == projects.summary["themes_covered_last_year"] == 2
    assert set(orgs.clusters["cluster_id"]) == {"a", "b", "new_1", "new_2"}
    assert set(projects.clusters["cluster_id"]) == {"a", "b"}  # no new organisations
    y = projects.years.set_index("year")
    assert y.loc[2026, "theme_projects_eur"] == 0 and y.loc[2027, "theme_projects_eur"] == pytest.approx(800_000.0)
    # the thematic projects are part of the public cost, as a component of their own
    assert projects.summary["cumulative_public_eur"] - run(BASE, replace(common, new_clusters=0)).summary[
        "cumulative_public_eur"
    ] == pytest.approx(6_400_000.0)
    assert scenarios.compare([orgs, projects]).iloc[1]["diff_theme_projects_eur"] == pytest.approx(6_400_000.0)


def test_thematic_projects_are_scaled_to_the_ceiling_with_the_rest():
    p = replace(P, new_clusters=2, new_from_year=2025, themes_as_projects=True, ceiling_eur=7_300_000.0, scale_to_ceiling=True)
    y = run(BASE, p).years
    # 0.8 M basic + 10 M + 2 M + 0.8 M of thematic projects = 13.6 M, scaled down to 7.3 M
    assert y["total_eur"].iloc[0] == pytest.approx(7_300_000.0, abs=0.05)
    assert y["theme_projects_eur"].iloc[0] == pytest.approx(800_000.0 * 7.3 / 13.6, abs=0.01)


def test_a_clusters_own_limit_in_the_data_replaces_the_scenarios_rate():
    """A's members may grow 10 % a year by the data; B takes the scenario's 0 %. No subsidy from 2025."""
    base = replace(BASE, member_growth=(0.10, float("nan")), member_growth_sources=("survey",))
    r = run(base, replace(P, basic_end_year=2025, member_cap=True, member_growth=0.0))
    c = r.clusters.set_index(["cluster_id", "year"])
    assert c.loc[("a", 2025), "member_eur"] == pytest.approx(770_000.0)
    assert c.loc[("b", 2025), "member_eur"] == pytest.approx(300_000.0)


def test_the_limits_per_cluster_come_from_the_member_capacity_table(tmp_path):
    """A row for VIL in the contract table member_capacity (with a source) is VIL's limit; the others have none."""
    import shutil

    from clusterpolicy.data import build
    from clusterpolicy.paths import SEED_DIR

    seed = tmp_path / "seed"
    shutil.copytree(SEED_DIR, seed)
    with open(seed / "member_capacity.csv", "a", encoding="utf-8") as f:
        f.write("vil,0.0150,illus_scenarios,a test figure\n")
    target = tmp_path / "x.duckdb"
    build.build(seed, target)
    with db.connect(target) as con:
        base, _ = model_input.load_base(lambda name, **p: db.run_query(con, name, p))
    limits = dict(zip(base.cluster_ids, base.member_growth))
    assert limits["vil"] == pytest.approx(0.015) and np.isnan(limits["catalisti"])
    assert base.member_growth_sources == ("illus_scenarios",)
