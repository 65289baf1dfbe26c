"""Every page as its users meet it in Chromium: its main interaction, both languages, presenter mode, and axe-core.

Waits on Streamlit's own run state (as Streamlit's e2e suite does), never on fixed sleeps.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from clusterpolicy import i18n

from .conftest import (
    expect_run,
    open_export_panel,
    open_import_form,
    pick,
    save_export,
    screenshot,
    wait_for_app_run,
    wait_for_presenter_style,
)

AXE_JS = Path(__import__("axe_playwright_python").__file__).with_name("axe.min.js")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PAGES = {"": 3, "scenarios": 3, "earmarked": 3, "kpis": 3, "data": 0}


def open_page(page, url: str, charts: int) -> None:
    page.goto(url)
    page_ready(page, charts)


def page_ready(page, charts: int) -> None:
    """Wait for the page's run to end and its charts (or, without charts, its first table) to be drawn."""
    wait_for_app_run(page)
    # a modal (e.g. "page not found") would make the whole app inert
    assert page.locator("[role=dialog]").count() == 0
    if charts:
        page.get_by_test_id("stPlotlyChart").nth(charts - 1).wait_for(timeout=60_000)
        page.locator(".js-plotly-plot .main-svg").nth(charts - 1).wait_for(timeout=60_000)
    else:
        page.get_by_test_id("stDataFrame").first.locator("canvas").first.wait_for(timeout=60_000)
    assert page.get_by_test_id("stException").count() == 0


def link_has(page, part: str) -> None:
    """Wait for the link to carry ``part``: Streamlit writes the query string at the end of a run,
    after the elements a test waits on."""
    expect(page).to_have_url(re.compile(re.escape(part)), timeout=30_000)


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.1 A and AA violations on the page as it stands.

    ``resultTypes`` keeps axe from collecting every node that passes (it still reports every violation
    in full): half the time of a run, 0.4 s against 0.9 s on a profile page.
    """
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", WCAG_TAGS
    )
    return [{"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"][:3]]} for v in result["violations"]]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_page_in_both_languages_is_accessible(page, app_url, lang):
    """Every page with axe-core: the overview opened from its link, the others through the sidebar's navigation, as a
    reader goes from page to page (a fresh page load for each cost three times as much)."""
    problems = {}
    for path, charts in PAGES.items():
        if not path:
            open_page(page, f"{app_url}/?lang={lang}", charts)
        else:
            page.get_by_test_id("stSidebarNav").get_by_role("link", name=i18n.t(f"nav.{path}", lang)).click()
            expect(page).to_have_url(re.compile(rf"/{path}(\?|$)"), timeout=30_000)
            page_ready(page, charts)
        screenshot(page, f"{path or 'overview'}-{lang}")
        violations = axe_violations(page)
        if violations:
            problems[path or "overview"] = violations
    assert problems == {}


def test_the_accessibility_check_finds_a_fault_put_on_the_page(page, app_url):
    """The check the tests above rely on, with the options they use, reports a fault when there is one: an image
    with no text alternative and a button with no name, added to a real page."""
    open_page(page, f"{app_url}/data", 0)
    assert axe_violations(page) == []
    page.evaluate(
        """() => { const main = document.querySelector('[data-testid="stMain"]') || document.body;
        const img = document.createElement('img'); img.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw='; main.prepend(img);
        main.prepend(document.createElement('button')); }"""
    )
    assert {"image-alt", "button-name"} <= {v["id"] for v in axe_violations(page)}


# every piece of text a chart draws, with its drawn height: Plotly scales bar labels down to the
# bar's thickness unless told not to, which no font-size check sees
CHART_TEXT_JS = """() => [...document.querySelectorAll('.js-plotly-plot text')]
  .filter(t => t.textContent.trim() && t.checkVisibility())
  .map(t => {
    const box = t.getBoundingClientRect(), chart = t.closest('.js-plotly-plot').getBoundingClientRect();
    const outside = box.left < chart.left - 1 || box.right > chart.right + 1 || box.top < chart.top - 1 || box.bottom > chart.bottom + 1;
    return [t.textContent.trim().slice(0, 30), box.height, outside];
  })"""


OVERLAPPING_TEXT_JS = """() => {
  const out = [];
  for (const plot of document.querySelectorAll('.js-plotly-plot')) {
    const texts = [...plot.querySelectorAll('text')].filter(t => t.textContent.trim() && t.checkVisibility())
      .map(t => [t.textContent.trim().slice(0, 30), t.getBoundingClientRect()]);
    for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) {
      const a = texts[i][1], b = texts[j][1];
      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left), h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (w > 2 && h > 2) out.push([texts[i][0], texts[j][0]]);
    }
  }
  return out;
}"""

# the views a 1024 px projector shows, in the order a reader reaches them: the overview from its link, the other
# pages through the sidebar's navigation, the scenario page's sections through its section control
VIEWS_1024 = {
    "overview": ("link", "", 3),
    "scenarios-costs": ("nav", "scenarios", 3),
    "scenarios-clusters": ("section", "clusters", 3),
    "scenarios-sensitivity": ("section", "sensitivity", 1),
    "earmarked": ("nav", "earmarked", 3),
    "kpis": ("nav", "kpis", 3),
}


def _go(page, app_url: str, how: str, where: str, lang: str, charts: int) -> None:
    """Reach a view as a reader does: by its link, through the sidebar's navigation, or by the page's section control."""
    if how == "link":
        open_page(page, f"{app_url}/{where}?lang={lang}", charts)
        return
    if how == "nav":
        page.get_by_test_id("stSidebarNav").get_by_role("link", name=i18n.t(f"nav.{where}", lang)).click()
        expect(page).to_have_url(re.compile(rf"/{where}(\?|$)"), timeout=30_000)
    else:
        page.get_by_role("radio", name=i18n.t(f"scenarios.view_{where}", lang), exact=True).click()
        link_has(page, f"sc_view={where}")  # written at the end of the section's run
    page_ready(page, charts)
    expect(page.get_by_test_id("stPlotlyChart")).to_have_count(charts, timeout=30_000)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_chart_text_is_readable_on_a_1024_px_screen(page, app_url, lang):
    """A 1024 px projector with the sidebar open, every page and section: no chart text drawn smaller than 11 px,
    nothing cut off at a chart's edges, no two texts of a chart on top of each other."""
    page.set_viewport_size({"width": 1024, "height": 768})
    problems = {}
    for view, (how, where, n_charts) in VIEWS_1024.items():
        _go(page, app_url, how, where, lang, n_charts)
        drawn = page.evaluate(CHART_TEXT_JS)
        found = {
            "too little text": len(drawn) <= 10 * n_charts,
            "smaller than 11 px": [(text, round(height, 1)) for text, height, _ in drawn if height < 11],
            # a title pushed out at the top, a mark or label at the side
            "cut off": [text for text, _, outside in drawn if outside],
            "on top of each other": page.evaluate(OVERLAPPING_TEXT_JS),
        }
        screenshot(page, f"{view}-1024-{lang}")
        found = {k: v for k, v in found.items() if v}
        if found:
            problems[view] = found
    assert problems == {}


