"""What an import would do to the headline figures: the same figures read from the served version and the new one.

A data steward sees them before applying a workbook: the continuation scenario's cost over its
horizon, the model's base year, how many of the charted values rest on each kind of source, the
confidentiality marking, and how many real figures differ from a published one.
"""

from __future__ import annotations

from pathlib import Path

from clusterpolicy.data import db, marking, model_input, reconcile
from clusterpolicy.model import scenarios


def figures(path: Path) -> dict:
    """The headline figures of one database file."""
    database = db.connect(path)
    try:

        def query(name, **params):
            return db.run_query(database, name, params)

        base, _ = model_input.load_base(query)
        presets = model_input.load_presets(query, base, "en")
        reference = presets.get("continuation") or next(iter(presets.values()))
        result = scenarios.run(base, reference)
        kinds = query("values_by_kind")
        found = reconcile.checks(database)
        return {
            "base_year": int(base.year),
            "first_year": int(reference.first_year),
            "last_year": int(reference.last_year),
            "continuation_basic_eur": round(float(result.summary["cumulative_basic_eur"]), 2),
            "values": {str(k): int(v) for k, v in zip(kinds["kind"], kinds["values"])},
            "marking": marking.texts(query),
            "differs": sum(1 for c in found if c.outcome == "differs"),
        }
    finally:
        database.close()


def effect(before: Path, after: Path) -> dict:
    """{"before": figures, "after": figures} of the served file and the file an import would serve."""
    return {"before": figures(before), "after": figures(after)}
