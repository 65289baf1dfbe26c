"""Benchmark: every speed figure is a ratio against a baseline timed in the same process, alternating.

    python -m bench.run [--runs 5] [--skip-browser] [--skip-capacity] [--out bench/results]

Writes bench/results/bench.json and bench/results/bench.md. Sections:
1. pages (AppTest): each page's cold first run and warm rerun against a floor page with one
   selectbox and as many trivial go.Bar charts as the page draws; and each page's warm rerun on the
   real server, asked for over the websocket as a browser does, against the floor app served alike;
2. queries: each named query through clusterpolicy.data.db against the same SQL on a bare cursor;
3. EU scale (2,000 clusters, 40 KPIs, 25 years, 50,000 projects): each page's warm rerun against
   its own time at today's size, and the scenario model at both sizes;
4. exports: the time to make each file of a page's export panel (PDF, PPTX, XLSX, HTML, CSV)
   against making the page once (its cold first run) and against its warm rerun;
5. browser: time to first chart and to all charts in headless Chromium against a floor app;
6. capacity: full reruns per second and p95 latency with 1, 5 and 20 concurrent websocket sessions
   on loopback, bounded in count and time.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import assert_page_ok  # noqa: E402 - after the path is set

PAGES = {
    # the page as a link opens it (pages/<page>.py is what a fresh server runs for /<page>)
    "overview": (None, 3),
    "scenarios": ("pages/body/scenarios.py", 3),  # the first of its three chart sections
    "earmarked": ("pages/body/earmarked.py", 3),
    "kpis": ("pages/body/kpis.py", 3),
    "cluster": ("pages/body/cluster.py", 6),  # Catalisti's profile, the first by name
    "data": ("pages/body/data.py", 0),
}
URL_PATHS = {
    "overview": "",
    "scenarios": "scenarios",
    "earmarked": "earmarked",
    "kpis": "kpis",
    "cluster": "cluster",
    "data": "data",
}
TARGETS = {"warm": 2.0, "cold": 2.0, "eu": 3.0, "browser": 1.3, "query": 1.2}


def floor_script(n_charts: int) -> str:
    return (
        "import streamlit as st\nimport plotly.graph_objects as go\n"
        "v = st.selectbox('x', [1, 2, 3], key='x')\n"
        f"for i in range({n_charts}):\n"
        "    st.plotly_chart(go.Figure(go.Bar(x=[1, 2, 3], y=[v, 2, 3])), key=f'c{i}', width='stretch')\n"
    )


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def clear_caches():
    """Streamlit's caches and the package's kept values, so a cold run is cold."""
    from clusterpolicy.web import data as kept

    kept.clear_caches()


# ---------------------------------------------------------------- 1 and 3: pages through AppTest


WARM_RERUNS = 5


def _fresh_app(script: Path, page: str | None):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(script), default_timeout=600)
    if page:
        at.switch_page(page)
    return at


def _timed_run(at) -> float:
    t = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - t
    assert_page_ok(at)  # a page that broke is not timed as if it ran
    return elapsed


def cold_then_warm(script: Path, cold: list, warm: list, page: str | None = None) -> None:
    """One cold first run (caches cleared), then WARM_RERUNS warm reruns of a script in AppTest, appended in seconds.

    A warm rerun takes 3-10 ms, so one sample per round moved with every hiccup of a shared
    machine; five per round give the median something to stand on.
    """
    clear_caches()
    at = _fresh_app(script, page)
    cold.append(_timed_run(at))
    warm.extend(_timed_run(at) for _ in range(WARM_RERUNS))


PAIRED_RERUNS = 12
# a cold run varies more than a warm one (0.2-0.4 in a page's ratio between runs of the bench with
# one cold pair a round): two a round
COLD_PAIRS_PER_ROUND = 2


def time_pages(db_file: Path, runs: int, workdir: Path) -> dict:
    """Cold and warm seconds per page and per floor page, measured in pairs; ratios are medians of pair ratios.

    Each round opens the page and both floors fresh (the page with the package's caches cleared:
    a cold first run), then reruns the three in turn PAIRED_RERUNS times, rotating the order.
    Every page time has a floor time taken a few milliseconds from it, so a slow spell of a shared
    machine slows both sides of a pair; each pair's ratio is kept and the median of those is the
    figure. (Medians of separate page and floor samples, as this bench took them before, moved by
    up to 0.5 between runs on the same code.)
    """
    os.environ["CLUSTERPOLICY_DB"] = str(db_file)
    one_file = workdir / "floor_1.py"  # the issue's own floor: one selectbox and one go.Bar chart
    one_file.write_text(floor_script(1))
    out = {}
    for name, (path, n_charts) in PAGES.items():
        floor_file = workdir / f"floor_{n_charts}.py"
        floor_file.write_text(floor_script(n_charts))
        scripts = {"page": (ROOT / "dashboard.py", path), "same": (floor_file, None), "one": (one_file, None)}
        cold = {k: [] for k in scripts}
        warm = {k: [] for k in scripts}
        cold_ratio = {"same": [], "one": []}
        warm_ratio = {"same": [], "one": []}
        kinds = list(scripts)
        for r in range(runs):
            order = kinds[r % 3 :] + kinds[: r % 3]
            for _ in range(COLD_PAIRS_PER_ROUND):  # the last round's apps go on to the warm reruns
                apps, first = {}, {}
                for kind in order:
                    if kind == "page":
                        clear_caches()  # the floors keep nothing, so only the page's own caches matter
                    apps[kind] = _fresh_app(*scripts[kind])
                    first[kind] = _timed_run(apps[kind])
                for kind in kinds:
                    cold[kind].append(first[kind])
                for floor in cold_ratio:
                    cold_ratio[floor].append(first["page"] / first[floor])
                order = order[::-1]
            for i in range(PAIRED_RERUNS):
                turn = order[i % 3 :] + order[: i % 3]
                took = {kind: _timed_run(apps[kind]) for kind in turn}
                for kind in kinds:
                    warm[kind].append(took[kind])
                for floor in warm_ratio:
                    warm_ratio[floor].append(took["page"] / took[floor])
        out[name] = {
            "charts": n_charts,
            "cold_s": median(cold["page"]),
            "warm_s": median(warm["page"]),
            "floor_cold_s": median(cold["same"]),
            "floor_warm_s": median(warm["same"]),
            "cold_ratio": median(cold_ratio["same"]),
            "warm_ratio": median(warm_ratio["same"]),
            "one_chart_floor_cold_s": median(cold["one"]),
            "one_chart_floor_warm_s": median(warm["one"]),
            "cold_ratio_one_chart": median(cold_ratio["one"]),
            "warm_ratio_one_chart": median(warm_ratio["one"]),
            "pairs": {"cold": runs * COLD_PAIRS_PER_ROUND, "warm": runs * PAIRED_RERUNS},
        }
        print(
            f"  page {name:10s} warm {out[name]['warm_s'] * 1000:7.1f} ms ({out[name]['warm_ratio']:.2f}x floor), "
            f"cold {out[name]['cold_s'] * 1000:7.1f} ms ({out[name]['cold_ratio']:.2f}x); against one chart: "
            f"warm {out[name]['warm_ratio_one_chart']:.2f}x, cold {out[name]['cold_ratio_one_chart']:.2f}x",
            flush=True,
        )
    return out


EXPORT_PAGES = ("overview", "scenarios", "earmarked", "kpis", "cluster")


def time_exports(db_file: Path, runs: int) -> dict:
    """Seconds to make each export of each chart page, as ratios to the page's cold first run and its warm rerun.

    Each round opens every page fresh (caches cleared: its cold first run), reruns it once warm,
    opens the export panel and makes one CSV first (that builds the charts of the page's other
    sections, which a page draws only when shown: a cost of the first export, not of a format),
    then makes every format once, in a rotating order. The makers are timed where the panel calls
    them, so a figure is the file's own making, not the page run around it.
    """
    from clusterpolicy.web import export_panel

    os.environ["CLUSTERPOLICY_DB"] = str(db_file)
    took: dict[str, float] = {}

    def timed(kind, make):
        def run(view):
            t = time.perf_counter()
            try:
                return make(view)
            finally:
                took[kind] = time.perf_counter() - t

        return run

    original = export_panel.KINDS
    export_panel.KINDS = tuple((kind, timed(kind, make), icon) for kind, make, icon in original)
    kinds = [kind for kind, _, _ in original]
    out = {}
    try:
        for page in EXPORT_PAGES:
            path = PAGES[page][0]
            seconds = {k: [] for k in kinds}
            to_cold = {k: [] for k in kinds}
            to_warm = {k: [] for k in kinds}
            first = []
            for r in range(runs):
                clear_caches()
                at = _fresh_app(ROOT / "dashboard.py", path)
                cold = _timed_run(at)
                warm = _timed_run(at)
                at.session_state["x_panel"] = True
                _timed_run(at)
                at.button(key="x_csv_make").click()
                _timed_run(at)
                first.append(took["csv"])
                for kind in kinds[r % len(kinds) :] + kinds[: r % len(kinds)]:
                    at.button(key=f"x_{kind}_make").click()
                    _timed_run(at)
                    assert at.session_state["_x_ready"].reference is None, (page, kind)
                    seconds[kind].append(took[kind])
                    to_cold[kind].append(took[kind] / cold)
                    to_warm[kind].append(took[kind] / warm)
            out[page] = {
                "first_csv_s": median(first),
                "kinds": {
                    k: {"s": median(seconds[k]), "to_cold": median(to_cold[k]), "to_warm": median(to_warm[k])} for k in kinds
                },
            }
            print(
                f"  exports {page:10s} "
                + ", ".join(
                    f"{k} {out[page]['kinds'][k]['s'] * 1000:.0f} ms ({out[page]['kinds'][k]['to_cold']:.2f}x)" for k in kinds
                ),
                flush=True,
            )
    finally:
        export_panel.KINDS = original
    return out


def time_pages_folder(runs: int, workdir: Path) -> dict:
    """What AppTest's handling of a pages/ folder costs a run: the one-chart floor with and without one beside it.

    Before every run AppTest switches Streamlit back to the legacy multipage mode whenever the main
    script has a pages/ folder next to it; the run then first lists and registers that folder's
    scripts. A server does this once per process: the first st.navigation call turns it off.
    """
    bare, beside = workdir / "floor_bare", workdir / "floor_beside_pages"
    for folder in (bare, beside):
        folder.mkdir(exist_ok=True)
        (folder / "app.py").write_text(floor_script(1))
    (beside / "pages").mkdir(exist_ok=True)
    for script in sorted((ROOT / "pages").glob("*.py")):
        (beside / "pages" / script.name).write_text("import streamlit as st\n\nst.write('page')\n")
    cold = {"bare": [], "beside": []}
    warm = {"bare": [], "beside": []}
    for _ in range(runs):
        for kind, folder in (("bare", bare), ("beside", beside)):
            cold_then_warm(folder / "app.py", cold[kind], warm[kind])
    out = {kind: {"cold_s": median(cold[kind]), "warm_s": median(warm[kind])} for kind in cold}
    out["extra_warm_ms"] = 1000 * (out["beside"]["warm_s"] - out["bare"]["warm_s"])
    out["extra_cold_ms"] = 1000 * (out["beside"]["cold_s"] - out["bare"]["cold_s"])
    print(
        f"  pages/ folder: floor warm {out['bare']['warm_s'] * 1000:.1f} ms, beside pages/ {out['beside']['warm_s'] * 1000:.1f} ms",
        flush=True,
    )
    return out


def time_warm_only(db_file: Path, runs: int) -> dict:
    """Warm rerun seconds per page (medians), for the EU-scale comparison."""
    os.environ["CLUSTERPOLICY_DB"] = str(db_file)
    out = {}
    for name, (path, _) in PAGES.items():
        clear_caches()
        at = _fresh_app(ROOT / "dashboard.py", path)
        _timed_run(at)  # the first run, not counted
        out[name] = median([_timed_run(at) for _ in range(runs)])
    return out


# ---------------------------------------------------------------- 2: queries


QUERY_PARAMS = {
    "basic_funding_by_cluster_year": {"first_year": 2017, "last_year": 2024},
    "earmarked_totals_by_year": {"first_year": 2017, "last_year": 2024},
    "headline_figures": {"year": 2024},
    "kpi_attainment_by_cluster": {"year": 2024},
    "kpi_attainment_matrix": {"year": 2024},
    "kpi_coverage": {"first_year": 2000, "last_year": 2100},
    "kpi_series": {"kpi_id": "members", "clusters": ["vil", "catalisti"]},
}
# a value for each parameter a named query may declare, as the pages pass it (a query whose parameter
# is missing here fails the bench with a KeyError naming it, instead of timing a query with too few)
DEFAULT_PARAMS = {
    "cluster_id": "vil",
    "prefix": "vil",
    "year": 2024,
    "first_year": 2017,
    "last_year": 2024,
    "kpi_id": "members",
    "clusters": ["vil", "catalisti"],
    "cap_eur": 500_000.0,
    "public_share": 0.5,
}
THEME_QUERIES = (
    "intercluster_projects",
    "intercluster_budget_by_theme_year",
    "collaboration_links",
    "intercluster_project_count",
    "intercluster_cluster_budget",
)


def time_queries(db_file: Path, runs: int) -> dict:
    """Each named query through the package (as the app runs it) against the same SQL and parameters on a bare cursor."""
    import duckdb

    from clusterpolicy.data import db

    con = duckdb.connect(str(db_file), read_only=True)
    database = db.connect(db_file)  # as the app opens it: attached to the package's engine, pooled cursors
    themes = [t for (t,) in con.execute("select distinct theme from intercluster_project").fetchall()]
    out = {}
    for path in sorted((ROOT / "queries").glob("*.sql")):
        name = path.stem
        params = dict(QUERY_PARAMS.get(name, {}))
        if name in THEME_QUERIES:
            params = {"first_year": 2000, "last_year": 2100, "themes": themes}
            if name == "intercluster_projects":
                params["limit"] = 1000
            if name == "collaboration_links":
                params["clusters"] = [c for (c,) in con.execute("select cluster_id from cluster limit 25").fetchall()]
        # any other parameter a query declares gets a value a page would pass (the profile's cluster, ...)
        for missing in sorted(db.declared_params(name) - set(params)):
            params[missing] = DEFAULT_PARAMS[missing]
        sql = db.load_sql(name)
        package, raw = [], []
        for _ in range(runs * 4):
            t = time.perf_counter()
            db.run_query(database, name, params)
            package.append(time.perf_counter() - t)
            t = time.perf_counter()
            cur = con.cursor()
            cur.execute(sql, params).df()
            cur.close()
            raw.append(time.perf_counter() - t)
        out[name] = {"package_ms": median(package) * 1000, "raw_ms": median(raw) * 1000, "ratio": median(package) / median(raw)}
    con.close()
    database.close()
    worst = max(out.values(), key=lambda r: r["ratio"])
    print(f"  queries: {len(out)} named, worst ratio {worst['ratio']:.2f}", flush=True)
    return out


def time_model(db_file: Path, runs: int) -> dict:
    """The scenario model (all four presets and one sensitivity) on the database's base."""
    from clusterpolicy.data import db
    from clusterpolicy.model import scenarios, sensitivity

    con = db.connect(db_file)
    funding = db.run_query(con, "scenario_base", {})
    base = scenarios.Base.from_frames(
        funding,
        db.run_query(con, "earmarked_last_level", {}),
        db.run_query(con, "kpi_attainment_by_cluster", {"year": int(funding["year"].max())}),
    )
    presets = [scenarios.preset_params(r, base) for _, r in db.run_query(con, "scenario_presets", {}).iterrows()]
    times, sens = [], []
    for _ in range(runs):
        t = time.perf_counter()
        for p in presets:
            scenarios.run(base, p)
        times.append(time.perf_counter() - t)
        t = time.perf_counter()
        sensitivity.sensitivity(base, presets[0])
        sens.append(time.perf_counter() - t)
    con.close()
    return {"clusters": len(base.cluster_ids), "four_presets_ms": median(times) * 1000, "sensitivity_ms": median(sens) * 1000}


