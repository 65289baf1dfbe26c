"""Every page through Streamlit's AppTest on a real seed database: renders, reacts to its widgets, cites its sources."""

from __future__ import annotations

import io
import json
import re

import openpyxl
import pdfplumber
import pytest

from clusterpolicy import i18n
from tests.conftest import assert_page_ok, made_export, seed_model

SOURCE_PREFIXES = ("Bron", "Source", "Illustratief", "Illustrative", "Afgeleid", "Derived")


def specs(at) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def source_lines(at) -> list[str]:
    return [m.value.removeprefix(":small[") for m in at.markdown if m.value.removeprefix(":small[").startswith(SOURCE_PREFIXES)]


def frame_with(at, column: str):
    """The first table on the page that has this column (chart data tables come before page tables)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def assert_clean(at):
    assert_page_ok(at)


def test_overview_renders_headlines_charts_and_sources(app):
    at = app.run()
    assert_clean(at)
    assert len(at.metric) == 4  # the year's headline figures; the published facts are a table
    facts = next(d.value for d in at.dataframe if "Periode" in d.value.columns)
    assert len(facts) == 20 and list(facts.columns) == ["Cijfer", "Waarde", "Periode", "Bron"]
    row = facts.set_index("Cijfer").loc["Basiswerking van de zeven speerpuntclusters, per jaar"]
    assert (row["Waarde"], row["Periode"]) == ("€ 4,5 mln", "2017-2026") and row["Bron"].startswith("Engineeringnet")
    assert list(facts["Periode"])[-4:] == ["ongedateerd"] * 4  # undated facts last, not put on a year
    charts = specs(at)
    assert len(charts) == 3
    # every chart is followed by its own source line
    assert len(source_lines(at)) >= len(charts)
    titles = [c["layout"]["title"]["text"] for c in charts]
    assert any("Basissubsidie" in t for t in titles)


def test_overview_year_changes_the_headlines(app):
    at = app.run()
    before = {m.label: m.value for m in at.metric}
    at.selectbox(key="ov_year").select(2019).run()
    assert_clean(at)
    after = {m.label: m.value for m in at.metric}
    assert "Leden 2019" in after and after != before


def test_overview_in_english(app):
    at = app.run()
    at.selectbox(key="lang").select("en").run()
    assert_clean(at)
    assert at.title[0].value == "Spearhead clusters in Flanders"
    assert all("Basissubsidie" not in c["layout"]["title"]["text"] for c in specs(at))


def scenarios_page(app):
    at = app.run()
    at.switch_page("pages/body/scenarios.py").run()
    assert_clean(at)
    return at


def open_editor(at):
    """Open the custom-scenario editor (its fields exist only while it is open)."""
    at.session_state["sc_editor"] = True
    at.run()
    assert_clean(at)
    return at


def test_scenario_editor_is_built_only_while_open(app):
    at = scenarios_page(app)
    assert at.expander(key="sc_editor") is not None
    assert not [w for w in at.number_input if str(w.key).startswith("f_")]
    open_editor(at)
    widgets = [*at.number_input, *at.text_input, *at.select_slider]
    fields = [w for w in widgets if str(w.key).startswith("f_continuation_")]
    assert len(fields) >= 10
    at.session_state["sc_editor"] = False
    at.run()
    assert not [w for w in at.number_input if str(w.key).startswith("f_")]


def test_chart_data_table_is_built_when_opened_and_matches_the_chart(app):
    at = app.run()
    assert_clean(at)
    tables_before = len(at.dataframe)
    at.session_state["ov_basic_table"] = True
    at.run()
    assert_clean(at)
    assert len(at.dataframe) == tables_before + 1
    table = at.dataframe[0].value  # the overview has no other table
    chart = specs(at)[1]
    # one row per plotted point of every trace of the chart
    import base64

    import numpy as np

    def count(y):
        if isinstance(y, dict):
            return len(np.frombuffer(base64.b64decode(y["bdata"]), dtype=y["dtype"]))
        return len(y)

    assert len(table) == sum(count(tr["y"]) for tr in chart["data"])


def show_section(at, name):
    """Switch the scenarios page to one of its chart sections."""
    at.session_state["sc_view"] = name
    at.run()
    assert_clean(at)
    return at


def test_scenarios_page_defaults(app):
    at = scenarios_page(app)
    assert at.multiselect(key="sc").value == ["continuation", "degressive"]
    assert [m.label for m in at.metric][0].startswith("Voortzetting")
    drawn = {}
    for section, n in (("costs", 3), ("clusters", 3), ("sensitivity", 1)):
        charts = specs(show_section(at, section))
        assert len(charts) == n, section
        assert len(source_lines(at)) >= len(charts)
        drawn[section] = [c["layout"]["title"]["text"] for c in charts]
        # the starting data are illustrative, so every scenario chart must say so on itself
        for c in charts:
            assert any(a.get("name") == "illustrative-mark" for a in c["layout"].get("annotations", []))
    assert len({t for titles in drawn.values() for t in titles}) == 7


def test_hidden_section_keeps_its_settings_and_the_link_carries_them(app):
    at = scenarios_page(app)
    at.selectbox(key="sc_year").select(2031).run()
    show_section(at, "sensitivity")
    at.run()
    assert at.query_params["sc_year"] in ("2031", ["2031"])
    assert at.query_params["sc_view"] in ("sensitivity", ["sensitivity"])
    show_section(at, "costs")
    assert at.selectbox(key="sc_year").value == 2031


def test_choosing_scenarios_changes_the_comparison(app):
    at = scenarios_page(app)
    lines_before = specs(at)[0]
    at.multiselect(key="sc").set_value(["continuation", "projects_only", "indexed_intercluster"]).run()
    assert_clean(at)
    lines = specs(at)[0]
    assert [t["name"] for t in lines["data"]] == ["Voortzetting", "Enkel projecten", "Geïndexeerd, sterkere intercluster"]
    assert lines != lines_before
    assert len(at.metric) == 3


def test_fewer_than_two_scenarios_asks_for_more(app):
    at = scenarios_page(app)
    at.multiselect(key="sc").set_value(["continuation"]).run()
    assert_clean(at)
    assert at.info and not at.get("plotly_chart")


def test_custom_scenario_from_the_form_changes_the_charts(app):
    at = open_editor(scenarios_page(app))
    before = specs(at)
    at.text_input(key="f_continuation_name").set_value("Strenger plafond")
    at.text_input(key="f_continuation_cap_eur").set_value("€ 300.000")
    at.button[0].click().run()
    assert_clean(at)
    assert at.multiselect(key="sc").value == ["continuation", "degressive", "custom_1"]
    after = specs(at)
    lines = {t["name"]: t for t in after[0]["data"]}
    assert "Strenger plafond" in lines
    # the basic-operation line of the custom scenario sits lower: the cap fell from 500 k to 300 k
    import base64

    import numpy as np

    def values(trace):
        y = trace["y"]
        if isinstance(y, dict):  # plotly 7 sends numpy arrays as typed arrays
            return np.frombuffer(base64.b64decode(y["bdata"]), dtype=y["dtype"])
        return np.array(y)

    assert values(lines["Strenger plafond"]).max() < values(lines["Voortzetting"]).min()
    assert after[2] != before[2]  # the difference chart now has a third scenario


def test_invalid_custom_scenario_shows_a_named_error_and_changes_nothing(app):
    at = open_editor(scenarios_page(app))
    at.slider(key="f_continuation_horizon").set_value((2030, 2030))
    at.number_input(key="f_continuation_new_clusters").set_value(2)
    at.number_input(key="f_continuation_new_from_year").set_value(2040)
    at.button[0].click().run()
    assert_page_ok(at, errors_allowed=True)
    assert at.error and "Nieuwe clusters vanaf jaar" in at.error[0].value
    assert at.multiselect(key="sc").value == ["continuation", "degressive"]


def test_ceiling_shows_the_overshoot_table(app):
    at = open_editor(scenarios_page(app))
    at.text_input(key="f_continuation_ceiling_eur").set_value("€ 90 mln")
    at.button[0].click().run()
    assert_clean(at)
    over = frame_with(at, "Overschrijding")
    assert len(over) == 10 and over.iloc[0, 0] == "Eigen scenario 1"


@pytest.mark.parametrize(
    "section, key, value, chart",
    [("costs", "sc_measure", "total_eur", 0), ("costs", "sc_year", 2030, 1), ("clusters", "sc_focus", "degressive", 2)],
)
def test_chart_controls_change_their_chart(app, section, key, value, chart):
    at = show_section(scenarios_page(app), section)
    before = specs(at)[chart]
    if key == "sc_measure":
        next(b for b in at.get("button_group") if b.key == key).set_value(value).run()
    else:
        at.selectbox(key=key).select(value).run()
    assert_clean(at)
    assert specs(at)[chart] != before


def test_tornado_step_changes_the_sensitivity(app):
    at = show_section(scenarios_page(app), "sensitivity")
    before = specs(at)[-1]
    at.select_slider(key="sc_step").set_value(0.3).run()
    assert_clean(at)
    assert specs(at)[-1] != before


def test_first_start_builds_a_missing_database(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from clusterpolicy.web import data as kept
    from tests.conftest import DASHBOARD

    target = tmp_path / "fresh" / "clusters.duckdb"
    monkeypatch.setenv("CLUSTERPOLICY_DB", str(target))
    kept.clear_caches()
    at = AppTest.from_file(DASHBOARD, default_timeout=60).run()
    assert_clean(at)
    assert target.is_file()
    assert len(at.get("plotly_chart")) == 3


def open_page(app, path):
    at = app.run()
    at.switch_page(path).run()
    assert_clean(at)
    return at


def test_earmarked_page_charts_sources_and_table(app):
    at = open_page(app, "pages/body/earmarked.py")
    charts = specs(at)
    assert len(charts) == 3
    assert len(source_lines(at)) >= 3
    assert len(frame_with(at, "Looptijd")) == 16
    # the envelope chart keeps published and illustrative amounts apart
    assert {tr["name"] for tr in charts[0]["data"]} >= {"Clusterprojecten (gepubliceerd)", "Clusterprojecten (illustratief)"}
    assert any(a.get("name") == "illustrative-mark" for a in charts[1]["layout"]["annotations"])


def test_earmarked_filters_change_the_charts(app):
    at = open_page(app, "pages/body/earmarked.py")
    before = specs(at)
    at.slider(key="ec_years").set_range(2022, 2024).run()
    assert_clean(at)
    after = specs(at)
    assert after[0] == before[0]  # the envelope chart does not depend on the filters
    assert after[1] != before[1] and after[2] != before[2]
    years = sorted({x for tr in after[1]["data"] for x in tr["x"]})
    assert years == [2022, 2023, 2024]
    at.multiselect(key="ec_themes").set_value(["health"]).run()
    assert_clean(at)
    assert [tr["name"] for tr in specs(at)[1]["data"]] == ["Gezondheid"]
    assert list(frame_with(at, "Looptijd").iloc[:, 0]) == ["IC13", "IC14", "IC12"]  # newest first; IC12 runs 2021-2022, in range
    at.multiselect(key="ec_themes").set_value([]).run()
    assert_clean(at)
    assert at.info and len(specs(at)) == 1


def test_kpi_page_charts_and_controls(app):
    at = open_page(app, "pages/body/kpis.py")
    charts = specs(at)
    assert len(charts) == 3 and len(source_lines(at)) >= 3
    series_before, heat_before = charts[0], charts[1]
    at.multiselect(key="kpi_clusters").set_value(["medvia"]).run()
    assert_clean(at)
    names = {tr["name"] for tr in specs(at)[0]["data"]}
    assert names == {"MEDVIA", "MEDVIA – doel"}
    at.selectbox(key="kpi_id").select("sme_share").run()
    assert_clean(at)
    assert specs(at)[0]["layout"]["title"]["text"] == "Aandeel kmo's in de leden"
    assert specs(at)[0] != series_before
    at.selectbox(key="kpi_year").select(2022).run()
    assert_clean(at)
    assert specs(at)[1] != heat_before
    assert "2022" in specs(at)[1]["layout"]["title"]["text"]


def test_kpi_page_without_clusters_asks_for_one(app):
    at = open_page(app, "pages/body/kpis.py")
    at.multiselect(key="kpi_clusters").set_value([]).run()
    assert_clean(at)
    assert at.info and len(specs(at)) == 2


def test_data_page_tables_sources_and_downloads(app):
    at = open_page(app, "pages/body/data.py")
    version_line = next(m.value for m in at.markdown if "**Dataversie**" in m.value)
    assert re.search(r"`[0-9a-f]{12}` · gebouwd op \d{4}-\d\d-\d\d \d\d:\d\d UTC · herkomst: meegeleverde seed", version_line), (
        version_line
    )
    sources = frame_with(at, "Soort")
    assert len(sources) == 46
    assert sources.iloc[0, 1] == "gepubliceerd"  # published sources first
    assert len(at.dataframe) == 2  # only the chosen tab is built: its sources and the reconciliation
    checks = frame_with(at, "Uitkomst")
    conflicts = checks[checks["Uitkomst"] == "tegenstrijdig: twee gepubliceerde cijfers"]
    assert len(conflicts) == 8 and conflicts["Bron"].str.contains("Engineeringnet").all()
    assert conflicts["Bron"].str.contains("tegenover dvo.be").all()  # both published sources
    assert not checks["Uitkomst"].str.startswith("✗").any()
    at.session_state["data_tab"] = "Tabellen"
    at.run()
    at.selectbox(key="data_table").select("basic_funding").run()
    assert_clean(at)
    assert list(frame_with(at, "member_eur").columns) == ["cluster_id", "year", "public_eur", "member_eur", "source_id"]

    def makers():
        return [b.key for b in at.button if b.key and b.key.endswith("_make")]

    assert not makers()  # built only while their menu is open
    at.session_state["data_downloads"] = True
    at.run()
    assert makers() == ["data_csv_make", "data_xlsx_make", "data_all_make"]
    at.button(key="data_csv_make").click().run()
    assert_clean(at)
    made = at.session_state["_x_ready"]
    assert made.file_name == "basic_funding.csv" and made.data.startswith("\ufeffcluster_id;year;".encode())
    assert [b.proto.label for b in at.get("download_button")] == [
        f"basic_funding.csv opslaan ({round(len(made.data) / 1024)} kB)"
    ]
    at.session_state["data_tab"] = "Importeren en versies"
    at.run()
    assert_clean(at)
    assert makers() == ["imp_workbook_make"]  # the whole data set, for the workbook form (the tables tab is not built)
    assert not at.get("download_button")  # the table's file is not offered on another tab
    assert at.get("file_uploader")
    at.segmented_control(key="imp_what").set_value("table").run()
    assert makers() == ["imp_tpl_csv_make", "imp_tpl_xlsx_make"]  # one table: its two templates


def test_saving_twice_adds_the_scenario_once_and_names_stay_distinct(app):
    """Enter in a field submits the editor's form; Save then submitted the same scenario again: two "Eigen scenario 1"."""
    at = open_editor(scenarios_page(app))
    at.text_input(key="f_continuation_cap_eur").set_value("€ 300.000")
    at.button[0].click().run()  # the Enter
    assert_clean(at)
    at.button[0].click().run()  # the Save after it
    assert_page_ok(at)
    assert list(at.session_state["custom_scenarios"]) == ["custom_1"]
    assert at.multiselect(key="sc").value == ["continuation", "degressive", "custom_1"]
    assert any("al in de vergelijking" in i.value for i in at.info)
    # another scenario under a name that is taken gets a name of its own
    at.text_input(key="f_continuation_name").set_value("Eigen scenario 1")
    at.text_input(key="f_continuation_cap_eur").set_value("€ 250.000")
    at.button[0].click().run()
    assert_clean(at)
    names = [p["name"] for p in at.session_state["custom_scenarios"].values()]
    assert names == ["Eigen scenario 1", "Eigen scenario 1 (2)"]
    library_names = at.multiselect(key="sc").options
    assert len(library_names) == len(set(library_names))


