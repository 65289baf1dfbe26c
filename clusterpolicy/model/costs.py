"""The public-cost arithmetic of the scenario model, vectorised over draws as well as clusters and years.

``scenarios.run`` computes one scenario with this (one draw); the ranges section (``uncertainty``)
computes thousands of draws of the same scenario in one call, each draw with its own values of the
uncertain parameters (``paramspec.UNCERTAIN``). Arrays are draws x clusters x years, or draws x
years. The rules are those written in ``scenarios``; this module only adds the draws axis, so one
draw with the scenario's own values gives exactly the figures ``run`` gives.

Pure numpy; the parameters and the base are read by attribute (no import of ``scenarios``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Costs:
    """What a scenario costs the government, per draw: amounts in euros, rounded to cents."""

    years: np.ndarray  # the horizon (Y)
    budget: np.ndarray  # operating budgets, D x C x Y (existing clusters, then the most new ones any draw has; not rounded)
    public: np.ndarray  # basic subsidy, D x C x Y
    cluster_projects: np.ndarray  # D x Y
    intercluster: np.ndarray  # D x Y
    theme: np.ndarray  # the thematic project envelope's public part, D x Y
    theme_members: np.ndarray  # what the companies in those projects carry, D x Y
    ceiling: np.ndarray  # each year's ceiling (Y, NaN: none)
    overshoot: np.ndarray  # above the ceiling before any scaling, D x Y
    scale: np.ndarray  # the factor an overshooting year was scaled by (1: none), D x Y
    new_rows: int  # how many rows of ``budget`` after the existing clusters are new clusters

    @property
    def basic(self) -> np.ndarray:
        """The basic operation's subsidies per year, D x Y."""
        return self.public.sum(axis=1)

    @property
    def total(self) -> np.ndarray:
        """The total public cost per year, D x Y."""
        return self.basic + self.cluster_projects + self.intercluster + self.theme


def _per_draw(params, drawn: dict | None, name: str, n: int) -> np.ndarray:
    """A parameter's value in every draw, as a D x 1 column."""
    if drawn is not None and name in drawn:
        return np.asarray(drawn[name], dtype=float).reshape(n, 1)
    return np.full((n, 1), getattr(params, name), dtype=float)