# ---------------------------------------------------------------- servers


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`streamlit run SCRIPT` on a free loopback port, stopped on exit."""

    def __init__(self, script: Path, db_file: Path, cwd: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = ROOT / ".streamlit" / "config.toml"
        if Path(cwd).resolve() != ROOT and config.is_file():
            # a floor app is served the same way as the dashboard: with the same server configuration
            (Path(cwd) / ".streamlit").mkdir(exist_ok=True)
            shutil.copy(config, Path(cwd) / ".streamlit" / "config.toml")
        env = {**os.environ, "CLUSTERPOLICY_DB": str(db_file)}
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(script),
                f"--server.port={self.port}",
                "--server.address=127.0.0.1",
                "--server.headless=true",
                "--browser.gatherUsageStats=false",
            ],
            cwd=cwd,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2).read() == b"ok":
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"server for {script} did not start")

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


# One server per script for the whole run: the sections that serve the dashboard or a floor app share
# it (each start costs a few seconds of processor time, and the quick run started thirteen).
_SERVED: dict[Path, Server] = {}


def served_app(db_file: Path) -> Server:
    """The dashboard served on ``db_file``, started at its first use."""
    key = ROOT / "dashboard.py"
    if key not in _SERVED:
        _SERVED[key] = Server(key, db_file, ROOT)
    return _SERVED[key]


def served_floor(n_charts: int, db_file: Path, workdir: Path) -> Server:
    """The floor app with ``n_charts`` charts, served from its own folder, started at its first use."""
    folder = workdir / f"floorapp_{n_charts}"
    key = folder / "app.py"
    if key not in _SERVED:
        folder.mkdir(exist_ok=True)
        key.write_text(floor_script(n_charts))
        _SERVED[key] = Server(key, db_file, folder)
    return _SERVED[key]


def stop_served() -> None:
    while _SERVED:
        _SERVED.popitem()[1].stop()


# ---------------------------------------------------------------- 4: browser


def time_browser(db_file: Path, runs: int, workdir: Path) -> dict:
    """Time to first chart and to all charts per page against a floor app served the same way."""
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    app = served_app(db_file)
    out = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        viewport = {"viewport": {"width": 1600, "height": 1000}, "locale": "nl-BE"}
        reused = None if FIRST_VISITS else browser.new_context(**viewport).new_page()
        for name, (_, n_charts) in PAGES.items():
            if not n_charts:
                continue
            floor = served_floor(n_charts, db_file, workdir)
            page_first, page_all, floor_first, floor_all = [], [], [], []
            for _ in range(runs):
                for url, firsts, alls in (
                    (f"{app.url}/{URL_PATHS[name]}", page_first, page_all),
                    (floor.url, floor_first, floor_all),
                ):
                    # a new context each time: a first visit, with nothing of the page compiled or cached
                    # (the quick run reuses one tab: its figures mean nothing, and a new tab costs ~4 s)
                    ctx = reused.context if reused else browser.new_context(**viewport)
                    page = reused or ctx.new_page()
                    t = time.perf_counter()
                    page.goto(url)
                    page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=120_000)
                    firsts.append(time.perf_counter() - t)
                    page.locator(".js-plotly-plot .main-svg").nth(n_charts - 1).wait_for(timeout=120_000)
                    alls.append(time.perf_counter() - t)
                    if not reused:
                        ctx.close()
            out[name] = {
                "first_chart_s": median(page_first),
                "all_charts_s": median(page_all),
                "floor_first_chart_s": median(floor_first),
                "floor_all_charts_s": median(floor_all),
                "first_ratio": median(page_first) / median(floor_first),
                "all_ratio": median(page_all) / median(floor_all),
            }
            print(
                f"  browser {name:10s} first chart {out[name]['first_chart_s']:.2f} s ({out[name]['first_ratio']:.2f}x floor)",
                flush=True,
            )
        browser.close()
    return out


# ---------------------------------------------------------------- 4b: browser, a change to every chart updated

_PAINTED = "() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))"


def _is_script_finished(payload) -> bool:
    """Whether a websocket frame from the server is Streamlit's script_finished message."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    if not isinstance(payload, (bytes, bytearray)):
        return False
    msg = ForwardMsg()
    msg.ParseFromString(bytes(payload))
    return msg.WhichOneof("type") == "script_finished"