def test_sources_table_shows_no_none_for_a_missing_date(app):
    at = open_page(app, "pages/body/data.py")
    sources = frame_with(at, "Soort")
    published = sources["Gepubliceerd op"]
    assert published.isna().sum() == 0 and "None" not in set(published.astype(str))
    assert "–" in set(published)  # a source without a date shows a dash
    assert not (sources.astype(str) == "None").any().any()


def test_a_saved_scenario_never_pushes_out_the_reference(app):
    at = open_editor(scenarios_page(app))
    for cap in ("€ 300.000", "310.000", "€ 0,32 mln"):
        at.text_input(key="f_continuation_cap_eur").set_value(cap)
        at.button[0].click().run()
        assert_clean(at)
    assert at.multiselect(key="sc").value == ["continuation", "custom_1", "custom_2", "custom_3"]


def test_the_conflict_of_two_published_figures_is_on_the_charts_with_both_sources(app):
    """EUR 4.5 M a year (Engineeringnet) against at most EUR 500,000 per cluster (dvo.be): said on the chart itself."""
    at = app.run()
    assert_clean(at)
    basic = next(c for c in specs(at) if "Basissubsidie" in c["layout"]["title"]["text"])
    subtitle = basic["layout"]["title"]["subtitle"]["text"].replace("<br>", " ")
    assert "Twee gepubliceerde cijfers spreken elkaar tegen: € 4,5 mln per jaar" in subtitle
    assert "(Engineeringnet)" in subtitle and "hoogstens € 500.000 per cluster (dvo.be)" in subtitle and "€ 3,5 mln" in subtitle
    assert any("Engineeringnet" in line and "dvo.be" in line for line in source_lines(at))
    at = scenarios_page(app)
    lines = next(c for c in specs(at) if "per jaar" in c["layout"]["title"]["text"])
    assert "spreken elkaar tegen" in lines["layout"]["title"]["subtitle"]["text"].replace("<br>", " ")


