"""The scenario page's questions in Chromium: goal seeking from a link to a custom scenario, the new-themes chart, axe-core.

Waits on Streamlit's own run state and on elements, never on fixed sleeps.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .conftest import expect_run, screenshot, wait_for_app_run, wait_for_presenter_style
from .test_browser import axe_violations, link_has, open_page


def test_goal_seeking_from_a_link_adds_its_answer_to_the_comparison(page, app_url):
    open_page(page, f"{app_url}/scenarios?lang=en&sc_goal=1&gs_sc=degressive&gs_goal=saving&gs_amount=10.0", 3)
    answer = page.get_by_test_id("stAlertContentSuccess").filter(has_text="meets the goal")
    expect(answer).to_contain_text("support rate in the last year = 6.5%")
    assert axe_violations(page) == []
    screenshot(page, "goalseek-en")
    with expect_run(page):
        page.get_by_role("button", name="Add as a custom scenario to the comparison").click()
    expect(page.get_by_test_id("stMetric")).to_have_count(3, timeout=30_000)
    link_has(page, "cs=")
    # its name says what moved; against continuation it saves at least the EUR 10 M asked for
    expect(page.get_by_test_id("stMetric").nth(2)).to_contain_text("Degressive to 25 %: Support rate in the last year 6.5%")
    expect(page.get_by_test_id("stMetric").nth(2)).to_contain_text("\u2212€10.14 m")  # the one minus sign


def test_new_themes_side_by_side_on_the_page_and_in_presenter_mode(page, app_url):
    url = f"{app_url}/scenarios?sc=continuation&sc=open_call&sc=themes_as_projects"
    open_page(page, url, 4)
    page.locator(".js-plotly-plot .gtitle", has_text="Nieuwe thema's: als organisaties").wait_for(timeout=30_000)
    assert axe_violations(page) == []
    page.goto(url + "&present=1&slide=4")
    wait_for_app_run(page)
    wait_for_presenter_style(page)
    page.locator(".js-plotly-plot .gtitle", has_text=re.compile("Nieuwe thema's")).wait_for(timeout=30_000)
    screenshot(page, "themes-presenter")
    assert axe_violations(page) == []
