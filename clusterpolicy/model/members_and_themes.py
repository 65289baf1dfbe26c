"""Parts of the scenario model that are more than a line: members' capacity and what new themes cost.

Pure numpy; ``scenarios.run`` calls them. Arrays are clusters x years, as there.
"""

from __future__ import annotations

import numpy as np


def member_capacity(base, budget: np.ndarray, asked: np.ndarray, years: np.ndarray, growth: float) -> np.ndarray:
    """What the members of each cluster can pay each year: their base-year payment, grown by ``growth`` a year.

    An existing cluster starts from what its members paid in the base year (budget minus subsidy in
    the data); a new cluster from what the scenario asks of its members in its first year. A
    cluster for which the data hold a limit of its own (the member_capacity table) grows by that.
    """
    n_existing = len(base.cluster_ids)
    start = np.empty(budget.shape[0])
    since = np.empty(budget.shape)
    rates = np.full(budget.shape[0], float(growth))
    own = np.asarray(base.member_growth, dtype=float) if len(base.member_growth) == n_existing else np.full(n_existing, np.nan)
    rates[:n_existing] = np.where(np.isfinite(own), own, growth)
    start[:n_existing] = base.budget_eur - base.public_eur
    since[:n_existing] = (years - base.year)[None, :]
    for i in range(n_existing, budget.shape[0]):
        first = int(np.argmax(budget[i] > 0)) if (budget[i] > 0).any() else 0
        start[i] = asked[i, first]
        since[i] = years - years[first]
    return np.round(start[:, None] * (1 + rates[:, None]) ** since, 2)


def new_themes_summary(
    params, new_public: np.ndarray, new_members: np.ndarray, theme: np.ndarray, theme_members: np.ndarray
) -> dict:
    """What the new themes cost the government and what members or companies carry, over the horizon; how many are covered.

    ``new_public`` and ``new_members`` are the new cluster organisations' rows (none when the themes
    come in as projects). A theme is covered in the last year when its organisation gets a subsidy
    or its projects run.
    """
    if params.themes_as_projects:
        public, members = float(theme.sum()), float(theme_members.sum())
        covered = params.new_clusters if len(theme) and theme[-1] > 0 else 0
    else:
        public, members = float(new_public.sum()), float(new_members.sum())
        covered = int((new_public[:, -1] > 0).sum()) if new_public.size else 0
    return {"new_themes_public_eur": public, "new_themes_members_eur": members, "themes_covered_last_year": covered}
