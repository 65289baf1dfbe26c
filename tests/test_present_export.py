"""Presenter mode (one large chart at a time, keyboard navigation) and exports that carry their context."""

from __future__ import annotations

import io
import json

import numpy as np
import openpyxl
import pandas as pd
import pytest
from pptx import Presentation
from streamlit.testing.v1 import AppTest

from clusterpolicy.data import db
from clusterpolicy.model import scenarios
from clusterpolicy.present import charts, outline, tables
from clusterpolicy.render import report, slides
from tests.conftest import assert_page_ok, made_export, open_link


def presenting(page: str | None, params: dict | None = None) -> AppTest:
    """A new session opened from a presenter link to /<page> (None: the overview)."""
    at = open_link(page, {"present": "1", **(params or {})})
    at.run()
    assert_page_ok(at)
    return at


def shown(at) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def test_presenter_mode_shows_one_large_chart_and_steps_through(seed_db):
    at = presenting("scenarios")
    figs = shown(at)
    assert len(figs) == 1
    layout = figs[0]["layout"]
    assert layout["font"]["size"] >= 18 and layout["title"]["font"]["size"] >= 18
    assert layout["xaxis"]["tickfont"]["size"] >= 18 and layout["legend"]["font"]["size"] >= 18
    assert all(a["font"]["size"] >= 18 for a in layout["annotations"])
    # the page's controls are tucked away, nothing else draws a chart or a table
    assert not at.dataframe and not at.metric
    assert at.button(key="p_prev").disabled
    first = layout["title"]["text"]
    at.button(key="p_next").click().run()
    assert shown(at)[0]["layout"]["title"]["text"] != first
    assert at.query_params["slide"] in ("2", ["2"])
    at.button(key="p_prev").click().run()
    assert shown(at)[0]["layout"]["title"]["text"] == first
    at.button(key="p_stop").click().run()
    assert len(shown(at)) == 3 and not at.session_state["present"]  # back to the page: its first section


def test_presenter_mode_in_english_on_every_page(seed_db):
    for page, n in ((None, 3), ("earmarked", 3), ("kpis", 3)):
        at = presenting(page, {"lang": "en", "slide": str(n)})
        figs = shown(at)
        assert len(figs) == 1
        assert f"of {n}" in " ".join(m.value for m in at.markdown)


def test_presenter_keys_are_keyboard_shortcuts(seed_db):
    at = presenting(None)
    shortcuts = {b.key: b.proto.shortcut for b in at.button if b.key in ("p_prev", "p_next", "p_stop")}
    assert {k: v.lower() for k, v in shortcuts.items()} == {"p_prev": "left", "p_next": "right", "p_stop": "escape"}


# ---- exports


@pytest.fixture()
def view(con):
    funding = db.run_query(con, "scenario_base", {})
    envelopes = db.run_query(con, "earmarked_last_level", {})
    base = scenarios.Base.from_frames(funding, envelopes)
    presets = db.run_query(con, "scenario_presets", {})
    params = [scenarios.preset_params(r, base, "nl") for _, r in presets.iterrows()][:3]
    results = [scenarios.run(base, p) for p in params]
    items = [
        outline.ChartItem(
            "sc_lines", ["illus_basic_funding", "dvo_57551"], chart=charts.scenario_cost_lines(results, "basic_eur", "nl", True)
        ),
        outline.ChartItem("sc_components", ["illus_basic_funding"], chart=charts.scenario_components(results, None, "nl", True)),
        outline.ChartItem("sc_clusters", ["illus_basic_funding"], chart=charts.basic_by_cluster(results[0], "nl", True)),
    ]
    sources = db.run_query(con, "sources", {})
    v = outline.View(
        "Financieringsscenario's",
        "nl",
        "http://127.0.0.1/scenarios?sc=continuation&v=abc",
        "abc123def456",
        items,
        sources,
        tables.scenario_parameters(params, base, "nl"),
    )
    return v, results


