"""The one specification of the funding scenario's parameters.

Each parameter is written here once: its kind, range and step in the model's own units, how the
editor shows it (unit, display scale, widget, column), whether the sensitivity analysis moves it
and how, and whether it matters only when new clusters are added. The model's validation, the
editor form, the link encoding, the parameter tables of the exports, the tornado's labels and the
property tests' strategies all read it; labels and help texts are locale keys
(``param.<name>`` and ``param.<name>_help``), units are the locale's ``unit_form.<unit>``.

Pure: no Streamlit, no pandas.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from clusterpolicy import i18n
from clusterpolicy.i18n import strings


def shown_value(unit: str | None, value, lang: str) -> str:
    """A parameter's value as the editor shows it, in a message, a parameter table or an answer:
    € 500.000, € 90,00 mln, 2,5 %, 2031 (the one formatter of a value by its unit)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return str(value)
    if unit == "eur":
        return i18n.eur(value, lang)
    if unit in ("eur_m", "path"):
        return i18n.eur_millions(value, lang, 2)
    if unit in ("share", "rate"):
        return i18n.pct(value, lang, 1)
    return str(int(value)) if float(value).is_integer() else i18n.num(value, lang, 2)


class Issue(str):
    """What is wrong with a value: reads as an English sentence (logs, errors), and says it in any language.

    ``key`` names the sentence under ``[issue]`` in the locales; ``values`` fill it in, numbers shown
    in ``unit`` (the parameter's) by ``text(lang)`` and plainly (``:g``) in the English reading.
    """

    key: str
    values: dict
    unit: str | None

    def __new__(cls, key: str, unit: str | None = None, **values):
        plain = {k: format(v, "g") if isinstance(v, float) else v for k, v in values.items()}
        obj = super().__new__(cls, strings("en")[f"issue.{key}"].format(**plain))
        obj.key, obj.values, obj.unit = key, values, unit
        return obj

    def text(self, lang: str) -> str:
        money = ("lo", "hi", "value", "amount")
        shown = {k: shown_value(self.unit, v, lang) if k in money else v for k, v in self.values.items()}
        return strings(lang)[f"issue.{self.key}"].format(**shown)


# How a unit is shown in the editor: the factor from model value to displayed value, the number
# format of the input, and whether the value is a whole number.
UNITS: dict[str, tuple[float, str, bool]] = {
    "year": (1, "%d", True),
    "count": (1, "%d", True),
    "share": (100, "%.1f", False),  # 0.125 is shown as 12.5 (%)
    "rate": (100, "%.1f", False),  # per year, 0.02 is shown as 2.0 (% a year)
    "eur": (1, "%.0f", False),
    "eur_m": (1e-6, "%.2f", False),  # euros shown in millions
    "bool": (1, "", True),
    "text": (1, "", False),
    "stops": (1, "%d", True),  # (cluster, year) pairs; years as "year"
    "path": (1e-6, "%.2f", False),  # (year, euros) pairs, the euros shown in millions
}


@dataclass(frozen=True)
class Spread:
    """How uncertain a parameter is: the default range around the scenario's own value, and how far a user may widen it.

    ``lo`` and ``hi`` are offsets from the scenario's value in model units (``lo`` <= 0 <= ``hi``): a
    draw lies between value + lo and value + hi, most likely at the value itself (a triangular
    distribution), and always inside the parameter's own range. ``widest`` bounds what a user may set
    on either side. ``source`` is the row of the source table the default rests on.
    """

    lo: float
    hi: float
    widest: float
    step: float
    source: str = "illus_ranges"
    keeps_zero: bool = False  # a scenario with none (0: no open call, no KPI-linked part) keeps none in every draw

    def problem(self, lo, hi, unit: str) -> Issue | None:
        """Why a range (offsets lo, hi, in model units of ``unit``) is not allowed, or None."""
        for v in (lo, hi):
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
                return Issue("not_number", value=repr(v))
        if not -self.widest - 1e-12 <= lo <= 0 <= hi <= self.widest + 1e-12:
            return Issue("spread_outside", unit, lo=-self.widest, hi=self.widest)
        if UNITS[unit][2] and (lo != int(lo) or hi != int(hi)):
            return Issue("not_whole", value=lo if lo != int(lo) else hi)
        return None


