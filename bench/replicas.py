"""Reruns per second through nginx with one replica and with two, on loopback (``python -m bench.replicas``).

The deployment of "Running several replicas" without sign-in (the pages are read-only then): a
PostgreSQL state from initdb, one shared data folder, two ``python -m clusterpolicy serve``
replicas and nginx on the configuration ``nginx-config`` writes. The same bounded load (``sessions``
WebSocket sessions at once, each asking for ``reruns`` full reruns of a page, as ``bench.run``'s
capacity section does) goes first through a proxy in front of one replica, then through one in
front of both, twice each, alternating; a session without a route cookie gets a new route, so nginx
spreads the sessions. On a 2-core machine two replicas cannot double the throughput: both share the
same two cores with the load generator and nginx.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from bench.run import free_port, load, median
from clusterpolicy import proxyconf
from clusterpolicy.data import build


@contextlib.contextmanager
def deployment(workdir: Path):
    """(proxy url with one replica, proxy url with two): everything started here, stopped on exit."""
    from tests import pg
    from tests.e2e.conftest import serve
    from tests.e2e.proxy import nginx

    binaries = pg.bindir()
    if binaries is None:
        raise SystemExit("PostgreSQL is not installed (Debian: postgresql)")
    folder = workdir / "data"
    folder.mkdir()
    build.build(target=folder / "clusters.duckdb")
    server = pg.Server(binaries).start()
    try:
        env = {
            "CLUSTERPOLICY_DB": str(folder / "clusters.duckdb"),
            "CLUSTERPOLICY_APPSTATE_URL": server.url(server.new_schema()),
            "CLUSTERPOLICY_SECRETS": str(workdir / "no-secrets.toml"),
        }
        with contextlib.ExitStack() as stack:
            replicas = []
            for name in ("a", "b"):
                (workdir / name).mkdir()
                url, _proc, _log = stack.enter_context(
                    serve(
                        folder / "clusters.duckdb",
                        workdir / name,
                        env=env,
                        launcher=[sys.executable, "-m", "clusterpolicy", "serve"],
                    )
                )
                replicas.append(url.removeprefix("http://"))
            proxies = []
            for n in (1, 2):
                port = free_port()
                site = proxyconf.render(tuple(replicas[:n]), listen=f"127.0.0.1:{port}")
                stack.enter_context(nginx(workdir / f"nginx{n}", site, port))
                proxies.append(f"http://127.0.0.1:{port}")
            yield proxies[0], proxies[1]
    finally:
        server.stop()


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m bench.replicas")
    parser.add_argument("--page", default="scenarios")
    parser.add_argument("--sessions", type=int, default=8)
    parser.add_argument("--reruns", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="bench-replicas-"))
    out: dict = {"page": args.page, "sessions": args.sessions, "reruns": args.reruns, "one": [], "two": []}
    try:
        with deployment(workdir) as (one, two):
            load(one, args.page, 2, 2, 60)  # both replicas' first runs (caches) before anything is counted
            load(two, args.page, 4, 2, 60)
            for _ in range(args.rounds):
                for name, url in (("one", one), ("two", two)):
                    result = load(url, args.page, args.sessions, args.reruns, 180)
                    out[name].append(result)
                    print(
                        f"  {name} replica(s): {result['reruns_per_s']:.1f} reruns/s, p50 {result['p50_ms']:.0f} ms, "
                        f"p95 {result['p95_ms']:.0f} ms, {result['reruns']}/{result['expected']} reruns, {result['errors']} errors",
                        flush=True,
                    )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    one_rate = median([r["reruns_per_s"] for r in out["one"]])
    two_rate = median([r["reruns_per_s"] for r in out["two"]])
    out["ratio_two_to_one"] = two_rate / one_rate if one_rate else float("nan")
    print(f"two replicas against one: {out['ratio_two_to_one']:.2f}x the reruns per second", flush=True)
    return out


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    print(json.dumps(main(), indent=2))
