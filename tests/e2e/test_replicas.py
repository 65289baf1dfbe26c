"""Two replicas behind nginx, sharing one data folder and a PostgreSQL state, signed in through the real OIDC provider.

Everything runs on loopback as ordinary processes: PostgreSQL from initdb, two ``python -m
clusterpolicy serve`` replicas, the media gate, and nginx on the configuration ``nginx-config``
writes. A browser's replica is chosen by its route cookie, so each test pins its people to a
replica by the cookie it hands them. The last test kills a replica.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from clusterpolicy import proxyconf
from tests.e2e.conftest import (
    CLIENT_SECRET,
    COOKIE_SECRET,
    ROOT,
    expect_run,
    free_port,
    oidc_provider,
    open_export_panel,
    pick,
    save_export,
    screenshot,
    serve,
    signin_secrets,
    wait_for_app_run,
)
from tests.e2e.proxy import nginx


def hold_port(port: int) -> socket.socket:
    """A socket bound to ``port`` on loopback (not listening), so that no other process is handed the port."""
    held = socket.socket()
    held.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    deadline = time.monotonic() + 30
    while True:
        try:
            held.bind(("127.0.0.1", port))
            return held
        except OSError:  # the killed process's socket is still being torn down
            assert time.monotonic() < deadline, f"port {port} did not come free after the replica was killed"
            time.sleep(0.05)


@contextlib.contextmanager
def media_gate(folder: Path, env: dict):
    port = free_port()
    log = open(folder / "gate.log", "w")  # noqa: SIM115 - written while it runs
    proc = subprocess.Popen(
        [sys.executable, "-m", "clusterpolicy", "media-gate", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    try:
        line = proc.stdout.readline()  # printed once it listens
        if "listening" not in line:
            pytest.fail(f"the media gate did not start: {line!r}; see {log.name}")
        yield f"127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(10)
        log.close()


@pytest.fixture(scope="module")
def cluster(seed_db, postgres_server, tmp_path_factory):
    """(proxy url, {replica address: process}, shared folder, environment) of the whole deployment."""
    folder = tmp_path_factory.mktemp("replicas")
    shutil.copyfile(seed_db, folder / "clusters.duckdb")
    port = free_port()
    proxy = f"http://127.0.0.1:{port}"
    with contextlib.ExitStack() as stack:
        issuer = stack.enter_context(oidc_provider(folder, f"{proxy}/oauth2callback"))
        secrets = folder / "secrets.toml"
        secrets.write_text(signin_secrets(f"{proxy}/oauth2callback", issuer), encoding="utf-8")
        env = {
            **os.environ,
            "CLUSTERPOLICY_DB": str(folder / "clusters.duckdb"),
            "CLUSTERPOLICY_APPSTATE_URL": postgres_server.url(postgres_server.new_schema()),
            "CLUSTERPOLICY_SECRETS": str(secrets),
            "CLUSTERPOLICY_AUTH_COOKIE_SECRET": COOKIE_SECRET,
            "CLUSTERPOLICY_AUTH_CLIENT_SECRET": CLIENT_SECRET,
        }
        replicas = {}
        for name in ("a", "b"):
            logs = folder / name
            logs.mkdir()
            url, proc, _log = stack.enter_context(
                serve(folder / "clusters.duckdb", logs, env=env, launcher=[sys.executable, "-m", "clusterpolicy", "serve"])
            )
            replicas[url.removeprefix("http://")] = proc
        gate = stack.enter_context(media_gate(folder, env))
        site = proxyconf.render(tuple(replicas), gate, listen=f"127.0.0.1:{port}")
        stack.enter_context(nginx(folder / "nginx", site, port))
        yield proxy, replicas, folder, env


def route_to(proxy: str, replica: str) -> str:
    """The replica cookie's value that pins a browser to ``replica`` (the proxy names replicas r1, r2, ...)."""
    for name in (f"r{i}" for i in range(1, 10)):
        request = urllib.request.Request(f"{proxy}/_stcore/health", headers={"Cookie": f"cp_replica={name}"})
        with urllib.request.urlopen(request, timeout=10) as answer:
            if answer.headers["X-Replica"] == replica:
                return name
    raise AssertionError(f"no replica cookie pins {replica}")


