"""The cluster profile (/cluster?c=vil) through AppTest on the seed: every cluster in both languages, marks, links, exports."""

from __future__ import annotations

import io
import json

import duckdb
import pdfplumber
import pytest
from pptx import Presentation

from clusterpolicy.data import db
from clusterpolicy.model import scenarios
from tests.conftest import assert_page_ok, made_export, open_link, open_profile_menus, seed_model

CLUSTERS = {
    "catalisti": "Catalisti",
    "vil": "VIL",
    "sim": "SIM",
    "flux50": "Flux50",
    "flanders_food": "Flanders' FOOD",
    "blauwe_cluster": "De Blauwe Cluster",
    "medvia": "MEDVIA",
    "iot4society": "IoT4Society",
    "iot_value_chain": "IoT Value Chain",
}
ACTIVE = {"catalisti", "vil", "flux50", "flanders_food", "blauwe_cluster", "medvia"}  # in the model's 2024 base
TITLE = {"nl": "Clusterprofiel: {}", "en": "Cluster profile: {}"}


def specs(at) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def by_title(at, part: str) -> dict:
    return next(s for s in specs(at) if part in s["layout"]["title"]["text"].replace("<br>", " "))


def profile(c: str, lang: str = "nl", **params):
    at = open_link("cluster", {"c": c, "lang": lang, **params}).run()
    assert_page_ok(at)
    return at


def query(seed_db, name: str, **params):
    con = duckdb.connect(str(seed_db), read_only=True)
    try:
        return db.run_query(con, name, params)
    finally:
        con.close()


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("c", list(CLUSTERS))
def test_every_cluster_has_a_profile_in_both_languages(seed_db, c, lang):
    at = profile(c, lang)
    name = CLUSTERS[c]
    assert at.title[0].value == TITLE[lang].format(name)
    assert at.selectbox(key="c").value == c
    charts = specs(at)
    assert charts, "every cluster has at least its basic operation"
    funding = query(seed_db, "profile_funding", cluster_id=c)
    # the basic operation as the data hold it: the subsidy and the members' part per year, in thousands
    chart = charts[0]
    public = [t for t in chart["data"] if t["name"].startswith(("Basissubsidie", "Basic subsidy"))]
    assert sum(len(t["y"]) for t in public) == len(funding)
    assert sorted(y for t in public for y in t["y"]) == sorted(funding["public_eur"] / 1e3)
    # every chart cites its sources, and every chart of illustrative values carries the mark on itself
    lines = [m.value for m in at.markdown if m.value.startswith(":small[") and not m.value.startswith(":small[Profiel")]
    assert len(lines) >= len(charts) + 1  # the cluster's own source under the introduction
    for s in charts:
        if any("(illustratief)" in t.get("name", "") or "(illustrative)" in t.get("name", "") for t in s["data"]):
            assert any(a.get("name") == "illustrative-mark" for a in s["layout"].get("annotations", []))
    titles = [s["layout"]["title"]["text"].replace("<br>", " ") for s in charts]
    scenario_title = {"nl": "Wat elk scenario doet", "en": "What each scenario does"}[lang]
    assert any(scenario_title in t for t in titles) == (c in ACTIVE)
    if c not in ACTIVE:
        assert at.info and name in at.info[0].value


def test_published_points_look_different_from_the_illustrative_series(seed_db):
    """VIL: members published for 2016 (520) and 2019 (622); the rest of the series is illustrative."""
    at = profile("vil")
    heat = by_title(at, "Elke KPI van VIL")["data"][0]
    years = heat["x"]
    members_row = heat["y"].index("Leden")
    cells = dict(zip(years, heat["text"][members_row]))
    assert cells["2016"] == "520 ★" and cells["2019"] == "622 ★"
    assert "★" not in cells["2018"] and "★" not in cells["2024"]
    # the members chart: stars for the two published points, plain markers for the rest
    series = next(t for t in by_title(at, "Leden")["data"] if t["name"] == "VIL")
    stars = {x for x, symbol in zip(series["x"], series["marker"]["symbol"]) if symbol == "star"}
    assert stars == {2016, 2019}
    metric = next(m for m in at.metric if m.label == "Leden 2024")
    assert metric.value == "698 ⚠" and "622 (2019)" in metric.help


