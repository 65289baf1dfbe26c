"""Smoke test in a real browser: each page opened by its own link on a fresh server shows charts, no exception."""

from __future__ import annotations

import re
import urllib.parse

import pytest
from playwright.sync_api import expect

from .conftest import expect_run, screenshot, serve, wait_for_app_run, wait_for_presenter_style

PAGES = [
    ("scenarios", "Financieringsscenario's", 3),
    ("", "Speerpuntclusters", 3),
    ("earmarked", "Geoormerkte middelen", 3),
    ("kpis", "KPI's en evaluatie", 3),
    ("data", "Data en bronnen", 0),
]


@pytest.mark.parametrize("path, title, n_charts", PAGES, ids=[p[0] or "overview" for p in PAGES])
def test_page_opens_with_charts_and_no_exception(page, app_url, path, title, n_charts):
    page.goto(f"{app_url}/{path}")
    wait_for_app_run(page)
    if n_charts:
        page.get_by_test_id("stPlotlyChart").nth(n_charts - 1).wait_for(timeout=60_000)
    else:
        page.get_by_test_id("stDataFrame").first.locator("canvas").first.wait_for(timeout=60_000)
    assert page.get_by_test_id("stException").count() == 0
    assert title in page.get_by_role("heading", level=1).first.inner_text()
    # the router's sidebar (language switch) is there: the page did not run on its own
    page.get_by_test_id("stSidebar").get_by_text("Taal / Language").wait_for(timeout=10_000)
    assert page.get_by_test_id("stPlotlyChart").count() == n_charts
    assert page.locator("[role=dialog]").count() == 0  # no "page not found" modal
    screenshot(page, f"smoke-{path or 'overview'}")


def test_navigation_between_pages(page, app_url):
    page.goto(app_url)
    wait_for_app_run(page)
    with expect_run(page):
        page.get_by_test_id("stSidebarNav").get_by_role("link", name="Financieringsscenario's").click()
    page.get_by_test_id("stPlotlyChart").first.wait_for(timeout=60_000)
    # the link carries the language and the data version once the run has written it
    expect(page).to_have_url(re.compile(r"/scenarios\?.*v=[0-9a-f]{12}"), timeout=30_000)
    url = urllib.parse.urlparse(page.url)
    assert url.path.rstrip("/").endswith("/scenarios")
    query = urllib.parse.parse_qs(url.query)
    assert query["lang"] == ["nl"] and len(query["v"][0]) == 12
    assert page.get_by_test_id("stException").count() == 0


@pytest.mark.parametrize("lang, label", [("nl", "Volgende"), ("en", "Next")])
def test_presenter_mode_in_the_browser(page, app_url, lang, label):
    page.goto(f"{app_url}/scenarios?present=1&lang={lang}")
    wait_for_app_run(page)
    page.get_by_test_id("stPlotlyChart").first.wait_for(timeout=60_000)
    assert page.get_by_test_id("stPlotlyChart").count() == 1
    wait_for_presenter_style(page)
    first = page.locator(".gtitle").first.text_content()
    screenshot(page, f"present-scenarios-{lang}-1")
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "t => document.querySelector('.gtitle') && document.querySelector('.gtitle').textContent !== t", arg=first, timeout=30_000
    )
    wait_for_app_run(page)
    expect(page.get_by_role("button", name=label)).to_have_count(1, timeout=30_000)
    expect(page).to_have_url(re.compile("slide=2"), timeout=30_000)
    screenshot(page, f"present-scenarios-{lang}-2")
    page.keyboard.press("Escape")
    page.get_by_test_id("stSidebar").wait_for(state="visible", timeout=30_000)


def test_deep_link_is_the_first_request_of_a_fresh_server(page, seed_db, tmp_path):
    """Streamlit runs pages/ in its legacy mode until st.navigation has been called once in the process.

    The router must take over in that very first run: the page with its sidebar and the app's own
    navigation labels (not the file names), and the language picked there kept on the next page.
    """
    with serve(seed_db, tmp_path) as (url, _proc, _log):
        page.goto(f"{url}/kpis?lang=en")
        wait_for_app_run(page)
        page.get_by_test_id("stPlotlyChart").first.wait_for(timeout=60_000)
        assert page.get_by_role("heading", level=1).first.inner_text() == "KPIs and evaluation"
        nav = page.get_by_test_id("stSidebarNav")
        # the legacy mode would list seven links named after the files (dashboard, overview, scenarios, ...)
        assert nav.get_by_role("link").count() == 6
        for name in (
            "Overview",
            "Funding scenarios",
            "Earmarked budgets",
            "KPIs and evaluation",
            "Cluster profile",
            "Data and sources",
        ):
            assert nav.get_by_role("link", name=name).count() == 1
        with expect_run(page):
            nav.get_by_role("link", name="Funding scenarios").click()
        page.get_by_test_id("stPlotlyChart").first.wait_for(timeout=60_000)
        assert page.get_by_role("heading", level=1).first.inner_text().startswith("Funding scenarios")
        assert page.get_by_test_id("stException").count() == 0


@pytest.mark.parametrize(
    "lang, words", [("nl", "Er is geen pagina 'doesnotexist'"), ("en", "This dashboard has no page 'doesnotexist'")]
)
def test_an_unknown_page_says_so(page, app_url, lang, words):
    """Streamlit opens the overview for an address that names no page; the overview then says why it is shown."""
    page.goto(f"{app_url}/doesnotexist?lang={lang}")
    wait_for_app_run(page)
    expect(page.get_by_test_id("stAlert").filter(has_text=words)).to_be_visible(timeout=30_000)
    page.goto(f"{app_url}/kpis?lang={lang}")  # a page that exists: no such notice
    wait_for_app_run(page)
    page.get_by_test_id("stPlotlyChart").first.wait_for(timeout=60_000)
    assert page.get_by_test_id("stAlert").filter(has_text=words).count() == 0