class _Socket:
    """The page's current websocket to the server (a page opens a new one when it loads)."""

    def __init__(self, page):
        self.ws = None
        page.on("websocket", self._opened)

    def _opened(self, ws):
        self.ws = ws


def _timed_change(page, socket_, act) -> float:
    """Seconds from a change (``act``) to every chart of the page updated after the run it starts.

    The run's end is the server's script_finished message arriving in the browser (the page's state
    attribute can go to running and back within one paint, so it is not watched); then two frames
    are painted, as Plotly draws after Streamlit hands it the new figure.
    """
    page.bring_to_front()  # a page behind another is not painted (nor are its clicks the user's)
    t = time.perf_counter()
    with socket_.ws.expect_event("framereceived", predicate=_is_script_finished, timeout=60_000):
        act()
    page.evaluate(_PAINTED)
    return time.perf_counter() - t


def _select(page, label: str, option: str):
    """An act: pick an option of the selectbox with this label."""

    def act():
        page.get_by_test_id("stSelectbox").filter(has_text=label).first.click()
        page.get_by_role("option", name=option, exact=True).click()

    return act


def _interactions(page) -> dict:
    """Per page: (setup, [acts that each change what the page shows, applied in turn])."""

    def open_editor():
        page.get_by_text("Eigen scenario samenstellen").click()
        page.get_by_label("Plafond basissubsidie per cluster per jaar (€)").wait_for(timeout=60_000)

    caps = iter(range(300_000, 5_000_000, 10_000))

    def save_a_new_cap():
        page.get_by_label("Plafond basissubsidie per cluster per jaar (€)").fill(str(next(caps)))
        page.get_by_role("button", name="Scenario bewaren en vergelijken").click()

    return {
        "overview: year": (None, [_select(page, "Jaar", "2019"), _select(page, "Jaar", "2024")]),
        "scenarios: section": (
            None,
            [
                lambda: page.get_by_role("radio", name="Per cluster", exact=True).click(),
                lambda: page.get_by_role("radio", name="Kosten", exact=True).click(),
            ],
        ),
        "scenarios: editor saved": (open_editor, [save_a_new_cap]),
        # (the page opens on Leden: the first change is to another indicator)
        "kpis: indicator": (None, [_select(page, "Indicator", "Aandeel kmo's in de leden"), _select(page, "Indicator", "Leden")]),
    }


