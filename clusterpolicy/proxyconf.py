"""The nginx configuration for several replicas, written from deploy/nginx/clusterpolicy.conf.in.

``python -m clusterpolicy nginx-config --replica 127.0.0.1:8501 --replica 127.0.0.1:8502`` prints
it; the repository's deploy/nginx/clusterpolicy.conf is its output for the README's layout, and
the tests run nginx on the same text with their own ports. The upload limit is taken from the
app's own (``server.maxUploadSize`` in .streamlit/config.toml), so the two never disagree.
"""

from __future__ import annotations

import re
import tomllib

from clusterpolicy.paths import ROOT

TEMPLATE = ROOT / "deploy" / "nginx" / "clusterpolicy.conf.in"
EXAMPLE = ROOT / "deploy" / "nginx" / "clusterpolicy.conf"
DEFAULT_REPLICAS = ("127.0.0.1:8501", "127.0.0.1:8502")
DEFAULT_GATE = "127.0.0.1:8599"
_ADDRESS = re.compile(r"(\[[0-9a-f:]+\]|[A-Za-z0-9.-]+):[0-9]{1,5}")
_LISTEN = re.compile(r"([0-9.]+:|\[[0-9a-f:]+\]:)?[0-9]{1,5}")
_NAME = re.compile(r"[A-Za-z0-9._*-]+|_")


def upload_mb() -> int:
    """The app's upload limit in MB (Streamlit's default 200 when the config does not set one)."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    return int((config.get("server") or {}).get("maxUploadSize", 200))


def render(
    replicas: tuple[str, ...] = DEFAULT_REPLICAS,
    gate: str = DEFAULT_GATE,
    listen: str = "80",
    server_name: str = "_",
    secure_cookie: bool = False,
) -> str:
    """The site configuration; ValueError naming the value that is not an address, port or host name."""
    if not replicas:
        raise ValueError("at least one replica (host:port) is needed")
    for address in (*replicas, gate):
        if not _ADDRESS.fullmatch(address):
            raise ValueError(f"{address!r} is not host:port")
    if not _LISTEN.fullmatch(listen):
        raise ValueError(f"{listen!r} is not a port or address:port to listen on")
    if not _NAME.fullmatch(server_name):
        raise ValueError(f"{server_name!r} is not a host name")

    def server(address: str, backup: bool = False) -> str:
        return f"    server {address} max_fails=1 fail_timeout=10s{' backup' if backup else ''};"

    names = [f"r{i}" for i in range(1, len(replicas) + 1)]
    secure = "; Secure" if secure_cookie else ""
    answered = "\n".join(
        f'    "~(^|[ ,]){re.escape(a)}$" "cp_replica={n}; Path=/; HttpOnly; SameSite=Lax{secure}";'
        for a, n in zip(replicas, names, strict=True)
    )
    pinned = "\n".join(f"    {n} clusterpolicy_{n};" for n in names)
    upstreams = "\n\n".join(
        f"# pinned to {a}; the others stand in while it is down\nupstream clusterpolicy_{n} {{\n"
        + "\n".join([server(a), *(server(o, backup=True) for o in replicas if o != a)])
        + "\n}"
        for a, n in zip(replicas, names, strict=True)
    )
    text = TEMPLATE.read_text(encoding="utf-8")
    for key, value in {
        "@ANSWERED_BY@": answered,
        "@PINNED@": pinned,
        "@PINNED_UPSTREAMS@": upstreams,
        "@REPLICAS@": "\n".join(server(a) for a in replicas),
        "@GATE@": gate,
        "@LISTEN@": listen,
        "@SERVER_NAME@": server_name,
        "@UPLOAD_MB@": str(upload_mb() + 1),
        "@COOKIE_SECURE@": secure,
    }.items():
        text = text.replace(key, value)
    return text
