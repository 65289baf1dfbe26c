"""Smoke test in a real browser: each page opened by its own link on a fresh server shows charts, no exception."""

from __future__ import annotations

import pytest

from .conftest import screenshot, wait_for_app_run

PAGES = [
    ("scenarios", "Financieringsscenario's", 7),
    ("overview", "Speerpuntclusters", 3),
    ("earmarked", "Geoormerkte middelen", 3),
    ("kpis", "KPI's en evaluatie", 3),
    ("data", "Data en bronnen", 0),
]


@pytest.mark.parametrize("path, title, n_charts", PAGES, ids=[p[0] for p in PAGES])
def test_page_opens_with_charts_and_no_exception(page, app_url, path, title, n_charts):
    # scenarios first: a deep link must reach the router even before any session opened "/"
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
    screenshot(page, f"smoke-{path}")


def test_navigation_between_pages(page, app_url):
    page.goto(app_url)
    wait_for_app_run(page)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Financieringsscenario's").click()
    wait_for_app_run(page)
    page.get_by_test_id("stPlotlyChart").first.wait_for(timeout=60_000)
    assert page.url.rstrip("/").endswith("/scenarios")
    assert page.get_by_test_id("stException").count() == 0
