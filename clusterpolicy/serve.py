"""Start the dashboard with its secrets taken from a file and, for the two real secrets, from the environment.

``python -m clusterpolicy serve [streamlit options]`` runs ``streamlit run dashboard.py``. Sign-in is
configured in a secrets file (``.streamlit/secrets.toml``, or the file ``CLUSTERPOLICY_SECRETS``
names); the cookie secret and the client secret may instead come from the environment
(``CLUSTERPOLICY_AUTH_COOKIE_SECRET``, ``CLUSTERPOLICY_AUTH_CLIENT_SECRET``), so that the file can
be kept in configuration management without them. Streamlit reads secrets from files only: when
the environment supplies one, the merged secrets are written to a file readable by this user
only, in a private folder (in memory, /dev/shm, where there is one), and removed when the server
stops.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Mapping
from pathlib import Path

import tomli_w

from clusterpolicy.paths import ROOT

ENVIRONMENT = {
    "CLUSTERPOLICY_AUTH_COOKIE_SECRET": "cookie_secret",
    "CLUSTERPOLICY_AUTH_CLIENT_SECRET": "client_secret",
}


def secrets_file(environ: Mapping[str, str]) -> Path:
    """The secrets file this deployment uses."""
    return Path(environ.get("CLUSTERPOLICY_SECRETS") or ROOT / ".streamlit" / "secrets.toml")


def merged(secrets: dict, environ: Mapping[str, str]) -> dict:
    """The secrets with the environment's cookie and client secret put into ``[auth]`` (the default provider)."""
    overrides = {key: environ[var] for var, key in ENVIRONMENT.items() if environ.get(var)}
    if not overrides:
        return secrets
    auth = dict(secrets.get("auth") or {})
    auth.update(overrides)
    return {**secrets, "auth": auth}


def _private_dir() -> str:
    shm = Path("/dev/shm")
    where = str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None
    return tempfile.mkdtemp(prefix="clusterpolicy-secrets-", dir=where)  # mode 0700


def main(streamlit_args: list[str], environ: Mapping[str, str] | None = None) -> int:
    """Run the server until it stops; returns its exit code."""
    environ = os.environ if environ is None else environ
    source = secrets_file(environ)
    try:
        secrets = tomllib.loads(source.read_text(encoding="utf-8")) if source.is_file() else {}
    except tomllib.TOMLDecodeError as exc:
        print(f"{source}: not valid TOML: {exc}", file=sys.stderr)
        return 2
    final = merged(secrets, environ)
    folder = None
    args = [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py")]
    try:
        if final is not secrets:
            folder = _private_dir()
            target = Path(folder) / "secrets.toml"
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(tomli_w.dumps(final))
            args.append(f"--secrets.files={target}")
        elif source.is_file():
            args.append(f"--secrets.files={source}")
        child = subprocess.Popen([*args, *streamlit_args], cwd=ROOT)

        def forward(signum, _frame):
            child.send_signal(signum)

        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, forward)
        return child.wait()
    finally:
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
