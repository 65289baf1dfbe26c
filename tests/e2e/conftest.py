"""The real server on a free loopback port, driven by headless Debian Chromium through Playwright."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
        yield url, proc, log.name
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
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
    """Wait until Streamlit is connected and its script has finished (as Streamlit's own e2e suite does)."""
    page.wait_for_timeout(250)
    page.locator("[data-testid='stApp'][data-test-connection-state='CONNECTED']").wait_for(state="attached", timeout=timeout)
    page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(state="attached", timeout=timeout)


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
