"""A data steward's yearly update in Chromium: download the whole data set, edit it, upload it, review the preview,
apply it as one version, see the confidentiality marking on every page (also in presenter mode), restore.

The server runs on loopback without sign-in, so its one user is a data steward (access mode "local").
Waits on Streamlit's own run state and on elements, never on fixed sleeps.
"""

from __future__ import annotations

import re
import shutil

import openpyxl
import pytest
from playwright.sync_api import expect

from clusterpolicy import i18n
from tests.test_workbook import DEFAULT_EN, DEFAULT_NL, steward_edit

from .conftest import expect_run, save_export, screenshot, serve, wait_for_app_run, wait_for_presenter_style
from .test_browser import axe_violations

PAGES = ("", "scenarios", "earmarked", "kpis", "cluster", "data")


@pytest.fixture()
def steward_app(seed_db, tmp_path):
    """The dashboard on its own copy of the data, served on loopback: the person at this computer is a data steward."""
    db = tmp_path / "clusters.duckdb"
    shutil.copyfile(seed_db, db)
    with serve(db, tmp_path) as (url, _proc, _log):
        yield url


def marking_banner(page):
    return page.get_by_test_id("stAlertContentWarning").filter(has_text=DEFAULT_NL)


def test_a_yearly_update_in_the_browser(page, steward_app, tmp_path):
    url = steward_app
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(url + "/data")
    wait_for_app_run(page)
    with expect_run(page):
        page.get_by_role("tab", name="Importeren en versies").click()
    expect(marking_banner(page)).to_have_count(0)
    # one download
    download = save_export(page, "Hele dataset downloaden (Excel)", "xlsx")
    original = tmp_path / "dataset.xlsx"
    download.save_as(original)
    # one edit, in several sheets at once
    wb = openpyxl.load_workbook(original)
    steward_edit(wb)
    edited = tmp_path / "jaarupdate-2025.xlsx"
    wb.save(edited)
    # one upload: the preview says what changes and what it does to the headline figures; nothing is served yet
    with expect_run(page):
        page.locator("input[type=file]").set_input_files(str(edited))
    plan = page.get_by_test_id("stAlertContentInfo").filter(has_text="Het bestand is in orde")
    expect(plan).to_contain_text("9 toegevoegd, 2 gewijzigd, 4 verwijderd", timeout=60_000)
    expect(page.get_by_text("Effect op de kerncijfers")).to_be_visible()
    expect(page.get_by_text("Niet in de werkmap")).to_have_count(0)  # every sheet is in it
    screenshot(page, "workbook-preview")
    expect(marking_banner(page)).to_have_count(0)
    with expect_run(page):
        page.get_by_role("button", name="Importeren als nieuwe dataversie").click()
    expect(page.get_by_test_id("stAlertContentSuccess")).to_contain_text("Geïmporteerd", timeout=60_000)
    expect(marking_banner(page)).to_have_count(1)
    # the form is cleared after the import: no file waits in it
    expect(page.get_by_test_id("stFileUploaderFile")).to_have_count(0)

    # the marking on every page, in both languages, and it stays in view when the page scrolls: the overview
    # opened from its link, the others through the sidebar's navigation, as a reader goes from page to page
    # (a fresh page load for each cost Chromium about three times as much)
    scrolled_pages = 0
    for lang, text in (("nl", DEFAULT_NL), ("en", DEFAULT_EN)):
        for path in PAGES:
            if not path:
                page.goto(f"{url}/?lang={lang}")
            else:
                with expect_run(page):
                    page.get_by_test_id("stSidebarNav").get_by_role("link", name=i18n.t(f"nav.{path}", lang)).click()
                expect(page).to_have_url(re.compile(rf"/{path}(\?|$)"), timeout=30_000)
            wait_for_app_run(page)
            banner = page.get_by_test_id("stAlertContentWarning").filter(has_text=text)
            expect(banner).to_have_count(1, timeout=30_000)
            # the banner's style comes in an st.html element, whose code the browser loads on its own: wait for it
            page.wait_for_function(
                "() => { const b = document.querySelector('.st-key-cp_marking');"
                " return b && getComputedStyle(b.parentElement).position === 'sticky'; }",
                timeout=30_000,
            )
            # scrolled to the end of the page, the banner is still at the top of the window
            taller, scrolled = page.evaluate(
                "() => { const m = document.querySelector('[data-testid=stMain]'); m.scrollTo(0, m.scrollHeight);"
                " return [m.scrollHeight > m.clientHeight + 50, m.scrollTop]; }"
            )
            box = banner.bounding_box()
            assert (scrolled > 0 or not taller) and box is not None and 0 <= box["y"] < 200, (path, lang, scrolled, box)
            scrolled_pages += bool(scrolled)
    assert scrolled_pages >= 8  # most pages are taller than the window: the check above is not vacuous
    screenshot(page, "workbook-marking-data-en")
    # presenter mode: the marking above the deck
    page.goto(f"{url}/scenarios?present=1")
    wait_for_app_run(page)
    wait_for_presenter_style(page)
    expect(marking_banner(page)).to_be_visible()
    screenshot(page, "workbook-marking-presenter")
    assert axe_violations(page) == []

    # one restore, after a confirmation that says what it changes
    page.goto(url + "/data")
    wait_for_app_run(page)
    with expect_run(page):
        page.get_by_role("tab", name="Importeren en versies").click()
    with expect_run(page):
        page.get_by_role("button", name="Terugzetten…").click()
    expect(page.get_by_text("Dit verandert per tabel")).to_be_visible()
    with expect_run(page):
        page.get_by_role("button", name="Ja, deze versie terugzetten").click()
    expect(page.get_by_test_id("stAlertContentSuccess")).to_contain_text("wordt nu getoond", timeout=30_000)
    page.goto(url + "/")
    wait_for_app_run(page)
    expect(marking_banner(page)).to_have_count(0)