def _links(slide) -> list[str]:
    """Every hyperlink address on a slide: in its text boxes and its table cells."""
    frames = [sh.text_frame for sh in slide.shapes if sh.has_text_frame]
    frames += [c.text_frame for sh in slide.shapes if sh.has_table for row in sh.table.rows for c in row.cells]
    return [r.hyperlink.address for f in frames for p in f.paragraphs for r in p.runs if r.hyperlink.address]


def test_pptx_native_charts_equal_the_model(view):
    v, results = view
    prs = Presentation(io.BytesIO(slides.to_pptx(v)))
    deck = list(prs.slides)
    with_chart = [s for s in deck if any(sh.has_chart for sh in s.shapes)]
    assert len(with_chart) == 2 and len(deck) >= 1 + 3 + 1 + 1  # title, charts, all parameters, sources
    title_text = " ".join(sh.text_frame.text for sh in deck[0].shapes if sh.has_text_frame)
    # the link is a short text that opens the view, not the raw address
    assert "abc123def456" in title_text and "http://127.0.0.1" not in title_text and "Deze weergave openen" in title_text
    assert _links(deck[0]) == [v.link]
    assert any(sh.has_table for sh in deck[0].shapes)  # what differs between the scenarios
    lines = next(sh.chart for sh in with_chart[0].shapes if sh.has_chart)
    assert list(lines.plots[0].categories) == [str(y) for y in range(2025, 2035)]
    for series, result in zip(lines.plots[0].series, results):
        assert series.name == result.params.name
        assert list(series.values) == pytest.approx(result.years["basic_eur"].tolist())
    stacked = next(sh.chart for sh in with_chart[1].shapes if sh.has_chart)
    basic = next(s for s in stacked.plots[0].series if s.name == "Basiswerking")
    # each value with its scenario; the bars run top-down as on the page (the rows go in reversed)
    assert list(stacked.plots[0].categories) == [r.params.name for r in results][::-1]
    by_name = dict(zip(stacked.plots[0].categories, basic.values))
    assert [by_name[r.params.name] for r in results] == pytest.approx([r.summary["cumulative_basic_eur"] / 1e6 for r in results])
    heat = deck[deck.index(with_chart[1]) + 1]
    assert any(sh.has_table for sh in heat.shapes)  # heat map as a table
    footer = " ".join(sh.text_frame.text for sh in with_chart[0].shapes if sh.has_text_frame)
    assert "Illustratieve cijfers" in footer and "dvo.be" in footer
    assert any(a.startswith("https://www.dvo.be/artikel/57551") for a in _links(deck[-1]))


def test_exports_show_a_wrapped_title_on_one_line(view):
    v, _ = view
    item = v.charts[1]
    assert "<br>" in item.fig.layout.title.text  # broken for the screen
    whole = "Samenstelling van de publieke kost (de hele horizon)"
    assert item.title == whole
    prs = Presentation(io.BytesIO(slides.to_pptx(v)))
    texts = [sh.text_frame.text for slide in prs.slides for sh in slide.shapes if sh.has_text_frame]
    assert whole in texts and not any("<br>" in x for x in texts)
    wb = openpyxl.load_workbook(io.BytesIO(report.to_xlsx(v)))
    assert not any("<br>" in name for name in wb.sheetnames)
    assert "<br>" not in report.to_csv(v).decode("utf-8-sig")
    assert f"<h2>{whole}</h2>" in report.to_html(v)


def test_xlsx_sheets_hold_numbers_and_context(view):
    v, results = view
    wb = openpyxl.load_workbook(io.BytesIO(report.to_xlsx(v)))
    assert wb.sheetnames[0] == "Over dit bestand" and "Parameters" in wb.sheetnames and wb.sheetnames[-1] == "Bronnen"
    info = {r[0].value: r[1].value for r in wb["Over dit bestand"].iter_rows()}
    assert "generated" not in info and "Gemaakt op" in info  # the time it was made once, in Dutch
    assert info["Dataversie"] == "abc123def456" and info["Link"].startswith("http://127.0.0.1/scenarios")
    lines = wb[next(name for name in wb.sheetnames if name.startswith("01 "))]  # the first chart's sheet
    header = [c.value for c in lines[1]]
    assert header == ["Reeks", "Categorie", "Waarde", "Label", "Eenheid"]
    values = [r[2].value for r in lines.iter_rows(min_row=2, max_row=11)]
    assert all(isinstance(x, (int, float)) for x in values)
    assert all(r[2].data_type == "n" for r in lines.iter_rows(min_row=2, max_row=11))
    assert values == pytest.approx(results[0].years["basic_eur"].tolist())