def test_earmarked_amounts_are_drawn_by_their_kind(seed_db):
    """MEDVIA: 2021 and 2022 published (solid), 2024 a third party's transcription (derived, dotted)."""
    at = profile("medvia")
    bars = by_title(at, "Geoormerkte middelen voor MEDVIA")
    kinds = {t["name"]: (t["x"], t["marker"]["pattern"]["shape"]) for t in bars["data"]}
    assert kinds == {
        "Clusterprojecten (gepubliceerd)": ([2021, 2022], ""),
        "Clusterprojecten (afgeleid)": ([2024], "."),
    }
    subtitle = bars["layout"]["title"]["subtitle"]["text"].replace("<br>", " ")
    assert "afgeleid, door een derde overgenomen" in subtitle
    assert not any(a.get("name") == "illustrative-mark" for a in bars["layout"].get("annotations", []))


def test_the_scenarios_of_one_cluster_equal_the_model(seed_db):
    """Continuation keeps VIL at the cap; under the published total VIL gets 1.557 times as much."""
    base, presets = seed_model(seed_db)
    for cal, scaled in (("rule", base), ("total", base.calibrated(4_500_000.0))):
        at = profile("vil", sc_cal=cal)
        lines = by_title(at, "Wat elk scenario doet met de basissubsidie van VIL")
        for trace, preset in zip(lines["data"], ("continuation", "degressive")):
            r = scenarios.run(scaled, presets[preset])
            expected = r.clusters[r.clusters["cluster_id"] == "vil"]["public_eur"] / 1e3
            assert trace["name"] == presets[preset].name
            assert trace["y"] == pytest.approx(list(expected))
        subtitle = lines["layout"]["title"]["subtitle"]["text"].replace("<br>", " ")
        assert ("gepubliceerde jaartotaal van € 4,5 mln" in subtitle) == (cal == "total")


def test_a_crafted_cluster_in_the_link_opens_the_first_with_a_notice(seed_db):
    at = profile("<script>")
    assert at.selectbox(key="c").value == "catalisti"  # the first by name
    assert any("'c'" in w.value.replace("\\", "") for w in at.warning)


def test_a_link_inside_the_app_opens_the_cluster_it_names_and_the_picker_still_works(seed_db):
    at = profile("vil")
    # what st.page_link does: the same session, the page's query string replaced
    at.query_params["c"] = "flux50"
    at.run()
    assert at.title[0].value == "Clusterprofiel: Flux50"
    at.selectbox(key="c").select("medvia").run()
    assert at.title[0].value == "Clusterprofiel: MEDVIA"
    at.run()  # the link written at the end of the run is not taken for a new one
    assert at.title[0].value == "Clusterprofiel: MEDVIA" and at.query_params["c"] in ("medvia", ["medvia"])


@pytest.mark.parametrize(
    "page, params, expected",
    [
        (None, {}, set(CLUSTERS)),  # the timeline and the basic funding name every cluster
        ("kpis", {}, ACTIVE | {"sim"}),  # the heat map shows every spearhead cluster
        ("scenarios", {"sc_view": "clusters"}, ACTIVE),
        ("earmarked", {}, {"catalisti", "vil", "sim", "flux50", "flanders_food", "blauwe_cluster", "medvia"}),
        ("cluster", {"c": "vil"}, {"catalisti", "flux50", "flanders_food", "blauwe_cluster", "medvia", "sim"}),
    ],
)
def test_every_chart_that_names_clusters_links_to_their_profiles(seed_db, page, params, expected):
    at = open_link(page, params).run()
    assert_page_ok(at)
    assert not at.get("page_link")  # drawn only while a chart's menu is open
    links = [link.proto for link in open_profile_menus(at).get("page_link")]
    targets = {p.query_string.removeprefix("c=") for p in links if p.page.endswith("cluster")}
    assert targets == expected
    assert all(p.query_string.startswith("c=") for p in links if p.page.endswith("cluster"))


