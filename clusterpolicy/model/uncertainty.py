"""Ranges instead of single lines: every compared scenario simulated over the same random draws.

The parameters nobody knows exactly (``paramspec.UNCERTAIN``: growth of budgets and envelopes, the
cap's indexation, how many new clusters the open call brings and when, the KPI-linked share) are
drawn around each scenario's own value, within ranges a user may widen, narrow or fix
(``Ranges``). A draw is a triangular distribution: most likely the scenario's value, less likely
towards either end of its range, never outside the parameter's own range.

Common random numbers: the uniform numbers behind the draws depend only on the seed and the number
of draws, never on the scenario. Every compared scenario meets the same futures, so a difference
between two scenarios is the difference of their rules, not sampling noise: a scenario compared
with itself is cheaper in 0 % of the draws, by exactly nothing.

The model runs once per scenario for all draws (``costs.costs`` with a draws axis), not once per draw.

Pure: no Streamlit, no pandas.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from clusterpolicy.model import costs, paramspec

# 2,000 draws, chosen by measuring (``python -m bench.ranges``, its "draws" section): over 20 seeds a
# chance near 50 % varies by 1.0 percentage point (theory: at most 1.12), so "14 %" is good to about
# two points; the 5th percentile of the cumulative cost by 0.15 %. Four times the draws would halve
# that and cost four times as much; at today's size all compared scenarios cost about 4 deterministic runs
DRAWS = 2000
DEFAULT_SEED = 2025
MAX_SEED = 999_999
PERCENTILES = (5, 25, 50, 75, 95)
MEASURES = ("basic_eur", "total_eur")
TOLERANCE_EUR = 0.005  # half a cent: the model rounds its amounts to cents
BLOCK_CELLS = 250_000  # draws x clusters x years computed at once (``simulate``): 2 MB per array


@dataclass(frozen=True)
class Ranges:
    """The ranges in use: (name, lo, hi) offsets around each scenario's value, the seed and the number of draws."""

    spans: tuple[tuple[str, float, float], ...]
    seed: int = DEFAULT_SEED
    draws: int = DRAWS

    @classmethod
    def default(cls, seed: int = DEFAULT_SEED, draws: int = DRAWS) -> Ranges:
        return cls(tuple((s.name, s.uncertain.lo, s.uncertain.hi) for s in paramspec.UNCERTAIN), seed, draws)

    def span(self, name: str) -> tuple[float, float]:
        for n, lo, hi in self.spans:
            if n == name:
                return lo, hi
        return 0.0, 0.0

    def with_span(self, name: str, lo: float, hi: float) -> Ranges:
        return replace(self, spans=tuple((n, lo, hi) if n == name else (n, a, b) for n, a, b in self.spans))

    def fixed(self) -> Ranges:
        """Every range closed on the scenario's value: the draws all give the scenario's own line."""
        return replace(self, spans=tuple((n, 0.0, 0.0) for n, _, _ in self.spans))

    def problems(self) -> list[tuple[str, paramspec.Issue]]:
        """Each range that is not allowed, with why (the editor's and the link's check)."""
        out = []
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or not 1 <= self.seed <= MAX_SEED:
            out.append(("seed", paramspec.Issue("outside", value=self.seed, lo=1, hi=MAX_SEED)))
        names = [n for n, _, _ in self.spans]
        if sorted(names) != sorted(s.name for s in paramspec.UNCERTAIN):
            out.append(("ranges", paramspec.Issue("not_number", value=repr(names))))
        for name, lo, hi in self.spans:
            spec = paramspec.BY_NAME.get(name)
            if spec is None or spec.uncertain is None:
                continue
            problem = spec.uncertain.problem(lo, hi, spec.unit)
            if problem:
                out.append((name, problem))
        return out

    def is_default(self) -> bool:
        return self.spans == Ranges.default().spans

    def sources(self) -> list[str]:
        """The source rows the ranges rest on (the default ranges' own; a user's change is the user's)."""
        return list(dict.fromkeys(s.uncertain.source for s in paramspec.UNCERTAIN))


def uniforms(ranges: Ranges) -> np.ndarray:
    """The draws' uniform numbers (draws x uncertain parameters): the same for every scenario (common random numbers)."""
    return np.random.Generator(np.random.PCG64(ranges.seed)).random((ranges.draws, len(paramspec.UNCERTAIN)))


def _triangular(u: np.ndarray, lo: float, mode: float, hi: float) -> np.ndarray:
    """The inverse of a triangular distribution's CDF: lo..hi, most likely ``mode``."""
    if hi <= lo:
        return np.full(len(u), float(mode))
    cut = (mode - lo) / (hi - lo)
    left = lo + np.sqrt(u * (hi - lo) * (mode - lo))
    right = hi - np.sqrt((1 - u) * (hi - lo) * (hi - mode))
    return np.where(u < cut, left, right)


def values(params, ranges: Ranges, u: np.ndarray) -> dict[str, np.ndarray]:
    """Each uncertain parameter's value in every draw, around the scenario's own value, inside its own range.

    Whole numbers (new clusters, the open call's year) are rounded; the open call stays inside the
    horizon; a scenario without new clusters or a KPI-linked part keeps none (``Spread.keeps_zero``).
    """
    out = {}
    for k, spec in enumerate(paramspec.UNCERTAIN):
        centre = float(getattr(params, spec.name))
        lo, hi = ranges.span(spec.name)
        if spec.uncertain.keeps_zero and centre == 0:
            lo = hi = 0.0
        drawn = _triangular(u[:, k], centre + lo, centre, centre + hi)
        floor, ceiling = spec.lo, spec.hi
        if spec.name == "new_from_year":
            floor, ceiling = params.first_year, params.last_year
        drawn = np.clip(drawn, floor, ceiling)
        if spec.whole:
            drawn = np.floor(drawn + 0.5)
        out[spec.name] = drawn
    return out


