"""Tables for display and export: model output with translated headers and Babel-formatted numbers."""

from __future__ import annotations

import pandas as pd

from . import i18n
from .i18n import t


def scenario_summary(results: list, lang: str) -> pd.DataFrame:
    """One row per scenario: cumulative costs, members' share, leverage and funded clusters."""
    base = results[0].summary if results else {}
    rows = []
    for r in results:
        s = r.summary
        rows.append(
            {
                t("table.scenario", lang): s["name"],
                t("table.horizon", lang): f"{r.params.first_year}–{r.params.last_year}",
                t("table.cum_public", lang): i18n.eur(s["cumulative_public_eur"], lang),
                t("table.diff_baseline", lang): i18n.eur(s["cumulative_public_eur"] - base["cumulative_public_eur"], lang),
                t("table.cum_basic", lang): i18n.eur(s["cumulative_basic_eur"], lang),
                t("table.cum_cp", lang): i18n.eur(s["cumulative_cluster_projects_eur"], lang),
                t("table.cum_ic", lang): i18n.eur(s["cumulative_intercluster_eur"], lang),
                t("table.yearly_avg", lang): i18n.eur(s["yearly_average_eur"], lang),
                t("table.cum_members", lang): i18n.eur(s["cumulative_members_eur"], lang),
                t("table.leverage", lang): i18n.num(s["leverage"], lang, 2),
                t("table.selffin_last", lang): i18n.pct(s["self_financing_share_last_year"], lang),
                t("table.clusters_last", lang): i18n.num(s["clusters_funded_last_year"], lang),
                t("table.overshoot_years", lang): i18n.num(s["overshoot_years"], lang),
            }
        )
    return pd.DataFrame(rows)


def overshoot(results: list, lang: str) -> pd.DataFrame:
    """The years in which a scenario's total public cost exceeds its ceiling, and by how much."""
    rows = []
    for r in results:
        if r.params.ceiling_eur is None:
            continue
        over = r.years[r.years["overshoot_eur"] > 0]
        for _, y in over.iterrows():
            rows.append(
                {
                    t("table.scenario", lang): r.params.name,
                    t("unit.year", lang): str(int(y["year"])),
                    t("table.total_before", lang): i18n.eur(y["overshoot_eur"] + r.params.ceiling_eur, lang),
                    t("scenarios.ceiling", lang): i18n.eur(r.params.ceiling_eur, lang),
                    t("table.overshoot", lang): i18n.eur(y["overshoot_eur"], lang),
                    t("table.scaled", lang): i18n.pct(y["scale_factor"], lang)
                    if r.params.scale_to_ceiling
                    else t("table.not_scaled", lang),
                }
            )
    return pd.DataFrame(rows)
