"""nginx for the tests: the repository's site configuration inside a main file of the test's own, run in the foreground.

No system service: nginx runs with a prefix folder in the test's temporary folder, on a free
loopback port, and stops with the test. As root (CI) its workers run as root too, so they can read
the temporary folders pytest makes for root only.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest


def nginx_binary() -> str | None:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if found is None and os.environ.get("REQUIRE_BROWSER"):
        pytest.fail("REQUIRE_BROWSER is set but nginx was not found (Debian: nginx-light)")
    return found


def main_config(prefix: Path, site: Path) -> Path:
    """A main nginx.conf that keeps everything in ``prefix`` and includes the site file."""
    for sub in ("logs", "tmp"):
        (prefix / sub).mkdir(exist_ok=True)
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf = prefix / "nginx.conf"
    conf.write_text(
        f"""{user}daemon off;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log info;
events {{ worker_connections 1024; }}
http {{
    access_log {prefix}/logs/access.log;
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;
    include {site};
}}
""",
        encoding="utf-8",
    )
    return conf


@contextlib.contextmanager
def nginx(prefix: Path, site_text: str, port: int):
    """nginx on 127.0.0.1:``port`` with this site configuration, up once it answers; stopped afterwards."""
    binary = nginx_binary()
    if binary is None:
        pytest.skip("nginx is not installed (Debian: nginx-light)")
    prefix.mkdir(parents=True, exist_ok=True)
    site = prefix / "site.conf"
    site.write_text(site_text, encoding="utf-8")
    conf = main_config(prefix, site)
    log = open(prefix / "logs" / "nginx.out", "w")  # noqa: SIM115 - written while it runs
    proc = subprocess.Popen([binary, "-p", str(prefix), "-c", str(conf)], stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    try:
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2)
                break
            except urllib.error.HTTPError:
                break  # it answers (a replica may not be up yet)
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"nginx did not start: {(prefix / 'logs' / 'error.log').read_text()[-2000:]}")
            time.sleep(0.1)  # polling for the port to answer
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
