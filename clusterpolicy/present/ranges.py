"""The ranges section in words and tables: one sentence per scenario, the chances, the ranges used.

The page shows these, and every export of a view with the section open carries the same sentences
(headlines) and tables (``outline.Table``). Pure: no Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from clusterpolicy import i18n
from clusterpolicy.i18n import t
from clusterpolicy.model import paramspec, uncertainty
from clusterpolicy.present import outline
from clusterpolicy.present.headline import Headline


@dataclass(frozen=True)
class Outlook:
    """Every compared scenario over the same draws, and each one against the first (the reference)."""

    sims: list[uncertainty.Simulation]
    versus: list[uncertainty.Versus | None]  # None for the reference itself
    drivers: list[list[tuple[str, float]]]
    ranges: uncertainty.Ranges


def simulate(base, chosen: list, ranges: uncertainty.Ranges, measure: str, ceiling: float | None) -> Outlook:
    """Every scenario simulated over one set of draws (common random numbers)."""
    u = uncertainty.uniforms(ranges)
    sims = [uncertainty.simulate(base, p, ranges, measure, ceiling, u=u) for p in chosen]
    versus = [None] + [uncertainty.versus(s, sims[0]) if s.cost.shape == sims[0].cost.shape else None for s in sims[1:]]
    return Outlook(sims, versus, [uncertainty.drivers(s) for s in sims], ranges)


def chance_text(p: float, draws: int, lang: str) -> str:
    """A chance as a reader reads it: "12 %", "0,4 %", and at the ends how many draws it rests on."""
    if p <= 0:
        return t("ranges.chance_none", lang, n=i18n.num(draws, lang))
    if p >= 1:
        return t("ranges.chance_all", lang, n=i18n.num(draws, lang))
    return i18n.pct(p, lang, 0 if 0.01 <= p <= 0.99 else 1)


def ninety(sim: uncertainty.Simulation) -> tuple[float, float]:
    """The 5th and the 95th percentile of the cumulative cost: where 9 of 10 futures lie."""
    low, high = np.percentile(sim.cumulative, (5, 95))
    return float(low), float(high)


def horizon(sim: uncertainty.Simulation) -> str:
    return f"{int(sim.years[0])}–{int(sim.years[-1])}"


def note(ranges: uncertainty.Ranges, lang: str) -> str:
    """What the ranges rest on, in a few words (every fan's subtitle ends with it)."""
    kind = "ranges.note_default" if ranges.is_default() else "ranges.note_changed"
    return t(kind, lang, n=i18n.num(ranges.draws, lang), seed=ranges.seed)


def driver_name(name: str, lang: str) -> str:
    label = paramspec.label(paramspec.BY_NAME[name], lang, with_unit=False)
    return label[:1].lower() + label[1:]


def sentence(outlook: Outlook, i: int, lang: str) -> str:
    """The sentence a minister can read aloud about scenario ``i``: its 90 % range, the ceiling, against the reference."""
    return " ".join(_parts(outlook, i, lang))


def lead(outlook: Outlook, i: int, lang: str) -> str:
    """The start of the sentence, its 90 % range and the ceiling: the fan's subtitle begins with it (a slide shows
    the first two lines of a subtitle, so the range is said on the slide too)."""
    return " ".join(_parts(outlook, i, lang)[:2])


def _parts(outlook: Outlook, i: int, lang: str) -> list[str]:
    sim, ranges = outlook.sims[i], outlook.ranges
    low, high = ninety(sim)
    parts = [
        t(
            f"ranges.sentence_{sim.measure}",
            lang,
            name=sim.name,
            low=i18n.eur_millions(low, lang, 1),
            high=i18n.eur_millions(high, lang, 1),
            horizon=horizon(sim),
        )
    ]
    if sim.has_ceiling:
        parts.append(t("ranges.sentence_ceiling", lang, chance=chance_text(sim.chance_over, ranges.draws, lang)))
    else:
        parts.append(t("ranges.sentence_no_ceiling", lang))
    vs = outlook.versus[i]
    if vs is not None:
        parts.append(
            t(
                "ranges.sentence_versus",
                lang,
                reference=outlook.sims[0].name,
                chance=chance_text(vs.chance_cheaper, ranges.draws, lang),
                low=i18n.eur_millions(vs.low, lang, 1),
                high=i18n.eur_millions(vs.high, lang, 1),
            )
        )
    drivers = outlook.drivers[i]
    if drivers:
        name, rho = drivers[0]
        way = "up" if rho > 0 else "down"
        parts.append(t(f"ranges.sentence_driver_{way}", lang, parameter=driver_name(name, lang), rho=i18n.num(rho, lang, 2)))
    return parts


def headlines(outlook: Outlook, lang: str) -> list[Headline]:
    """One headline per scenario (its 90 % range, with the sentence as its note), as every export lists them."""
    out = []
    for i, sim in enumerate(outlook.sims):
        low, high = ninety(sim)
        value = f"{i18n.eur_millions(low, lang, 1)} – {i18n.eur_millions(high, lang, 1)}"
        label = t("ranges.headline_label", lang, name=sim.name, horizon=horizon(sim))
        out.append(Headline(label, value, sentence(outlook, i, lang), illustrative=True))
    return out


def chances(outlook: Outlook, lang: str) -> outline.Table:
    """Per scenario: its cumulative cost's 5th, 50th and 95th percentile, the chance above the ceiling, against the reference."""
    ref = outlook.sims[0].name
    cols = {
        "scenario": t("table.scenario", lang),
        "p5": t("ranges.col_p5", lang),
        "p50": t("ranges.col_p50", lang),
        "p95": t("ranges.col_p95", lang),
        "over": t("ranges.col_over", lang),
        "cheaper": t("ranges.col_cheaper", lang),
        "d5": t("ranges.col_diff_p5", lang),
        "d95": t("ranges.col_diff_p95", lang),
    }
    shown, numbers, long = [], [], []
    unit = t("unit.eur", lang)
    for sim, vs in zip(outlook.sims, outlook.versus):
        p5, p50, p95 = (round(float(v), 2) for v in np.percentile(sim.cumulative, (5, 50, 95)))
        over = sim.chance_over if sim.has_ceiling else None
        cheaper = vs.chance_cheaper if vs is not None else None
        d5, d95 = (round(vs.low, 2), round(vs.high, 2)) if vs is not None else (None, None)
        dash = "–"
        shown.append(
            {
                cols["scenario"]: sim.name,
                cols["p5"]: i18n.eur(p5, lang),
                cols["p50"]: i18n.eur(p50, lang),
                cols["p95"]: i18n.eur(p95, lang),
                cols["over"]: chance_text(over, outlook.ranges.draws, lang) if over is not None else dash,
                cols["cheaper"]: chance_text(cheaper, outlook.ranges.draws, lang) if cheaper is not None else dash,
                cols["d5"]: i18n.eur(d5, lang) if d5 is not None else dash,
                cols["d95"]: i18n.eur(d95, lang) if d95 is not None else dash,
            }
        )
        numbers.append(
            {
                cols["scenario"]: sim.name,
                cols["p5"]: p5,
                cols["p50"]: p50,
                cols["p95"]: p95,
                cols["over"]: over if over is not None else dash,
                cols["cheaper"]: cheaper if cheaper is not None else dash,
                cols["d5"]: d5 if d5 is not None else dash,
                cols["d95"]: d95 if d95 is not None else dash,
            }
        )
        for key in ("p5", "p50", "p95"):
            value = {"p5": p5, "p50": p50, "p95": p95}[key]
            long.append({"series": sim.name, "category": cols[key], "value": value, "text": i18n.eur(value, lang), "unit": unit})
        for key, value in (("over", over), ("cheaper", cheaper)):
            if value is not None:
                long.append(
                    {
                        "series": sim.name,
                        "category": cols[key],
                        "value": round(value * 100, 2),
                        "text": chance_text(value, outlook.ranges.draws, lang),
                        "unit": t("unit.pct", lang),
                    }
                )
    formats = {cols[k]: outline.MONEY_FORMAT for k in ("p5", "p50", "p95", "d5", "d95")}
    formats.update({cols["over"]: "0.0%", cols["cheaper"]: "0.0%"})
    return outline.Table(
        title=t(f"ranges.chances_title_{outlook.sims[0].measure}", lang, horizon=horizon(outlook.sims[0]), reference=ref),
        shown=pd.DataFrame(shown, columns=list(cols.values())),
        numbers=pd.DataFrame(numbers, columns=list(cols.values())),
        long=pd.DataFrame(long, columns=["series", "category", "value", "text", "unit"]),
        formats=formats,
    )


def offset_text(spec: paramspec.Spec, value: float, lang: str) -> str:
    """An offset from a scenario's value: "+1,0 procentpunt", "−1", "+2 jaar"."""
    sign = "+" if value > 0 else i18n.MINUS if value < 0 else "±"
    if spec.unit in ("rate", "share"):
        return f"{sign}{i18n.num(abs(value) * 100, lang, 2 if abs(value) * 1000 % 10 else 1)} {t('ranges.points', lang)}"
    if spec.unit == "year":
        return f"{sign}{int(abs(value))} {t('ranges.years', lang)}"
    return f"{sign}{int(abs(value))}"


def span_text(spec: paramspec.Spec, lo: float, hi: float, lang: str) -> str:
    if lo == 0 and hi == 0:
        return t("ranges.fixed", lang)
    return t("ranges.span", lang, lo=offset_text(spec, lo, lang), hi=offset_text(spec, hi, lang))


def used(ranges: uncertainty.Ranges, lang: str) -> outline.Table:
    """The ranges used, each with its kind (illustrative, or changed by the user), the number of draws and the seed."""
    cols = [t("export.parameter", lang), t("ranges.col_range", lang), t("ranges.col_kind", lang)]
    rows = []
    for spec in paramspec.UNCERTAIN:
        lo, hi = ranges.span(spec.name)
        own = (lo, hi) != (spec.uncertain.lo, spec.uncertain.hi)
        kind = t("ranges.kind_changed", lang) if own else t("kind.illustrative", lang)
        rows.append([paramspec.label(spec, lang, with_unit=False), span_text(spec, lo, hi, lang), kind])
    rows.append([t("ranges.draws", lang), i18n.num(ranges.draws, lang), ""])
    rows.append([t("ranges.seed", lang), str(ranges.seed), ""])
    shown = pd.DataFrame(rows, columns=cols)
    long = pd.DataFrame(
        [{"series": r[0], "category": cols[1], "value": None, "text": r[1], "unit": ""} for r in rows],
        columns=["series", "category", "value", "text", "unit"],
    )
    return outline.Table(title=t("ranges.used_title", lang), shown=shown, numbers=shown.copy(), long=long)
