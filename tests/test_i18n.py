"""Dutch and English: the same keys in both files, and Belgian number formats for Dutch."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clusterpolicy import i18n

ROOT = Path(__file__).resolve().parents[1]


def test_both_languages_have_the_same_keys_and_placeholders():
    nl, en = i18n.strings("nl"), i18n.strings("en")
    assert set(nl) == set(en)
    for key in nl:
        assert set(re.findall(r"{(\w+)}", nl[key])) == set(re.findall(r"{(\w+)}", en[key])), key
        assert nl[key].strip() and en[key].strip(), key


def test_every_key_used_in_code_exists():
    keys = set(i18n.strings("nl"))
    code = "\n".join(
        p.read_text() for p in [*ROOT.glob("pages/*.py"), ROOT / "dashboard.py", *ROOT.glob("clusterpolicy/**/*.py")]
    )
    used = set(re.findall(r"""\b(?:tr|t)\(\s*"([a-z_]+\.[a-z_]+)\"""", code))
    assert used and used <= keys, used - keys


@pytest.mark.parametrize(
    "fn, value, lang, expected",
    [
        (i18n.eur, 1234567.5, "nl", "€\xa01.234.568"),
        (i18n.eur, 1234567.5, "en", "€1,234,568"),
        (i18n.eur, -4190.0, "nl", "\u2212€\xa04.190"),
        (i18n.eur_millions, -4_194_667, "nl", "\u2212€ 4,2 mln"),
        (i18n.num, -781.0, "en", "\u2212781"),
        (i18n.num, -0.4, "nl", "0"),
        (i18n.eur, -0.4, "nl", "€\xa00"),
        (i18n.eur_millions, 92_750_000, "nl", "€ 92,8 mln"),
        (i18n.eur_millions, 92_750_000, "en", "€92.8 m"),
        (i18n.pct, 0.125, "nl", "12,5\xa0%"),
        (i18n.pct, 0.125, "en", "12.5%"),
        (i18n.num, 1393, "nl", "1.393"),
        (i18n.num, 1393, "en", "1,393"),
        (i18n.num, float("nan"), "nl", "–"),
    ],
)
def test_number_formats(fn, value, lang, expected):
    def plain(text):
        # Babel uses (narrow) no-break spaces; compare them as ordinary spaces
        return text.replace("\xa0", " ").replace("\u202f", " ")

    assert plain(fn(value, lang)) == plain(expected)


def test_eur_with_cents_in_belgian_format():
    assert i18n.eur(1234567.5, "nl", 2).replace("\xa0", " ") == "€ 1.234.567,50"


def test_language_from_browser_locale():
    assert i18n.lang_from_locale("nl-BE") == "nl"
    assert i18n.lang_from_locale("en-US") == "en"
    assert i18n.lang_from_locale(None) == "nl"


# words that are the same in Dutch and English; anything else identical in both files was not translated
SAME_IN_BOTH = {
    "{n} export",  # a count: "1 export", "3 exports"
    "{n} exports",
    "{n} cluster",
    "{n} clusters",
    "%",  # the unit of a share in the editor
    "€",
    "euro",
    "Scenario",
    "Cluster",
    "Clusters",
    "Horizon",
    "Project",
    "✓ int.",  # the coverage cell of a KPI whose every year is real, some from internal records (both languages abbreviate it)
    "Budget",
    "Indicator",
    "Link",
    "Parameters",
    "Website: {site}.",  # the word is Dutch as well
    "Parameter",
    "Label",
    "ill.",  # heat-map cell: short for illustratief / illustrative
    "✓",  # heat-map cell: fully published
    "E-mail",
    "import",  # an audit-trail action
    "browser",  # the audit trail's "through"
    "Account (subject)",  # the provider's subject: the OIDC term in both
}


def test_no_string_is_left_untranslated():
    nl, en = i18n.strings("nl"), i18n.strings("en")
    same = {k for k in nl if nl[k] == en[k] and re.sub(r"{\w+}|[\s·:]", "", nl[k])}
    assert {nl[k] for k in same} <= SAME_IN_BOTH, sorted(same)
    # Dutch text does not carry English-only words, nor the other way round
    assert not [k for k, v in nl.items() if re.search(r"\b(the|and|with|which)\b", v)]
    assert not [k for k, v in en.items() if re.search(r"\b(het|een|van de|en de)\b", v)]


@settings(max_examples=300, deadline=None)
@given(
    x=st.floats(min_value=-1e12, max_value=1e12, allow_nan=False),
    digits=st.sampled_from([0, 1, 2]),
    lang=st.sampled_from(["nl", "en"]),
)
def test_parsed_patterns_format_as_babels_own_functions(x, digits, lang):
    """The formatters keep Babel's parsed patterns; what they write must be what Babel's format_* functions write."""
    from babel.numbers import format_currency, format_decimal, format_percent

    locale = i18n.BABEL_LOCALE[lang]
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    # one minus sign everywhere (U+2212, as Plotly's axes write it), and none on a value shown as zero
    babel = format_decimal(x, format=pattern, locale=locale)
    if babel.startswith("-"):
        babel = babel[1:] if set(babel[1:]) <= set("0.,\u00a0\u202f") else "\u2212" + babel[1:]
    assert i18n.num(x, lang, digits) == babel
    money = ("¤ " if lang == "nl" else "¤") + pattern
    assert i18n.eur(abs(x), lang, digits) == format_currency(abs(x), "EUR", format=money, locale=locale, currency_digits=False)
    share = format_percent(x / 1e6, format=pattern + "%", locale=locale)
    if share.startswith("-"):
        share = share[1:] if not any(ch in "123456789" for ch in share) else "\u2212" + share[1:]
    assert i18n.pct(x / 1e6, lang, digits).replace("\u00a0%", "%") == share.replace("\u00a0%", "%")
