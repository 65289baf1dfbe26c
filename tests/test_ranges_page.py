"""The scenario page's ranges section through AppTest: the answer in two steps, the same answer in the files, nothing computed while it is closed."""

from __future__ import annotations

import io
import json
import re

import numpy as np
import openpyxl
import pdfplumber
import pytest

from clusterpolicy import i18n
from clusterpolicy.model import scenarios, uncertainty
from clusterpolicy.present import ranges as words
from clusterpolicy.present import urlstate
from tests.conftest import assert_page_ok, made_export, open_link, seed_model


def sentences(at) -> list[str]:
    """The section's sentences as a reader reads them (Markdown's escapes and the bold label dropped)."""
    out = []
    for m in at.markdown:
        text = m.value.replace("\\", "").replace("\u2060", "")
        if "90 %-" in text or "90 % range" in text:
            out.append(re.sub(r"^\*\*.*?\*\* ", "", text))
    return out


def plain(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u2060", "")).strip()


def test_how_likely_under_4_m_and_cheaper_than_continuation_in_two_steps(seed_db):
    """From the scenario page: (1) the Ranges section, (2) a EUR 4 M ceiling. The sentences give the model's figures."""
    at = open_link("scenarios").run()
    assert_page_ok(at)
    assert at.session_state["sc"] == ["continuation", "degressive"]
    at.segmented_control(key="sc_view").set_value("ranges").run()  # step 1
    assert_page_ok(at)
    at.number_input(key="sc_uceil").set_value(4.0).run()  # step 2
    assert_page_ok(at)
    base, presets = seed_model(seed_db)
    ranges = uncertainty.Ranges.default()
    chosen = [presets["continuation"], presets["degressive"]]
    outlook = words.simulate(base, chosen, ranges, "basic_eur", 4_000_000.0)
    expected = [words.sentence(outlook, i, "nl") for i in range(2)]
    assert sentences(at) == expected
    degressive = expected[1]
    assert "boven het plafond uitkomt, is " + words.chance_text(outlook.sims[1].chance_over, 2000, "nl") in degressive
    assert "goedkoper dan Voortzetting in " + words.chance_text(outlook.versus[1].chance_cheaper, 2000, "nl") in degressive
    # the chances table and one fan per scenario, with the chance per year, each with its source line
    table = next(d.value for d in at.dataframe if "Kans goedkoper" in d.value.columns)
    assert table["Kost, mediaan"].tolist() == [
        i18n.eur(round(float(np.percentile(s.cumulative, 50)), 2), "nl") for s in outlook.sims
    ]
    titles = [json.loads(el.proto.spec)["layout"]["title"]["text"].replace("<br>", " ") for el in at.get("plotly_chart")]
    assert sum("met bandbreedtes" in t for t in titles) == 2 and sum("Kans dat de basiswerking" in t for t in titles) == 1
    assert at.query_params["sc_view"] in ("ranges", ["ranges"]) and at.query_params["sc_uceil"] in ("4.0", ["4.0"])


def test_the_pdf_says_what_the_page_says_and_the_workbook_holds_the_percentiles_per_year(seed_db):
    at = open_link("scenarios", {"sc_view": "ranges", "sc_uceil": "4.0"}).run()
    assert_page_ok(at)
    said = sentences(at)
    assert len(said) == 2
    made = made_export(at, "pdf")
    assert made.reference is None
    with pdfplumber.open(io.BytesIO(made.data)) as pdf:
        text = plain(" ".join(p.extract_text() or "" for p in pdf.pages))
        # the headlines are a table: its notes column, read on its own, holds the sentences (on whichever
        # page the headlines reach)
        notes = ""
        for sheet in pdf.pages:
            words = sheet.extract_words()
            starts = [w["x0"] for i, w in enumerate(words[:-1]) if w["text"] == "In" and words[i + 1]["text"] == "9"]
            if starts:
                notes += " " + plain(sheet.crop((min(starts) - 1, 0, sheet.width, sheet.height)).extract_text())
    assert notes, "no headline sentence in the briefing"
    for sentence in said:
        assert plain(sentence) in plain(notes)
    assert "Gebruikte bandbreedtes" in text and "Startgetal (seed) 2025" in text
    # the workbook: the fan's sheet holds each percentile per year as numbers (million euro), equal to the model's
    base, presets = seed_model(seed_db)
    sim = uncertainty.simulate(base, presets["degressive"], uncertainty.Ranges.default(), "basic_eur", 4_000_000.0)
    book = openpyxl.load_workbook(io.BytesIO(made_export(at, "xlsx").data))
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, float)]
    values = {round(c.value, 6) for c in cells}
    for p, row in zip(uncertainty.PERCENTILES, sim.bands):
        assert {round(v / 1e6, 6) for v in row} <= values, p
    assert {round(float(v), 6) for v in sim.chance_over_by_year} <= values | {0.0}
    csv = made_export(at, "csv").data.decode("utf-8-sig")
    assert "95e percentiel" in csv and "Startgetal (seed)" in csv


def test_a_closed_section_simulates_nothing_and_its_files_carry_no_ranges(seed_db, monkeypatch):
    from clusterpolicy.web import data as kept

    kept.clear_caches()  # a cold start: the ranges kept from another test's run would not be simulated again
    calls = []
    real = uncertainty.simulate
    monkeypatch.setattr(uncertainty, "simulate", lambda *a, **k: calls.append(1) or real(*a, **k))
    at = open_link("scenarios", {"sc_view": "costs"}).run()
    assert_page_ok(at)
    made = made_export(at, "pdf")
    assert made.reference is None and calls == []
    with pdfplumber.open(io.BytesIO(made.data)) as pdf:
        assert "bandbreedte" not in " ".join(p.extract_text() or "" for p in pdf.pages).lower()
    at.segmented_control(key="sc_view").set_value("ranges").run()
    assert_page_ok(at)
    assert len(calls) == 2  # one call per compared scenario, all draws at once


