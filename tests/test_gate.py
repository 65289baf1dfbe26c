"""The proxy's sign-in check for downloads and the nginx configuration it belongs to.

The cookies here are signed the way Streamlit signs its identity cookie (itsdangerous' timed
serializer, salted with the cookie's name); the browser test through nginx (tests/e2e/test_replicas.py)
checks the gate against the real Streamlit's cookie.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from itsdangerous import URLSafeTimedSerializer

from clusterpolicy import gate, proxyconf
from clusterpolicy.data.access import AccessConfig

ROOT = Path(__file__).resolve().parents[1]
SECRET = "a-cookie-secret-of-the-deployment-0123456789"
CONFIG = AccessConfig.from_mapping({"viewer_groups": ["cabinet"], "steward_groups": ["data-stewards"]})
VERA = {"sub": "vera", "email": "vera@kabinet.example", "email_verified": True, "groups": ["cabinet"], "is_logged_in": True}


def signed(name: str, value: str, secret: str = SECRET) -> str:
    return URLSafeTimedSerializer(secret, salt=name).dumps(value)


def header(**cookies: str) -> str:
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def test_a_valid_sign_in_with_a_role_passes():
    assert gate.verdict(
        header(_streamlit_xsrf="x", _streamlit_user=signed("_streamlit_user", json.dumps(VERA))), SECRET, CONFIG
    ) == (
        True,
        "signed in with a role",
    )


def test_a_long_identity_split_into_chunks_is_put_together():
    body = json.dumps(VERA)
    parts = {
        f"_streamlit_user_{i + 1}": signed(f"_streamlit_user_{i + 1}", body[i * 20 : (i + 1) * 20])
        for i in range(-(-len(body) // 20))
    }
    cookies = {"_streamlit_user": signed("_streamlit_user", f"chunks-{len(parts)}"), **parts}
    assert gate.verdict(header(**cookies), SECRET, CONFIG)[0]
    del cookies["_streamlit_user_2"]
    assert gate.verdict(header(**cookies), SECRET, CONFIG) == (False, "no valid sign-in")


@pytest.mark.parametrize(
    "cookie, reason",
    [
        ("", "no valid sign-in"),
        (
            header(_streamlit_user=signed("_streamlit_user", json.dumps(VERA), secret="another-deployments-secret")),
            "no valid sign-in",
        ),
        (header(_streamlit_user=signed("_streamlit_user", json.dumps({**VERA, "is_logged_in": False}))), "no valid sign-in"),
        (
            header(_streamlit_user=signed("_streamlit_user_tokens", json.dumps(VERA))),
            "no valid sign-in",
        ),  # another cookie's value
        (header(_streamlit_user=json.dumps(VERA)), "no valid sign-in"),  # not signed at all
        (
            header(_streamlit_user=signed("_streamlit_user", json.dumps({**VERA, "groups": []}))),
            "signed in as vera@kabinet.example without a role",
        ),
    ],
    ids=["none", "other-secret", "logged-out", "other-salt", "unsigned", "no-role"],
)
def test_anything_else_is_refused_with_its_reason(cookie, reason):
    assert gate.verdict(cookie, SECRET, CONFIG) == (False, reason)


def test_an_identity_older_than_streamlits_cookie_is_refused(monkeypatch):
    value = signed("_streamlit_user", json.dumps(VERA))
    import itsdangerous.timed

    real = itsdangerous.timed.TimestampSigner.get_timestamp
    monkeypatch.setattr(itsdangerous.timed.TimestampSigner, "get_timestamp", lambda self: real(self) + 32 * 86400)
    assert gate.verdict(header(_streamlit_user=value), SECRET, CONFIG) == (False, "no valid sign-in")


def test_the_gate_needs_the_cookie_secret(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[access]\nviewer_groups = ["cabinet"]\n')
    with pytest.raises(ValueError, match="cookie_secret"):
        gate.settings({"CLUSTERPOLICY_SECRETS": str(secrets)})
    secret, config = gate.settings({"CLUSTERPOLICY_SECRETS": str(secrets), "CLUSTERPOLICY_AUTH_COOKIE_SECRET": SECRET})
    assert secret == SECRET and config.viewer_groups == frozenset({"cabinet"})


def test_the_example_configuration_is_what_the_command_writes():
    out = subprocess.run(
        [sys.executable, "-m", "clusterpolicy", "nginx-config"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout == proxyconf.EXAMPLE.read_text(encoding="utf-8")
    assert f"client_max_body_size {proxyconf.upload_mb() + 1}m;" in out.stdout  # the app's own upload limit


@pytest.mark.parametrize("bad", ["127.0.0.1:8501; include /etc/passwd", "replica", "127.0.0.1:8501\nserver evil:1"])
def test_a_replica_that_is_no_address_is_refused(bad):
    with pytest.raises(ValueError, match="is not host:port"):
        proxyconf.render((bad,))


def test_nginx_accepts_the_configuration(tmp_path):
    from tests.e2e.proxy import main_config, nginx_binary

    nginx = nginx_binary()
    if nginx is None:
        pytest.skip("nginx is not installed (Debian: nginx-light)")

    site = tmp_path / "site.conf"
    site.write_text(proxyconf.render(listen="127.0.0.1:18080", secure_cookie=True))
    conf = main_config(tmp_path, site)
    done = subprocess.run([nginx, "-t", "-p", str(tmp_path), "-c", str(conf)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


@pytest.fixture()
def running_gate(data_dir):
    import threading
    from http.server import ThreadingHTTPServer

    server = ThreadingHTTPServer(("127.0.0.1", 0), gate.handler(SECRET, CONFIG))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _get(url: str, cookie: str = "") -> tuple[int, bytes]:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers={"Cookie": cookie}), timeout=10) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_the_gate_answers_nginx_and_monitoring_over_http(running_gate, monkeypatch):
    assert _get(f"{running_gate}/_clusterpolicy_gate")[0] == 401
    good = header(_streamlit_user=signed("_streamlit_user", json.dumps(VERA)))
    assert _get(f"{running_gate}/_clusterpolicy_gate", good)[0] == 204
    status, body = _get(f"{running_gate}/ready")
    report = json.loads(body)
    assert status == 200 and report["ready"] and report["state"] == "sqlite" and len(report["data_version"]) == 12
    monkeypatch.setenv("CLUSTERPOLICY_APPSTATE_URL", "postgresql://dashboard@127.0.0.1:9/nothing")
    status, body = _get(f"{running_gate}/ready")
    assert status == 503 and json.loads(body)["problem"].startswith("the state database does not answer")


def test_check_says_why_a_host_cannot_serve(data_dir):
    env = {"CLUSTERPOLICY_DB": str(data_dir / "clusters.duckdb"), "CLUSTERPOLICY_APPSTATE_URL": "", "PATH": "/usr/bin:/bin"}
    ok = subprocess.run([sys.executable, "-m", "clusterpolicy", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert ok.returncode == 0 and json.loads(ok.stdout)["ready"] is True
    (data_dir / "clusters.duckdb").write_bytes(b"not a database")
    bad = subprocess.run([sys.executable, "-m", "clusterpolicy", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert bad.returncode == 1 and "served data version does not open" in json.loads(bad.stdout)["problem"]