def subtitles(at) -> list[str]:
    return [c["layout"]["title"]["subtitle"]["text"].replace("<br>", " ") for c in specs(at)]


def test_the_starting_point_is_chosen_said_on_every_chart_and_changes_the_cost(app):
    """Per-cluster rule by default (the seed's EUR 2.89 M in 2024); the published EUR 4.5 M total on request.

    Continuation keeps 50 % of each base-year budget under the cap for ten years: 10 x 2.8905 M
    (MEDVIA's 390,000 in the data becomes 0.5 x 781,000; 28.905 is shown as 28,90) against 1.557 times that, EUR 45.008 M."""
    at = scenarios_page(app)
    assert at.session_state["sc_cal"] == "rule"
    assert at.metric[0].value == "€ 28,90 mln"
    shown = [m.value.replace("\\", "").replace("\u2060", "") for m in at.markdown]  # markdown escapes, as shown in the browser
    shift = next(m for m in shown if m.startswith("Met startpunt"))
    assert shift == (
        "Met startpunt ‘Gepubliceerd jaartotaal’ kost Voortzetting over 2025–2034 € 45,01 mln aan basissubsidie"
        " in plaats van € 28,90 mln (+€ 16,10 mln)."
    )
    seen = []
    for section in ("costs", "clusters", "sensitivity"):
        seen += subtitles(show_section(at, section))
    assert len(seen) == 7 and all("Startpunt: de basisfinanciering per cluster van 2024 (illustratief)." in s for s in seen)

    at.session_state["sc_cal"] = "total"
    at.session_state["sc_view"] = "costs"
    at.run()
    assert_clean(at)
    assert at.metric[0].value == "€ 45,01 mln"
    assert at.query_params["sc_cal"] in ("total", ["total"])
    assert any(
        "€ 28,90 mln aan basissubsidie in plaats van € 45,01 mln (−€ 16,10 mln)"
        in m.value.replace("\\", "").replace("\u2060", "")
        for m in at.markdown
    )
    seen = []
    for section in ("costs", "clusters", "sensitivity"):
        seen += subtitles(show_section(at, section))
    total = "Startpunt: het gepubliceerde jaartotaal van € 4,5 mln (Engineeringnet), over de clusters verdeeld naar hun aandeel in 2024"
    assert len(seen) == 7 and all(total in s for s in seen), seen
    assert all("× 1,56 (plafond € 778.547)" in s for s in seen)
    # the total's own source is cited under every chart
    assert sum("Engineeringnet" in line for line in source_lines(at)) >= 1


