"""Hypothesis strategies for scenario parameters, derived from clusterpolicy.model.paramspec.

Every parameter of the specification is drawn by its unit (numbers in their range and step, switches,
names, per-cluster stops, a ceiling path), so a parameter added to the specification is drawn here
without touching this file; only the rules *between* parameters (the horizon, the open call's year)
are kept by hand, as the model states them in ``ScenarioParams.problems``.
"""

from __future__ import annotations

from hypothesis import strategies as st

from clusterpolicy.model import paramspec
from clusterpolicy.model.scenarios import MAX_HORIZON_YEARS, ScenarioParams

# the precision a value is entered with in the editor: cents for euros, 0.0001 % for shares and rates
_DIGITS = {"eur": 2, "eur_m": 2, "path": 2, "share": 6, "rate": 6}


def value(spec: paramspec.Spec, lo=None, hi=None) -> st.SearchStrategy:
    """Any value the specification allows for one numeric parameter (optionally within a narrower range)."""
    lo = spec.lo if lo is None else max(lo, spec.lo)
    hi = spec.hi if hi is None else min(hi, spec.hi)
    if spec.whole:
        out = st.integers(int(lo), int(hi))
    else:
        k = 10 ** _DIGITS[spec.unit]
        out = st.integers(round(lo * k), round(hi * k)).map(lambda i, k=k: i / k)
    return st.one_of(st.none(), out) if spec.optional else out


def _by_unit(spec: paramspec.Spec, first: int, last: int, clusters: tuple[str, ...], limits: dict) -> st.SearchStrategy:
    """The strategy for one parameter that is not a year of the horizon, chosen by its unit."""
    if spec.unit == "bool":
        return st.booleans()
    if spec.unit == "text":
        letters = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"))
        return st.text(letters, min_size=1, max_size=spec.max_chars or 60).filter(str.strip)
    if spec.unit == "stops":  # at most one stop per cluster, each in the specification's years
        years = st.integers(int(spec.lo), int(spec.hi))
        pairs = st.lists(st.tuples(st.sampled_from(clusters), years), max_size=len(clusters), unique_by=lambda s: s[0])
        return pairs.map(tuple)
    if spec.unit == "path":  # a few years of the horizon with a ceiling of their own, in year order
        pairs = st.lists(st.tuples(st.integers(first, last), value(spec)), max_size=4, unique_by=lambda p: p[0])
        return pairs.map(lambda p: tuple(sorted(p)))
    if spec.name == "new_from_year":  # the open call's first year lies in the horizon (a rule of the model)
        return st.integers(first, last)
    return value(spec, *limits.get(spec.name, (None, None)))


@st.composite
def scenario(draw, clusters: tuple[str, ...] = ("a", "b"), limits: dict | None = None) -> ScenarioParams:
    """Any scenario the model accepts: every parameter of the specification drawn, the rules between them kept.

    ``limits`` narrows some ranges, by parameter name, to (lo, hi) (a model test may want small numbers).
    """
    limits = limits or {}
    spec = paramspec.BY_NAME
    first = draw(value(spec["first_year"], *limits.get("first_year", (None, None))))
    last = draw(st.integers(first, min(first + MAX_HORIZON_YEARS - 1, int(spec["last_year"].hi))))
    chosen = {"first_year": first, "last_year": last}
    for s in paramspec.SPECS:
        if s.name not in chosen:
            chosen[s.name] = draw(_by_unit(s, first, last, clusters, limits))
    return ScenarioParams(**chosen)


@st.composite
def ranges(draw, draws: int = 200):
    """Any ranges the ranges section accepts: every uncertain parameter of the specification, on its own step."""
    from clusterpolicy.model import uncertainty

    spans = []
    for s in paramspec.UNCERTAIN:
        steps = int(round(s.uncertain.widest / s.uncertain.step))
        lo = -draw(st.integers(0, steps)) * s.uncertain.step
        hi = draw(st.integers(0, steps)) * s.uncertain.step
        spans.append((s.name, round(lo, 10), round(hi, 10)))
    seed = draw(st.integers(1, uncertainty.MAX_SEED))
    return uncertainty.Ranges(tuple(spans), seed, draws)
