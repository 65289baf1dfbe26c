"""Sign-in against a real OpenID Connect provider on loopback (panva's oidc-provider), in headless Chromium.

The dashboard runs as deployed: ``python -m clusterpolicy serve`` with a secrets file that holds no
secret; the cookie and client secret come from the environment. Also the default mode without sign-in:
on 127.0.0.1 the local user is a data steward; on another address nobody changes data from the browser.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import time
from pathlib import Path

import pytest

from clusterpolicy.data import audit, store
from tests.e2e.conftest import ROOT, expect_run, open_import_form, save_export, screenshot, serve, sign_in, wait_for_app_run


@pytest.fixture()
def ws_frames(page):
    """Every websocket message the server sends to this page, as bytes."""
    frames: list[bytes] = []

    def on_socket(ws):
        ws.on("framereceived", lambda payload: frames.append(payload if isinstance(payload, bytes) else payload.encode()))

    page.on("websocket", on_socket)
    yield frames
    page.remove_listener("websocket", on_socket)  # the tab goes on to the next test


def data_words(folder: Path) -> list[bytes]:
    """Strings only the data put on a page: the data version and the clusters' names."""
    from clusterpolicy.data.db import connect, run_query

    with connect(folder / "clusters.duckdb") as database:
        version = run_query(database, "data_version")["version"].iloc[0]
        names = run_query(database, "clusters")["name"].tolist()
    return [version.encode(), *(n.encode() for n in names)]


def test_a_signed_out_visitor_is_sent_nothing_of_the_data(page, signin_app, ws_frames):
    url, folder = signin_app
    for path in ("", "/scenarios", "/data?data_table=basic_funding", "/kpis", "/cluster?c=vil"):
        page.goto(url + path)
        wait_for_app_run(page)
        page.get_by_role("button", name="Aanmelden").wait_for()
    screenshot(page, "signin-signed-out")
    assert ws_frames, "no websocket message was seen"
    sent = b"".join(ws_frames) + page.content().encode()
    leaked = [w for w in data_words(folder) if w in sent]
    assert not leaked, leaked
    assert page.get_by_test_id("stPlotlyChart").count() == 0 and page.get_by_test_id("stDataFrame").count() == 0


def test_a_viewer_sees_the_figures_but_cannot_import_even_by_replaying_a_stewards_click(browser, signin_app):
    url, folder = signin_app
    steward_ctx = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="nl-BE")
    viewer_ctx = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="nl-BE")
    try:
        # the steward loads a valid file and clicks "import"; the message that click sends is kept
        steward = steward_ctx.new_page()
        sent: list[bytes] = []
        steward.on("websocket", lambda ws: ws.on("framesent", lambda p: sent.append(p if isinstance(p, bytes) else p.encode())))
        sign_in(steward, url, "stan")
        open_import_form(steward, url)
        good = folder / "good.csv"
        good.write_bytes(_good_file())
        steward.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(good))
        steward.get_by_role("button", name="Importeren als nieuwe dataversie").wait_for(timeout=60_000)
        before_click = len(sent)

        # the viewer signs in and sees figures, and no import form
        viewer = viewer_ctx.new_page()
        server_side: dict = {}

        from_server: list = []

        def route(ws):
            # the viewer's socket, passed through both ways, with a handle to send the server one more message
            server = ws.connect_to_server()
            server.on_message(lambda message: (from_server.append(message), ws.send(message)))
            server_side["ws"] = server

        viewer.route_web_socket(re.compile(r".*/_stcore/stream"), route)
        sign_in(viewer, url, "vera")
        viewer.get_by_test_id("stPlotlyChart").first.wait_for()
        assert "Aangemeld als Vera Viewer · lezer" in viewer.get_by_test_id("stSidebar").inner_text()
        viewer.goto(url + "/data")
        wait_for_app_run(viewer)
        assert viewer.get_by_role("tab", name="Importeren en versies").count() == 0
        assert viewer.get_by_test_id("stFileUploaderDropzoneInput").count() == 0
        screenshot(viewer, "signin-viewer-data")

        # the steward's click, then sent in the viewer's session (the steward's page is left as it is)
        served_before = store_served(folder)
        with expect_run(steward):
            steward.get_by_role("button", name="Importeren als nieuwe dataversie").click()
        click = [m for m in sent[before_click:] if m]
        assert click, "the steward's click sent no message"
        steward_ctx.close()  # the steward's own import may have gone through; the viewer's replay must not add one
        served_after_steward = store_served(folder)
        assert served_after_steward != served_before
        heard = len(from_server)
        for message in click:
            server_side["ws"].send(message)
        # the server took the replayed message into the viewer's session and ran the page for it
        deadline = time.monotonic() + 60
        while len(from_server) == heard and time.monotonic() < deadline:
            viewer.wait_for_timeout(100)  # lets Playwright deliver the socket's messages while the loop waits for them
        assert len(from_server) > heard, "the server did not answer the replayed message"
        wait_for_app_run(viewer)
        viewer.get_by_role("tab", name="Bronnen").wait_for()
        assert store_served(folder) == served_after_steward
        trail = trail_of(folder)
        imports = trail[(trail.action == "import") & (trail.via == "web")]
        assert list(imports.email) == ["stan@kabinet.example"]  # only the steward's own import
        assert viewer.get_by_test_id("stFileUploaderDropzoneInput").count() == 0
    finally:
        for ctx in (steward_ctx, viewer_ctx):
            with contextlib.suppress(Exception):
                ctx.close()