def test_the_starting_point_in_english_and_in_the_parameters(app):
    at = scenarios_page(app)
    at.selectbox(key="lang").select("en").run()
    at.session_state["sc_cal"] = "total"
    at.run()
    assert_clean(at)
    shown = [m.value.replace("\\", "").replace("\u2060", "") for m in at.markdown]
    assert (
        "With the starting point ‘Per-cluster rule (cap and 50 %)’, Continuation costs €28.90 m in basic subsidy over 2025–2034 instead of €45.01 m (−€16.10 m)."
        in shown
    )
    assert all("Starting point: the published yearly total of €4.5 m (Engineeringnet)" in s for s in subtitles(at)), subtitles(at)
    # the workbook's parameter sheet and the briefing say which starting point the figures rest on
    made = made_export(at, "xlsx")
    book = openpyxl.load_workbook(io.BytesIO(made.data))
    rows = [[c.value for c in row if c.value not in (None, "")] for ws in book.worksheets for row in ws.iter_rows()]
    assert ["Starting point of the basic operation", "Published yearly total", "Published yearly total"] in rows
    pdf = made_export(at, "pdf")
    text = " ".join(" ".join(page.extract_text() for page in pdfplumber.open(io.BytesIO(pdf.data)).pages).split())
    assert "Published yearly total" in text
    assert "Continuation costs €28.90 m in basic subsidy over 2025–2034 instead of €45.01 m" in text