@pytest.mark.parametrize("lang, sep, decimal", [("nl", ";", ","), ("en", ",", ".")])
def test_csv_parses_back_in_both_languages(view, lang, sep, decimal):
    v, results = view
    v.lang = lang
    data = report.to_csv(v)
    back = pd.read_csv(io.BytesIO(data), sep=sep, decimal=decimal, comment="#", encoding="utf-8-sig")
    first = back[back.iloc[:, 0] == v.charts[0].title]
    assert first.iloc[:10, 3].tolist() == pytest.approx(results[0].years["basic_eur"].tolist())
    text = data.decode("utf-8-sig")
    assert "abc123def456" in text.splitlines()[2]


def test_html_report_is_standalone_and_escaped(view):
    v, _ = view
    # a title with markup, in the chart object the heading is written from and in the figure embedded below it
    v.charts[0].chart.title = "<script>alert(1)</script>"
    v.charts[0].fig.update_layout(title={"text": "<script>alert(1)</script>"})
    v.charts[1].fig.update_layout(title={"text": "</script><script>alert(2)</script>"})
    page = report.to_html(v)
    assert "<h2>&lt;script&gt;alert(1)&lt;/script&gt;</h2>" in page
    assert "<script>alert(" not in page  # neither in headings nor inside the figures' JSON
    # plotly.js is inline and nothing is fetched: the report opens offline
    assert "plotly" in page.lower() and "<script src=" not in page.replace('"', "'").lower()
    assert "abc123def456" in page and "Illustratieve cijfers" in page


def test_scenario_parameters_table_translates_and_formats(con):
    funding = db.run_query(con, "scenario_base", {})
    base = scenarios.Base.from_frames(funding, db.run_query(con, "earmarked_last_level", {}))
    p = scenarios.ScenarioParams(name="X", share_end=0.25, stops=(("vil", 2028),), ceiling_eur=9e7)
    nl = tables.scenario_parameters([p], base, "nl")
    assert nl.loc["Steunpercentage in het laatste jaar", "X"] == "25,0\xa0%"
    assert nl.loc["Clusters waarvan de basissubsidie stopt", "X"] == "VIL (2028)"
    en = tables.scenario_parameters([p], base, "en")
    assert en.loc["Support rate in the last year", "X"] == "25.0%"
    assert not np.any(nl.index.duplicated())


def test_export_panel_is_built_when_opened_and_links_to_the_current_view(seed_db):
    at = open_link("kpis").run()
    at.selectbox(key="kpi_year").select(2022).run()
    assert not [b for b in at.button if b.key and b.key.startswith("x_")]  # nothing is built for a closed panel
    at.session_state["x_panel"] = True
    at.run()
    assert_page_ok(at)
    labels = [b.label for b in at.button if b.key and b.key.startswith("x_")]
    assert labels == ["Nota (PDF, A4)", "Presentatie (PPTX)", "Werkmap (XLSX)", "Rapport (HTML, offline)", "Cijfers (CSV)"]
    assert not at.get("download_button")  # no file is made before its button is clicked
    link = at.text_input(key="x_link").value
    assert "kpi_year=2022" in link and "lang=nl" in link and "v=" in link


