"""Every cluster's profile in Chromium, in both languages, with axe-core; and the links to it from the other pages' charts.

Waits on Streamlit's own run state and on elements, never on fixed sleeps.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from clusterpolicy import i18n
from tests.test_profile import CLUSTERS, TITLE

from .conftest import expect_run, pick, screenshot, wait_for_app_run, wait_for_presenter_style
from .test_browser import axe_violations, open_page


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_profile_in_both_languages_is_accessible(page, app_url, lang):
    """Every cluster's profile: the first opened from its link, the others picked in the page's own cluster choice
    (a rerun of the open page, as a reader goes from one to the next; a fresh page load cost four times as much)."""
    first, *others = CLUSTERS
    open_page(page, f"{app_url}/cluster?c={first}&lang={lang}", 1)
    problems = {}
    for c in [first, *others]:
        if c != first:
            pick(page, i18n.t("profile.pick", lang), CLUSTERS[c])
        expect(page.get_by_role("heading", level=1)).to_have_text(TITLE[lang].format(CLUSTERS[c]), timeout=30_000)
        if c != first:  # (the first is the page's default, which its link leaves out)
            expect(page).to_have_url(re.compile(rf"[?&]c={c}(&|$)"), timeout=30_000)
        # the basic operation's chart is drawn with its title, naming this cluster
        page.locator(".js-plotly-plot .gtitle", has_text=CLUSTERS[c]).first.wait_for(timeout=30_000)
        assert page.get_by_test_id("stPlotlyChart").count() >= 1, c
        screenshot(page, f"profile-{c}-{lang}")
        violations = axe_violations(page)
        if violations:
            problems[c] = violations
    assert problems == {}


def follow_profile_link(page, name: str, lang: str = "en") -> None:
    """Open the first chart's "open a cluster's profile" menu (its links are drawn when it opens) and follow ``name``."""
    with expect_run(page):
        page.get_by_role("button", name=i18n.t("profile.open_links", lang)).first.click()
    with expect_run(page):
        page.get_by_role("link", name=name, exact=True).first.click()


def test_a_chart_links_to_the_profile_and_the_next_link_opens_the_next(page, app_url):
    """From the overview's cluster chart to VIL's profile; back; then to Flux50's, in the same session."""
    open_page(page, f"{app_url}/?lang=en", 3)
    assert page.get_by_role("link", name="VIL", exact=True).count() == 0  # the menu is closed
    follow_profile_link(page, "VIL")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cluster profile: VIL", timeout=30_000)
    expect(page).to_have_url(re.compile(r"/cluster\?.*c=vil"), timeout=30_000)
    with expect_run(page):
        page.get_by_role("link", name="Overview").click()
    follow_profile_link(page, "Flux50")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cluster profile: Flux50", timeout=30_000)
    # from one profile to a partner's: the partners chart links on
    follow_profile_link(page, "Catalisti")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cluster profile: Catalisti", timeout=30_000)


def test_the_profile_in_presenter_mode_shows_one_large_chart(page, app_url):
    page.goto(f"{app_url}/cluster?c=medvia&present=1")
    wait_for_app_run(page)
    wait_for_presenter_style(page)
    expect(page.get_by_test_id("stPlotlyChart")).to_have_count(1, timeout=30_000)
    page.locator(".js-plotly-plot .gtitle", has_text="MEDVIA").wait_for(timeout=30_000)
    screenshot(page, "profile-medvia-presenter")
    assert axe_violations(page) == []