def _capped_link(**extra) -> dict:
    from clusterpolicy.model import scenarios
    from clusterpolicy.present import urlstate

    capped = scenarios.ScenarioParams(name="Degressief, leden +2 %", share_end=0.25, member_cap=True, member_growth=0.02)
    return {
        "cs": urlstate.encode_scenarios([capped.to_dict()], scenarios.ScenarioParams().to_dict()),
        "sc": ["continuation", "custom_1"],
        **extra,
    }


def test_members_capacity_shows_the_shortfall_per_cluster_and_in_the_headline(seed_db):
    """Degressive to 25 % with members' contributions growing at most 2 % a year: the chart equals the model."""
    from clusterpolicy.model import scenarios
    from tests.conftest import open_link

    at = open_link("scenarios", _capped_link(sc_view="clusters", sc_focus="custom_1")).run()
    assert_clean(at)
    chart = next(s for s in specs(at) if s["layout"]["title"]["text"].startswith("Tekort bij de leden per cluster"))
    base, _ = seed_model(seed_db)
    mine = scenarios.ScenarioParams(name="x", share_end=0.25, member_cap=True, member_growth=0.02)
    r = scenarios.run(base, mine)
    grid = chart["data"][0]
    vil = grid["y"].index("VIL")
    expected = r.clusters[r.clusters["cluster_id"] == "vil"]["shortfall_eur"].to_numpy() / 1e3
    assert grid["z"][vil] == pytest.approx(list(expected))
    assert expected[-1] > 0  # by 2034 VIL's members cannot make up what the degressive path takes away
    note = " ".join(m.value for m in at.markdown)
    assert f"Tekort bij de leden: **{i18n.eur_millions(r.summary['cumulative_shortfall_eur'], 'nl', 2)}**" in note
    assert f"bij {r.summary['clusters_short']} clusters" in note
    # focused on a scenario without the limit, the chart stays on the one that has it, and says which
    at.session_state["sc_focus"] = "continuation"
    at.run()
    (chart,) = [s for s in specs(at) if s["layout"]["title"]["text"].startswith("Tekort")]
    assert "Degressief, leden +2 %" in chart["layout"]["title"]["text"].replace("<br>", " ")