def test_a_steward_imports_and_the_trail_shows_their_email_then_signs_out(page, signin_app, tmp_path):
    url, folder = signin_app
    sign_in(page, url, "stan")
    open_import_form(page, url)
    assert "Aangemeld als Stan Steward · databeheerder" in page.get_by_test_id("stSidebar").inner_text()
    good = tmp_path / "steward.csv"
    good.write_bytes(_good_file(amount=b"420000.00"))
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(good))
    page.get_by_role("button", name="Importeren als nieuwe dataversie").click()
    page.get_by_text("Geïmporteerd: dataversie").wait_for(timeout=60_000)
    with expect_run(page):
        page.get_by_role("tab", name="Audittrail").click()
    page.get_by_test_id("stDataFrame").first.wait_for()
    screenshot(page, "signin-steward-audit")
    trail = trail_of(folder)
    first = trail.iloc[0]
    assert (first.action, first.outcome, first.email, first.file_name) == (
        "import",
        "done",
        "stan@kabinet.example",
        "steward.csv",
    )
    assert "sign_in" in set(trail[trail.email == "stan@kabinet.example"].action)
    # the download holds the same trail
    download = save_export(page, re.compile("Audittrail downloaden"), "csv")
    text = Path(download.path()).read_bytes().decode("utf-8-sig")
    assert "stan@kabinet.example" in text and "steward.csv" in text

    # sign-out: through the provider's logout page, back to the sign-in page; the session is over
    page.get_by_role("button", name="Afmelden").click()
    page.get_by_role("button", name=re.compile("Yes, sign me out", re.I)).click()
    page.get_by_role("button", name="Aanmelden").wait_for(timeout=60_000)
    page.goto(url + "/scenarios")
    wait_for_app_run(page)
    page.get_by_role("button", name="Aanmelden").wait_for()
    assert page.get_by_test_id("stPlotlyChart").count() == 0
    assert "sign_out" in set(trail_of(folder).action)


def test_no_role_and_an_unverified_address_get_no_figures(page, signin_app):
    url, _ = signin_app
    sign_in(page, url, "nina")
    assert "nina@elders.example" in page.get_by_test_id("stAlert").first.inner_text()
    assert "data@kabinet.example" in page.get_by_test_id("stMain").inner_text()
    assert page.get_by_test_id("stPlotlyChart").count() == 0
    screenshot(page, "signin-no-role")
    page.get_by_role("button", name="Afmelden").click()
    page.get_by_role("button", name=re.compile("Yes, sign me out", re.I)).click()
    # an allow-listed address that the provider says is unverified gives no role
    sign_in(page, url, "mallory")
    assert page.get_by_test_id("stPlotlyChart").count() == 0
    assert "lead@kabinet.example" in page.get_by_test_id("stAlert").first.inner_text()