def time_interactions(db_file: Path, runs: int, workdir: Path) -> dict:
    """From changing a control to every chart of the page updated, against the same change on a floor app.

    The floor app has one selectbox and as many charts as the page, each depending on the selectbox;
    its change is picking another value. Page and floor changes alternate and each pair gives a
    ratio; the figure is the median of those.
    """
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    app = served_app(db_file)
    floor = served_floor(3, db_file, workdir)
    urls = {"overview": "", "scenarios": "scenarios", "kpis": "kpis"}
    out = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        # a window each, so neither waits behind the other
        viewport = {"width": 1600, "height": 1000}
        page = browser.new_context(viewport=viewport, locale="nl-BE").new_page()
        floor_page = browser.new_context(viewport=viewport, locale="nl-BE").new_page()
        page_socket, floor_socket = _Socket(page), _Socket(floor_page)
        floor_page.goto(floor.url)
        floor_page.locator(".js-plotly-plot .main-svg").nth(2).wait_for(timeout=120_000)
        # one cycle for all: each act must change the value the floor shows
        floor_acts = itertools.cycle([_select(floor_page, "x", "2"), _select(floor_page, "x", "1")])
        for name, (setup, acts) in _interactions(page).items():
            page.goto(f"{app.url}/{urls[name.split(':')[0]]}")
            page.locator(".js-plotly-plot .main-svg").nth(2).wait_for(timeout=120_000)
            page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(state="attached")
            if setup:
                setup()
            page_s, floor_s, ratios = [], [], []
            for i in range(CHANGES or runs * 2 + 1):
                a = _timed_change(page, page_socket, acts[i % len(acts)])
                b = _timed_change(floor_page, floor_socket, next(floor_acts))
                if i:  # the first change of a kind builds its figures; the rest are what a viewer repeats
                    page_s.append(a)
                    floor_s.append(b)
                    ratios.append(a / b)
            out[name] = {"page_s": median(page_s), "floor_s": median(floor_s), "ratio": median(ratios), "pairs": len(ratios)}
            print(
                f"  change {name:24s} {out[name]['page_s'] * 1000:6.0f} ms vs floor {out[name]['floor_s'] * 1000:6.0f} ms"
                f" ({out[name]['ratio']:.2f}x)",
                flush=True,
            )
        browser.close()
    return out