@dataclass(frozen=True)
class Spec:
    """One scenario parameter."""

    name: str
    unit: str
    lo: float | None = None
    hi: float | None = None
    step: float | None = None  # in model units
    optional: bool = False  # None is allowed; the editor's 0 stands for None
    widget: str = "number"  # number | slider | range | checkbox | text | stops | path (range: first/last year together)
    column: int = 1  # editor column, 1 to 3
    sensitivity: str | None = None  # level (moved by a relative step) | rate (moved by an absolute step) | None
    new_clusters_only: bool = False  # matters only when new clusters are added (tables show "–" otherwise)
    needs: str | None = None  # matters only when this switch (a bool parameter) is on (tables show "–" otherwise)
    max_chars: int | None = None
    uncertain: Spread | None = None  # how far the value may plausibly lie from the scenario's (the ranges section)

    @property
    def scale(self) -> float:
        return UNITS[self.unit][0]

    @property
    def whole(self) -> bool:
        return UNITS[self.unit][2]

    @property
    def fmt(self) -> str:
        return UNITS[self.unit][1]

    def problem(self, value) -> str | None:
        """Why a value is not allowed, or None."""
        if value is None:
            return None if self.optional else Issue("required")
        if self.unit == "text":
            if not isinstance(value, str) or not value.strip():
                return Issue("name_required")
            if self.max_chars and len(value) > self.max_chars:
                return Issue("max_chars", max=self.max_chars)
            return None
        if self.unit == "bool":
            return None if isinstance(value, bool) else Issue("not_bool")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return Issue("not_number", value=repr(value))
        if not math.isfinite(value) or not self.lo <= value <= self.hi:
            return Issue("outside", self.unit, value=value, lo=self.lo, hi=self.hi)
        if self.whole and value != int(value):
            return Issue("not_whole", value=value)
        return None

    def to_display(self, value):
        """A model value in the editor's units (None becomes 0 for an optional number)."""
        if self.unit in ("text", "bool", "stops", "path"):
            return value
        if value is None:
            return 0 if self.whole else 0.0
        if self.whole:
            return int(value)
        return round(float(value) * self.scale, 10)

    def from_display(self, shown):
        """The model value of what the editor shows (0 becomes None for an optional number)."""
        if self.unit in ("text", "bool", "stops", "path"):
            return shown
        if self.optional and not shown:
            return None
        if self.whole:
            return int(shown)
        # rounded to what the model keeps (cents, or a share to 10 digits), so a value survives the trip
        return round(float(shown) / self.scale, 2 if self.unit.startswith("eur") else 10)

    def display_bounds(self) -> tuple[float, float, float]:
        """(min, max, step) of the editor's input, in its units; an optional input starts at 0 (= none)."""
        lo, hi, step = self.lo, self.hi, self.step or 1
        if self.whole:
            return (0 if self.optional else int(lo)), int(hi), max(1, int(step))
        lo_shown = 0.0 if self.optional else lo * self.scale
        return round(lo_shown, 6), round(hi * self.scale, 6), round(step * self.scale, 6)


YEARS = (2020, 2060)

