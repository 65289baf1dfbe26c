"""What the scenario page shows above its charts: headline metrics and the comparison frames."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import exports, i18n, provenance, report, scenarios
from .i18n import t


@dataclass(frozen=True)
class Metric:
    """One headline number with its change against the baseline."""

    label: str
    value: str
    delta: str | None
    help: str
    note: str | None = None


@dataclass(frozen=True)
class CompareView:
    """Everything derived from a list of scenario results for display."""

    metrics: list[Metric]
    comparison: pd.DataFrame
    base_share: pd.DataFrame
    headlines: list[report.Headline]  # the metrics in plain text, for the briefing


def base_self_financing(base: scenarios.Base) -> pd.DataFrame:
    """Self-financing share of each cluster in the base year (members' part of the operating budget)."""
    share = 1 - base.public_eur / base.budget_eur
    return pd.DataFrame({"cluster_name": base.cluster_names, "year": base.year, "share": share})


def build(results: list, lang: str, base: scenarios.Base | None = None) -> CompareView:
    """Headline metrics (cumulative basic subsidy, change, members' extra) and comparison frames."""
    cmp = scenarios.compare(results)
    metrics, headlines = [], []
    distinct = exports.unique_names(r.params.name for r in results)  # two may share a name
    for i, r in enumerate(results):
        row = cmp.iloc[i]
        horizon = f"{r.params.first_year}–{r.params.last_year}"
        delta = None if i == 0 else i18n.eur_millions(row["diff_basic_eur"], lang, 2)
        if delta is not None and row["diff_basic_eur"] > 0:
            delta = "+" + delta
        help_text = t(
            "scenarios.metric_help",
            lang,
            total=i18n.eur(row["total_eur"], lang),
            members=i18n.eur(row["members_eur"], lang),
            members_diff=i18n.eur(row["diff_members_eur"], lang),
        )
        label = t("scenarios.metric_label", lang, name=provenance.md_escape(r.params.name), horizon=horizon)
        value = i18n.eur_millions(row["basic_eur"], lang, 2)
        note = None
        if i:
            members = i18n.eur_millions(abs(row["diff_members_eur"]), lang, 2)
            key = "scenarios.metric_members_more" if row["diff_members_eur"] >= 0 else "scenarios.metric_members_less"
            note = t(key, lang, amount=members)
        metrics.append(Metric(label, value, delta, help_text, note))
        # the same figures in plain text, for the briefing
        plain = [t("export.difference", lang) + ": " + delta] if delta else []
        plain += [note.replace("**", "")] if note else []
        sentences = [x.rstrip(". ") for x in plain + [help_text]]
        headlines.append(report.Headline(f"{distinct[i]} · {horizon}", value, ". ".join(sentences) + "."))
    share = base_self_financing(base) if base is not None else pd.DataFrame(columns=["cluster_name", "year", "share"])
    return CompareView(metrics, cmp, share, headlines)