def test_members_capacity_is_in_the_parameters_and_the_exports(seed_db):
    from tests.conftest import open_link

    at = open_link("scenarios", _capped_link(lang="en")).run()
    assert_clean(at)
    made = made_export(at, "xlsx")
    book = openpyxl.load_workbook(io.BytesIO(made.data))
    rows = {r[0]: r[1:] for ws in book.worksheets for r in ws.iter_rows(values_only=True) if r and r[0]}
    # (the parameter, its unit, then one column per scenario: a share as the number it is, shown as a percentage)
    assert rows["Limit the growth of members' contributions"] == (None, "no", "yes")
    assert rows["Highest growth of members' contributions"] == ("percent", "–", pytest.approx(0.02))
    # all seven charts plus the shortfall, in the workbook of every section
    assert any(name.startswith("07 Members") for name in book.sheetnames), "|".join(book.sheetnames)


CEILING = "Jaarplafond"


def values(trace, axis: str = "y"):
    import base64

    import numpy as np

    y = trace[axis]
    if isinstance(y, dict):  # plotly sends numpy arrays as typed arrays
        return np.frombuffer(base64.b64decode(y["bdata"]), dtype=y["dtype"])
    return np.array(y)


def test_the_ceiling_per_year_comes_from_the_data_and_its_years_over_are_listed(app):
    """The seed's illustrative multi-year ceiling falls from 98 M (2025) to 94 M (2034); continuation costs 95.64 M a year."""
    at = open_editor(scenarios_page(app))
    at.button(key="f_continuation_path_from_data").click().run()
    assert_clean(at)
    at.button[0].click().run()  # save
    assert_clean(at)
    mine = at.session_state["custom_scenarios"]["custom_1"]
    assert mine["ceiling_path"] == [[y, a * 1e6] for y, a in zip(range(2025, 2035), (98, 98, 97, 97, 96, 96, 95, 95, 94, 94))]
    over = frame_with(at, "Overschrijding")
    assert list(over["Jaar"]) == ["2031", "2032", "2033", "2034"]
    assert list(over.iloc[:, 3]) == ["€ 95.000.000", "€ 95.000.000", "€ 94.000.000", "€ 94.000.000"]  # the year's own ceiling
    # the ceiling drawn on the total-cost chart cites the data it came from
    at.session_state["sc_measure"] = "total_eur"
    at.run()
    assert_clean(at)
    (line,) = [t for t in specs(at)[0]["data"] if t["name"].startswith(CEILING)]
    assert values(line).tolist() == [98, 98, 97, 97, 96, 96, 95, 95, 94, 94]  # in EUR million
    assert any("Begrotingsplafond per jaar \\(illustratief\\)" in s for s in source_lines(at)), source_lines(at)


