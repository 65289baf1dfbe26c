"""How exact a chart's numbers are in a file: money to the cent, and the decimals the page shows.

A chart's table holds its values in the chart's unit (euro, thousand or million euro, percent,
a count). A file gets each value as the decimal it is: an amount rounded to the cent in that unit
(2,347,333.32 euro, not 2,347,333.3200000003), any other value to six decimals. A spreadsheet
shows them with as many decimals as the page shows the same figure (the page's hover or bar
label: "€ 28,90 mln" is two decimals in million euro, "€ 390.500" one in thousand euro).
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from clusterpolicy import i18n

# decimals of a cent in each money unit
_CENT = {"eur": 2, "eur_k": 5, "eur_m": 8}
_SCALE = {"eur": 1.0, "eur_k": 1e3, "eur_m": 1e6}
OTHER_DECIMALS = 6


@functools.cache
def _units() -> dict[str, str]:
    """Each money unit's name in either language -> its key."""
    return {i18n.t(f"unit.{key}", lang): key for key in _CENT for lang in i18n.LANGS}


def cent_decimals(unit: str) -> int:
    """The decimals of a cent in a chart's unit (six for a unit that is not money)."""
    return _CENT.get(_units().get(str(unit), ""), OTHER_DECIMALS)


def exact(table: pd.DataFrame) -> pd.DataFrame:
    """The table with each value rounded as the decimal it is: money to the cent of its row's unit."""
    if "value" not in table.columns or not len(table):
        return table
    values = pd.to_numeric(table["value"], errors="coerce").to_numpy(dtype=float)
    if "unit" in table.columns:
        decimals = np.array([cent_decimals(u) for u in table["unit"]])
    else:
        decimals = np.full(len(table), OTHER_DECIMALS)
    rounded = values.copy()
    for d in np.unique(decimals):  # one rounding per unit in the table; + 0.0 turns a "-0" into 0
        rows = decimals == d
        rounded[rows] = np.round(values[rows], int(d)) + 0.0
    out = table.copy()
    out["value"] = rounded
    if "category" in out.columns:  # a year drawn from a float column is still a year (2017, not 2017.0)
        out["category"] = [int(c) if isinstance(c, float) and c.is_integer() else c for c in out["category"]]
        out["category"] = out["category"].astype(object)
    return out


_NUMBER = re.compile(r"\d(?:[\d.,\u00a0\u202f]*\d)?")


def shown(label, lang: str) -> tuple[float, int, float | None] | None:
    """(number, decimals, scale) of a figure as the page writes it, or None for text without one.

    The scale is what an amount in euro is written in, None for a figure without a euro sign (it is
    in the chart's own unit): "€ 28,90 mln" -> (28.9, 2, 1e6); "€92.8 m" -> (92.8, 1, 1e6);
    "€ 390.500" -> (390500, 0, 1); "−992" -> (-992, 0, None); "61 %" -> (61, 0, None).
    """
    if not isinstance(label, str):
        return None
    match = _NUMBER.search(label)
    if match is None:
        return None
    decimal, group = (",", ".") if lang == "nl" else (".", ",")
    digits = match.group()
    for sep in (group, "\u00a0", "\u202f"):
        digits = digits.replace(sep, "")
    places = len(digits.split(decimal)[1]) if decimal in digits else 0
    try:
        number = float(digits.replace(decimal, "."))
    except ValueError:
        return None
    before = label[: match.start()]
    if before.rstrip().endswith(("-", i18n.MINUS)) or before.startswith(("-", i18n.MINUS)):
        number = -number
    after = label[match.end() :].strip()
    if "€" not in label:
        return number, places, None
    return number, places, 1e6 if after.startswith(("mln", "m")) else 1.0


def decimals_in_unit(places: int, label_scale: float | None, unit: str) -> int:
    """The decimals, in a chart's unit, of a figure the page shows with ``places`` decimals at ``label_scale``."""
    key = _units().get(str(unit))
    if key is None or label_scale is None:
        return places
    return max(0, places + round(math.log10(_SCALE[key] / label_scale)))


def page_decimals(table: pd.DataFrame, lang: str) -> int | None:
    """The fewest decimals that show every value of a table as exactly as the page shows it (None: no labels).

    The page shows "€ 390.500" and "€ 500.000" in a chart in thousand euro: three decimals would
    reproduce them, one (390,5 and 500,0) does too, so the sheet shows one.
    """
    if "text" not in table.columns or "value" not in table.columns:
        return None
    needed = []
    for label, value, unit in zip(table["text"], table["value"], table.get("unit", [""] * len(table))):
        read = shown(label, lang)
        if read is None or value is None or pd.isna(value):
            continue
        needed.append((float(value), decimals_in_unit(read[1], read[2], unit)))
    if not needed:
        return None
    full = max(d for _, d in needed)
    for d in range(full + 1):
        if all(round(v, d) == round(v, full) for v, _ in needed):
            return d
    return full


def with_minus(number_format: str) -> str:
    """An Excel number format whose negative numbers carry the app's minus sign (a percentage is left as it is)."""
    if ";" in number_format or "%" in number_format or number_format in ("0", "General"):
        return number_format
    return f'{number_format};"{i18n.MINUS}"{number_format}'


def excel_format(decimals: int, minus: str = i18n.MINUS) -> str:
    """An Excel number format with thousands separators, ``decimals`` places and the app's minus sign."""
    body = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return f'{body};"{minus}"{body}'


@dataclass(frozen=True)
class NumberFormat:
    """How a chart writes its values, as data: the decimals, as a percentage or not, and with or without the thousands
    separator (a year is 2024, not 2.024). A builder declares it in its chart's spec; the page's axis (``d3``), the
    deck's and the workbook's (``excel``) and the briefing's labels (``format``) all write from it, and nothing parses
    a format string back."""

    decimals: int = 0
    percent: bool = False
    grouped: bool = True

    @property
    def d3(self) -> str | None:
        """The format as Plotly's axis writes it (d3's terms: ',.1f', '.0%'); None for a year, written as it is."""
        if not self.grouped:
            return None
        return f".{self.decimals}%" if self.percent else f",.{self.decimals}f"

    @property
    def excel(self) -> str:
        """The format in Excel's and PowerPoint's terms ('#,##0.0', '0%', '0' for a year)."""
        if not self.grouped:
            return "0"
        body = ("0" if self.percent else "#,##0") + ("." + "0" * self.decimals if self.decimals else "")
        return body + ("%" if self.percent else "")

    def format(self, value: float, lang: str, decimals: int | None = None) -> str:
        """A value as this format writes it in the reader's language (``decimals``: other than the format's own)."""
        places = self.decimals if decimals is None else decimals
        if not self.grouped:
            return str(int(round(value)))
        return i18n.pct(value, lang, places) if self.percent else i18n.num(value, lang, places)
