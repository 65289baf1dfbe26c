"""Interface text in Dutch and English, and number formats by Babel (Belgian formats for Dutch).

The strings live in one TOML file per language under ``clusterpolicy/locales/`` so a translator
can work on one file; a test checks both files carry the same keys.
"""

from __future__ import annotations

import functools
import math
import re
import tomllib
from functools import cache
from pathlib import Path

from babel import Locale
from babel.numbers import NumberPattern, parse_pattern

LANGS = ("nl", "en")
DEFAULT_LANG = "nl"
BABEL_LOCALE = {"nl": "nl_BE", "en": "en_GB"}
# The one minus sign of every negative number the reader sees (page, charts, every file): Plotly's
# axes write U+2212, and a spreadsheet does not take text starting with it for a formula.
MINUS = "\u2212"
# Plotly's layout.separators: decimal mark first, then the thousands separator
PLOTLY_SEPARATORS = {"nl": ",.", "en": ".,"}
_LOCALE_DIR = Path(__file__).resolve().parent / "locales"


@cache
def strings(lang: str) -> dict[str, str]:
    """All interface strings of one language, flattened to dotted keys."""
    if lang not in LANGS:
        raise KeyError(f"unknown language {lang!r}")
    with open(_LOCALE_DIR / f"{lang}.toml", "rb") as f:
        data = tomllib.load(f)
    flat: dict[str, str] = {}

    def walk(prefix: str, node: dict) -> None:
        for k, v in node.items():
            key = f"{prefix}.{k}" if prefix else k
            if isinstance(v, dict):
                walk(key, v)
            else:
                flat[key] = str(v)

    walk("", data)
    return flat


def t(key: str, lang: str, **values) -> str:
    """The text for key in lang, with {placeholders} filled in; a missing key fails loudly."""
    text = strings(lang)[key]
    return text.format(**values) if values else text


_GROUPS = {"nl": re.compile(r"\d{1,3}(\.\d{3})+"), "en": re.compile(r"\d{1,3}(,\d{3})+(\.\d+)?")}


def parse_number(text: str, lang: str) -> float:
    """A number as a reader types it: "500.000", "€ 500.000", "2,75", "2,75 %", "−4,19" (nl); "500,000", "2.75" (en).

    A Dutch "2.75" (a point followed by other than three digits) is read as the decimal it was meant
    to be; "500.000" is five hundred thousand. Raises ValueError for anything else.
    """
    s = str(text).strip().replace(MINUS, "-")
    for mark in ("€", "EUR", "%", "mln", "\u00a0", "\u202f", " "):
        s = s.replace(mark, "")
    s = s.removesuffix("m") if lang == "en" else s
    sign = -1.0 if s.startswith("-") else 1.0
    s = s.lstrip("+-")
    if lang == "nl":
        if "," in s:
            s = s.replace(".", "").replace(",", ".")
        elif _GROUPS["nl"].fullmatch(s):
            s = s.replace(".", "")
    elif _GROUPS["en"].fullmatch(s):
        s = s.replace(",", "")
    elif "," in s and "." not in s:
        s = s.replace(",", ".")  # a decimal comma on the English page
    if not re.fullmatch(r"\d+(\.\d+)?|\.\d+", s):
        raise ValueError(f"not a number: {text!r}")
    return sign * float(s)


def count(n: int, noun: str, lang: str) -> str:
    """A number with its noun in singular or plural: "1 probleem", "3 problemen", "1 rij", "1.024 rijen"."""
    form = "one" if n == 1 else "other"
    return t(f"count.{noun}_{form}", lang, n=num(n, lang))


def theme(theme_id: str, lang: str) -> str:
    """A theme's label; a theme not in the strings (e.g. from imported data) shows as its own name."""
    return strings(lang).get(f"theme.{theme_id}", str(theme_id).replace("_", " "))


@functools.lru_cache(maxsize=64)
def _pattern(fmt: str) -> NumberPattern:
    """A parsed number pattern; Babel's format_* functions parse theirs again on every call."""
    return parse_pattern(fmt)


@functools.lru_cache(maxsize=8)
def _locale(lang: str) -> Locale:
    return Locale.parse(BABEL_LOCALE[lang])


def lang_from_locale(locale: str | None) -> str:
    """Dutch for a Dutch browser (nl, nl-BE, nl-NL), English otherwise, Dutch when unknown."""
    if not locale:
        return DEFAULT_LANG
    return "nl" if locale.lower().startswith("nl") else "en"


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def eur(x: float | None, lang: str, digits: int = 0) -> str:
    """Euros in the language's format: nl '€ 1.234.567', en '€1,234,567'."""
    if _missing(x):
        return "–"
    if x < 0:
        # sign first ("−€ 4.190"), as the charts write it; none on an amount shown as zero
        return _signed("-" + eur(-x, lang, digits))
    fmt = "¤ #,##0" if lang == "nl" else "¤#,##0"
    if digits:
        fmt += "." + "0" * digits
    return _pattern(fmt).apply(x, _locale(lang), currency="EUR", currency_digits=False)


def eur_millions(x: float | None, lang: str, digits: int = 1) -> str:
    """Euros in millions for headlines: nl '€ 92,8 mln', en '€92.8 m'."""
    if _missing(x):
        return "–"
    if x < 0:
        return _signed("-" + eur_millions(-x, lang, digits))
    number = _pattern("#,##0." + "0" * digits).apply(x / 1e6, _locale(lang))
    return f"€ {number} mln" if lang == "nl" else f"€{number} m"


def pct(x: float | None, lang: str, digits: int = 1) -> str:
    """A share (0.125) as a percentage: nl '12,5 %', en '12.5%'."""
    if _missing(x):
        return "–"
    fmt = "#,##0" + ("." + "0" * digits if digits else "") + "%"
    out = _signed(_pattern(fmt).apply(x, _locale(lang)))
    if lang == "nl":
        # Belgian usage puts a (non-breaking) space before the percent sign
        out = out.replace("%", "\u00a0%") if "\u00a0%" not in out and " %" not in out else out
    return out


def num(x: float | None, lang: str, digits: int = 0) -> str:
    """A plain number with the language's separators: nl '1.234,5', en '1,234.5'."""
    if _missing(x):
        return "–"
    fmt = "#,##0" + ("." + "0" * digits if digits else "")
    return _signed(_pattern(fmt).apply(x, _locale(lang)))


def _signed(text: str) -> str:
    """Babel's hyphen-minus as the minus sign every other number carries; a value shown as zero has none ("-0")."""
    if not text.startswith("-"):
        return text
    return text[1:] if not any(ch in "123456789" for ch in text) else MINUS + text[1:]


def qualified(text: str, qualifier: str | None, lang: str) -> str:
    """Prefix a formatted value with 'about' / 'more than' when the source says so."""
    if not qualifier or (isinstance(qualifier, float) and math.isnan(qualifier)):
        return text
    return t(f"qualifier.{qualifier}", lang) + " " + text