def costs(base, params, drawn: dict[str, np.ndarray] | None = None) -> Costs:
    """The scenario's public cost in every draw; ``drawn`` maps an uncertain parameter to its value per draw.

    Without ``drawn`` there is one draw, with the scenario's own values. The parameters are assumed
    valid (``ScenarioParams.validated``); so is every drawn value (``uncertainty.values`` keeps them
    inside each parameter's range).
    """
    n = len(next(iter(drawn.values()))) if drawn else 1
    years = np.arange(params.first_year, params.last_year + 1)
    n_years = len(years)
    t = years - params.first_year

    def v(name: str) -> np.ndarray:
        return _per_draw(params, drawn, name, n)

    # shares: linear path; a one-year horizon is its own last year, so it takes the end share
    if n_years > 1:
        share = params.share_start + (params.share_end - params.share_start) * t / (n_years - 1)
    else:
        share = np.array([params.share_end])
    cap = params.cap_eur * base.scale * (1 + v("cap_indexation")) ** t  # D x Y

    # operating budgets: existing clusters grow from the base year; new ones ramp up from their start.
    # New themes become new cluster organisations, or, as projects, draw on a thematic envelope instead
    growth = v("budget_growth")
    new_count = v("new_clusters")[:, 0]
    n_new = np.zeros(n) if params.themes_as_projects else new_count
    rows = int(n_new.max()) if n else 0
    existing = base.budget_eur[None, :, None] * ((1 + growth) ** (years - base.year)[None, :])[:, None, :]
    since = years - v("new_from_year")  # D x Y
    ramp = np.clip((since + 1) / params.new_ramp_years, 0, 1)
    new_row = params.new_budget_eur * ramp * (1 + growth) ** np.maximum(since - params.new_ramp_years + 1, 0)
    present = np.arange(rows)[None, :] < n_new[:, None]  # D x new rows: this draw has that many new clusters
    new = np.where(present[:, :, None], new_row[:, None, :], 0.0)
    budget = np.concatenate([existing, new], axis=1)
    ids = tuple(base.cluster_ids) + tuple(f"new_{k}" for k in range(1, rows + 1))

    funded = budget > 0
    stop_year = np.full(len(ids), np.inf)
    for cid, year in params.stops:
        if cid in ids:
            stop_year[ids.index(cid)] = year
    if params.basic_end_year is not None:
        stop_year = np.minimum(stop_year, params.basic_end_year)
    funded &= (years[None, :] < stop_year[:, None])[None, :, :]

    public = np.where(funded, np.minimum(share[None, None, :] * budget, cap[:, None, :]), 0.0)
    perf = v("perf_share")  # D x 1
    if (perf > 0).any():
        score = np.concatenate([base.attainment, np.full(rows, base.attainment.mean() if len(base.attainment) else 1.0)])
        weight = np.where(funded, score[None, :, None], 0.0)
        total_weight = weight.sum(axis=1, keepdims=True)
        pool = perf * public.sum(axis=1)  # D x Y
        share_of_pool = np.divide(weight, total_weight, out=np.zeros_like(weight), where=total_weight > 0)
        pooled = (1 - perf[:, :, None]) * public + pool[:, None, :] * share_of_pool
        pooled = np.minimum(np.minimum(pooled, cap[:, None, :]), budget)
        public = np.where(perf[:, :, None] > 0, pooled, public)

    cp = params.cp_eur * (1 + v("cp_growth")) ** t
    ic = params.ic_eur * (1 + v("ic_growth")) ** t
    theme, theme_members = _theme_projects(params, years, new_count[:, None], v("new_from_year"), growth)
    total = public.sum(axis=1) + cp + ic + theme

    ceiling = params.ceilings(years)
    overshoot = np.where(np.isfinite(ceiling), np.maximum(total - np.nan_to_num(ceiling), 0.0), 0.0)
    scale = np.ones((n, n_years))
    if params.scale_to_ceiling and params.has_ceiling:
        over = np.isfinite(ceiling) & (total > ceiling)
        scale = np.where(over, np.divide(np.nan_to_num(ceiling), total, out=np.ones_like(total), where=total > 0), 1.0)
        public = public * scale[:, None, :]
        cp, ic, theme = cp * scale, ic * scale, theme * scale

    return Costs(
        years=years,
        budget=budget,  # rounded by who needs it (``run``): the simulation reads only the public amounts
        public=np.round(public, 2),
        cluster_projects=np.round(cp, 2),
        intercluster=np.round(ic, 2),
        theme=np.round(theme, 2),
        theme_members=np.round(theme_members, 2),
        ceiling=ceiling,
        overshoot=overshoot,
        scale=scale,
        new_rows=rows,
    )


def _theme_projects(params, years, count, start, growth) -> tuple[np.ndarray, np.ndarray]:
    """The thematic project envelope per draw and year (its public part) and what the companies in the projects carry.

    Only when the new themes come in as projects: ``count`` themes, each with ``theme_project_eur`` of
    projects a year from ``start`` on (no start-up years: a call funds projects at once), grown by
    ``growth``; ``theme_public_share`` of it is public. ``count``, ``start`` and ``growth`` are D x 1.
    """
    shape = (count.shape[0], len(years))
    if not params.themes_as_projects:
        return np.zeros(shape), np.zeros(shape)
    since = years - start
    budget = np.where(since >= 0, count * params.theme_project_eur * (1 + growth) ** np.maximum(since, 0), 0.0)
    public = params.theme_public_share * budget
    return public, budget - public
