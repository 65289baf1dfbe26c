"""Goal seeking: hand-computed cases for each goal, and properties over random scenarios."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clusterpolicy.model import goalseek, paramspec, scenarios
from clusterpolicy.model.goalseek import Goal, seek
from tests import strategies
from tests.test_scenarios import BASE, P

# BASE: A (budget 1.2 M, subsidy capped at 500k) and B (600k, 300k): 800k a year of basic subsidy;
# P adds 10 M of cluster projects and 2 M of inter-cluster projects a year, 2025-2034.


def test_ceiling_a_step_on_the_envelope_grid():
    """Under 12.3 M a year: cluster projects may be at most 12.3 - 0.8 - 2 = 9.5 M; on the 1 M grid that is 9 M."""
    a = seek(BASE, replace(P, ceiling_eur=12_300_000.0), "cp_eur", Goal("ceiling"))
    assert (a.outcome, a.value, a.neighbour) == ("met", 9_000_000.0, 10_000_000.0)
    assert a.gap <= 0 < a.neighbour_gap
    assert a.scenario.cp_eur == 9_000_000.0 and a.scenario.ceiling_eur == 12_300_000.0
    assert a.runs <= 25


def test_ceiling_already_met_changes_nothing():
    a = seek(BASE, replace(P, ceiling_eur=12_800_000.0), "cp_eur", Goal("ceiling"))  # exactly the total
    assert (a.outcome, a.value, a.runs) == ("already", 10_000_000.0, 1)


def test_ceiling_no_value_in_the_range_reaches_it():
    """Under 2.5 M: even without cluster projects the total is 2.8 M."""
    a = seek(BASE, replace(P, ceiling_eur=2_500_000.0), "cp_eur", Goal("ceiling"))
    assert (a.outcome, a.value, a.scenario) == ("unreachable", None, None)
    assert a.gap == pytest.approx(300_000.0, abs=0.01)  # what is left over at the end of the range


def test_ceiling_met_at_the_end_of_the_range():
    """Under 2.8 M: only zero cluster projects fit, the end of the range."""
    a = seek(BASE, replace(P, ceiling_eur=2_800_000.0), "cp_eur", Goal("ceiling"))
    assert (a.outcome, a.value, a.neighbour) == ("met", 0.0, 1_000_000.0)


def test_saving_by_the_end_share():
    """Save 0.3 M over ten years by lowering the end share from 50 %, in steps of 0.5 pp.

    At 40.5 %: B saves 600k x 0.095 x 5 = 285,000; A (capped while 1.2 M x share >= 500k) saves
    14,000 in 2034 and 1,333.33 in 2033: 300,333.33. At 41 %: 270,000 + 8,000 = 278,000, short.
    """
    a = seek(BASE, P, "share_end", Goal("saving", amount_eur=300_000.0))
    assert (a.outcome, a.value, a.neighbour) == ("met", 0.405, 0.41)
    assert a.gap == pytest.approx(300_000.0 - 300_333.33, abs=0.05)
    assert a.neighbour_gap == pytest.approx(300_000.0 - 278_000.0, abs=0.05)


def test_saving_is_measured_against_the_reference():
    """A scenario already 1 M a year dearer than the reference must first lose that million."""
    dearer = replace(P, cp_eur=11_000_000.0)
    a = seek(BASE, dearer, "cp_eur", Goal("saving", amount_eur=1_000_000.0), reference=P)
    # 10 years x (cp - 10 M) <= -1 M: cp <= 9.9 M; on the 1 M grid from 11 M: 9 M
    assert (a.outcome, a.value, a.neighbour) == ("met", 9_000_000.0, 10_000_000.0)


def test_self_financing_by_the_cap():
    """A's members carry 1 - 500k / 1.2 M = 58.3 %; at most 55 % needs a subsidy of 540k: the cap up to 540k."""
    a = seek(BASE, P, "cap_eur", Goal("self_financing", share=0.55))
    assert (a.outcome, a.value, a.neighbour) == ("met", 540_000.0, 530_000.0)


def test_self_financing_out_of_reach_of_the_cap():
    """B's members carry 50 % at a support rate of 50 %, whatever the cap: 45 % is out of reach."""
    a = seek(BASE, P, "cap_eur", Goal("self_financing", share=0.45))
    assert a.outcome == "unreachable"


def test_new_clusters_under_a_ceiling():
    """Each new cluster adds 400k a year once ramped up (800k budget, 50 %, one year's ramp)."""
    p = replace(P, new_clusters=5, new_from_year=2025, new_ramp_years=1, ceiling_eur=13_700_000.0)
    a = seek(BASE, p, "new_clusters", Goal("ceiling"))
    # 12.8 M + 400k x n <= 13.7 M: n <= 2.25
    assert (a.outcome, a.value, a.neighbour) == ("met", 2, 3)
    assert a.scenario.new_clusters == 2 and isinstance(a.scenario.new_clusters, int)