@dataclass(frozen=True)
class Simulation:
    """One scenario over every draw: its yearly cost in the chosen measure, the ceiling, what was drawn."""

    name: str
    measure: str  # basic_eur | total_eur
    years: np.ndarray
    cost: np.ndarray  # draws x years, euros
    ceiling: np.ndarray  # per year (NaN: none)
    over: np.ndarray  # draws x years: above the ceiling (before any scaling to it)
    drawn: dict

    @property
    def bands(self) -> np.ndarray:
        """The percentiles (``PERCENTILES``) of each year's cost: 5 x years."""
        return np.percentile(self.cost, PERCENTILES, axis=0)

    @property
    def cumulative(self) -> np.ndarray:
        return self.cost.sum(axis=1)

    @property
    def has_ceiling(self) -> bool:
        return bool(np.isfinite(self.ceiling).any())

    @property
    def chance_over_by_year(self) -> np.ndarray:
        return self.over.mean(axis=0)

    @property
    def chance_over(self) -> float:
        """The chance that the cost is above the ceiling in at least one year of the horizon."""
        return float(self.over.any(axis=1).mean())


def simulate(base, params, ranges: Ranges, measure: str = "total_eur", ceiling: float | None = None, u=None) -> Simulation:
    """The scenario in every draw (one model run for all of them).

    ``ceiling`` is a yearly ceiling on the measure for every year; without one, the total public cost
    is held against the scenario's own ceilings and the basic operation against none.
    """
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}")
    params = params.validated(base.cluster_ids)
    if ceiling is not None and measure == "total_eur":
        params = replace(params, ceiling_eur=float(ceiling), ceiling_path=())
    u = uniforms(ranges) if u is None else u
    drawn = values(params, ranges, u)
    # in blocks of draws whose arrays stay near the processor's cache (at 2,000 clusters one block of all
    # 2,000 draws is 40 million amounts per array, and the arithmetic waits on memory); today's seven
    # clusters take every draw in one block
    cells = (len(base.cluster_ids) + int(np.max(drawn["new_clusters"], initial=0))) * (params.last_year - params.first_year + 1)
    block = max(1, BLOCK_CELLS // max(cells, 1))
    years = np.arange(params.first_year, params.last_year + 1)
    # the total is held against the scenario's own ceilings (the model's overshoot), the basic operation against ``ceiling``
    limit = (
        params.ceilings(years) if measure == "total_eur" else np.full(len(years), np.nan if ceiling is None else float(ceiling))
    )
    parts, overs = [], []
    for start in range(0, len(u), block):
        c = costs.costs(base, params, {k: v[start : start + block] for k, v in drawn.items()})
        if measure == "total_eur":
            part, over = c.total, c.overshoot > TOLERANCE_EUR
        else:
            part = c.basic
            over = np.isfinite(limit)[None, :] & (part > np.nan_to_num(limit)[None, :] + TOLERANCE_EUR)
        parts.append(part)
        overs.append(over)
    return Simulation(params.name, measure, years, np.concatenate(parts), limit, np.concatenate(overs), drawn)


@dataclass(frozen=True)
class Versus:
    """A scenario against the reference over the same draws: how often it is cheaper, and by how much."""

    chance_cheaper: float  # the share of draws in which its cumulative cost is lower
    low: float  # the 5th percentile of its cumulative cost minus the reference's (negative: cheaper)
    median: float
    high: float  # the 95th percentile


def versus(sim: Simulation, reference: Simulation) -> Versus:
    """``sim`` against ``reference`` draw by draw (the two must come from the same draws and horizon)."""
    if sim.cost.shape != reference.cost.shape:
        raise ValueError("a comparison needs the same draws and the same horizon")
    diff = sim.cumulative - reference.cumulative
    low, median, high = np.percentile(diff, (5, 50, 95))
    return Versus(float((diff < -TOLERANCE_EUR).mean()), float(low), float(median), float(high))


def _ranks(x: np.ndarray) -> np.ndarray:
    """Average ranks (ties share their mean rank), as a rank correlation needs them."""
    order = np.argsort(x, kind="stable")
    ranks = np.empty(len(x))
    ranks[order] = np.arange(len(x), dtype=float)
    _, first, counts = np.unique(x[order], return_index=True, return_counts=True)
    for start, n in zip(first, counts):
        if n > 1:
            ranks[order[start : start + n]] = start + (n - 1) / 2
    return ranks


def drivers(sim: Simulation) -> list[tuple[str, float]]:
    """Each drawn parameter's rank correlation (Spearman) with the cumulative cost, strongest first.

    A parameter that was fixed (or makes no difference: every draw the same cost) is left out.
    """
    total = sim.cumulative
    if np.ptp(total) == 0:
        return []
    cost_ranks = _ranks(total)
    out = []
    for name, drawn in sim.drawn.items():
        if np.ptp(drawn) == 0:
            continue
        rho = float(np.corrcoef(_ranks(drawn), cost_ranks)[0, 1])
        if np.isfinite(rho):
            out.append((name, rho))
    return sorted(out, key=lambda p: -abs(p[1]))