SMALL_TEXT_JS = """() => {
  const out = [];
  for (const el of document.querySelectorAll('[data-testid="stMain"] *')) {
    if (![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
    if (!el.checkVisibility({visibilityProperty: true})) continue;
    if (el.closest("[data-testid*=Icon]")) continue;  // Material icons are glyphs, not text
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < 20) out.push([el.tagName, size, el.textContent.trim().slice(0, 40)]);
  }
  return out;
}"""


@pytest.mark.parametrize("path", ["", "scenarios", "earmarked", "kpis"], ids=["overview", "scenarios", "earmarked", "kpis"])
def test_presenter_mode_is_accessible(page, app_url, path):
    open_page(page, f"{app_url}/{path}?present=1", 1)
    assert page.get_by_test_id("stPlotlyChart").count() == 1
    wait_for_presenter_style(page)  # the text sizes below are the presenter style's
    # every visible piece of text outside the chart, the source line included, at least 20 px
    assert page.evaluate(SMALL_TEXT_JS) == []
    chart_text = page.evaluate(
        "() => [...document.querySelectorAll('.js-plotly-plot text')].filter(t => t.textContent.trim())"
        ".map(t => parseFloat(getComputedStyle(t).fontSize))"
    )
    assert chart_text and min(chart_text) >= 20, sorted(chart_text)[:5]
    assert [text for text, _, outside in page.evaluate(CHART_TEXT_JS) if outside] == []
    screenshot(page, f"{path or 'overview'}-present-nl")
    assert axe_violations(page) == []


def test_overview_year_changes_the_headlines(page, app_url):
    open_page(page, f"{app_url}/", 3)
    before = page.get_by_test_id("stMetric").first.inner_text()
    pick(page, "Jaar", "2018")
    expect(page.get_by_test_id("stMetric").first).to_contain_text("2018", timeout=30_000)
    assert page.get_by_test_id("stMetric").first.inner_text() != before
    link_has(page, "ov_year=2018")