@pytest.mark.parametrize(
    "params, parameter, goal, reason",
    [
        (P, "cp_eur", Goal("ceiling"), "no_ceiling"),
        (P, "cp_eur", Goal("saving", amount_eur=0.0), "no_amount"),
        (P, "cp_eur", Goal("self_financing", share=1.5), "bad_share"),
        (P, "name", Goal("ceiling"), "unknown_parameter"),
    ],
)
def test_a_goal_that_cannot_be_sought_says_why(params, parameter, goal, reason):
    with pytest.raises(goalseek.GoalError) as e:
        seek(BASE, params, parameter, goal)
    assert e.value.reason == reason


def test_the_grid_ends_on_the_range_and_keeps_whole_numbers():
    spec = paramspec.BY_NAME["cp_eur"]
    values = goalseek.grid(spec, 2_500_000.0, -1)
    assert values == [2_500_000.0, 1_500_000.0, 500_000.0, 0.0]
    assert goalseek.grid(paramspec.BY_NAME["new_clusters"], 3, +1)[-1] == 20.0


# ---------------------------------------------------------------- properties

params_strategy = strategies.scenario(("a", "b"))


@st.composite
def question(draw):
    params = draw(params_strategy)
    parameter = draw(st.sampled_from(goalseek.PARAMETERS))
    kind = draw(st.sampled_from(goalseek.GOALS))
    result = scenarios.run(BASE, params)
    if kind == "ceiling":
        peak = float(result.years["total_eur"].max())
        # a ceiling near the peak, inside the range a ceiling may take (a drawn cost can pass EUR 10 bn)
        top = paramspec.BY_NAME["ceiling_eur"].hi
        ceiling = min(top, max(1.0, round(peak * draw(st.floats(0.3, 1.2)), 2)))
        params = replace(params, ceiling_eur=ceiling, scale_to_ceiling=False)
        goal = Goal("ceiling")
    elif kind == "saving":
        goal = Goal("saving", amount_eur=max(1.0, result.summary["cumulative_public_eur"] * draw(st.floats(0.01, 0.8))))
    else:
        goal = Goal("self_financing", share=draw(st.floats(0.0, 1.0)))
    return params, parameter, goal


@settings(max_examples=150, deadline=None)
@given(question())
def test_the_found_value_meets_the_goal_and_the_step_before_does_not(q):
    params, parameter, goal = q
    try:
        answer = seek(BASE, params, parameter, goal)
    except goalseek.GoalError as e:
        # only new clusters whose start year lies outside the horizon cannot be sought
        assert e.reason == "invalid" and parameter == "new_clusters"
        assert not params.first_year <= params.new_from_year <= params.last_year
        return
    spec = paramspec.BY_NAME[parameter]
    assert answer.runs <= 25
    ref = scenarios.run(BASE, params) if goal.kind == "saving" else None

    def gap(value):
        return goal.gap(scenarios.run(BASE, replace(params, **{parameter: int(value) if spec.whole else value})), ref)

    if answer.outcome == "already":
        assert answer.value == getattr(params, parameter) and gap(answer.value) <= 0
    elif answer.outcome == "met":
        assert gap(answer.value) <= 0 < gap(answer.neighbour)
        assert spec.lo <= answer.value <= spec.hi
        # the neighbour is one step back towards the scenario's own value (the range's end may be nearer)
        assert abs(answer.value - answer.neighbour) <= spec.step + 1e-9
        assert abs(answer.neighbour - answer.start) < abs(answer.value - answer.start)
    else:
        # neither end of the range meets the goal
        assert gap(spec.lo) > 0 and gap(spec.hi) > 0


# ---------------------------------------------------------------- on the scenario page (AppTest, seed data)


def seeking(params: dict | None = None):
    from tests.conftest import assert_page_ok, open_link

    at = open_link("scenarios", {"sc_goal": "1", **(params or {})}).run()
    assert_page_ok(at)
    return at


