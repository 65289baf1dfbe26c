"""Hypothesis strategies for scenario parameters, derived from clusterpolicy.paramspec (one place for every range)."""

from __future__ import annotations

from hypothesis import strategies as st

from clusterpolicy import paramspec
from clusterpolicy.scenarios import MAX_HORIZON_YEARS, ScenarioParams

# the precision a value is entered with in the editor: cents for euros, 0.0001 % for shares and rates
_DIGITS = {"eur": 2, "eur_m": 2, "share": 6, "rate": 6}


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


@st.composite
def scenario(draw, clusters: tuple[str, ...] = ("a", "b"), limits: dict | None = None) -> ScenarioParams:
    """Any scenario the model accepts: every parameter in its range and the rules between them kept.

    ``limits`` narrows some ranges, by parameter name, to (lo, hi) (a model test may want small numbers).
    """
    limits = limits or {}
    spec = paramspec.BY_NAME
    first = draw(value(spec["first_year"], *limits.get("first_year", (None, None))))
    last = draw(st.integers(first, min(first + MAX_HORIZON_YEARS - 1, int(spec["last_year"].hi))))
    chosen = {"first_year": first, "last_year": last}
    for s in paramspec.NUMERIC:
        if s.name not in chosen:
            chosen[s.name] = draw(value(s, *limits.get(s.name, (None, None))))
    if chosen["new_clusters"]:
        chosen["new_from_year"] = draw(st.integers(first, last))
    path_amounts = st.integers(round(spec["ceiling_path"].lo * 100), round(spec["ceiling_path"].hi * 100)).map(lambda c: c / 100)
    path = draw(st.lists(st.tuples(st.integers(first, last), path_amounts), max_size=4, unique_by=lambda p: p[0]))
    chosen["ceiling_path"] = tuple(sorted(path))
    stop_years = st.integers(int(spec["stops"].lo), int(spec["stops"].hi))
    stops = draw(st.lists(st.tuples(st.sampled_from(clusters), stop_years), max_size=len(clusters), unique_by=lambda s: s[0]))
    return ScenarioParams(
        name=draw(
            st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=60).filter(str.strip)
        ),
        stops=tuple(stops),
        scale_to_ceiling=draw(st.booleans()),
        member_cap=draw(st.booleans()),
        **chosen,
    )
