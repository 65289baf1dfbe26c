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


def projects(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Inter-cluster projects for display: theme translated, clusters joined, euros formatted."""
    return pd.DataFrame(
        {
            t("earmarked.col_project", lang): df["project_id"],
            t("earmarked.col_title", lang): df["title"],
            t("earmarked.col_theme", lang): [t(f"theme.{th}", lang) for th in df["theme"]],
            t("earmarked.col_years", lang): [f"{s}–{e}" for s, e in zip(df["start_year"], df["end_year"])],
            t("earmarked.col_clusters", lang): [", ".join(c) for c in df["clusters"]],
            t("earmarked.col_budget", lang): [i18n.eur(v, lang) for v in df["budget_eur"]],
            t("earmarked.col_public", lang): [i18n.eur(v, lang) for v in df["public_eur"]],
        }
    )


def kpi_definitions(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Each indicator with its definition, unit, direction and recommendation, in one language."""
    return pd.DataFrame(
        {
            t("kpi.col_name", lang): df[f"name_{lang}"],
            t("kpi.col_definition", lang): df[f"definition_{lang}"],
            t("kpi.col_unit", lang): [t(f"unit.{u}_name", lang) for u in df["unit"]],
            t("kpi.col_direction", lang): [
                t("kpi.higher_better" if h else "kpi.lower_better", lang) for h in df["higher_is_better"]
            ],
            t("kpi.col_recommendation", lang): df["recommendation"],
        }
    )


CONTRACT_TABLES = (
    "source",
    "cluster",
    "basic_funding",
    "earmarked_budget",
    "intercluster_project",
    "project_cluster",
    "kpi",
    "kpi_value",
    "kpi_target",
)


def sources(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The source list for display: kind translated, title in the reader's language where one exists."""
    title = [te if lang == "en" and isinstance(te, str) and te else ti for ti, te in zip(df["title"], df["title_en"])]
    return pd.DataFrame(
        {
            "source_id": df["source_id"],
            t("data.col_kind", lang): [t(f"kind.{k}", lang) for k in df["kind"]],
            t("data.col_publisher", lang): df["publisher"],
            t("data.col_title", lang): title,
            t("data.col_published", lang): df["published"],
            t("data.col_url", lang): df["url"],
            t("data.col_note", lang): df["note"],
        }
    )