def test_the_ceiling_table_keeps_edits_additions_and_removals():
    from clusterpolicy.web import editor

    rows = [[2026, 90.0], [2027, 91.0], [2028, 92.0]]
    edits = {
        "edited_rows": {"1": {"amount_m": 89.5}},
        "deleted_rows": [2],
        "added_rows": [{"year": 2030, "amount_m": 80.0}, {"year": 2031}],  # the last is incomplete: left out
    }
    assert editor.edited_path(rows, edits) == [(2026, 90_000_000.0), (2027, 89_500_000.0), (2030, 80_000_000.0)]
    assert editor.edited_path(rows, {}) == [(2026, 90_000_000.0), (2027, 91_000_000.0), (2028, 92_000_000.0)]


def test_new_themes_as_organisations_and_as_projects_side_by_side(seed_db):
    """The two presets of Recommendation 4: three new themes from 2027, as new clusters or as projects."""
    from clusterpolicy.model import scenarios
    from tests.conftest import open_link

    at = open_link("scenarios", {"sc": ["continuation", "open_call", "themes_as_projects"]}).run()
    assert_clean(at)
    chart = next(s for s in specs(at) if s["layout"]["title"]["text"].startswith("Nieuwe thema"))
    public, carried = chart["data"]
    assert public["y"] == ["Open oproep: drie nieuwe clusters", "Nieuwe thema's als projecten"]
    assert [text.split(" · ")[1] for text in public["text"]] == [
        "3 van 3 thema's, als clusters",
        "3 van 3 thema's, als projecten",
    ]
    base, presets = seed_model(seed_db)
    expected = [scenarios.run(base, presets[k]).summary for k in ("open_call", "themes_as_projects")]
    # below EUR 10 M the axis is in euros (charts.theme.money_scale)
    assert values(public, "x").tolist() == pytest.approx([e["new_themes_public_eur"] for e in expected])
    assert values(carried, "x").tolist() == pytest.approx([e["new_themes_members_eur"] for e in expected])
    # 3 x 400k from 2027 after ramping up, against 3 x 400k of projects at once: the projects cost more early on
    assert expected[0]["new_themes_public_eur"] < expected[1]["new_themes_public_eur"]
    # the thematic projects are a cost component of their own in the breakdown
    breakdown = specs(at)[1]
    assert "Thematische projecten (nieuwe thema's)" in [t.get("name") for t in breakdown["data"]]
