"""The one rule that keeps names apart: a name already taken gets " (2)", " (3)", ...

Two compared scenarios may share a name (a saved one named like a preset, two copies of a link's
custom scenario): the editor, the link, the chart legends, the tables and every export keep them
apart by this rule, so "Voortzetting (2)" is the same scenario on the page and in each file.

Pure: no Streamlit, no pandas.
"""

from __future__ import annotations

from collections.abc import Iterable


def unique_name(name: str, taken: set[str]) -> str:
    """``name``, or ``name (2)``, ``name (3)``, ... the first that is not in ``taken``."""
    if name not in taken:
        return name
    n = 2
    while f"{name} ({n})" in taken:
        n += 1
    return f"{name} ({n})"


def unique_names(names: Iterable) -> list[str]:
    """The names in order, each made distinct from those before it by ``unique_name``."""
    seen: set[str] = set()
    out = []
    for name in map(str, names):
        candidate = unique_name(name, seen)
        seen.add(candidate)
        out.append(candidate)
    return out
