"""The real server on a free loopback port, driven by headless Debian Chromium through Playwright."""

from __future__ import annotations

import contextlib
import os
import queue
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import warnings
from pathlib import Path

import pytest
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
SHOTS = ROOT / "artifacts" / "screenshots"


def pytest_collection_modifyitems(items):
    for item in items:
        if "e2e" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Use the system Chromium (Playwright cannot download its own browser here)."""
    if not CHROMIUM:
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail("REQUIRE_BROWSER is set but no chromium was found")
        pytest.skip("no system Chromium; install it with: apt-get install -y chromium")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1600, "height": 1000}, "locale": "nl-BE"}


@pytest.fixture(scope="session")
def _tab(browser, browser_context_args):
    """One browser tab per test process, kept from test to test (see ``page``)."""
    context = browser.new_context(**browser_context_args)
    holder = {"page": context.new_page()}
    yield context, holder
    context.close()


@pytest.fixture()
def page(_tab, browser_context_args):
    """The tab a test drives: the process's one tab, handed over as a fresh context would hand it.

    Opening the dashboard in a new tab costs Chromium about 4 s of processor time (a new renderer
    compiles Streamlit's and Plotly's scripts again); the same tab going to the next address costs
    about 1.5 s, and the browser tests open well over a hundred first pages. Each test still starts
    on its own server session (``goto`` opens a new websocket), and after it the tab loses what a
    test may have changed: cookies (a sign-in), granted permissions, the window size and the page's
    own storage. A test that needs a second person or its own headers opens its own context.
    """
    context, holder = _tab
    if holder["page"].is_closed():
        holder["page"] = context.new_page()
    tab = holder["page"]
    yield tab
    if tab.is_closed():
        return
    with contextlib.suppress(Exception):  # a tab left mid-navigation may refuse; the next test's goto starts it over
        tab.evaluate("() => { try { localStorage.clear(); sessionStorage.clear(); } catch (e) {} }")
    context.clear_cookies()
    context.clear_permissions()
    tab.set_viewport_size(browser_context_args["viewport"])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _listens(pid: int, port: int) -> bool:
    """Whether the process ``pid`` or one of its children holds the listening socket on ``port`` (Linux /proc)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError), open(table) as f:
            for line in f.readlines()[1:]:
                fields = line.split()
                if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "0A":  # 0A: LISTEN
                    inodes.add(fields[9])
    pids = [pid]
    with contextlib.suppress(OSError):
        pids += [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    for p in pids:
        with contextlib.suppress(OSError):
            for fd in Path(f"/proc/{p}/fd").iterdir():
                with contextlib.suppress(OSError):
                    if os.readlink(fd).removeprefix("socket:[").removesuffix("]") in inodes:
                        return True
    return False


def _stop(proc: subprocess.Popen) -> None:
    """Ask a server to stop; kill it if it has not within 10 s."""
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


@contextlib.contextmanager
def serve(seed_db, log_dir: Path, address: str = "127.0.0.1", port: int | None = None, env: dict | None = None, launcher=None):
    """The dashboard's server on a free port, up once /_stcore/health answers; stopped afterwards.

    ``launcher`` is the command before the Streamlit options (default ``streamlit run dashboard.py``;
    the sign-in tests use ``python -m clusterpolicy serve``). The health check and the browser use
    127.0.0.1, which also reaches a server bound to 0.0.0.0.
    """
    port = port or free_port()
    log = open(log_dir / "streamlit.log", "w")
    env = {**os.environ, "CLUSTERPOLICY_DB": str(seed_db), **(env or {})}
    command = launcher or [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py")]
    proc = subprocess.Popen(
        [*command, f"--server.port={port}", f"--server.address={address}", "--server.headless=true"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"streamlit did not start; see {log.name}")
            time.sleep(0.3)
        if not _listens(proc.pid, port):  # an answer from another process that holds the port is not this server's
            pytest.fail(f"port {port} answers, but not from this server (pid {proc.pid}); see {log.name}")
        yield url, proc, log.name
    finally:
        _stop(proc)
        log.close()


@pytest.fixture(scope="session")
def app_url(seed_db, tmp_path_factory):
    """The server shared by the browser tests."""
    with serve(seed_db, tmp_path_factory.mktemp("server")) as (url, proc, log_name):
        _server["proc"], _server["log"] = proc, log_name
        yield url


_server: dict = {}


@pytest.fixture(autouse=True)
def _server_alive(request):
    """Fail with the server's own log when the server has died, instead of a bare 'connection refused'."""
    yield
    proc = _server.get("proc")
    if proc is not None and proc.poll() is not None:
        tail = Path(_server["log"]).read_text(errors="replace")[-3000:]
        pytest.fail(f"the streamlit server exited with {proc.returncode}; its log ends with:\n{tail}")


def wait_for_app_run(page, timeout: float = 60_000) -> None:
    """Wait until Streamlit is connected and no script run is going.

    Right after a page is opened this waits for its first run: until the first run begins, Streamlit's
    page says "initial", not "not running". After a click or a key in a page already open it cannot tell
    a run not yet begun from none at all: wrap such an action in ``expect_run``.
    """
    page.locator("[data-testid='stApp'][data-test-connection-state='CONNECTED']").wait_for(state="attached", timeout=timeout)
    page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(state="attached", timeout=timeout)


# Counts, in the page, the reruns it asks for and the runs that end. It wraps the WebSocket's send: Streamlit
# sends a widget's rerun (its BackMsg rerun_script, field 11, first byte 0x5a) a moment after the click, not
# during it, so the click's return says nothing about it. Each socket that sends is also listened to for
# ForwardMsg.script_finished (field 6; status 2, ended early for a newer rerun, does not count). Installed on
# the first call in a document; returns the reruns asked for so far.
_RUN_PROBE = """() => {
  if (window.__runs) return window.__runs.asked;
  const runs = window.__runs = {asked: 0, lastAsked: 0, lastEnded: 0, seq: 0};
  const bytes = data => data instanceof ArrayBuffer ? new Uint8Array(data)
    : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : null;
  const ended = b => {  // the status in a ForwardMsg's script_finished, or -1
    let i = 0;
    const varint = () => { let v = 0, f = 1, x; do { x = b[i++]; v += (x & 127) * f; f *= 128; } while (x & 128); return v; };
    while (i < b.length) {
      const tag = varint(), field = Math.floor(tag / 8), type = tag & 7;
      if (type === 0) { const v = varint(); if (field === 6) return v; }
      else if (type === 2) { const n = varint(); i += n; }  // not i += varint(): that adds to i as it was before the length
      else if (type === 1) i += 8;
      else if (type === 5) i += 4;
      else return -1;
    }
    return -1;
  };
  const heard = new WeakSet();
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    if (!heard.has(this)) {
      heard.add(this);
      this.addEventListener('message', e => {
        const b = bytes(e.data), status = b ? ended(b) : -1;
        if (status >= 0 && status !== 2) runs.lastEnded = ++runs.seq;
      });
    }
    const b = bytes(data);
    if (b && b[0] === 0x5a) { runs.asked += 1; runs.lastAsked = ++runs.seq; }
    return send.call(this, data);
  };
  return 0;
}"""

# True once a rerun was asked for after ``before`` and a run has ended since the last one asked for; in a
# document opened since (a navigation), once its first run has ended.
_RUN_DONE = """before => {
  const app = document.querySelector("[data-testid='stApp']");
  if (!app || app.dataset.testConnectionState !== 'CONNECTED' || app.dataset.testScriptState !== 'notRunning') return false;
  const runs = window.__runs;
  return !runs || (runs.asked > before && runs.lastEnded > runs.lastAsked);
}"""


# True once the page has asked for a rerun after ``before`` (or a document opened since is running its first)
_RUN_ASKED = "before => !window.__runs || window.__runs.asked > before"


@contextlib.contextmanager
def expect_run(page, timeout: float = 60_000, asked_within: float | None = None):
    """Wait, after the block, for the run that an action in it asks for to end (``with expect_run(page): click()``).

    Waits for the page to ask for a rerun and for a run to end after it; an action that asks for none times out,
    after ``asked_within`` ms when given (a click that may be lost, and is then made again), else ``timeout``.
    """
    before = page.evaluate(_RUN_PROBE)
    yield
    if asked_within is not None:
        page.wait_for_function(_RUN_ASKED, arg=before, timeout=asked_within)
    page.wait_for_function(_RUN_DONE, arg=before, timeout=timeout)


def pick(page, label: str, option, timeout: float = 60_000, last: bool = False) -> None:
    """Pick ``option`` (a name or a pattern) in the selectbox labelled ``label`` (the last such box with ``last``),
    then wait for the run it starts (none when it was chosen already).

    A rerun that starts while the list is open (a sign-in's last run, a kept value handed over) closes the
    list or draws the box anew; then the list is opened again, until ``timeout``. The box is brought to the
    middle of the window first: at its lower edge the list opened off screen and closed again.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    boxes = page.get_by_test_id("stSelectbox").filter(has_text=label)
    box = boxes.last if last else boxes.first
    choice = page.get_by_role("option", name=option, exact=isinstance(option, str))
    deadline = time.monotonic() + timeout / 1000
    while True:
        wait_for_app_run(page, timeout)
        box.evaluate("node => node.scrollIntoView({block: 'center'})")
        box.click()
        try:
            choice.wait_for(timeout=5_000)
            if choice.get_attribute("aria-selected") == "true":  # chosen already: the list closes, nothing runs
                choice.click(timeout=5_000)
            else:
                with expect_run(page, timeout):
                    choice.click(timeout=5_000)
            break
        except PlaywrightTimeout:
            if time.monotonic() > deadline:
                raise
            page.keyboard.press("Escape")


def wait_for_presenter_style(page, timeout: float = 30_000) -> None:
    """Wait until the presenter mode's style has hidden the sidebar.

    The style comes in an st.html element whose code Streamlit loads as a separate chunk the first time
    one is drawn, so on a fresh page the chart can be on screen a moment before the sidebar goes.
    """
    page.get_by_test_id("stSidebar").wait_for(state="hidden", timeout=timeout)


def screenshot(page, name: str) -> Path:
    """Save a screenshot under artifacts/screenshots (kept out of git) and return its path."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


# ---------------------------------------------------------------- sign-in against a real OpenID Connect provider

OIDC_DIR = ROOT / "tests" / "oidc"
NODE = shutil.which("node")
CLIENT_ID = "cluster-dashboard"
CLIENT_SECRET = "client-secret-from-the-environment"
COOKIE_SECRET = "cookie-secret-from-the-environment-0123456789"


def _need_provider():
    if NODE and (OIDC_DIR / "node_modules" / "oidc-provider").is_dir():
        return
    message = "the test OIDC provider is not installed: run `npm ci --prefix tests/oidc` (needs Node.js 20)"
    if os.environ.get("REQUIRE_BROWSER"):
        pytest.fail(message)
    pytest.skip(message)


@contextlib.contextmanager
def oidc_provider(log_dir: Path, redirect_uri: str):
    """The provider on a free loopback port; up once it prints "ready" (or failed with its output)."""
    _need_provider()
    port = free_port()
    proc = subprocess.Popen(
        [NODE, str(OIDC_DIR / "provider.mjs"), str(port), CLIENT_ID, CLIENT_SECRET, redirect_uri, redirect_uri],
        cwd=OIDC_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue = queue.Queue()
    log = open(log_dir / "oidc.log", "w")

    def pump():
        for line in proc.stdout:
            log.write(line)
            log.flush()
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    try:
        while True:
            try:
                line = lines.get(timeout=60)
            except queue.Empty:
                pytest.fail("the OIDC provider did not start within 60 s")
            if line is None:
                pytest.fail(f"the OIDC provider exited; see {log.name}")
            if line.startswith("ready "):
                break
        yield line.split()[1]
    finally:
        _stop(proc)
        log.close()


def signin_secrets(redirect: str, issuer: str) -> str:
    """The secrets file of a dashboard with sign-in through the test provider (the cookie and client secrets come
    from the environment, as a deployment's do)."""
    return f"""
[auth]
redirect_uri = "{redirect}"
client_id = "{CLIENT_ID}"
server_metadata_url = "{issuer}/.well-known/openid-configuration"
client_kwargs = {{ prompt = "login", scope = "openid email profile groups" }}

[access]
role_claim = "groups"
viewer_groups = ["cabinet"]
steward_groups = ["data-stewards"]
steward_emails = ["lead@kabinet.example"]
contact = "het datateam, data@kabinet.example"
"""


@pytest.fixture(scope="session")
def signin_app(seed_db, tmp_path_factory):
    """(url, data folder): the dashboard with sign-in, on its own copy of the data."""
    folder = tmp_path_factory.mktemp("signin")
    db = folder / "clusters.duckdb"
    shutil.copyfile(seed_db, db)
    port = free_port()
    redirect = f"http://127.0.0.1:{port}/oauth2callback"
    with oidc_provider(folder, redirect) as issuer:
        secrets = folder / "secrets.toml"
        secrets.write_text(
            signin_secrets(redirect, issuer),
            encoding="utf-8",
        )
        env = {
            "CLUSTERPOLICY_SECRETS": str(secrets),
            "CLUSTERPOLICY_AUTH_COOKIE_SECRET": COOKIE_SECRET,
            "CLUSTERPOLICY_AUTH_CLIENT_SECRET": CLIENT_SECRET,
        }
        launcher = [sys.executable, "-m", "clusterpolicy", "serve"]
        with serve(db, folder, port=port, env=env, launcher=launcher) as (url, _proc, _log):
            yield url, folder


def sign_in(page, url: str, login: str) -> None:
    """The whole browser flow: the dashboard's button, the provider's login and consent, back to the dashboard."""
    page.goto(url)
    wait_for_app_run(page)
    page.get_by_role("button", name="Aanmelden").click()
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("any password")
    page.locator("button[type=submit]").click()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(re.escape(url) + r"/?(\?.*)?$"), timeout=60_000)
    wait_for_app_run(page)


def open_import_form(page, url: str) -> None:
    """The data page's import tab with the basic-funding table chosen."""
    page.goto(url + "/data")
    wait_for_app_run(page)
    with expect_run(page):
        page.get_by_role("tab", name="Importeren en versies").click()
    with expect_run(page):
        page.get_by_test_id("stButtonGroup").get_by_text("Eén tabel", exact=True).click()  # the form opens on the whole workbook
    page.get_by_test_id("stSelectbox").filter(has_text="Tabel").last.wait_for(timeout=30_000)  # the rerun drew the form
    pick(page, "Tabel", "basic_funding", last=True)  # the import form's table choice is the last "Tabel" box
    box = page.get_by_test_id("stSelectbox").filter(has_text="Tabel").last
    expect(box.get_by_role("combobox")).to_have_value("basic_funding", timeout=30_000)


# the "take this view along" panel, in either language
EXPORT_PANEL = re.compile(r"^(Deze weergave meenemen|Take this view with you)$")

# Kept on the page from the panel's opening: its openings and closings, the page's run and connection states,
# and each click and key with its target (after the page's own handlers: a target they replaced shows as
# detached). It is what save_export reports when the panel no longer shows the button it is about to click.
_PANEL_LOG = """() => {
  if (window.__panelLog) return;
  const log = window.__panelLog = [];
  const t0 = performance.now();
  const at = () => `${Math.round(performance.now() - t0)} ms`;
  const name = n => !n || n.nodeType !== 1 ? String(n)
    : n.tagName.toLowerCase() + (n.closest('[data-testid]') ? ` in ${n.closest('[data-testid]').dataset.testid}` : '')
      + (n.isConnected ? '' : ' (detached)');
  document.addEventListener('click', e => log.push(`${at()} click on ${name(e.target)}`));
  document.addEventListener('keydown', e => log.push(`${at()} key ${e.key}`), true);
  new MutationObserver(changes => {
    for (const c of changes) {
      const value = c.target.getAttribute(c.attributeName);
      if (c.attributeName === 'aria-expanded' && c.target.dataset.testid === 'stPopoverButton') log.push(`${at()} panel ${value === 'true' ? 'opened' : 'closed'}`);
      if (c.attributeName === 'data-test-script-state') log.push(`${at()} run ${value}`);
      if (c.attributeName === 'data-test-connection-state') log.push(`${at()} connection ${value}`);
    }
  }).observe(document.body, {attributes: true, subtree: true,
    attributeFilter: ['aria-expanded', 'data-test-script-state', 'data-test-connection-state']});
}"""


def open_export_panel(page, timeout: float = 60_000) -> None:
    """Open the "take this view along" panel and wait until the run that fills it has drawn its buttons."""
    wait_for_app_run(page, timeout)
    page.evaluate(_PANEL_LOG)
    with expect_run(page, timeout):
        page.get_by_role("button", name=EXPORT_PANEL).click()
    page.get_by_test_id("stPopoverBody").get_by_role("button").first.wait_for(timeout=timeout)


def _restore_panel(page, label) -> None:
    """Open the export panel again when ``label`` has not been on the page for 10 s and no step of the test changed it.

    Seen in one test only, under load, after a failover (two CI runs): the panel drew its buttons, and then for
    30-60 s no button of that name was on the page. The first time the panel was taken to have closed;
    the second time it had not (``aria-expanded`` was not "false"), so it was open and empty, or not there. The
    warning (in pytest's summary) carries what the page showed and the panel's log, so a run that meets it tells
    more; the panel is then closed (if open) and opened again, as a reader would.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    # a button the run has just drawn can reach the page a moment after the run's end (a tab's content, once,
    # under load): wait for it before taking it as gone
    with contextlib.suppress(PlaywrightTimeout):
        page.get_by_role("button", name=label).first.wait_for(timeout=10_000)
        return
    panel = page.get_by_role("button", name=EXPORT_PANEL)
    panels = panel.count()
    expanded = panel.first.get_attribute("aria-expanded") if panels else None
    seen = {
        "panel buttons": panels,
        "aria-expanded": expanded,
        "panel body": page.get_by_test_id("stPopoverBody").all_inner_texts(),
        "app": page.evaluate(
            "() => { const a = document.querySelector('[data-testid=stApp]');"
            " return a && [a.dataset.testScriptState, a.dataset.testConnectionState]; }"
        ),
    }
    log = page.evaluate("() => window.__panelLog || ['(no log: the panel was not opened through open_export_panel)']")
    warnings.warn(
        f"the page showed no {label!r} for 10 s; panel opened again if any. The page: {seen}. Its log: {log}", stacklevel=3
    )
    if not panels:
        return  # no panel to open (a download of the data page's, drawn in a tab): the click waits and tries again
    if expanded == "true":
        with contextlib.suppress(PlaywrightTimeout), expect_run(page, asked_within=10_000):
            panel.first.click()  # closes it: the panel's on_change asks for a run
    open_export_panel(page)


def save_export(page, label, extension: str, timeout: int = 60_000):
    """Click the export button named ``label`` (text or pattern), wait for the file to be made and save it.

    The panel makes the file in the page's run and then offers it: "<file> opslaan (n kB)" in
    Dutch, "Save <file> (n kB)" in English. Returns Playwright's download.

    The click waits for the page's run to end first (a button drawn by a run still going can be drawn anew,
    and a click on the old one is lost). When the click asks for no run within 10 s, or its run ends and no
    file is offered, it is taken as lost and made again, until ``timeout``: making a file again replaces the one offered.
    An export panel that no longer shows the button is opened again, with a warning (see ``_restore_panel``).
    A maker that fails shows its reference instead, and this still times out.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    ready = re.compile(rf"(\.{re.escape(extension)} opslaan|^Save .*\.{re.escape(extension)}) \(\d+ kB\)")
    save = page.get_by_role("button", name=ready)
    deadline = time.monotonic() + timeout / 1000
    while True:
        wait_for_app_run(page, timeout)
        _restore_panel(page, label)
        try:
            with expect_run(page, timeout, asked_within=10_000):
                page.get_by_role("button", name=label).click(timeout=10_000)
            save.wait_for(timeout=5_000)
            break
        except PlaywrightTimeout:
            if time.monotonic() > deadline:
                raise
    with page.expect_download(timeout=timeout) as info:
        save.click()
    return info.value