def test_scenario_parameter_change_redraws(page, app_url):
    open_page(page, f"{app_url}/scenarios", 3)
    page.get_by_text("Eigen scenario samenstellen").click()
    cap = page.get_by_label("Plafond basissubsidie per cluster per jaar (€)")
    # the editor's fields come with the rerun that opening it starts: type once that run has ended
    # (a submit clicked while it still ran was lost about one time in six)
    cap.wait_for()
    wait_for_app_run(page)
    cap.fill("300000")
    with expect_run(page):
        page.get_by_role("button", name="Scenario bewaren en vergelijken").click()
    page.locator(".js-plotly-plot .legendtext", has_text="Eigen scenario 1").first.wait_for(timeout=60_000)
    assert "cs=" in page.url and "sc=custom_1" in page.url
    assert page.get_by_test_id("stException").count() == 0


def test_enter_then_save_adds_the_scenario_once(page, app_url):
    """Enter in a field submits the editor's form; the Save after it used to add a second "Eigen scenario 1"."""
    open_page(page, f"{app_url}/scenarios", 3)
    page.get_by_text("Eigen scenario samenstellen").click()
    cap = page.get_by_label("Plafond basissubsidie per cluster per jaar (€)")
    # the editor's fields come with the rerun that opening it starts: type once that run has ended
    # (a submit clicked while it still ran was lost about one time in six)
    cap.wait_for()
    wait_for_app_run(page)
    cap.fill("250000")
    with expect_run(page):
        cap.press("Enter")
    link_has(page, "sc=custom_1")
    with expect_run(page):
        page.get_by_role("button", name="Scenario bewaren en vergelijken").click()
    page.get_by_text("Dit scenario staat al in de vergelijking.").wait_for(timeout=30_000)
    # one headline card for it, and no chart names it twice
    cards = page.get_by_test_id("stMetricLabel").all_inner_texts()
    assert sum(c.startswith("Eigen scenario 1") for c in cards) == 1, cards
    for chart in page.locator(".js-plotly-plot").all():
        assert chart.locator(".legendtext").all_inner_texts().count("Eigen scenario 1") <= 1
    assert "custom_2" not in page.url
    assert page.get_by_test_id("stException").count() == 0


def test_chart_data_table_opens_on_demand(page, app_url):
    open_page(page, f"{app_url}/", 3)
    tables = page.get_by_test_id("stDataFrame")
    expect(tables).to_have_count(1, timeout=30_000)  # the published key figures; no chart's table until asked for
    with expect_run(page):
        page.get_by_text("Gegevens van deze grafiek (tabel)").nth(1).click()
    expect(tables).to_have_count(2, timeout=30_000)
    tables.nth(0).locator("canvas").first.wait_for(timeout=30_000)
    assert page.get_by_test_id("stException").count() == 0
    assert axe_violations(page) == []


def test_scenario_sections_and_an_english_workbook_with_every_chart(page, app_url, tmp_path):
    import openpyxl

    open_page(page, f"{app_url}/scenarios?lang=en", 3)
    with expect_run(page):
        page.get_by_role("radio", name="Sensitivity").click()
    page.locator(".js-plotly-plot .gtitle", has_text="Sensitivity of total public cost").wait_for(timeout=30_000)
    expect(page.get_by_test_id("stPlotlyChart")).to_have_count(1, timeout=30_000)
    link_has(page, "sc_view=sensitivity")
    open_export_panel(page)
    path = tmp_path / "view.xlsx"
    save_export(page, "Workbook (XLSX)", "xlsx").save_as(path)
    # the workbook has all seven charts (also those of hidden sections), in English
    names = openpyxl.load_workbook(path).sheetnames
    charts = [n for n in names if n[:2].isdigit()]  # one sheet per chart, numbered, named after its title
    assert len(charts) == 7, names
    assert charts[-1].startswith("07 Sensitivity of total") and any("Self-financing" in n for n in charts), names
    assert not any("Gevoeligheid" in n or "Zelffinanciering" in n for n in names)


def test_export_panel_makes_then_saves_a_briefing_and_slides(page, app_url):
    open_page(page, f"{app_url}/kpis", 3)
    open_export_panel(page)
    for label, kind, magic in (("Nota (PDF, A4)", "pdf", b"%PDF-"), ("Presentatie (PPTX)", "pptx", b"PK")):
        download = save_export(page, label, kind)
        assert axe_violations(page) == []
        assert download.suggested_filename.endswith(f".{kind}")
        assert Path(download.path()).read_bytes().startswith(magic)


def test_earmarked_theme_filter_redraws(page, app_url):
    open_page(page, f"{app_url}/earmarked", 3)
    legend_before = page.locator(".js-plotly-plot").nth(1).locator(".legendtext").count()
    with expect_run(page):
        page.get_by_test_id("stMultiSelect").get_by_role("button", name="Remove Energie").click()
    page.wait_for_function(
        "n => document.querySelectorAll('.js-plotly-plot')[1].querySelectorAll('.legendtext').length === n - 1",
        arg=legend_before,
        timeout=30_000,
    )
    link_has(page, "ec_themes=")