SPECS: tuple[Spec, ...] = (
    Spec("name", "text", widget="text", max_chars=60),
    Spec("first_year", "year", *YEARS, 1, widget="range"),
    Spec("last_year", "year", *YEARS, 1, widget="range"),
    Spec("share_start", "share", 0.0, 1.0, 0.005, widget="slider", sensitivity="level"),
    Spec("share_end", "share", 0.0, 1.0, 0.005, widget="slider", sensitivity="level"),
    Spec("cap_eur", "eur", 0.0, 5_000_000.0, 10_000.0, sensitivity="level"),
    Spec("cap_indexation", "rate", -0.10, 0.20, 0.005, sensitivity="rate", uncertain=Spread(-0.01, 0.01, 0.05, 0.0025)),
    Spec("budget_growth", "rate", -0.20, 0.30, 0.005, sensitivity="rate", uncertain=Spread(-0.01, 0.01, 0.05, 0.0025)),
    Spec("stops", "stops", *YEARS, 1, widget="stops", column=2),
    Spec("basic_end_year", "year", *YEARS, 1, optional=True, column=2),
    Spec("new_clusters", "count", 0, 20, 1, column=2, uncertain=Spread(-1, 1, 5, 1, keeps_zero=True)),
    Spec("new_from_year", "year", *YEARS, 1, column=2, new_clusters_only=True, uncertain=Spread(0, 2, 5, 1)),
    Spec("new_budget_eur", "eur", 0.0, 5_000_000.0, 50_000.0, column=2, sensitivity="level", new_clusters_only=True),
    Spec("new_ramp_years", "count", 1, 10, 1, column=2, new_clusters_only=True),
    # new themes as projects (VARIO Recommendation 4) instead of new cluster organisations
    Spec("themes_as_projects", "bool", widget="checkbox", column=2),
    Spec("theme_project_eur", "eur", 0.0, 5_000_000.0, 50_000.0, column=2, new_clusters_only=True, needs="themes_as_projects"),
    Spec(
        "theme_public_share",
        "share",
        0.0,
        1.0,
        0.05,
        widget="slider",
        column=2,
        new_clusters_only=True,
        needs="themes_as_projects",
    ),
    # members' capacity: what members can pay grows at most this fast (from what they paid in the base year)
    Spec("member_cap", "bool", widget="checkbox", column=2),
    Spec("member_growth", "rate", -0.10, 0.30, 0.005, column=2, needs="member_cap"),
    Spec(
        "perf_share",
        "share",
        0.0,
        1.0,
        0.05,
        widget="slider",
        column=3,
        uncertain=Spread(-0.05, 0.05, 0.5, 0.05, keeps_zero=True),
    ),
    Spec("cp_eur", "eur_m", 0.0, 1e9, 1e6, column=3, sensitivity="level"),
    Spec("cp_growth", "rate", -0.20, 0.30, 0.005, column=3, sensitivity="rate", uncertain=Spread(-0.02, 0.02, 0.05, 0.0025)),
    Spec("ic_eur", "eur_m", 0.0, 1e9, 250_000.0, column=3, sensitivity="level"),
    Spec("ic_growth", "rate", -0.20, 0.30, 0.005, column=3, sensitivity="rate", uncertain=Spread(-0.02, 0.02, 0.05, 0.0025)),
    # at least one euro: the editor writes 0 for "no ceiling", so 0 itself cannot be a ceiling
    Spec("ceiling_eur", "eur_m", 1.0, 1e10, 1e6, optional=True, column=3),
    # a ceiling of its own for some years (the multi-year estimate); the other years take ceiling_eur
    Spec("ceiling_path", "path", 1.0, 1e10, 1e6, widget="path", column=3),
    Spec("scale_to_ceiling", "bool", widget="checkbox", column=3),
)

BY_NAME: dict[str, Spec] = {s.name: s for s in SPECS}
NAMES: tuple[str, ...] = tuple(s.name for s in SPECS)
NUMERIC: tuple[Spec, ...] = tuple(s for s in SPECS if s.unit not in ("text", "bool", "stops", "path"))
SENSITIVITY: tuple[Spec, ...] = tuple(s for s in SPECS if s.sensitivity)
SWITCHES: tuple[Spec, ...] = tuple(s for s in SPECS if s.unit == "bool")
# the parameters the ranges section draws, in this order (a draw's columns; fixing one leaves the others' draws alone)
UNCERTAIN: tuple[Spec, ...] = tuple(s for s in SPECS if s.uncertain)
MAX_HORIZON_YEARS = 30
# the sensitivity analysis moves a "level" parameter by a chosen relative step, a "rate" by this much
RATE_STEP = 0.01


def label(spec: Spec, lang: str, with_unit: bool = True) -> str:
    """A parameter's label in one language; the editor adds the unit it is entered in (and what 0 means)."""
    text = strings(lang)[f"param.{spec.name}"]
    if not with_unit:
        return text
    notes = []
    unit = strings(lang).get(f"unit_form.{spec.unit}")
    if unit:
        notes.append(unit)
    if spec.optional:
        notes.append(strings(lang)["unit_form.none_zero"])
    return f"{text} ({', '.join(notes)})" if notes else text


def help_text(spec: Spec, lang: str) -> str | None:
    """A parameter's help text, where it has one."""
    return strings(lang).get(f"param.{spec.name}_help")
