"""What the scenario page shows above its charts: headline metrics and the comparison frames."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from clusterpolicy import i18n, naming
from clusterpolicy.data import provenance
from clusterpolicy.i18n import t
from clusterpolicy.model import scenarios
from clusterpolicy.present import outline, verdict
from clusterpolicy.present.headline import Headline


@dataclass(frozen=True)
class CompareView:
    """Everything derived from a list of scenario results for display."""

    metrics: list[Headline]  # the page's cards (with the change against the reference)
    comparison: pd.DataFrame
    base_share: pd.DataFrame
    headlines: list[Headline]  # the metrics in plain text, for the briefing
    calibration: str = ""  # which starting point the model used, for every chart's subtitle
    calibration_shift: str = ""  # what the other starting point would change in the baseline's cost
    overshoot: outline.Table | None = None  # the years above the ceiling (None: no compared scenario has one)
    verdicts: list[Headline] = field(default_factory=list)  # the ceiling's verdict per scenario that has one


def calibration_sentence(result: scenarios.ScenarioResult, lang: str, source: str = "", kinds: str = "") -> str:
    """Which starting point a result was computed from, in one sentence (with the published total's publisher).

    ``kinds`` names the kinds of source of the base year's subsidies (illustrative, internal, ...), so
    the sentence says what the figures are instead of assuming it.
    """
    if result.calibration == "total":
        return t(
            "scenarios.calibrated_total",
            lang,
            total=i18n.eur_millions(result.total_eur or 0, lang, 1),
            source=source,
            year=result.base_year,
            factor=i18n.num(result.scale, lang, 2),
            cap=i18n.eur(result.params.cap_eur * result.scale, lang),
        )
    return t("scenarios.calibrated_rule", lang, year=result.base_year, kinds=kinds or t("kind.illustrative", lang))


def calibration_shift(result: scenarios.ScenarioResult, other: scenarios.ScenarioResult, lang: str) -> str:
    """What the other calibration changes in a scenario's cumulative basic subsidy over its horizon."""
    here, there = result.summary["cumulative_basic_eur"], other.summary["cumulative_basic_eur"]
    return t(
        "scenarios.calibration_shift",
        lang,
        name=result.params.name,
        horizon=f"{result.params.first_year}–{result.params.last_year}",
        other=t(f"scenarios.calibration_{other.calibration}", lang),
        there=i18n.eur_millions(there, lang, 2),
        here=i18n.eur_millions(here, lang, 2),
        diff=("+" if there >= here else "−") + i18n.eur_millions(abs(there - here), lang, 2),
    )


def base_self_financing(base: scenarios.Base) -> pd.DataFrame:
    """Self-financing share of each cluster in the base year (members' part of the operating budget)."""
    share = 1 - base.public_eur / base.budget_eur
    return pd.DataFrame({"cluster_name": base.cluster_names, "year": base.year, "share": share})


def build(
    results: list,
    lang: str,
    base: scenarios.Base | None = None,
    other: scenarios.ScenarioResult | None = None,
    source: str = "",
    kinds: str = "",
) -> CompareView:
    """Headline metrics (cumulative basic subsidy, change, members' extra) and comparison frames.

    ``other`` is the baseline scenario run from the other starting point (calibration); the
    headlines then say what that choice changes. ``source`` names the published total's publisher.
    """
    cmp = scenarios.compare(results)
    metrics, headlines = [], []
    distinct = naming.unique_names(r.params.name for r in results)  # two may share a name
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
        if r.params.member_cap:  # what members cannot pay: the part of the operating budget at risk
            short = r.summary["cumulative_shortfall_eur"]
            extra = (
                t(
                    "scenarios.shortfall_note",
                    lang,
                    amount=i18n.eur_millions(short, lang, 2),
                    n=i18n.count(int(r.summary["clusters_short"]), "cluster", lang),
                )
                if short > 0
                else t("scenarios.shortfall_none", lang)
            )
            note = f"{note} {extra}" if note else extra
        metrics.append(Headline(label, value, note or "", delta=delta, help=help_text))
        # the same figures in plain text, for the briefing
        plain = [t("export.difference", lang) + ": " + delta] if delta else []
        plain += [note.replace("**", "")] if note else []
        sentences = [x.rstrip(". ") for x in plain + [help_text]]
        headlines.append(Headline(f"{distinct[i]} · {horizon}", value, ". ".join(sentences) + "."))
    verdicts = verdict.headlines(results, distinct, lang)  # the ceiling's verdict, where a scenario has one
    headlines += verdicts
    share = base_self_financing(base) if base is not None else pd.DataFrame(columns=["cluster_name", "year", "share"])
    calibration = calibration_sentence(results[0], lang, source, kinds)
    shift = calibration_shift(results[0], other, lang) if other is not None else ""
    label = t("scenarios.calibration", lang)
    headlines.append(
        Headline(label, t(f"scenarios.calibration_{results[0].calibration}", lang), " ".join(filter(None, [calibration, shift])))
    )
    return CompareView(metrics, cmp, share, headlines, calibration, shift, verdict.table(results, distinct, lang), verdicts)