def test_the_profile_in_presenter_mode_steps_through_its_charts(seed_db):
    at = open_link("cluster", {"c": "vil", "present": "1"}).run()
    assert_page_ok(at)
    assert len(specs(at)) == 1 and not at.metric
    titles = [specs(at)[0]["layout"]["title"]["text"]]
    while not at.button(key="p_next").disabled:
        at.button(key="p_next").click().run()
        assert_page_ok(at)
        titles.append(specs(at)[0]["layout"]["title"]["text"])
    # funding, earmarked, partners, KPIs, members, scenarios: each once
    assert len(titles) == len(set(titles)) == 6


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_profile_exports_a_briefing_and_slides(seed_db, lang):
    at = profile("vil", lang)
    made = made_export(at, "pdf")
    text = " ".join(" ".join(p.extract_text() for p in pdfplumber.open(io.BytesIO(made.data)).pages).split())
    assert TITLE[lang].format("VIL") in text
    assert {"nl": "VIL is een speerpuntcluster voor logistiek en transport", "en": "VIL is a spearhead cluster for logistics"}[
        lang
    ] in text
    assert {"nl": "Leden 2024", "en": "Members 2024"}[lang] in text and "698" in text
    deck = Presentation(io.BytesIO(made_export(at, "pptx").data))
    slide_text = [" ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame) for slide in deck.slides]
    assert any({"nl": "Elke KPI van VIL", "en": "Every KPI of VIL"}[lang] in t for t in slide_text)


def test_the_briefing_draws_counts_on_whole_ticks_and_derived_bars_dotted(seed_db):
    """A count axis in steps of a half read "0 0 1 2 2" once rounded; the derived bar must not look illustrative."""
    from clusterpolicy.present.charts import profile as profile_charts
    from clusterpolicy.render.briefing.chart import ChartDrawing, _bar_kind

    partners = profile_charts.partners(query(seed_db, "profile_partners", cluster_id="vil"), "VIL", "nl", True)
    drawing = ChartDrawing(partners.spec, partners.format, True, "nl")
    assert drawing._counted([0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0]) == [0.0, 1.0, 2.0, 3.0, 4.0]
    earmarked = profile_charts.earmarked(query(seed_db, "profile_earmarked", cluster_id="medvia"), "MEDVIA", "nl")
    kinds = {s.name: _bar_kind(s) for s in earmarked.spec.series}
    assert kinds == {"Clusterprojecten (gepubliceerd)": "bar", "Clusterprojecten (afgeleid)": "dotted"}


@pytest.mark.parametrize(
    "c, lang, sentence",
    [
        ("iot4society", "en", "IoT4Society is an innovative business network for internet of things, recognised in 2018."),
        ("iot4society", "nl", "IoT4Society is een innovatief bedrijfsnetwerk voor internet der dingen, erkend in 2018."),
        ("sim", "en", "SIM is a spearhead cluster for materials, recognised in 2017. Its support ran until 2022."),
    ],
)
def test_what_the_cluster_is_reads_as_a_sentence(seed_db, c, lang, sentence):
    at = profile(c, lang)
    assert at.markdown[0].value.replace("\\", "").startswith(sentence)


def test_a_chart_naming_many_clusters_links_the_first_25_and_counts_the_rest(seed_db, tmp_path, monkeypatch):
    """At EU scale a chart naming every cluster put 2,000 page links under it, on every rerun (the overview's
    warm rerun went from 13 to 817 ms); past 25 links the rest are counted in one line."""
    from bench import synth
    from clusterpolicy.data import build

    seed = synth.write_seed(tmp_path / "seed", 40, 3, 6, 200)
    target = tmp_path / "many.duckdb"
    build.build(seed, target, origin="synthetic")
    monkeypatch.setenv("CLUSTERPOLICY_DB", str(target))
    at = open_link(None, {})
    at.run()
    assert_page_ok(at)
    open_profile_menus(at)
    # two charts name all 40 clusters: each links the first 25 by name and counts the other 15
    links = [link.proto for link in at.get("page_link")]
    assert len(links) == 2 * 25 and all(link.page == "cluster" for link in links)
    assert [link.label for link in links[:25]] == [f"Cluster {i:05d}" for i in range(25)]
    assert [m.value for m in at.markdown if "andere" in m.value] == [":small[en 15 andere: kies ze op de profielpagina]"] * 2