@pytest.mark.usefixtures("state_backend")
def test_a_file_is_made_on_click_then_offered_and_logged(data_dir):
    from clusterpolicy.data import audit

    at = open_link("kpis").run()
    made = made_export(at, "xlsx")
    assert made.reference is None and made.data[:2] == b"PK"
    saves = at.get("download_button")
    assert len(saves) == 1 and saves[0].proto.label.startswith(made.file_name + " opslaan (")
    log = audit.exports()
    rows = list(log[["format", "outcome", "reference", "file_name"]].itertuples(index=False, name=None))
    assert rows == [("xlsx", "done", "", made.file_name)]
    # another view (other settings) does not offer the file made for this one
    at.selectbox(key="kpi_year").select(2022).run()
    assert not at.get("download_button")


@pytest.mark.usefixtures("state_backend")
def test_a_failed_export_says_so_with_a_reference_and_logs_it(data_dir, monkeypatch, caplog):
    from clusterpolicy.data import audit
    from clusterpolicy.web import export_panel

    def broken(view):
        raise ValueError("the slide maker broke")

    kinds = tuple((kind, broken if kind == "pptx" else make, icon) for kind, make, icon in export_panel.KINDS)
    monkeypatch.setattr(export_panel, "KINDS", kinds)
    for lang, start in (("nl", "kon niet gemaakt worden"), ("en", "could not be made")):
        at = open_link("scenarios", {"lang": lang}).run()
        made = made_export(at, "pptx")
        assert made.data is None and len(made.reference) == 8
        errors = [e.value for e in at.error]
        assert len(errors) == 1 and start in errors[0] and made.reference in errors[0] and made.file_name in errors[0]
        assert not at.get("download_button")  # nothing to save, and no traceback on the page
        assert_page_ok(at, errors_allowed=True)  # the frame caught nothing: only the export's own message
        logged = next(json.loads(r.getMessage()) for r in caplog.records if made.reference in r.getMessage())
        assert logged["event"] == "export_failed" and logged["file"] == made.file_name and "server" in logged
        assert "the slide maker broke" in caplog.text  # the traceback after the line
    log = audit.exports()
    rows = [(f, o, len(r)) for f, o, r in log[["format", "outcome", "reference"]].itertuples(index=False, name=None)]
    assert rows == [("pptx", "failed", 8), ("pptx", "failed", 8)]


def test_every_shape_of_a_views_deck_is_inside_its_slide(view):
    from tests.test_slides import inside

    v, _ = view
    prs = Presentation(io.BytesIO(slides.to_pptx(v)))
    assert len(prs.slides) >= 5 and all(inside(s) for s in prs.slides)


def test_a_timeline_slide_is_a_gantt_chart_of_the_periods(con):
    """Bars from recognition to the end of support: stacked on an unfilled series of where each starts."""
    from pptx.enum.chart import XL_CHART_TYPE
    from pptx.enum.dml import MSO_FILL

    clusters = db.run_query(con, "clusters", {})
    sources = db.run_query(con, "sources", {})
    kinds = dict(zip(sources["source_id"], sources["kind"]))
    chart = charts.cluster_timeline(clusters, kinds, 2024, "nl")
    v = outline.View("Overzicht", "nl", "http://127.0.0.1/", "abc123def456", [outline.ChartItem("t", [], chart=chart)], sources)
    prs = Presentation(io.BytesIO(slides.to_pptx(v)))
    native = next(sh.chart for s in prs.slides for sh in s.shapes if sh.has_chart)
    assert native.chart_type == XL_CHART_TYPE.BAR_STACKED
    base, *periods = native.plots[0].series
    assert base.name == charts.BASE_SERIES and base.format.fill.type == MSO_FILL.BACKGROUND  # not drawn
    starts = dict(zip(native.plots[0].categories, base.values))
    catalisti = clusters.set_index("name").loc["Catalisti"]
    assert starts["Catalisti"] == catalisti["recognised_year"] - 0.5
    lengths = {c: v for s in periods for c, v in zip(native.plots[0].categories, s.values) if v is not None}
    assert starts["Catalisti"] + lengths["Catalisti"] == 2024 + 0.5  # "2016–now": to the end of the last year
    axis = native.value_axis
    assert (axis.minimum_scale, axis.maximum_scale, axis.major_unit) == (2015, 2025, 1)
    assert axis.tick_labels.number_format == "[$-813]0"  # years without a thousands separator
