"""Ranges: the simulation over draws, checked by hand, against the analytical answer, and by its properties."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clusterpolicy.model import goalseek, paramspec, scenarios, uncertainty
from clusterpolicy.model.uncertainty import Ranges, simulate, versus
from tests import strategies
from tests.conftest import ROOT
from tests.test_scenarios import BASE, P

DEFAULT = Ranges.default()


def only(name: str, lo: float, hi: float, **kw) -> Ranges:
    """Every range fixed but one."""
    return Ranges.default(**kw).fixed().with_span(name, lo, hi)


@settings(max_examples=60, deadline=None)
@given(strategies.scenario(limits={"new_clusters": (0, 4)}), strategies.ranges(draws=50))
def test_with_every_range_fixed_the_fan_is_the_scenarios_own_line(params, ranges):
    """Fixed ranges: every draw gives exactly what the model gives for the scenario (both measures, every year)."""
    result = scenarios.run(BASE, params)
    for measure in uncertainty.MEASURES:
        sim = simulate(BASE, params, ranges.fixed(), measure)
        assert (sim.cost == result.years[measure].to_numpy()[None, :]).all()
        assert (sim.bands == result.years[measure].to_numpy()[None, :]).all()
    total = simulate(BASE, params, ranges.fixed(), "total_eur")
    assert sim.chance_over in (0.0, 1.0)
    assert total.chance_over == float((result.years["overshoot_eur"] > uncertainty.TOLERANCE_EUR).any())


def test_one_range_and_a_linear_cost_give_the_analytical_percentiles():
    """One year, a cap that never binds, only budget growth uncertain: the basic cost is K x (1 + g), linear in g.

    g is triangular on c-1 pp .. c+1 pp with its mode at c = 2 %, so the cost's percentiles are the
    triangular's quantiles mapped through K (1 + g). The test allows 4 standard errors of a sample
    quantile, sqrt(p (1 - p) / n) / f(q), plus a cent per cluster for the model's rounding.
    """
    params = replace(P, first_year=2025, last_year=2025, cap_eur=5_000_000.0, budget_growth=0.02, cp_eur=0.0, ic_eur=0.0)
    n = 20_000
    sim = simulate(BASE, params, only("budget_growth", -0.01, 0.01, draws=n), "basic_eur")
    k = 0.5 * float(BASE.budget_eur.sum())  # 50 % of both budgets, grown by g for one year
    a, c, b = 0.01, 0.02, 0.03
    for p, got in zip(uncertainty.PERCENTILES, sim.bands[:, 0]):
        q = p / 100
        g = a + math.sqrt(q * (b - a) * (c - a)) if q < 0.5 else b - math.sqrt((1 - q) * (b - a) * (b - c))
        density = 2 * (g - a) / ((b - a) * (c - a)) if g <= c else 2 * (b - g) / ((b - a) * (b - c))
        error = 4 * math.sqrt(q * (1 - q) / n) / density * k + 0.02
        assert abs(got - k * (1 + g)) <= error, (p, got, k * (1 + g), error)


def test_a_whole_number_range_gives_the_rounded_triangles_chances():
    """New themes as projects cost exactly their number x EUR 800,000 a year: -1..+1 around 2 rounds to 1, 2, 3
    with chances 1/8, 3/4, 1/8 (the triangle's areas beyond -1/2 and +1/2)."""
    params = replace(
        P, themes_as_projects=True, new_clusters=2, new_from_year=2025, theme_public_share=1.0, cp_eur=0.0, ic_eur=0.0
    )
    n = 40_000
    sim = simulate(BASE, params, only("new_clusters", -1, 1, draws=n), "total_eur")
    themes = (sim.cost[:, 0] - 800_000.0) / 800_000.0  # the basic operation is 800,000 a year
    counts = {k: float((themes == k).mean()) for k in (1, 2, 3)}
    assert set(np.unique(themes)) == {1.0, 2.0, 3.0}
    se = math.sqrt(0.125 * 0.875 / n)
    assert abs(counts[1] - 0.125) < 4 * se and abs(counts[3] - 0.125) < 4 * se
    assert abs(counts[2] - 0.75) < 4 * math.sqrt(0.75 * 0.25 / n)


def test_a_scenario_without_new_clusters_keeps_none_in_every_draw():
    sim = simulate(BASE, P, DEFAULT, "total_eur")
    assert (sim.drawn["new_clusters"] == 0).all() and (sim.drawn["perf_share"] == 0).all()


def test_common_random_numbers_a_scenario_against_itself_and_against_its_twin():
    degressive = replace(P, share_end=0.25, budget_growth=0.01)
    one = simulate(BASE, degressive, DEFAULT)
    twin = simulate(BASE, replace(degressive, name="Another name"), DEFAULT)
    same = versus(one, one)
    assert same.chance_cheaper == 0.0 and same.low == same.median == same.high == 0.0
    assert (one.cost == twin.cost).all() and (one.bands == twin.bands).all()
    # a scenario that is cheaper by its rules is cheaper in every draw (not in most: the draws are shared)
    assert versus(one, simulate(BASE, P, DEFAULT)).chance_cheaper == 1.0


def test_the_same_seed_gives_the_same_figures_in_another_process_and_another_seed_differs_within_its_error():
    params = replace(P, budget_growth=0.01, cap_indexation=0.02, ceiling_eur=12_900_000.0)
    here = simulate(BASE, params, DEFAULT)
    code = (
        "import json; from dataclasses import replace; from clusterpolicy.model import uncertainty;"
        "from tests.test_scenarios import BASE, P;"
        "s = uncertainty.simulate(BASE, replace(P, budget_growth=0.01, cap_indexation=0.02, ceiling_eur=12_900_000.0),"
        " uncertainty.Ranges.default());"
        "print(json.dumps({'bands': s.bands.tolist(), 'over': s.chance_over}))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    there = json.loads(out.stdout)
    assert there["bands"] == here.bands.tolist() and there["over"] == here.chance_over
    other = simulate(BASE, params, replace(DEFAULT, seed=DEFAULT.seed + 1))
    assert not (other.bands == here.bands).all()
    # a chance from 2,000 draws has a standard error of at most 1.12 percentage points: 4 of them apart at most
    p = here.chance_over
    assert abs(other.chance_over - p) <= 4 * math.sqrt(max(p * (1 - p), 0.25 / DEFAULT.draws) / DEFAULT.draws) + 1e-9
    # the median year's cost: within 4 standard errors of a sample median, estimated from the draws' spread
    spread = here.cost.std(axis=0)
    assert (np.abs(other.bands[2] - here.bands[2]) <= 4 * 1.2533 * spread / math.sqrt(DEFAULT.draws) + 0.02).all()


@settings(max_examples=40, deadline=None)
@given(
    strategies.scenario(limits={"new_clusters": (0, 3)}),
    strategies.ranges(draws=100),
    st.floats(0.5e6, 3e6),
    st.floats(0, 2e6),
    st.sampled_from(uncertainty.MEASURES),
)
def test_a_higher_ceiling_never_raises_the_chance_of_going_above_it(params, ranges, ceiling, more, measure):
    params = replace(params, scale_to_ceiling=False)
    low = simulate(BASE, params, ranges, measure, ceiling)
    high = simulate(BASE, params, ranges, measure, ceiling + more)
    assert high.chance_over <= low.chance_over
    assert (high.chance_over_by_year <= low.chance_over_by_year).all()


def test_drivers_name_the_parameter_that_moves_the_cost():
    sim = simulate(BASE, replace(P, budget_growth=0.01), only("cp_growth", -0.02, 0.02), "total_eur")
    assert [name for name, _ in uncertainty.drivers(sim)] == ["cp_growth"]
    assert uncertainty.drivers(sim)[0][1] > 0.99  # the envelope's cost rises with its growth, draw by draw
    assert uncertainty.drivers(simulate(BASE, P, DEFAULT.fixed())) == []


@pytest.mark.parametrize(
    ("name", "lo", "hi", "why"),
    [
        ("budget_growth", 0.01, 0.02, "spread_outside"),  # must hold the scenario's value
        ("budget_growth", -0.2, 0.01, "spread_outside"),  # wider than the specification allows
        ("new_clusters", -0.5, 1, "not_whole"),
        ("cp_growth", float("nan"), 0.0, "not_number"),
    ],
)
def test_a_range_that_is_not_allowed_says_why(name, lo, hi, why):
    problems = dict(DEFAULT.with_span(name, lo, hi).problems())
    assert problems[name].key == why
    assert problems[name].text("nl") and problems[name].text("en")
    assert Ranges.default().problems() == []
    assert dict(replace(DEFAULT, seed=0).problems())["seed"].key == "outside"


@settings(max_examples=25, deadline=None)
@given(strategies.ranges(draws=200), st.sampled_from([0.5, 0.8, 0.95]))
def test_goal_seeking_with_a_chance_finds_the_first_value_that_meets_it(ranges, chance):
    """The answer stays under the ceiling in at least P of the draws; the step before it does not."""
    params = replace(P, cap_indexation=0.03, budget_growth=0.03, ceiling_eur=12_000_000.0, cp_eur=10_000_000.0)
    goal = goalseek.Goal("ceiling", confidence=chance)
    answer = goalseek.seek(BASE, params, "cp_eur", goal, ranges=ranges)
    within = lambda v: 1 - simulate(BASE, replace(params, cp_eur=v), ranges).chance_over  # noqa: E731
    assert answer.outcome in ("met", "already")
    assert within(answer.value) >= chance
    if answer.outcome == "met":
        assert within(answer.neighbour) < chance
        # asking for more certainty never asks for less of a cut
        if chance < 0.95:
            surer = goalseek.seek(BASE, params, "cp_eur", replace(goal, confidence=0.95), ranges=ranges)
            assert surer.value is None or surer.value <= answer.value


def test_a_chance_goes_with_the_ceiling_goal_only():
    with pytest.raises(goalseek.GoalError) as refused:
        goalseek.seek(BASE, P, "share_end", goalseek.Goal("saving", amount_eur=1.0, confidence=0.9))
    assert refused.value.reason == "bad_confidence"


def test_every_uncertain_parameter_is_declared_with_a_source_and_a_default_inside_its_widest():
    assert paramspec.UNCERTAIN, "the specification declares uncertain parameters"
    for spec in paramspec.UNCERTAIN:
        s = spec.uncertain
        assert -s.widest <= s.lo <= 0 <= s.hi <= s.widest and s.source
        assert s.problem(s.lo, s.hi, spec.unit) is None
    sources = {line.split(",", 1)[0] for line in (ROOT / "data" / "seed" / "source.csv").read_text().splitlines()[1:]}
    assert {spec.uncertain.source for spec in paramspec.UNCERTAIN} <= sources


def test_the_ranges_bench_runs_end_to_end_in_its_quick_mode(tmp_path):
    """``python -m bench.ranges --quick`` runs every section and writes its figures (a check that it runs; no timing is asserted)."""
    env = {**os.environ, "CLUSTERPOLICY_DB": str(tmp_path / "clusters.duckdb"), "CLUSTERPOLICY_APPSTATE_URL": ""}
    subprocess.run(
        [sys.executable, "-m", "bench.ranges", "--quick", "--out", str(tmp_path)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=600,
    )
    result = json.loads((tmp_path / "ranges.json").read_text())
    assert {s["scenarios"] for s in result["simulation"]} == {2, 4}
    assert all(math.isfinite(s["median_ratio"]) and s["draws_per_s"] > 0 for s in result["simulation"])
    assert [d["draws"] for d in result["draws"]] == [500, 2000]
    assert result["closed_section"]["with_ms"] > 0 and result["closed_section"]["without_ms"] > 0


def test_blocks_of_draws_give_the_figures_of_one_block(monkeypatch):
    """Simulated in blocks of a few draws (as at 2,000 clusters), the figures are those of all draws at once."""
    params = replace(P, budget_growth=0.01, new_clusters=2, new_from_year=2027, perf_share=0.2, ceiling_eur=13_000_000.0)
    whole = simulate(BASE, params, Ranges.default(draws=300))
    monkeypatch.setattr(uncertainty, "BLOCK_CELLS", 70)  # up to 5 rows x 10 years: 300 blocks of one draw
    parts = simulate(BASE, params, Ranges.default(draws=300))
    assert (parts.cost == whole.cost).all() and (parts.over == whole.over).all()