# ---------------------------------------------------------------- 5: capacity over the websocket protocol


QUICKACK = getattr(socket, "TCP_QUICKACK", None)  # Linux only


def websocket_session(url: str, page: str, reruns: int, deadline: float, latencies: list, errors: list):
    """One websocket session: open, then ask for full reruns of a page, timing each until script_finished."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.sync.client import connect

    ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
    try:
        with connect(ws_url, subprotocols=["streamlit"], origin=url, open_timeout=30, max_size=None) as ws:
            for i in range(reruns + 1):
                if time.monotonic() > deadline:
                    break
                msg = BackMsg()
                msg.rerun_script.query_string = ""
                msg.rerun_script.page_name = page
                t = time.perf_counter()
                ws.send(msg.SerializeToString())
                while True:
                    if QUICKACK is not None:
                        # acknowledge every message at once: with the kernel's delayed acknowledgement,
                        # every served rerun, page and floor alike, took 40 ms longer on loopback
                        ws.socket.setsockopt(socket.IPPROTO_TCP, QUICKACK, 1)
                    fwd = ForwardMsg()
                    fwd.ParseFromString(ws.recv(timeout=120))
                    if fwd.WhichOneof("type") == "script_finished":
                        break
                if i:  # the first run of a session warms its caches; count the reruns after it
                    latencies.append(time.perf_counter() - t)
    except Exception as exc:  # noqa: BLE001 - counted and reported
        errors.append(repr(exc)[:200])


def time_server_reruns(db_file: Path, runs: int, workdir: Path, reruns: int = 12) -> dict:
    """Each page's warm rerun as a browser asks for it (over the websocket, one session) against a floor app.

    AppTest re-detects Streamlit's legacy pages/ folder and recompiles the scripts on every run; the
    server does both once per process. This is the rerun a viewer waits for, minus drawing.
    """
    app = served_app(db_file)
    out = {}
    for name, (_, n_charts) in PAGES.items():
        floor = served_floor(n_charts, db_file, workdir)
        page_ms, floor_ms = [], []
        for _ in range(runs):
            for url, page, into in ((app.url, URL_PATHS[name], page_ms), (floor.url, "", floor_ms)):
                latencies: list[float] = []
                errors: list[str] = []
                websocket_session(url, page, reruns, time.monotonic() + 60, latencies, errors)
                if errors:
                    raise RuntimeError(errors[0])
                into.append(median(latencies))
        out[name] = {
            "page_ms": 1000 * median(page_ms),
            "floor_ms": 1000 * median(floor_ms),
            "ratio": median(page_ms) / median(floor_ms),
        }
        print(f"  server rerun {name:10s} {out[name]['page_ms']:6.1f} ms ({out[name]['ratio']:.2f}x floor)", flush=True)
    return out


def load(url: str, page: str, sessions: int, reruns: int, budget_s: float) -> dict:
    """``sessions`` WebSocket sessions at once, each asking for ``reruns`` reruns of ``page`` (bounded by ``budget_s``)."""
    latencies: list[float] = []
    errors: list[str] = []
    deadline = time.monotonic() + budget_s
    threads = [
        threading.Thread(target=websocket_session, args=(url, page, reruns, deadline, latencies, errors)) for _ in range(sessions)
    ]
    t = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    wall = time.perf_counter() - t
    lat = sorted(latencies)
    return {
        "sessions": sessions,
        "reruns": len(lat),
        "expected": sessions * reruns,
        "wall_s": wall,
        "reruns_per_s": len(lat) / wall if wall else 0.0,
        "p50_ms": 1000 * median(lat) if lat else float("nan"),
        "p95_ms": 1000 * lat[int(0.95 * (len(lat) - 1))] if lat else float("nan"),
        "errors": len(errors),
        "first_error": errors[0] if errors else None,
    }


def capacity(db_file: Path, page: str = "scenarios", levels=(1, 5, 20), reruns: int = 6, budget_s: float = 90) -> dict:
    """Reruns per second and p95 latency with N concurrent sessions (bounded by count and time)."""
    app = served_app(db_file)
    out = {}
    for n in levels:
        out[str(n)] = load(app.url, page, n, reruns, budget_s)
        print(
            f"  capacity {n:3d} sessions: {out[str(n)]['reruns_per_s']:.1f} reruns/s, p95 {out[str(n)]['p95_ms']:.0f} ms, "
            f"errors {out[str(n)]['errors']}",
            flush=True,
        )
    return out


# ---------------------------------------------------------------- report


def markdown(result: dict) -> str:
    lines = [f"# Benchmark ({result['machine']}, {result['runs']} runs, medians)", ""]
    if result.get("pages"):
        lines += _pages_markdown(result)
    return _rest_markdown(result, lines)


def _pages_markdown(result: dict) -> list[str]:
    lines = [
        "## Pages against a floor page (AppTest)",
        "",
        "Two floors: one selectbox with as many trivial `go.Bar` charts as the page draws, and the issue's own",
        "floor, one selectbox and one `go.Bar` chart. Targets: warm rerun and cold first run at most 2x.",
        "Times are medians; each ratio is the median of page/floor ratios of runs taken back to back "
        f"({result['runs'] * COLD_PAIRS_PER_ROUND} cold pairs and {result['runs'] * PAIRED_RERUNS} warm pairs a page).",
        "",
        "| page | charts | warm rerun | floor (same charts) | ratio | floor (one chart) | ratio | "
        "cold first run | floor (same charts) | ratio | floor (one chart) | ratio |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, r in result["pages"].items():
        lines.append(
            f"| {name} | {r['charts']} | {r['warm_s'] * 1000:.1f} ms | {r['floor_warm_s'] * 1000:.1f} ms | {r['warm_ratio']:.2f} | "
            f"{r['one_chart_floor_warm_s'] * 1000:.1f} ms | {r['warm_ratio_one_chart']:.2f} | "
            f"{r['cold_s'] * 1000:.0f} ms | {r['floor_cold_s'] * 1000:.0f} ms | {r['cold_ratio']:.2f} | "
            f"{r['one_chart_floor_cold_s'] * 1000:.0f} ms | {r['cold_ratio_one_chart']:.2f} |"
        )
    return lines


def _rest_markdown(result: dict, lines: list[str]) -> str:
    if "pages_folder" in result:
        pf = result["pages_folder"]
        lines += [
            "",
            "AppTest's own cost of a `pages/` folder beside the main script (the one-chart floor with and without one;",
            "a server pays it once per process): "
            f"warm {pf['bare']['warm_s'] * 1000:.1f} ms → {pf['beside']['warm_s'] * 1000:.1f} ms, "
            f"cold {pf['bare']['cold_s'] * 1000:.0f} ms → {pf['beside']['cold_s'] * 1000:.0f} ms. "
            "The dashboard pays it on every AppTest run (its router then takes over in the same run).",
        ]
    if "exports" in result:
        kinds = list(next(iter(result["exports"].values()))["kinds"])
        lines += [
            "",
            "## Exports: making each file, against making the page once (its cold first run) and its warm rerun",
            "",
            "Timed where the export panel calls each maker; the first export of a session also builds the charts of",
            "the page's sections that were not shown (the first CSV's time, in its own column).",
            "",
            "| page | first CSV | " + " | ".join(f"{k} (× cold, × warm)" for k in kinds) + " |",
            "|---|---|" + "---|" * len(kinds),
        ]
        for name, r in result["exports"].items():
            cells = [
                f"{r['kinds'][k]['s'] * 1000:.0f} ms ({r['kinds'][k]['to_cold']:.2f}, {r['kinds'][k]['to_warm']:.1f})"
                for k in kinds
            ]
            lines.append(f"| {name} | {r['first_csv_s'] * 1000:.0f} ms | " + " | ".join(cells) + " |")
    if "server" in result:
        lines += [
            "",
            "## Warm rerun on the real server (websocket, one session) against a floor app",
            "",
            "| page | rerun | floor | ratio |",
            "|---|---|---|---|",
        ]
        for name, r in result["server"].items():
            lines.append(f"| {name} | {r['page_ms']:.0f} ms | {r['floor_ms']:.0f} ms | {r['ratio']:.2f} |")
    if "queries" in result:
        lines += [
            "",
            "## Named queries: package against a bare DuckDB cursor (target ≤ 1.2)",
            "",
            "| query | package | raw | ratio |",
            "|---|---|---|---|",
        ]
        for name, r in result["queries"].items():
            lines.append(f"| {name} | {r['package_ms']:.2f} ms | {r['raw_ms']:.2f} ms | {r['ratio']:.2f} |")
    if "eu" in result:
        eu = result["eu"]
        lines += [
            "",
            f"## EU scale ({eu['scale']}): warm rerun against today's size (target ≤ 3)",
            "",
            "| page | today | EU scale | ratio |",
            "|---|---|---|---|",
        ]
        for name, r in eu["pages"].items():
            lines.append(f"| {name} | {r['today_s'] * 1000:.0f} ms | {r['eu_s'] * 1000:.0f} ms | {r['ratio']:.2f} |")
        lines += ["", "| scenario model | clusters | four presets | sensitivity (19 runs) |", "|---|---|---|---|"]
        for size in ("today", "eu"):
            m = eu["model"][size]
            lines.append(f"| {size} | {m['clusters']} | {m['four_presets_ms']:.1f} ms | {m['sensitivity_ms']:.1f} ms |")
    if "browser" in result:
        lines += [
            "",
            "## Headless Chromium: time to first and to all charts against a floor app (target ≤ 1.3)",
            "",
            "| page | first chart | floor | ratio | all charts | floor | ratio |",
            "|---|---|---|---|---|---|---|",
        ]
        for name, r in result["browser"].items():
            lines.append(
                f"| {name} | {r['first_chart_s']:.2f} s | {r['floor_first_chart_s']:.2f} s | {r['first_ratio']:.2f} | "
                f"{r['all_charts_s']:.2f} s | {r['floor_all_charts_s']:.2f} s | {r['all_ratio']:.2f} |"
            )
    if "changes" in result:
        lines += [
            "",
            "## Headless Chromium: from changing a control to every chart updated, against the same change on a floor app",
            "",
            "| change | page | floor | ratio | pairs |",
            "|---|---|---|---|---|",
        ]
        for name, r in result["changes"].items():
            lines.append(
                f"| {name} | {r['page_s'] * 1000:.0f} ms | {r['floor_s'] * 1000:.0f} ms | {r['ratio']:.2f} | {r['pairs']} |"
            )
    if "capacity" in result:
        lines += [
            "",
            "## Capacity: full reruns of the scenarios page over the websocket, one server process",
            "",
            "| sessions | reruns | reruns/s | p50 | p95 | errors |",
            "|---|---|---|---|---|---|",
        ]
        for r in result["capacity"].values():
            lines.append(
                f"| {r['sessions']} | {r['reruns']} | {r['reruns_per_s']:.1f} | {r['p50_ms']:.0f} ms | {r['p95_ms']:.0f} ms | {r['errors']} |"
            )
    return "\n".join(lines) + "\n"


# sizes of the sections; quick() shrinks them
EU_SCALE = (2000, 40, 25, 50_000)
SERVER_RERUNS = 12
CAPACITY = {"levels": (1, 5, 20), "reruns": 6}
BROWSER_MIN_RUNS = 3
FIRST_VISITS = True  # the browser section opens every page in a new context, as a first visit
CHANGES = 0  # changes of each kind in the browser's change section (0: twice the runs, and one to warm up)


def quick() -> None:
    """The fewest samples each section can take, so a test can run the whole bench in a few minutes."""
    global WARM_RERUNS, PAIRED_RERUNS, COLD_PAIRS_PER_ROUND, EU_SCALE, SERVER_RERUNS, BROWSER_MIN_RUNS, FIRST_VISITS, CHANGES
    WARM_RERUNS, PAIRED_RERUNS, COLD_PAIRS_PER_ROUND = 1, 1, 1
    EU_SCALE = (40, 5, 8, 400)
    SERVER_RERUNS = 1
    CAPACITY.update(levels=(1, 2), reruns=1)
    BROWSER_MIN_RUNS = 1
    FIRST_VISITS = False
    CHANGES = 2  # one to build the change's figures, one timed


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--skip-eu", action="store_true")
    parser.add_argument("--skip-browser", action="store_true")
    parser.add_argument("--skip-capacity", action="store_true")
    parser.add_argument("--pages-only", action="store_true", help="only the AppTest pages section (a quick check)")
    parser.add_argument("--changes-only", action="store_true", help="only the browser's change-to-charts-updated section")
    parser.add_argument("--exports-only", action="store_true", help="only the exports section")
    parser.add_argument("--server-only", action="store_true", help="only the real server's warm reruns against the floor app")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="every section once, with the fewest samples and a small synthetic scale: proves the bench runs, measures nothing",
    )
    args = parser.parse_args(argv)
    try:
        run(args)
    finally:
        stop_served()


def run(args) -> None:
    """The sections ``args`` asks for, in order; the servers they share are stopped by ``main``."""
    if args.quick:
        quick()
        args.runs = 1
    if args.pages_only:
        args.skip_eu = args.skip_browser = args.skip_capacity = True
    from clusterpolicy.data import build

    from . import synth

    work = Path(tempfile.mkdtemp(prefix="bench-"))
    today = work / "today" / "clusters.duckdb"
    build.build(target=today)
    result = {"machine": f"{platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()}", "runs": args.runs}
    if args.exports_only:
        result["exports"] = time_exports(today, args.runs)
        print(markdown(result))
        stop_served()  # before their data folder goes
        shutil.rmtree(work, ignore_errors=True)
        return
    if args.server_only:
        result["server"] = time_server_reruns(today, args.runs, work, SERVER_RERUNS)
        stop_served()  # before their data folder goes
        shutil.rmtree(work, ignore_errors=True)
        return
    if args.changes_only:
        result["changes"] = time_interactions(today, args.runs, work)
        print(json.dumps(result["changes"], indent=2))
        stop_served()  # before their data folder goes
        shutil.rmtree(work, ignore_errors=True)
        return
    print("pages", flush=True)
    result["pages"] = time_pages(today, args.runs, work)
    result["pages_folder"] = time_pages_folder(args.runs, work)
    print("exports", flush=True)
    result["exports"] = time_exports(today, args.runs)
    if not args.pages_only:
        print("server reruns", flush=True)
        result["server"] = time_server_reruns(today, args.runs, work, SERVER_RERUNS)
        print("queries", flush=True)
        result["queries"] = time_queries(today, args.runs)
    if not args.skip_eu:
        print("EU scale: generating and building", flush=True)
        eu_dir = work / "eu"
        seed = synth.write_seed(eu_dir / "seed", *EU_SCALE)
        t = time.perf_counter()
        build.build(seed, eu_dir / "clusters.duckdb", origin="synthetic")
        build_s = time.perf_counter() - t
        today_warm = time_warm_only(today, args.runs)
        eu_warm = time_warm_only(eu_dir / "clusters.duckdb", args.runs)
        result["eu"] = {
            "scale": "{:,} clusters, {} KPIs, {} years, {:,} projects".format(*EU_SCALE),
            "build_s": build_s,
            "pages": {n: {"today_s": today_warm[n], "eu_s": eu_warm[n], "ratio": eu_warm[n] / today_warm[n]} for n in PAGES},
            "model": {"today": time_model(today, args.runs), "eu": time_model(eu_dir / "clusters.duckdb", args.runs)},
        }
        for n, r in result["eu"]["pages"].items():
            print(
                f"  EU {n:10s} {r['eu_s'] * 1000:7.1f} ms vs {r['today_s'] * 1000:7.1f} ms today ({r['ratio']:.2f}x)", flush=True
            )
    if not args.skip_browser:
        print("browser", flush=True)
        result["browser"] = time_browser(today, max(BROWSER_MIN_RUNS, args.runs // 2), work)
        print("browser: a change to every chart updated", flush=True)
        result["changes"] = time_interactions(today, max(BROWSER_MIN_RUNS, args.runs), work)
    if not args.skip_capacity:
        print("capacity", flush=True)
        result["capacity"] = capacity(today, **CAPACITY)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "bench.json").write_text(json.dumps(result, indent=2))
    (args.out / "bench.md").write_text(markdown(result))
    print(markdown(result))
    stop_served()  # before their data folder goes
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
