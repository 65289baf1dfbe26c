"""The proxy's sign-in check for downloads: nginx asks it (``auth_request``) before it passes a ``/media/`` request on.

Streamlit serves the files a page offers (exports, downloads) under ``/media/<hash>`` without asking
who is there: the address is all it takes. Behind nginx, every such request is first sent here with
its cookies; the answer is 204 when they carry a valid sign-in of someone with a role, 401 otherwise.

A valid sign-in is Streamlit's own identity cookie (``_streamlit_user``, split into numbered chunks
when long), signed with the deployment's cookie secret by itsdangerous' timed serializer, no older
than Streamlit's 30 days, saying ``is_logged_in``, and whose claims give a role under ``[access]``.
The secret and the section come from the same secrets file and environment as ``serve``.

``python -m clusterpolicy media-gate --port 8599`` runs it (loopback only; one per host). Every
refusal is a structured log line with the original address and the reason. It also answers
``/ready`` for monitoring: 200 with a JSON report when the served data version opens and the state
database answers, 503 with the reason when not.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import tomllib
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from itsdangerous import BadData, URLSafeTimedSerializer

from clusterpolicy import serve
from clusterpolicy.data import health
from clusterpolicy.data.access import AccessConfig, role_for

USER_COOKIE = "_streamlit_user"
MAX_AGE_S = 31 * 86400  # Streamlit's 30 days and its day of grace
_CHUNKS = re.compile(r"chunks-(\d+)")
_log = logging.getLogger("clusterpolicy.gate")


def _unsigned(secret: str, name: str, cookies: Mapping[str, str]) -> str | None:
    value = cookies.get(name)
    if not value:
        return None
    try:
        decoded = URLSafeTimedSerializer(secret, salt=name).loads(value, max_age=MAX_AGE_S)
    except BadData:
        return None
    return decoded if isinstance(decoded, str) else None


def signed_in_user(cookies: Mapping[str, str], secret: str) -> dict | None:
    """The signed-in user's claims from Streamlit's identity cookie, or None when it is missing, forged or expired."""
    value = _unsigned(secret, USER_COOKIE, cookies)
    if value is None:
        return None
    chunks = _CHUNKS.fullmatch(value)
    if chunks:
        parts = [_unsigned(secret, f"{USER_COOKIE}_{i + 1}", cookies) for i in range(int(chunks.group(1)))]
        if any(p is None for p in parts):
            return None
        value = "".join(parts)
    try:
        user = json.loads(value)
    except json.JSONDecodeError:
        return None
    return user if isinstance(user, dict) and user.get("is_logged_in") is True else None


def verdict(cookie_header: str, secret: str, config: AccessConfig) -> tuple[bool, str]:
    """(allowed, reason) for a request carrying this Cookie header."""
    cookies = {}
    for part in (cookie_header or "").split(";"):
        name, eq, value = part.strip().partition("=")
        if eq and name and name not in cookies:
            cookies[name] = value.strip().strip('"')
    user = signed_in_user(cookies, secret)
    if user is None:
        return False, "no valid sign-in"
    if role_for(user, config) is None:
        return False, f"signed in as {user.get('email') or user.get('sub')} without a role"
    return True, "signed in with a role"


def settings(environ: Mapping[str, str]) -> tuple[str, AccessConfig]:
    """The cookie secret and the ``[access]`` section, from the secrets file and the environment (as ``serve`` merges them)."""
    source = serve.secrets_file(environ)
    secrets = tomllib.loads(source.read_text(encoding="utf-8")) if source.is_file() else {}
    merged = serve.merged(secrets, environ)
    secret = (merged.get("auth") or {}).get("cookie_secret")
    if not secret:
        raise ValueError(f"{source}: [auth] cookie_secret (or CLUSTERPOLICY_AUTH_COOKIE_SECRET) is needed to check sign-ins")
    return secret, AccessConfig.from_mapping(merged.get("access"))


def handler(secret: str, config: AccessConfig) -> type[BaseHTTPRequestHandler]:
    class Gate(BaseHTTPRequestHandler):
        server_version = "clusterpolicy-gate"

        def do_GET(self):  # noqa: N802 - the http.server method name
            if self.path == "/ready":
                self._ready()
                return
            allowed, reason = verdict(self.headers.get("Cookie", ""), secret, config)
            self.send_response(204 if allowed else 401)
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if not allowed:
                _log.warning(
                    json.dumps(
                        {
                            "event": "media_refused",
                            "uri": self.headers.get("X-Original-URI", self.path)[:300],
                            "client": self.headers.get("X-Real-IP", self.client_address[0]),
                            "reason": reason,
                        }
                    )
                )

        def _ready(self):
            report = health.readiness()
            body = json.dumps(report, sort_keys=True).encode()
            self.send_response(200 if report["ready"] else 503)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format, *args):  # noqa: A002 - http.server's signature
            pass  # refusals are logged above; allowed requests are in nginx's access log

    return Gate


def main(argv: list[str], environ: Mapping[str, str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m clusterpolicy media-gate")
    parser.add_argument("--address", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8599)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s", stream=sys.stderr)
    try:
        secret, config = settings(environ)
    except (ValueError, tomllib.TOMLDecodeError) as exc:
        print(f"media-gate: {exc}", file=sys.stderr)
        return 2
    server = ThreadingHTTPServer((args.address, args.port), handler(secret, config))
    print(f"media-gate listening on {args.address}:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0