def test_without_sign_in_on_another_address_nobody_changes_data(page, seed_db, tmp_path):
    folder = tmp_path
    db = folder / "clusters.duckdb"
    shutil.copyfile(seed_db, db)
    with serve(db, folder, address="0.0.0.0") as (url, _proc, _log):
        page.goto(url + "/data")
        wait_for_app_run(page)
        sidebar = page.get_by_test_id("stSidebar").inner_text()
        assert "Zonder aanmelding · alleen lezen" in sidebar and "bereikbaar zonder aanmelding" in sidebar
        assert page.get_by_role("tab", name="Importeren en versies").count() == 0
        assert "niet via de browser" in page.get_by_test_id("stMain").inner_text()
        page.goto(url + "/")
        wait_for_app_run(page)
        page.get_by_test_id("stPlotlyChart").first.wait_for()  # viewers still see the figures
        screenshot(page, "signin-exposed")


def test_without_sign_in_on_loopback_the_local_user_is_a_steward(page, app_url):
    page.goto(app_url + "/data")
    wait_for_app_run(page)
    assert "Lokaal gebruik · databeheerder" in page.get_by_test_id("stSidebar").inner_text()
    with expect_run(page):
        page.get_by_role("tab", name="Importeren en versies").click()
    page.get_by_test_id("stFileUploaderDropzoneInput").wait_for(state="attached")


def _good_file(amount: bytes = b"410000.00") -> bytes:
    seed = (ROOT / "data" / "seed" / "basic_funding.csv").read_bytes()
    return seed.replace(b"vil,2024,500000.00", b"vil,2024," + amount, 1)


def store_served(folder: Path) -> str:
    with _data_in(folder):
        return str(store.served_path())


def trail_of(folder: Path):
    with _data_in(folder):
        return audit.events()


@contextlib.contextmanager
def _data_in(folder: Path):
    old = os.environ.get("CLUSTERPOLICY_DB")
    os.environ["CLUSTERPOLICY_DB"] = str(folder / "clusters.duckdb")
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("CLUSTERPOLICY_DB", None)
        else:
            os.environ["CLUSTERPOLICY_DB"] = old


def test_a_forged_identity_cookie_is_not_a_sign_in(browser, signin_app):
    """A cookie that claims a data steward's identity, not signed with the server's secret, changes nothing."""
    url, folder = signin_app
    ctx = browser.new_context(locale="nl-BE")
    try:
        forged = '{"is_logged_in": true, "sub": "stan", "email": "stan@kabinet.example", "groups": ["data-stewards"]}'
        ctx.add_cookies([{"name": "_streamlit_user", "value": forged, "url": url}])
        page = ctx.new_page()
        page.goto(url + "/data")
        wait_for_app_run(page)
        page.get_by_role("button", name="Aanmelden").wait_for()
        assert page.get_by_role("tab", name="Importeren en versies").count() == 0
        assert page.get_by_test_id("stDataFrame").count() == 0
    finally:
        ctx.close()


def test_a_loopback_server_behind_a_proxy_is_not_local(browser, app_url):
    """A request with forwarding headers came through a proxy: someone elsewhere, so no data change and a warning."""
    ctx = browser.new_context(locale="nl-BE", extra_http_headers={"X-Forwarded-For": "203.0.113.7"})
    try:
        page = ctx.new_page()
        page.goto(app_url + "/data")
        wait_for_app_run(page)
        assert "Zonder aanmelding · alleen lezen" in page.get_by_test_id("stSidebar").inner_text()
        assert page.get_by_role("tab", name="Importeren en versies").count() == 0
    finally:
        ctx.close()
