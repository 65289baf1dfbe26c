"""Sensitivity of a scenario's cumulative public cost to each parameter (the tornado chart's data).

Pure: each parameter the specification marks moves down and up, one model run each.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from clusterpolicy.model import paramspec
from clusterpolicy.model.scenarios import Base, ScenarioParams, run


def sensitivity(base: Base, params: ScenarioParams, step: float = 0.10, rate_step: float = paramspec.RATE_STEP) -> pd.DataFrame:
    """Cumulative public cost when each parameter moves down and up (a tornado chart's data).

    Levels move by +/- ``step`` (relative), rates by +/- ``rate_step`` (absolute); each value is
    clipped to its allowed range. Rows are sorted by swing, largest first.
    """
    reference = run(base, params).summary["cumulative_public_eur"]
    rows = []
    for spec in paramspec.SENSITIVITY:
        name = spec.name
        if spec.new_clusters_only and params.new_clusters == 0:
            continue
        value = getattr(params, name)
        if spec.sensitivity == "level":
            low, high = value * (1 - step), value * (1 + step)
        else:
            low, high = value - rate_step, value + rate_step
        low, high = max(spec.lo, low), min(spec.hi, high)
        cost_low = run(base, replace(params, **{name: low})).summary["cumulative_public_eur"]
        cost_high = run(base, replace(params, **{name: high})).summary["cumulative_public_eur"]
        rows.append(
            {
                "parameter": name,
                "value": value,
                "low_value": low,
                "high_value": high,
                "low_eur": cost_low - reference,
                "high_eur": cost_high - reference,
                "swing_eur": abs(cost_high - cost_low),
                "kind": spec.sensitivity,
            }
        )
    out = pd.DataFrame(rows)
    return out.sort_values("swing_eur", ascending=False, kind="stable").reset_index(drop=True)
