"""Goal seeking: the value of one scenario parameter that meets a goal, exact to the parameter's step.

The question turned around: not "what does this path cost?" but "what path fits?". One parameter
moves away from its value in the scenario, on the grid of its own step (paramspec), in the
direction that brings the goal closer, up to the end of its range. The answer is the first value
on that grid that meets the goal: the next value a step back towards the scenario's own value does
not. Each candidate is one run of the vectorised model; the goal's measure is monotone in each
parameter offered, so a bisection over the grid needs about log2(grid points) runs (at most 12 for
a 1,000-point grid, plus the two ends).

Goals:
- ``ceiling``: the total public cost stays under the ceiling in every year (the scenario's ceiling);
  asked with a ``confidence`` P, it does so in at least P of the ranges' draws (``uncertainty``:
  the same draws for every candidate value, so the chance is monotone in the parameter too);
- ``saving``: the cumulative public cost over the horizon is at least ``amount_eur`` below the
  reference scenario's (the first compared);
- ``self_financing``: every cluster's self-financing share stays at or under ``share`` in every year.

Pure: no Streamlit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from clusterpolicy.model import paramspec, scenarios, uncertainty

PARAMETERS = ("share_end", "cap_eur", "cap_indexation", "cp_eur", "cp_growth", "ic_eur", "ic_growth", "new_clusters")
GOALS = ("ceiling", "saving", "self_financing")
TOLERANCE_EUR = 0.005  # half a cent: the model rounds its amounts to cents


class GoalError(ValueError):
    """A goal that cannot be sought as asked (no ceiling to stay under, an amount out of range)."""

    def __init__(self, reason: str, message: str):
        self.reason = reason
        super().__init__(message)


@dataclass(frozen=True)
class Goal:
    """What the answer must meet."""

    kind: str  # one of GOALS
    amount_eur: float = 0.0  # saving: the least saving over the horizon against the reference
    share: float = 0.5  # self_financing: the highest self-financing share allowed, 0..1
    confidence: float = 0.0  # ceiling: the least chance (0..1) of staying under it in every year; 0: the scenario as set

    def gap(self, result: scenarios.ScenarioResult, reference: scenarios.ScenarioResult | None) -> float:
        """How far a result is from the goal: at most 0 when the goal is met (euros, or a share)."""
        if self.kind == "ceiling":
            return float(result.years["overshoot_eur"].max()) - TOLERANCE_EUR
        if self.kind == "saving":
            saved = reference.summary["cumulative_public_eur"] - result.summary["cumulative_public_eur"]
            return self.amount_eur - saved - TOLERANCE_EUR
        if self.kind == "self_financing":
            shares = result.clusters["self_financing_share"].to_numpy(dtype=float)
            shares = shares[np.isfinite(shares)]
            return (float(shares.max()) if len(shares) else 0.0) - self.share - 1e-9
        raise GoalError("unknown_goal", f"unknown goal {self.kind!r}")


@dataclass(frozen=True)
class Answer:
    """What the search found."""

    parameter: str
    goal: Goal
    start: float  # the parameter's value in the scenario
    value: float | None  # the value that meets the goal (None: no value in the range does)
    outcome: str  # met | already | unreachable
    gap: float  # the goal's gap at ``value`` (or, when unreachable, at the best end of the range)
    neighbour: float | None  # the next value a step back towards ``start`` (which does not meet the goal)
    neighbour_gap: float | None
    scenario: scenarios.ScenarioParams | None  # the scenario with ``value`` (None when unreachable)
    runs: int  # model runs the search took


def grid(spec: paramspec.Spec, start: float, direction: int) -> list[float]:
    """The values from ``start`` to the end of the range in ``direction`` (+1 or -1), a step apart.

    The last value is the range's end itself, also where it is less than a step beyond the one before.
    """
    step = float(spec.step or 1)
    end = spec.hi if direction > 0 else spec.lo
    n = int(math.floor(abs(end - start) / step + 1e-9))
    values = [start + direction * k * step for k in range(n + 1)]
    if abs(values[-1] - end) > 1e-9:
        values.append(float(end))
    # no float drift past the range, and whole numbers stay whole
    values = [min(max(v, spec.lo), spec.hi) for v in values]
    if spec.whole:
        values = [float(round(v)) for v in values]
    else:
        values = [round(v, 10) for v in values]
    return values


def _with(params: scenarios.ScenarioParams, name: str, value: float) -> scenarios.ScenarioParams:
    spec = paramspec.BY_NAME[name]
    return replace(params, **{name: int(value) if spec.whole else float(value)})


def seek(
    base: scenarios.Base,
    params: scenarios.ScenarioParams,
    parameter: str,
    goal: Goal,
    reference: scenarios.ScenarioParams | None = None,
    label: str = "New cluster {n}",
    ranges: uncertainty.Ranges | None = None,
) -> Answer:
    """The value of ``parameter`` closest to its value in ``params`` that meets ``goal``.

    ``reference`` is the scenario a saving is measured against (the first compared; ``params`` when None).
    ``ranges`` are the draws a goal with a confidence is met over (the default ranges when None).
    """
    if parameter not in PARAMETERS:
        raise GoalError("unknown_parameter", f"goal seeking does not move {parameter!r}")
    if goal.kind == "ceiling" and not params.has_ceiling:
        raise GoalError("no_ceiling", "the scenario has no ceiling to stay under")
    if goal.kind == "saving" and not goal.amount_eur > 0:
        raise GoalError("no_amount", "a saving must be more than zero")
    if goal.kind == "self_financing" and not 0 <= goal.share <= 1:
        raise GoalError("bad_share", "a self-financing share is between 0 and 100 %")
    if goal.confidence and (goal.kind != "ceiling" or not 0 < goal.confidence < 1):
        raise GoalError("bad_confidence", "a chance is asked of the ceiling goal only, and lies between 0 and 100 %")
    spec = paramspec.BY_NAME[parameter]
    start = float(getattr(params, parameter))
    for end in (spec.lo, spec.hi):  # e.g. new clusters need a start year inside the horizon
        problems = _with(params, parameter, end).problems(base.cluster_ids)
        if problems:
            raise GoalError("invalid", "; ".join(f"{name}: {msg}" for name, msg in problems))
    runs = 0
    ref = None
    if goal.kind == "saving":
        ref = scenarios.run(base, reference or params, label)
        runs += 1

    draws = ranges or uncertainty.Ranges.default()
    u = uncertainty.uniforms(draws) if goal.confidence else None

    def gap_at(value: float) -> float:
        nonlocal runs
        runs += 1
        moved = _with(params, parameter, value)
        if goal.confidence:  # the chance short of the one asked (all draws in one run)
            within = 1 - uncertainty.simulate(base, moved, draws, "total_eur", u=u).chance_over
            return goal.confidence - within - 1e-12
        return goal.gap(scenarios.run(base, moved, label), ref)

    here = gap_at(start)
    if here <= 0:
        return Answer(parameter, goal, start, start, "already", here, None, None, params, runs)
    # the direction that helps: towards the end of the range where the goal's gap is smaller
    ends = {d: grid(spec, start, d) for d in (+1, -1)}
    end_gaps = {d: (gap_at(v[-1]) if len(v) > 1 else here) for d, v in ends.items()}
    direction = min((+1, -1), key=lambda d: (end_gaps[d], -d))
    values = ends[direction]
    if end_gaps[direction] > 0:  # not even the end of the range meets it
        return Answer(parameter, goal, start, None, "unreachable", end_gaps[direction], None, None, None, runs)
    # values[0] misses the goal and values[-1] meets it: bisect for the first that meets it
    lo, hi = 0, len(values) - 1
    gaps = {0: here, hi: end_gaps[direction]}
    while hi - lo > 1:
        mid = (lo + hi) // 2
        gaps[mid] = gap_at(values[mid])
        if gaps[mid] <= 0:
            hi = mid
        else:
            lo = mid
    found = values[hi]
    return Answer(
        parameter,
        goal,
        start,
        found,
        "met",
        gaps[hi],
        values[lo],
        gaps[lo],
        _with(params, parameter, found),
        runs,
    )
