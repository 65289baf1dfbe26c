"""Charts of the scenario page's ranges section: a fan per scenario and the chance of going above the ceiling per year."""

from __future__ import annotations

import numpy as np

from clusterpolicy import i18n
from clusterpolicy.i18n import t
from clusterpolicy.model import uncertainty
from clusterpolicy.present.charts.chart import Chart, finish_chart
from clusterpolicy.present.charts.figure import draft_of
from clusterpolicy.present.charts.precision import NumberFormat
from clusterpolicy.present.charts.spec import ChartSpec, Series
from clusterpolicy.present.charts.theme import DASHES, PALETTE, SYMBOLS, as_literal, hex_colour, hover_amounts

CEILING_COLOUR = "#D55E00"
# how each percentile line is drawn: the median solid and thick, the 50 % band's edges dashed, the 90 % band's dotted
# (the order of the series: the 90 % band's edges, the 50 % band's, the median, the ceiling)
BAND_DASH = {5: "dot", 25: "dash", 50: "solid", 75: "dash", 95: "dot"}
# the page fills between a band's edges (the deck and the briefing draw the edges, dashed and dotted)
BAND_FILL = {95: 0.14, 75: 0.30}


def _fill(colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour(colour)[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def fan(sim: uncertainty.Simulation, index: int, lang: str, illustrative: bool, ranges_note: str, lead: str = "") -> Chart:
    """One scenario's yearly cost as a fan: the median, the 50 % and the 90 % band, and the ceiling where there is one."""
    bands = sim.bands
    top = max(float(np.nanmax(bands)), float(np.nanmax(sim.ceiling)) if sim.has_ceiling else 0.0)
    # in millions, with two decimals below EUR 10 M: "2,89" is said aloud, 2.890.000 is not
    div = 1e6
    spec = ChartSpec(lang, unit="eur_m", format=NumberFormat(2 if top < 1e7 else 1))
    # the value axis need not start at zero: a band of a few percent is what the chart shows (every format draws this range)
    shown = [bands] + ([sim.ceiling[np.isfinite(sim.ceiling)]] if sim.has_ceiling else [])
    low, high = min(float(np.min(v)) for v in shown) / div, max(float(np.max(v)) for v in shown) / div
    pad = (high - low) * 0.1 or high * 0.05 or 1.0
    spec.value_range = (max(0.0, low - pad), high + pad)
    colour = PALETTE[index % len(PALETTE)]
    years = [int(y) for y in sim.years]
    rows = dict(zip(uncertainty.PERCENTILES, bands))
    # each band's lower edge, then its upper edge filled down to it (the page's "tonexty"); the median over both
    for p in (5, 95, 25, 75, 50):
        row = rows[p]
        page = {"line": {"width": 4 if p == 50 else 2}}
        if p in BAND_FILL:
            page.update({"fill": "tonexty", "fillcolor": _fill(colour, BAND_FILL[p])})
        spec.add(
            Series.of(
                f"scenario:{index}:percentile:{p}",  # a scenario's own bands, in its own colour on every chart
                t("ranges.median", lang) if p == 50 else t("ranges.percentile", lang, p=p),
                "line",
                years,
                row / div,
                colour,
                dash=BAND_DASH[p],
                symbol=SYMBOLS[index % len(SYMBOLS)] if p == 50 else None,
                hover=hover_amounts(row, lang),
                page=page,
            )
        )
    if sim.has_ceiling:
        spec.add(
            Series.of(
                "ceiling:0",
                t("scenarios.ceiling", lang),
                "line",
                years,
                sim.ceiling / div,
                CEILING_COLOUR,
                dash="dashdot",
                hover=hover_amounts(sim.ceiling, lang),
                page={"line": {"width": 3}},
            )
        )
    fig = draft_of(spec)
    fig.update_xaxes(dtick=1)
    fig.update_layout(legend={"traceorder": "normal"})  # Plotly reverses a legend with fills; the files keep this order
    title = t(f"ranges.fan_title_{sim.measure}", lang, name=sim.name)
    # the lead names the scenario (a reader's own text): written literally, as every name in a chart
    subtitle = " ".join(
        part for part in (as_literal(lead) if lead else "", t("ranges.fan_subtitle", lang, note=ranges_note)) if part
    )
    return finish_chart(spec, fig, title, subtitle, illustrative)


def chance_by_year(
    sims: list[uncertainty.Simulation], lang: str, illustrative: bool, ranges_note: str, ceiling: str = ""
) -> Chart:
    """The chance that each scenario's cost is above the ceiling, per year (scenarios without a ceiling left out)."""
    spec = ChartSpec(lang, unit="pct", format=NumberFormat(0), value_range=(0.0, 105.0))
    for i, sim in enumerate(sims):
        if not sim.has_ceiling:
            continue
        chance = sim.chance_over_by_year
        spec.add(
            Series.of(
                f"scenario:{i}",
                sim.name,
                "line",
                [int(y) for y in sim.years],
                chance * 100,
                PALETTE[i % len(PALETTE)],
                dash=DASHES[i % len(DASHES)],
                symbol=SYMBOLS[i % len(SYMBOLS)],
                hover=[i18n.pct(c, lang, 1) for c in chance],
                page={"line": {"width": 4}, "marker": {"size": 11}},
            )
        )
    fig = draft_of(spec)
    fig.update_xaxes(dtick=1)
    title = t(f"ranges.chance_title_{sims[0].measure}", lang)
    subtitle = t("ranges.chance_subtitle", lang, note=ranges_note) + (" " + ceiling if ceiling else "")
    return finish_chart(spec, fig, title, subtitle, illustrative)
