"""The ranges section in Chromium: both languages with axe-core, its range editor open, a range moved by the keyboard reaching the link."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import expect_run, screenshot
from .test_browser import axe_violations, link_has, open_page

EDIT = {"nl": "De bandbreedtes aanpassen", "en": "Change the ranges"}
SENTENCE = {"nl": "In 9 van de 10 mogelijke toekomsten", "en": "In 9 of 10 possible futures"}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_ranges_section_reads_and_is_accessible_with_its_editor_open(page, app_url, lang):
    # the chance per year and a fan per compared scenario
    open_page(page, f"{app_url}/scenarios?sc_view=ranges&sc_uceil=3.0&lang={lang}", 3)
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text(SENTENCE[lang]).first).to_be_visible()
    with expect_run(page):
        page.get_by_text(EDIT[lang], exact=True).click()
    sliders = page.get_by_role("slider")
    expect(sliders.first).to_be_visible(timeout=30_000)
    assert sliders.count() == 14  # two ends of seven ranges
    screenshot(page, f"ranges-{lang}")
    assert axe_violations(page) == []
    if lang == "nl":
        # the lower end of the first range (the cap's indexation) one step down, by the keyboard: into the link
        sliders.first.focus()
        with expect_run(page):
            sliders.first.press("ArrowLeft")
        link_has(page, "sc_u_cap_indexation=-1.25~1.0")
        expect(main.get_by_text("door de gebruiker aangepast").first).to_be_visible(timeout=30_000)