def person(browser, proxy: str, replica: str):
    """A browser context whose requests go to ``replica`` (through the proxy)."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="nl-BE", accept_downloads=True)
    context.add_cookies([{"name": "cp_replica", "value": route_to(proxy, replica), "url": proxy}])
    return context


def provider_login(page, login: str) -> None:
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("any password")
    page.locator("button[type=submit]").click()
    page.get_by_role("button", name="Continue").click()


def sign_in_at(page, url: str, login: str) -> None:
    page.goto(url)
    wait_for_app_run(page)
    page.get_by_role("button", name="Aanmelden").click()
    provider_login(page, login)
    base = re.match(r"https?://[^/]+", url).group(0)
    page.wait_for_url(lambda u: u.startswith(base) and "oauth2callback" not in u, timeout=60_000)
    wait_for_app_run(page)


def served_version(page) -> str:
    text = page.get_by_test_id("stSidebar").inner_text()
    return re.search(r"Dataversie (\w+)", text).group(1)


def test_a_link_opened_signed_out_lands_on_that_view_after_sign_in(browser, cluster):
    proxy, replicas, _, _ = cluster
    context = person(browser, proxy, next(iter(replicas)))
    page = context.new_page()
    page.goto(f"{proxy}/kpis?kpi_year=2022")
    wait_for_app_run(page)
    page.get_by_role("button", name="Aanmelden").click()
    provider_login(page, "vera")
    page.wait_for_url(re.compile(re.escape(proxy) + r"/kpis\?.*kpi_year=2022"), timeout=60_000)
    wait_for_app_run(page)
    expect(page.get_by_test_id("stPlotlyChart").first).to_be_visible(timeout=60_000)
    assert "Aangemeld als Vera Viewer" in page.get_by_test_id("stSidebar").inner_text()
    screenshot(page, "replicas-deep-link-after-sign-in")
    context.close()


def test_a_download_is_served_to_a_signed_in_browser_only(browser, cluster):
    proxy, replicas, _, _ = cluster
    context = person(browser, proxy, next(iter(replicas)))
    page = context.new_page()
    sign_in_at(page, f"{proxy}/kpis", "vera")
    page.goto(f"{proxy}/kpis")
    wait_for_app_run(page)
    open_export_panel(page)
    download = save_export(page, "Cijfers (CSV)", "csv")
    media = download.url
    assert "/media/" in media
    signed_in = context.request.get(media)
    assert signed_in.status == 200 and b"," in signed_in.body()
    stranger = browser.new_context()
    assert stranger.request.get(media).status == 401  # no sign-in: the proxy does not pass it on
    forged = browser.new_context(extra_http_headers={"Cookie": "_streamlit_user=eyJpc19sb2dnZWRfaW4iOiB0cnVlfQ.x.y"})
    assert forged.request.get(media).status == 401
    stranger.close()
    forged.close()
    context.close()


def test_an_import_on_one_replica_is_served_by_the_other_at_its_next_rerun(browser, cluster, tmp_path):
    proxy, replicas, _, _ = cluster
    a, b = replicas
    steward = person(browser, proxy, a)
    viewer = person(browser, proxy, b)
    on_a, on_b = steward.new_page(), viewer.new_page()
    sign_in_at(on_b, f"{proxy}/", "vera")
    before = served_version(on_b)
    sign_in_at(on_a, f"{proxy}/data", "stan")
    from tests.e2e.conftest import open_import_form

    open_import_form(on_a, proxy)
    upload = tmp_path / "bf.csv"
    upload.write_bytes(
        (ROOT / "data" / "seed" / "basic_funding.csv").read_bytes().replace(b"vil,2024,500000.00", b"vil,2024,430000.00", 1)
    )
    on_a.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(upload))
    on_a.get_by_role("button", name="Importeren als nieuwe dataversie").click()
    on_a.get_by_text("Geïmporteerd: dataversie").wait_for(timeout=60_000)
    imported = time.monotonic()
    after = served_version(on_a)
    assert after != before
    # the viewer's next rerun on the other replica (a click in the page) serves the new version
    on_b.keyboard.press("r")  # Streamlit's rerun shortcut
    expect(on_b.get_by_test_id("stSidebar")).to_contain_text(f"Dataversie {after}", timeout=30_000)
    print(f"import on {a} seen on {b} {time.monotonic() - imported:.2f} s after the import finished")
    # a data steward's restore on the other replica is served here at the next rerun
    steward_on_b = person(browser, proxy, b)
    restorer = steward_on_b.new_page()
    sign_in_at(restorer, f"{proxy}/data", "stan")
    restorer.goto(f"{proxy}/data")
    wait_for_app_run(restorer)
    with expect_run(restorer):
        restorer.get_by_role("tab", name="Importeren en versies").click()
    with expect_run(restorer):
        restorer.get_by_role("button", name="Terugzetten…").click()
    restorer.get_by_role("button", name="Ja, deze versie terugzetten").click()
    expect(restorer.get_by_test_id("stAlertContentSuccess")).to_contain_text(f"Versie {before} wordt nu getoond", timeout=30_000)
    steward_on_b.close()
    on_a.keyboard.press("r")
    expect(on_a.get_by_test_id("stSidebar")).to_contain_text(f"Dataversie {before}", timeout=30_000)
    steward.close()
    viewer.close()


def test_a_scenario_saved_on_one_replica_is_listed_opened_and_revised_on_the_other(browser, cluster, monkeypatch):
    from clusterpolicy.data import appstate_pg, library
    from clusterpolicy.model import scenarios
    from clusterpolicy.present import urlstate

    proxy, replicas, _, env = cluster
    a, b = replicas
    on_a_ctx, on_b_ctx = person(browser, proxy, a), person(browser, proxy, b)
    on_a, on_b = on_a_ctx.new_page(), on_b_ctx.new_page()
    sign_in_at(on_a, f"{proxy}/scenarios", "stan")
    mine = scenarios.ScenarioParams(name="Afbouw over twee replica's", share_end=0.3, last_year=2032)
    cs = urlstate.encode_scenarios([mine.to_dict()], scenarios.ScenarioParams().to_dict())
    on_a.goto(f"{proxy}/scenarios?" + urllib.parse.urlencode({"cs": cs, "sc": ["continuation", "custom_1"]}, doseq=True))
    wait_for_app_run(on_a)
    on_a.get_by_text("Teambibliotheek", exact=True).click()
    on_a.get_by_role("button", name="Bewaren in de bibliotheek").click()
    on_a.get_by_text("Bewaard in de teambibliotheek").wait_for(timeout=60_000)
    sid = re.search(r"\?s=([\w-]+)$", on_a.get_by_test_id("stCode").first.inner_text().strip()).group(1)

    sign_in_at(on_b, f"{proxy}/scenarios", "stan")
    on_b.get_by_text("Teambibliotheek", exact=True).click()
    on_b.get_by_text("Bewaarde scenario's", exact=True).wait_for(timeout=60_000)
    pick(on_b, "Scenario uit de bibliotheek", re.compile("Afbouw over twee replica's"))  # listed on B
    note = on_b.locator(".st-key-lib_edit_note textarea")
    note.fill("Herzien op de andere replica")
    on_b.get_by_role("button", name="Naam en toelichting bewaren (nieuwe revisie)").click()
    on_b.get_by_text("Bewaard als revisie 2").wait_for(timeout=60_000)

    monkeypatch.setenv("CLUSTERPOLICY_APPSTATE_URL", env["CLUSTERPOLICY_APPSTATE_URL"])
    try:
        revisions = library.revisions(sid)
        assert list(revisions["revision"]) == [2, 1]  # no gap, none twice
        assert list(revisions["note"]) == ["Herzien op de andere replica", ""]
    finally:
        appstate_pg.close_all()
    on_a_ctx.close()
    on_b_ctx.close()


def test_a_killed_replica_hands_the_presenter_to_the_other_and_the_page_stays_there_when_it_returns(browser, cluster):
    proxy, replicas, folder, env = cluster
    doomed, other = replicas
    pin = route_to(proxy, doomed)
    context = person(browser, proxy, doomed)
    page = context.new_page()
    sign_in_at(page, f"{proxy}/scenarios", "vera")
    sockets = []
    page.on("websocket", lambda ws: sockets.append(ws))
    page.goto(f"{proxy}/scenarios?present=1")
    wait_for_app_run(page)
    chart = page.get_by_test_id("stPlotlyChart").first
    expect(chart).to_be_visible(timeout=60_000)
    figures = (
        "() => [...document.querySelectorAll('.js-plotly-plot')].map(g => JSON.stringify(g.data.map(t => [t.name, t.x, t.y])))"
    )
    before = page.evaluate(figures)
    assert before
    launcher = replicas[doomed]  # `serve` runs Streamlit as its child: a lost node loses both at once
    server_pids = Path(f"/proc/{launcher.pid}/task/{launcher.pid}/children").read_text().split()
    for pid in [*map(int, server_pids), launcher.pid]:
        os.kill(pid, signal.SIGKILL)
    launcher.wait(10)
    killed = time.monotonic()
    # the dead replica's port is held (bound, not listening: nginx is still refused there) until it comes back:
    # a server another test starts meanwhile on a free port could otherwise be handed this one, and answer in
    # the replica's place (seen with the bench's servers running beside this test)
    port = int(doomed.rsplit(":", 1)[1])
    held = hold_port(port)
    opened = len(sockets)
    while len(sockets) == opened:  # the page's own reconnection: a new WebSocket, through the proxy
        assert time.monotonic() - killed < 60, "the page did not reconnect within 60 s"
        page.wait_for_timeout(50)  # lets the page's events in while polling for the new socket
    wait_for_app_run(page)
    expect(page.get_by_test_id("stPlotlyChart").first).to_be_visible(timeout=60_000)
    back = time.monotonic() - killed
    assert page.get_by_role("button", name="Aanmelden").count() == 0  # still signed in, on the other replica
    assert page.evaluate(figures) == before  # the same charts with the same data
    screenshot(page, "replicas-presenter-after-failover")
    assert context.request.get(f"{proxy}/_stcore/health").headers["x-replica"] == other
    print(f"presenter back {back:.2f} s after {doomed} was killed, now on {other}")

    # the replica comes back (a restart, or the next step of a rollout): the page's session stays where it is
    logs = folder / "a-again"
    logs.mkdir()
    held.close()
    with serve(folder / "clusters.duckdb", logs, port=port, env=env, launcher=[sys.executable, "-m", "clusterpolicy", "serve"]):
        deadline = time.monotonic() + 60
        while True:  # a request pinned to it: once it answers, the proxy has taken it back
            request = urllib.request.Request(f"{proxy}/_stcore/health", headers={"Cookie": f"cp_replica={pin}"})
            with urllib.request.urlopen(request, timeout=10) as answer:
                if answer.headers["X-Replica"] == doomed:
                    break
            assert time.monotonic() < deadline, "the returned replica was not taken back within 60 s"
            time.sleep(0.5)  # polling nginx until its fail_timeout has passed
        assert context.request.get(f"{proxy}/_stcore/health").headers["x-replica"] == other
        # Streamlit's page, reconnected to a server process that did not hold its session, shows the view but does
        # not act on its buttons (the same after a restart of a single server); a reload makes it whole again,
        # on the replica it moved to, and the view is in its link
        first = page.locator(".gtitle").first.text_content()
        page.reload()
        wait_for_app_run(page)
        page.get_by_role("button", name="Volgende").click()
        page.wait_for_function(
            "t => document.querySelector('.gtitle') && document.querySelector('.gtitle').textContent !== t",
            arg=first,
            timeout=30_000,
        )
        assert context.request.get(f"{proxy}/_stcore/health").headers["x-replica"] == other
        page.goto(f"{proxy}/scenarios")
        wait_for_app_run(page)
        # the page's first run has drawn it before its panel is opened (a click on a page still being drawn
        # after the failover can land on an element its run then replaces)
        expect(page.get_by_test_id("stPlotlyChart").first).to_be_visible(timeout=60_000)
        open_export_panel(page)
        expect(page.get_by_role("button", name="Cijfers (CSV)")).to_be_visible(timeout=60_000)
        download = save_export(page, "Cijfers (CSV)", "csv")
        assert context.request.get(download.url).status == 200  # its file, from the replica that made it
    context.close()


def test_the_load_run_through_the_proxy_loses_no_rerun():
    """``python -m bench.replicas`` in a small run: every rerun through nginx answered, with one replica and with two.

    Its figures (reruns per second) are the bench's to report; here only that nothing is lost or refused.
    """
    from bench import replicas

    out = replicas.main(["--sessions", "4", "--reruns", "3", "--rounds", "1"])
    for name in ("one", "two"):
        (result,) = out[name]
        assert (result["errors"], result["reruns"]) == (0, result["expected"]), result
    assert out["ratio_two_to_one"] > 0
