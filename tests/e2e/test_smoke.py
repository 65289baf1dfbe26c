"""Smoke test in a real browser: each page opened by its own link on a fresh server shows charts, no exception."""

from __future__ import annotations

import pytest

from .conftest import screenshot, wait_for_app_run


@pytest.mark.parametrize("path, title", [("scenarios", "Financieringsscenario's"), ("overview", "Speerpuntclusters")])
def test_page_opens_with_charts_and_no_exception(page, app_url, path, title):
    # scenarios first: a deep link must reach the router even before any session opened "/"
    page.goto(f"{app_url}/{path}")
    wait_for_app_run(page)
    page.get_by_test_id("stPlotlyChart").first.wait_for(timeout=60_000)
    assert page.get_by_test_id("stException").count() == 0
    assert title in page.get_by_role("heading", level=1).first.inner_text()
    # the router's sidebar (language switch) is there: the page did not run on its own
    assert page.get_by_test_id("stSidebar").get_by_text("Taal / Language").count() == 1
    assert page.get_by_test_id("stPlotlyChart").count() >= 3
    screenshot(page, f"smoke-{path}")


def test_navigation_between_pages(page, app_url):
    page.goto(app_url)
    wait_for_app_run(page)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Financieringsscenario's").click()
    wait_for_app_run(page)
    page.get_by_test_id("stPlotlyChart").first.wait_for(timeout=60_000)
    assert page.url.rstrip("/").endswith("/scenarios")
    assert page.get_by_test_id("stException").count() == 0
