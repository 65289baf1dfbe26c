"""The served data: one attached database per version file, kept query results and derived values.

Every value is kept per process (``process_cache.Keeper``) on the served version, so a rerun reads what the
last run made; a version that changes (an import, a restore) changes every key.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor, wait
from pathlib import Path

import orjson
import pandas as pd
import streamlit as st

from clusterpolicy.data import build, db, model_input, provenance, reconcile, store
from clusterpolicy.data import marking as marking_
from clusterpolicy.model import scenarios
from clusterpolicy.model import sensitivity as sensitivity_
from clusterpolicy.paths import db_path
from clusterpolicy.present.charts import palette_order
from clusterpolicy.web import process_cache
from clusterpolicy.web.run import RunState, lang, run_local, state, tr

_DATABASES: dict[str, db.Database] = {}

_DATABASES_LOCK = threading.Lock()


def _connection(path: str) -> db.Database:
    """The database file attached once per process; queries take pooled cursors on it."""
    with _DATABASES_LOCK:
        if path not in _DATABASES:
            _DATABASES[path] = db.connect(path)
        return _DATABASES[path]


def served() -> str:
    """The database file served now (the latest import, or the seed build); built on first start.

    Read once per run, so a page never mixes two versions even if an import lands mid-run.
    """
    memo = state().memo
    if "served" in memo:
        return memo["served"]
    pin = _pinned_file()
    if pin is not None:
        memo["served"] = pin
        return pin
    path = store.served_path()
    if path == db_path() and not path.is_file():
        build.ensure_built(path)
    memo["served"] = str(path)
    return memo["served"]


def _pinned_file() -> str | None:
    """The older version this session was asked to show (a link made on it), while that file is still kept."""
    try:
        pin = st.session_state.get("_pinned_file")
    except Exception:  # noqa: BLE001 - outside a session (a deferred download carries its own served())
        return None
    if pin and Path(pin).is_file():
        return pin
    return None


def connection():
    """The served database version, attached read-only once per process."""
    return _connection(served())


def version_key() -> tuple:
    """What identifies the served data in cache keys: its file, size and modification time (once a run)."""
    memo = state().memo
    if "version_key" not in memo:
        path = Path(served())
        stat = path.stat()
        memo["version_key"] = (str(path), stat.st_size, stat.st_mtime_ns)
    return memo["version_key"]


_QUERIES = process_cache.Keeper("queries", 256)

_DERIVED = process_cache.Keeper("derived", 1024)

_KEY_OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY


def _encode(key) -> str:
    """A key of lists, dicts and values as canonical JSON text (orjson: a fifth of json.dumps' time)."""
    return orjson.dumps(key, option=_KEY_OPTIONS, default=str).decode()


def query(name: str, **params) -> pd.DataFrame:
    """A named query's result, kept per process on its name, parameters and the served version.

    Each call gets a shallow copy: pandas' copy-on-write keeps a page's changes to its copy away
    from the kept result, at a fraction of the cost of unpickling a cached copy. A query started
    by ``prefetch`` is waited for (its error, if any, raised here).
    """
    key = (name, _encode(params))
    memo = state().memo
    if key not in memo:
        full = (version_key(), *key)
        with _PENDING_LOCK:
            started = _PENDING.get(full)
        if started is not None:
            wait([started])  # it keeps its result; if it failed, the query runs again here and raises here
        memo[key] = _QUERIES.get(full, lambda: db.run_query(connection(), name, params))
    return memo[key].copy(deep=False)


_PREFETCHER = ThreadPoolExecutor(max_workers=2, thread_name_prefix="prefetch")

_PENDING: dict[tuple, Future] = {}

_PENDING_LOCK = threading.Lock()


def prefetch(*specs: tuple[str, dict]) -> None:
    """Start the named queries (name, params) that are not kept yet; ``query`` then takes their results.

    Only a first run has anything to start (afterwards the results are kept), so a warm rerun pays
    a key lookup per query.
    """
    version = version_key()
    for name, params in specs:
        full = (version, name, _encode(params))
        if full in _QUERIES:
            continue
        with _PENDING_LOCK:
            if full not in _PENDING:
                _PENDING[full] = _PREFETCHER.submit(_run_prefetched, full, connection(), name, dict(params))


def prefetch_frame() -> None:
    """Start the queries the frame around every page reads (the data version, the marking) on a first run."""
    prefetch(("data_version", {}), *((name, {}) for name in marking_.QUERIES))


def prefetch_reconciliation() -> None:
    """Start the queries of the reconciliation's checks that do not depend on the data (a page that shows its outcome)."""
    prefetch(*reconcile.first_queries())


def _run_prefetched(full: tuple, con, name: str, params: dict) -> None:
    """Run one query on a prefetch thread and keep its result (an error is left for ``query`` to meet)."""
    try:
        frame = db.run_query(con, name, params)
        _QUERIES.get(full, lambda: frame)
    finally:
        with _PENDING_LOCK:
            _PENDING.pop(full, None)


def derived(key: tuple, make):
    """A value derived from the served data and ``key`` (figures, source lines, scenario results), kept per process.

    ``key`` must hold everything the value depends on besides the served version; the value must
    not be mutated by its users.
    """
    return _DERIVED.get((version_key(), _encode(key)), make)


def clear_caches() -> None:
    """Forget all cached and kept values (tests, and the benchmark's cold runs)."""
    with _PENDING_LOCK:
        started = list(_PENDING.values())
        _PENDING.clear()
    for future in started:
        future.cancel() or future.exception()  # let a running query finish before its connection goes
    with _DATABASES_LOCK:
        attached = list(_DATABASES.values())
        _DATABASES.clear()
    for database in attached:
        database.close()
    process_cache.clear_all()


def sources() -> pd.DataFrame:
    """The source table (cached)."""
    return query("sources")


def kinds() -> dict[str, str]:
    """source_id -> kind for the served version."""
    return derived(("kinds",), lambda: provenance.kinds(sources()))


def illustrative(source_ids) -> bool:
    """Whether any of these sources is illustrative."""
    ids = tuple(source_ids)
    return derived(("illustrative", ids), lambda: provenance.is_illustrative(ids, sources()))


def query_sources(name: str, *columns: str, **params) -> list[str]:
    """The distinct source ids in these columns of a named query's result (kept: at EU scale a column has 50,000 rows)."""
    return derived(
        ("query_sources", name, columns, params), lambda: provenance.flatten_ids(*(query(name, **params)[c] for c in columns))
    )


def source_line(source_ids) -> str:
    """The Markdown source line for these sources, in the current language."""
    ids, L = tuple(source_ids), lang()
    return derived(("source_line", ids, L), lambda: provenance.source_line(ids, source_index(), L))


def short_source_line(source_ids) -> str:
    """The presenter's source line: published sources in full, the other kinds counted."""
    ids, L = tuple(source_ids), lang()
    return derived(("short_source_line", ids, L), lambda: provenance.short_source_line(ids, source_index(), L))


def source_index() -> dict[str, dict]:
    """The source table as source_id -> row, made once per served version."""
    return derived(("source_index",), lambda: provenance.index(sources()))


def cluster_links(ids=None) -> list[tuple[str, str]]:
    """(cluster_id, name) of the clusters ``ids`` names (all when None), by name: the profile links under a chart."""

    def by_name():
        clusters = query("clusters")
        return sorted(zip(clusters["cluster_id"], clusters["name"]), key=lambda p: p[1].casefold())

    every = derived(("cluster_links",), by_name)
    if ids is None:
        return every
    wanted = set(ids)
    return [p for p in every if p[0] in wanted]


def reconciliation() -> list[reconcile.Check]:
    """Every published total and rule held against the served data, once per served version."""
    return derived(("reconciliation",), lambda: reconcile.checks(query=query))


def conflict() -> tuple[str, list[str]]:
    """The sentence naming two published figures that disagree, in the reader's language, and their sources."""
    L = lang()
    return derived(("conflict", L), lambda: reconcile.conflict_sentence(reconciliation(), source_index(), L))


def marking() -> str:
    """The served version's confidentiality marking in the reader's language ("" when it carries none)."""
    L = lang()
    return derived(("marking",), lambda: marking_.texts(query)).get(L, "")


def cluster_palette() -> list[str]:
    """Every cluster's name in the order the clusters take the palette's colours (``charts.palette_order``), once per
    served version: a cluster has its colour on every chart."""
    return derived(("cluster_palette",), lambda: palette_order(query("clusters")))


def data_version_record() -> dict:
    """The data_version row of the data being shown (version, content_hash, built_at, origin), read once per served version."""
    return derived(("data_version_record",), lambda: query("data_version").iloc[0].to_dict())


def data_version() -> str:
    """The version of the data being shown."""
    return str(data_version_record()["version"])


def pinned(fn):
    """``fn`` made callable later from another thread with this run's data version and language.

    Deferred downloads run on a thread of their own, without the session; a chart an export builds
    there must come from the same data version and in the same language as the page it was on.
    """
    run = state()
    memo = {"served": served(), "version_key": version_key()}
    L = lang()

    def call():
        if getattr(run_local, "state", None) is run:
            return fn()
        previous = getattr(run_local, "state", None)
        run_local.state = RunState(memo=dict(memo), lang=L)
        try:
            return fn()
        finally:
            run_local.state = previous

    return call


# ---------------------------------------------------------------- the scenario model on the served data


def scenario_base(calibration: str = "rule") -> tuple[scenarios.Base, list[str]]:
    """The model's starting point and the sources behind it (kept per served version).

    ``calibration`` "total" scales it to the published yearly total (``scenarios.Base.calibrated``);
    that total's source is then among the sources. Without a published total the base is the data's.
    """
    base, ids = derived(("scenario_base",), lambda: model_input.load_base(query))
    total = published_total() if calibration == "total" else None
    if total is None:
        return base, list(ids)
    return derived(("scenario_base", "total"), lambda: base.calibrated(total[0])), [*ids, total[1]]


def prefetch_base_attainment() -> None:
    """Start the KPI attainment the model's base reads, once its base year is known (``scenario_base`` prefetched
    before): it then runs while the page builds what comes before the scenarios."""
    prefetch(derived(("attainment_query",), lambda: model_input.attainment_query(query("scenario_base"))))


def base_kinds() -> tuple[str, ...]:
    """The kinds of source of the model's starting point (the base year's subsidies), most authoritative first."""

    def read():
        found = {kinds().get(s, "unknown") for s in query_sources("scenario_base", "source_id")}
        return tuple(k for k in (*provenance.KINDS, "unknown") if k in found)

    return derived(("base_kinds",), read)


def base_kinds_text() -> str:
    """Those kinds in words, in the reader's language ("illustratief", "intern, illustratief")."""
    return ", ".join(tr(f"kind.{k}") for k in base_kinds())


def budget_ceiling() -> list[tuple[int, float, str]]:
    """The budget ceiling per year in the data (the multi-year estimate): (year, euros, source), once per served version."""

    def rows():
        table = query("budget_ceiling")
        return [(int(y), float(a), str(s)) for y, a, s in table[["year", "amount_eur", "source_id"]].itertuples(index=False)]

    return derived(("budget_ceiling",), rows)


def ceiling_sources(paths) -> list[str]:
    """The sources of the yearly ceilings a scenario took from the data (budget_ceiling): a chart drawing them cites them.

    A year's ceiling is the data's when its amount is the one the data hold for that year; one a
    reader typed is the reader's own assumption, like any other parameter.
    """
    known = {(y, round(a, 2)): s for y, a, s in budget_ceiling()}
    out: list[str] = []
    for path in paths:
        for year, amount in path:
            source = known.get((int(year), round(float(amount), 2)))
            if source and source not in out:
                out.append(source)
    return out


def published_total() -> tuple[float, str] | None:
    """The published yearly total for the basic operation and its source, or None when the data hold none."""

    def read():
        facts = query("published_facts")
        row = facts[facts["fact_id"] == reconcile.BASIC_TOTAL_FACT]
        return None if row.empty else (float(row["value"].iloc[0]), str(row["source_id"].iloc[0]))

    return derived(("published_total",), read)


def policy_parameter(parameter_id: str) -> float:
    """One value of the policy_parameters table (the spearhead cap), read once per served version."""
    return derived(
        ("policy_parameter", parameter_id),
        lambda: float(query("policy_parameters").set_index("parameter_id").loc[parameter_id, "value"]),
    )


def preset_library(base: scenarios.Base) -> dict[str, scenarios.ScenarioParams]:
    """Stored presets as parameter sets, by preset id, in the current language (a fresh dict: pages add to it)."""
    L = lang()
    return dict(derived(("presets", L), lambda: model_input.load_presets(query, base, L)))


def run_scenario(params: scenarios.ScenarioParams, calibration: str = "rule") -> scenarios.ScenarioResult:
    """Run the model on the base in ``calibration``, kept on the parameters and the language of the new-cluster labels."""
    label = tr("scenarios.new_cluster_label")
    return derived(
        ("run", params.to_dict(), label, calibration),
        lambda: scenarios.run(scenario_base(calibration)[0], params, label),
    )


def sensitivity(params: scenarios.ScenarioParams, step: float, calibration: str = "rule"):
    """Tornado data for one scenario, kept on its parameters, the step and the calibration."""
    return derived(
        ("sensitivity", params.to_dict(), step, calibration),
        lambda: sensitivity_.sensitivity(scenario_base(calibration)[0], params, step),
    )
