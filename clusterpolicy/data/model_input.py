"""The scenario model's starting point read from the served data: its base, with the sources behind it, and the presets.

The model itself (``model.scenarios``) reads no database; these two functions feed it through a
``query(name, **params)`` function, so the page, an import's preview and the tests give it the same figures.
"""

from __future__ import annotations

from clusterpolicy.data import provenance
from clusterpolicy.model import scenarios


def attainment_query(funding) -> tuple[str, dict]:
    """The query of the KPI attainment the base reads, as (name, params), from the ``scenario_base`` rows: the base year
    is the last year with funding figures."""
    return "kpi_attainment_by_cluster", {"year": int(funding["year"].max())}


def load_base(query) -> tuple[scenarios.Base, list[str]]:
    """The model's starting point from the served data, and the sources behind it.

    ``query(name, **params)`` runs a named query. The base year is the last year with funding
    figures; the KPI attainment that weighs the performance-linked part is read for that year.
    """
    funding = query("scenario_base")
    envelopes = query("earmarked_last_level")
    name, params = attainment_query(funding)
    attainment = query(name, **params)
    capacity = query("member_capacity")
    base = scenarios.Base.from_frames(funding, envelopes, attainment, capacity)
    ids = provenance.flatten_ids(funding["source_id"], envelopes["source_id"], attainment["source_ids"])
    return base, ids


def load_presets(query, base: scenarios.Base, lang: str) -> dict[str, scenarios.ScenarioParams]:
    """The stored presets as parameter sets, by preset id, in one language."""
    presets = query("scenario_presets")
    return {row["preset_id"]: scenarios.preset_params(row, base, lang) for _, row in presets.iterrows()}