def test_in_english_and_in_presenter_mode(seed_db):
    at = open_link("scenarios", {"sc_view": "ranges", "lang": "en"}).run()
    assert_page_ok(at)
    said = sentences(at)
    assert said and all(s.startswith("In 9 of 10 possible futures") for s in said)
    assert all("There is no ceiling to hold it against." in s for s in said)  # no ceiling: none asked, none in the presets
    assert not any("Chance that" in el.proto.spec for el in at.get("plotly_chart"))
    at = open_link("scenarios", {"sc_view": "ranges", "sc_uceil": "4.0", "present": "1", "slide": "9"}).run()
    assert_page_ok(at)
    assert any("van 10" in m.value for m in at.markdown)  # seven charts, the chance per year and two fans
    (chart,) = at.get("plotly_chart")
    assert "Voortzetting: basiswerking per jaar, met bandbreedtes" in chart.proto.spec.replace("<br>", " ")


def test_fixed_ranges_give_the_scenarios_own_figures_and_a_bad_range_says_why(seed_db):
    fixed = {f"sc_u_{s.name}": "0~0" if s.whole else "0.0~0.0" for s in uncertainty.paramspec.UNCERTAIN}
    at = open_link("scenarios", {"sc_view": "ranges", **fixed}).run()
    assert_page_ok(at)
    base, presets = seed_model(seed_db)
    table = next(d.value for d in at.dataframe if "Kans goedkoper" in d.value.columns)
    for name, p in (("Voortzetting", presets["continuation"]), ("Degressief naar 25 %", presets["degressive"])):
        row = table.set_index("Scenario").loc[name]
        cost = scenarios.run(base, p).summary["cumulative_basic_eur"]
        assert row["Kost, 5e percentiel"] == row["Kost, mediaan"] == row["Kost, 95e percentiel"] == i18n.eur(round(cost, 2), "nl")
    layouts = [json.loads(el.proto.spec)["layout"] for el in at.get("plotly_chart")]
    subtitles = [
        lay["title"]["subtitle"]["text"].replace("<br>", " ") for lay in layouts if "bandbreedtes" in lay["title"]["text"]
    ]
    assert len(subtitles) == 2 and all("bandbreedtes door de gebruiker aangepast" in st for st in subtitles)  # the reader's
    # with every range fixed, the fan's lead says the scenario's own cost as its range: from x to x
    assert all(re.search(r"tussen (€ [\d,]+ mln) en \1", st) for st in subtitles), subtitles
    # a range that leaves out the scenario's own value: refused with the reason, the default applies
    at.session_state["sc_u_budget_growth"] = (0.5, 1.0)
    at.run()
    assert_page_ok(at)
    (warning,) = [w.value for w in at.warning if "niet toegelaten" in w.value]
    assert "Groei werkingsbudget clusters" in warning
    # a crafted link: an unreadable range opens with the default and a notice
    at = open_link("scenarios", {"sc_view": "ranges", "sc_u_cp_growth": "9~x"}).run()
    assert_page_ok(at)
    assert at.session_state["sc_u_cp_growth"] == (-2.0, 2.0)
    assert any("'sc_u_cp_growth' (9~x)" in w.value.replace("\\", "") for w in at.warning)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_goal_seeking_with_a_chance_answers_in_a_sentence(seed_db, lang):
    ceilinged = scenarios.ScenarioParams(
        name="Met plafond", ceiling_eur=95_600_000.0, budget_growth=0.01, cp_eur=90_000_000.0, ic_eur=2_750_000.0, cp_growth=0.01
    )
    link = {
        "cs": urlstate.encode_scenarios([ceilinged.to_dict()], scenarios.ScenarioParams().to_dict()),
        "sc": ["continuation", "custom_1"],
        "sc_goal": "1",
        "gs_param": "cp_eur",
        "gs_chance": "90.0",
        "lang": lang,
    }
    at = open_link("scenarios", link).run()
    assert_page_ok(at)
    answer = next(s.value for s in at.success).replace("\\", "")
    chance = i18n.pct(0.9, lang, 0)
    assert (f"met minstens {chance} kans" if lang == "nl" else f"with at least {chance} chance") in answer
    # the value found meets the goal in at least 90 % of the section's draws; the step before does not
    from dataclasses import replace

    base, _ = seed_model(seed_db)
    ranges = uncertainty.Ranges.default()
    amounts = re.findall(r"= €\s?([\d.,]+) (?:mln|m) .*?€\s?[\d.,]+ (?:mln|m); (?:bij|at) €\s?([\d.,]+)", answer)
    (found, neighbour) = [float(a.replace(".", "").replace(",", ".") if lang == "nl" else a.replace(",", "")) for a in amounts[0]]

    def within(cp_m: float) -> float:
        return 1 - uncertainty.simulate(base, replace(ceilinged, cp_eur=cp_m * 1e6), ranges).chance_over

    assert within(found) >= 0.9 > within(neighbour), answer
    assert (f"elk over {i18n.num(2000, lang)} trekkingen" if lang == "nl" else "each over 2,000 draws") in " ".join(
        c.value for c in at.caption
    )