def test_the_page_finds_the_end_share_that_saves_an_amount_and_adds_it(seed_db):
    """Degressive to 25 % against continuation: how low must its end share go to save EUR 10 M over 2025-2034?"""
    from tests.conftest import assert_page_ok

    at = seeking({"gs_sc": "degressive", "gs_param": "share_end", "gs_goal": "saving", "gs_amount": "10.0"})
    (answer,) = [s.value.replace("\\", "") for s in at.success]  # markdown escapes, as shown in the browser
    assert answer.startswith("Degressief naar 25 % haalt het doel (€ 10,00 mln besparen tegenover de referentie) met")
    # the same answer as the model's own search on the seed
    from tests.conftest import seed_model

    base, presets = seed_model(seed_db)
    expected = seek(base, presets["degressive"], "share_end", Goal("saving", amount_eur=10_000_000.0), presets["continuation"])
    assert expected.outcome == "met"
    from clusterpolicy import i18n

    assert f"= {i18n.pct(expected.value, 'nl', 1)} in plaats van 25,0" in answer
    # one click: a custom scenario with that value joins the comparison, and travels in the link
    at.button(key="gs_add").click().run()
    assert_page_ok(at)
    added = at.session_state["sc"][-1]
    assert added.startswith("custom_") and len(at.session_state["sc"]) == 3
    assert at.session_state["custom_scenarios"][added]["share_end"] == pytest.approx(expected.value)
    assert len(at.metric) == 3 and "cs" in at.query_params


def test_the_page_says_when_no_value_reaches_the_goal_and_why_a_goal_cannot_be_sought(seed_db):
    at = seeking({"gs_sc": "continuation", "gs_param": "cap_eur", "gs_goal": "self_financing", "gs_share": "10.0"})
    assert any("Geen waarde van plafond basissubsidie" in w.value.replace("\\", "") for w in at.warning), [
        w.value for w in at.warning
    ]
    assert not [b for b in at.button if b.key == "gs_add"]
    at = seeking({"gs_goal": "ceiling"})  # the presets have no ceiling
    assert any("heeft geen plafond" in w.value for w in at.warning)


def test_the_answer_is_a_headline_of_the_briefing_in_english(seed_db):
    import io

    import pdfplumber

    from tests.conftest import made_export

    at = seeking({"lang": "en", "gs_sc": "degressive", "gs_param": "share_end", "gs_goal": "saving", "gs_amount": "10.0"})
    made = made_export(at, "pdf")
    text = " ".join(" ".join(p.extract_text() for p in pdfplumber.open(io.BytesIO(made.data)).pages).split())
    assert "Goal seeking: what value fits?" in text
    # the headline's note, in the table's third column (pdfplumber reads the columns' lines interleaved)
    assert "Degressive to 25 % meets the goal (save €10.00 m against the reference)" in text
    assert "support rate in the last year = 6.5% instead of 25.0%; at 7.0% it does not yet." in text


def test_goal_seeking_stays_under_a_ceiling_path():
    """Only 2027 has a ceiling, 12.3 M: cluster projects may be at most 9.5 M, 9 M on the grid."""
    a = seek(BASE, replace(P, ceiling_path=((2027, 12_300_000.0),)), "cp_eur", Goal("ceiling"))
    assert (a.outcome, a.value, a.neighbour) == ("met", 9_000_000.0, 10_000_000.0)


def test_a_presenters_link_to_goal_seeking_says_the_answer_above_the_deck(seed_db):
    at = seeking({"present": "1", "gs_sc": "degressive", "gs_param": "share_end", "gs_goal": "saving", "gs_amount": "10.0"})
    assert len(at.get("plotly_chart")) == 1  # the deck's one chart
    lines = [m.value.replace("\\", "") for m in at.markdown]
    assert any(m.startswith("**Doel zoeken: welke waarde past?** Degressief naar 25 % haalt het doel") for m in lines), lines


def test_goal_seeking_opens_on_a_question_the_compared_scenarios_can_answer(seed_db):
    """The presets have no ceiling: it opens on what the second scenario saves against the reference, with an answer."""
    at = seeking()
    assert at.selectbox(key="gs_sc").value == "degressive"
    assert not [w.value for w in at.warning if "plafond" in w.value or "Geen waarde" in w.value.replace("\\", "")]
    assert [b for b in at.button if b.key == "gs_add"]  # an answer to add to the comparison


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_long_answer_name_is_shortened_before_its_value_never_inside_it(lang):
    from clusterpolicy.web.goalseek_panel import answer_name

    name = "Indexering, sterker intercluster en drie nieuwe clusters uit een open oproep"
    label = "Enveloppe intercluster-projecten in het eerste jaar"
    for value in ("€ 12.345.678", "23,6\xa0%", "2,5\xa0% per jaar"):
        out = answer_name(name, label, value, lang)
        assert len(out) <= 60 and out.endswith(value), out
        assert "…" in out
    assert answer_name("Voortzetting", "eindaandeel", "23,6\xa0%", lang) == "Voortzetting: eindaandeel 23,6\xa0%"