def test_kpi_choice_redraws(page, app_url):
    open_page(page, f"{app_url}/kpis", 3)
    pick(page, "Indicator", "Verworven Europese middelen")
    page.locator(".js-plotly-plot .gtitle", has_text="Verworven Europese middelen").wait_for(timeout=30_000)
    link_has(page, "kpi_id=eu_funding_eur")


def test_data_table_choice(page, app_url):
    open_page(page, f"{app_url}/data", 0)
    with expect_run(page):
        page.get_by_role("tab", name="Tabellen").click()
    pick(page, "Tabel van de databank", "kpi · indicatoren")
    page.get_by_text("Downloaden (8 rijen)").wait_for(timeout=30_000)


def test_import_refuses_a_bad_file_in_the_browser(page, app_url, tmp_path):
    open_import_form(page, app_url)
    seed = (Path(__file__).resolve().parents[2] / "data" / "seed" / "basic_funding.csv").read_bytes()
    row = b"vil,2024,500000.00,764000.00,illus_basic_funding"
    assert row in seed
    bad = tmp_path / "bad.csv"
    bad.write_bytes(seed.replace(row, b"vil,2024,-1.00,764000.00,illus_basic_funding", 1))
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(bad))
    page.get_by_text("Het bestand werd geweigerd").wait_for(timeout=60_000)
    assert page.get_by_test_id("stException").count() == 0
    assert axe_violations(page) == []


def test_language_switch_in_the_sidebar(page, app_url):
    open_page(page, f"{app_url}/kpis", 3)
    pick(page, "Taal / Language", "English")
    page.get_by_role("heading", name="KPIs and evaluation").wait_for(timeout=30_000)
    # the heading comes first in a run and the charts after it: wait for the chart, not just the heading
    page.locator(".js-plotly-plot .gtitle", has_text="Attainment of targets").wait_for(timeout=30_000)
    link_has(page, "lang=en")


def test_presenter_toggle_in_the_sidebar(page, app_url):
    open_page(page, f"{app_url}/", 3)
    with expect_run(page):
        page.get_by_test_id("stSidebar").get_by_text("Presentatiemodus").click()
    page.get_by_role("button", name="Volgende").wait_for(timeout=30_000)
    expect(page.get_by_test_id("stPlotlyChart")).to_have_count(1, timeout=30_000)
    link_has(page, "present=1")
    wait_for_presenter_style(page)


PLOT_DATA_JS = """() => [...document.querySelectorAll('.js-plotly-plot')].map(
  p => JSON.stringify(p.data.map(t => [t.name, t.x, t.y, t.text])))"""


def test_the_copy_button_gives_a_short_link_that_opens_the_same_charts(page, app_url, browser):
    open_page(page, f"{app_url}/scenarios?sc_view=sensitivity&sc_step=0.2&sc=continuation&sc=projects_only", 1)
    before = page.evaluate(PLOT_DATA_JS)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    open_export_panel(page)
    block = page.get_by_test_id("stCode").first
    block.wait_for(timeout=30_000)
    block.hover()
    block.get_by_role("button").first.click()  # the code block's own copy button
    expect(page.get_by_test_id("stCode").first).to_contain_text("?k=")
    short = page.evaluate("() => navigator.clipboard.readText()")
    assert "?k=" in short and len(short) < 60 and short == block.inner_text().strip()
    fresh = browser.new_context()  # another reader: no session, no cookies
    other = fresh.new_page()
    try:
        open_page(other, short, 1)
        assert other.evaluate(PLOT_DATA_JS) == before
        expect(other).to_have_url(re.compile(r"sc_step=0\.2"))  # the address bar shows the whole view
    finally:
        fresh.close()


def test_switching_language_keeps_the_editor_open_and_the_chips_in_the_new_language(page, app_url):
    open_page(page, f"{app_url}/scenarios?lang=nl", 3)
    with expect_run(page):
        page.get_by_text("Eigen scenario samenstellen").click()
    page.get_by_label("Plafond basissubsidie per cluster per jaar (€)").wait_for(timeout=30_000)
    pick(page, "Taal / Language", "English")
    page.get_by_role("heading", name="Funding scenarios for basic operation").wait_for(timeout=30_000)
    chips = page.get_by_test_id("stMultiSelect").first
    expect(chips).to_contain_text("Continuation", timeout=30_000)
    expect(chips).to_contain_text("Degressive to 25 %")
    expect(chips).not_to_contain_text("Voortzetting")
    cap = page.get_by_label("Cap on the basic subsidy per cluster per year (€)")
    expect(cap).to_have_value("€500,000", timeout=30_000)  # the editor stayed open, its amounts in English
