"""The ceiling's verdict: which years of a scenario go above its ceiling and by how much.

The page shows it as a sentence and a table under the headline figures; every export of the
scenario page carries the same sentence among its headlines and the same table (outline.Table).
"""

from __future__ import annotations

import pandas as pd

from clusterpolicy import i18n
from clusterpolicy.i18n import t
from clusterpolicy.present import outline
from clusterpolicy.present.headline import Headline


def _over(result) -> pd.DataFrame:
    return result.years[result.years["overshoot_eur"] > 0]


def headlines(results: list, names: list[str], lang: str) -> list[Headline]:
    """One headline per scenario with a ceiling: within it every year, or the years above it and by how much."""
    out = []
    for r, name in zip(results, names):
        if not r.params.has_ceiling:
            continue
        over = _over(r)
        label = t("verdict.label", lang, name=name)
        if over.empty:
            out.append(Headline(label, t("verdict.within", lang), t("verdict.within_note", lang)))
            continue
        worst = over.loc[over["overshoot_eur"].idxmax()]
        years = [f"{int(y['year'])}: {i18n.eur(y['overshoot_eur'], lang)}" for _, y in over.iterrows()]
        note = t(
            "verdict.above_note",
            lang,
            years="; ".join(years),
            total=i18n.eur(float(over["overshoot_eur"].sum()), lang),
            most=i18n.eur(float(worst["overshoot_eur"]), lang),
            worst=int(worst["year"]),
        )
        if r.params.scale_to_ceiling:
            note += " " + t("verdict.scaled_note", lang)
        n = len(over)
        out.append(Headline(label, t("verdict.above_one" if n == 1 else "verdict.above", lang, n=n), note))
    return out


def table(results: list, names: list[str], lang: str) -> outline.Table | None:
    """The years above the ceiling of every compared scenario that has one (None when none has one)."""
    with_ceiling = [(r, n) for r, n in zip(results, names) if r.params.has_ceiling]
    if not with_ceiling:
        return None
    cols = {
        "scenario": t("table.scenario", lang),
        "year": t("overview.year", lang),
        "before": t("table.total_before", lang),
        "ceiling": t("scenarios.ceiling", lang),
        "over": t("table.overshoot", lang),
        "scaled": t("table.scaled", lang),
    }
    shown, numbers, long = [], [], []
    for r, name in with_ceiling:
        for _, y in _over(r).iterrows():
            before = float(y["overshoot_eur"] + y["ceiling_eur"])
            scaled = float(y["scale_factor"]) if r.params.scale_to_ceiling else None
            year, over, ceiling = int(y["year"]), round(float(y["overshoot_eur"]), 2), round(float(y["ceiling_eur"]), 2)
            shown.append(
                {
                    cols["scenario"]: name,
                    cols["year"]: str(year),
                    cols["before"]: i18n.eur(before, lang),
                    cols["ceiling"]: i18n.eur(ceiling, lang),
                    cols["over"]: i18n.eur(over, lang),
                    cols["scaled"]: i18n.pct(scaled, lang) if scaled is not None else t("table.not_scaled", lang),
                }
            )
            numbers.append(
                {
                    cols["scenario"]: name,
                    cols["year"]: year,
                    cols["before"]: round(before, 2),
                    cols["ceiling"]: ceiling,
                    cols["over"]: over,
                    cols["scaled"]: round(scaled, 6) if scaled is not None else t("table.not_scaled", lang),
                }
            )
            long.append(
                {"series": name, "category": year, "value": over, "text": i18n.eur(over, lang), "unit": t("unit.eur", lang)}
            )
    money = outline.MONEY_FORMAT
    return outline.Table(
        title=t("scenarios.overshoot_title", lang),
        shown=pd.DataFrame(shown, columns=list(cols.values())),
        numbers=pd.DataFrame(numbers, columns=list(cols.values())),
        long=pd.DataFrame(long, columns=["series", "category", "value", "text", "unit"]),
        formats={cols["before"]: money, cols["ceiling"]: money, cols["over"]: money, cols["scaled"]: "0.0%", cols["year"]: "0"},
        empty_text=t("scenarios.no_overshoot", lang),
    )
