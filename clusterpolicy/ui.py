"""The one Streamlit module of the package: cached connection and queries, language, chart display.

Pages call these helpers and the pure modules; they never build SQL, run the model by hand or
format numbers themselves.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import urllib.parse
import uuid
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

import orjson
import pandas as pd
import pyarrow as pa
import streamlit as st

from . import build, charts, db, i18n, keep, provenance, report, scenarios, store, urlstate
from .paths import db_path

PLOTLY_CONFIG = {
    "displaylogo": False,
    "toImageButtonOptions": {"format": "png", "scale": 2},
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
}


def use_router() -> None:
    """Make sure the page runs under the app's st.navigation, not Streamlit's legacy pages/ discovery.

    Streamlit runs a pages/ folder in its old multipage mode until some session has called
    st.navigation; a link straight to /scenarios on a fresh server would then run that page alone
    (no sidebar, no language). Here the frame takes over in the same run: it calls st.navigation,
    which resolves the same url_path to the same page and runs it, and then this legacy run stops.
    The frame runs under the main script's hash, as it does under st.navigation, so the sidebar's
    widgets keep their ids (and values) from one page to the next. AppTest switches back to the
    legacy mode before every run, so this path is taken on every AppTest run; taking over in place
    instead of rerunning saved 4-5% of a warm rerun there (measured pairwise, 200 reruns a page).
    """
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    if not PagesManager.uses_pages_directory:
        return
    PagesManager.uses_pages_directory = False
    ctx = get_script_run_ctx()
    as_main = getattr(ctx, "run_with_active_hash", None)
    if as_main is None:  # a Streamlit without it: hand over by rerunning
        st.rerun()
    from . import app

    with as_main(ctx.pages_manager.main_script_hash):
        app.main()
    st.stop()


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
    memo = _state().memo
    if "served" in memo:
        return memo["served"]
    path = store.served_path()
    if path == db_path() and not path.is_file():
        build.ensure_built(path)
    memo["served"] = str(path)
    return memo["served"]


def connection():
    """The served database version, attached read-only once per process."""
    return _connection(served())


def version_key() -> tuple:
    """What identifies the served data in cache keys: its file, size and modification time (once a run)."""
    memo = _state().memo
    if "version_key" not in memo:
        path = Path(served())
        stat = path.stat()
        memo["version_key"] = (str(path), stat.st_size, stat.st_mtime_ns)
    return memo["version_key"]


_QUERIES = keep.Keeper("queries", 256)
_DERIVED = keep.Keeper("derived", 1024)


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
    memo = _state().memo
    if key not in memo:
        full = (version_key(), *key)
        with _PENDING_LOCK:
            started = _PENDING.get(full)
        if started is not None:
            wait([started])  # it keeps its result; if it failed, the query runs again here and raises here
        memo[key] = _QUERIES.get(full, lambda: db.run_query(connection(), name, params))
    return memo[key].copy(deep=False)


# DuckDB releases the GIL while it runs a query: queries a page is about to ask for run on these
# threads (each on its own cursor) while the page builds its first figures
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
    keep.clear_all()


def lang() -> str:
    """The interface language: the sidebar choice (in the link as ?lang=), else the browser's language."""
    run = _state()
    if run.lang:
        return run.lang
    if "lang" not in run.memo:  # once a run: start_run settles the language before anything asks for it
        chosen = st.session_state.get("lang")
        run.memo["lang"] = chosen if chosen in i18n.LANGS else default_lang()
    return run.memo["lang"]


def default_lang() -> str:
    """Dutch for a Dutch-speaking browser, English for others."""
    try:
        locale = st.context.locale
    except Exception:  # AppTest and old clients may not report a locale
        locale = None
    return i18n.lang_from_locale(locale)


def tr(key: str, **values) -> str:
    """Interface text in the current language."""
    return i18n.t(key, lang(), **values)


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


def source_index() -> dict[str, dict]:
    """The source table as source_id -> row, made once per served version."""
    return derived(("source_index",), lambda: provenance.index(sources()))


def source_caption(source_ids, where=None) -> None:
    """The source line in small type at full contrast (st.caption fades links below WCAG AA contrast)."""
    (where or st).markdown(":small[" + source_line(source_ids) + "]")


def _pinned(fn):
    """``fn`` made callable later from another thread with this run's data version and language.

    Deferred downloads run on a thread of their own, without the session; a chart an export builds
    there must come from the same data version and in the same language as the page it was on.
    """
    run = _state()
    memo = {"served": served(), "version_key": version_key()}
    L = lang()

    def call():
        if getattr(_local, "state", None) is run:
            return fn()
        previous = getattr(_local, "state", None)
        _local.state = _RunState(memo=dict(memo), lang=L)
        try:
            return fn()
        finally:
            _local.state = previous

    return call


class _KeptChart:
    """A kept chart: the JSON the page draws, and the validated figure and its table when asked for."""

    def __init__(self, built, table):
        self._built = built  # a charts.Drawn, or a go.Figure from a builder that makes its own
        self._table = table  # a frame, a function that makes one, or None (read off the figure)
        self.prepared = built.prepared if isinstance(built, charts.Drawn) else charts.PreparedFigure.of(built)

    @property
    def fig(self):
        return self._built.figure() if isinstance(self._built, charts.Drawn) else self._built

    @property
    def table(self) -> pd.DataFrame:
        if callable(self._table):
            self._table = self._table()
        elif self._table is None:
            self._table = charts.figure_table(self.fig)
        return self._table


def _cached_chart(key: str, deps, build, table) -> _KeptChart:
    """The chart from the process-wide store, built on a miss.

    Building a figure costs 5-15 ms, more than everything else in a rerun, so charts are kept per
    chart key, the inputs that determine them (``deps``), the language and the served data version.
    They are built as drafts (charts.drafts): the page draws their JSON, and Plotly validates the
    figure only when an export, a slide or the data table needs it. Kept figures are never mutated
    (presenter mode copies them).
    """

    def make():
        with charts.drafts():
            built = build()
        if isinstance(built, tuple):  # a builder that makes the table along with the figure
            built, table_ = built
            return _KeptChart(built, table_)
        return _KeptChart(built, table)  # a table function runs when the table is first shown or exported

    return derived(("chart", key, deps, lang()), make)


def show_chart(build, key: str, source_ids, table=None, deps=None, draw: bool = True) -> None:
    """Register a chart of the view and draw it with its source line and the data behind it.

    ``build`` makes the figure, or (figure, table); it runs only when no figure is kept for this
    chart key, ``deps`` (everything the figure depends on besides the data version and language)
    and the language. ``table`` is the data behind the chart (a frame, or a function making one);
    by default it is read from the figure's traces. A chart registered with ``draw=False`` (one in
    a section of the page not shown now) or in presenter mode is built only when an export or a
    slide asks for it.
    """

    def make() -> _KeptChart:
        return _cached_chart(key, deps, build, table)

    def for_export():
        kept = make()
        return kept.fig, kept.table

    item = report.ChartItem(key, None, list(source_ids), build=_pinned(for_export))
    _state().charts.append(item)
    if presenting() or not draw:
        return
    kept = make()
    st.plotly_chart(kept.prepared, key=key, width="stretch", config=PLOTLY_CONFIG, theme=None)
    source_caption(item.source_ids)
    # The table is built only while its expander is open (opening it reruns the page): most readers
    # never open it, and converting it to Arrow on every rerun cost more than the chart itself.
    box = st.expander(tr("a11y.data_table"), icon=":material/table:", key=f"{key}_table", on_change="rerun")
    if box.open:
        box.dataframe(report.localise(kept.table, lang()), hide_index=True, key=f"{key}_data")


# ---------------------------------------------------------------- scenarios


def scenario_base() -> tuple[scenarios.Base, list[str]]:
    """The model's starting point and the sources behind it (kept per served version)."""

    def make():
        funding = query("scenario_base")
        envelopes = query("earmarked_last_level")
        year = int(funding["year"].max())
        attainment = query("kpi_attainment_by_cluster", year=year)
        base = scenarios.Base.from_frames(funding, envelopes, attainment)
        ids = provenance.flatten_ids(funding["source_id"], envelopes["source_id"], attainment["source_ids"])
        return base, ids

    base, ids = derived(("scenario_base",), make)
    return base, list(ids)


def preset_library(base: scenarios.Base) -> dict[str, scenarios.ScenarioParams]:
    """Stored presets as parameter sets, by preset id, in the current language (a fresh dict: pages add to it)."""
    L = lang()

    def make():
        presets = query("scenario_presets")
        return {row["preset_id"]: scenarios.preset_params(row, base, L) for _, row in presets.iterrows()}

    return dict(derived(("presets", L), make))


def run_scenario(params: scenarios.ScenarioParams) -> scenarios.ScenarioResult:
    """Run the model, kept on the parameters and the language of the new-cluster labels."""
    label = tr("scenarios.new_cluster_label")
    return derived(("run", params.to_dict(), label), lambda: scenarios.run(scenario_base()[0], params, label))


def sensitivity(params: scenarios.ScenarioParams, step: float):
    """Tornado data for one scenario, kept on its parameters and the step."""
    return derived(("sensitivity", params.to_dict(), step), lambda: scenarios.sensitivity(scenario_base()[0], params, step))


def show_table(deps: tuple, make, key: str, **kwargs) -> None:
    """A table that depends only on the served data and ``deps``, made and converted to Arrow once.

    ``st.dataframe`` converts a pandas frame to Arrow on every rerun (about 0.7 ms for 50 rows,
    more for the 1,000-row project list); a kept Arrow table is passed through as is.
    """
    arrow = derived(("table", key, deps, lang()), lambda: pa.Table.from_pandas(make(), preserve_index=False))
    st.dataframe(arrow, hide_index=True, key=key, **kwargs)


def sources_config() -> dict:
    """Column configuration for the source list: links clickable, notes wide."""
    url, note = tr("data.col_url"), tr("data.col_note")
    return {url: st.column_config.LinkColumn(url, width="medium"), note: st.column_config.TextColumn(note, width="large")}


def typed_config(df: pd.DataFrame) -> dict:
    """Number columns as numbers in the browser's locale; years without thousands separators."""
    config = {}
    for col in df.columns:
        if col.endswith("_eur") or col in ("value", "target"):
            config[col] = st.column_config.NumberColumn(col, format="localized")
        elif col.endswith("year"):
            config[col] = st.column_config.NumberColumn(col, format="%d")
    return config


# ---------------------------------------------------------------- one run: URL state, charts, presenter deck, exports

_local = threading.local()


@dataclass
class _RunState:
    params: dict = field(default_factory=dict)
    charts: list = field(default_factory=list)
    notices: list = field(default_factory=list)
    top: object = None
    title: str = ""
    parameters: pd.DataFrame | None = None
    controls: object = None
    memo: dict = field(default_factory=dict)
    lang: str | None = None  # set only in a pinned state (see _pinned)


def _state() -> _RunState:
    state = getattr(_local, "state", None)
    if state is None:
        state = _local.state = _RunState()
    return state


GLOBAL_PARAMS = {
    "lang": urlstate.Param("lang", "str", None, choices=i18n.LANGS),
    "present": urlstate.Param("present", "bool", False),
    "slide": urlstate.Param("slide", "int", 1, lo=1, hi=99),
}


def start_run() -> None:
    """Called first by dashboard.py: a fresh run state, the link's global values, a place for notices."""
    _local.state = _RunState()
    ss = st.session_state
    if "_link_version" not in ss:
        ss["_link_version"] = st.query_params.get("v")
    for param in GLOBAL_PARAMS.values():
        _read_link_once(param)
    if ss.get("lang") not in i18n.LANGS:
        ss["lang"] = default_lang()
    ss.setdefault("present", False)
    # notices (full width) and the export button (right) above the page: one row that wraps
    _state().top = st.container(horizontal=True, horizontal_alignment="right")


def _read_link_once(param: urlstate.Param) -> None:
    """On the session's first look at a parameter, take its value from the link, or note why not."""
    memo = _state().memo
    read = memo.get("url_read")
    if read is None:  # the session's set, looked up once a run (session state costs microseconds a look)
        read = memo["url_read"] = st.session_state.setdefault("_url_read", set())
    if param.key in read:
        return
    ss = st.session_state
    read.add(param.key)
    raw = st.query_params.get_all(param.key)
    if raw:
        value, ok = param.parse(raw)
        if ok:
            ss[param.key] = value
        else:
            ss.setdefault("_notices", []).append((param.key, raw))


def url_param(key: str, default, kind: str = "str", **spec):
    """Declare a page widget whose value lives in the link; read it from the link on the session's first visit.

    Call before creating the widget (with ``key=key`` and no default of its own). A malformed or
    out-of-range value in the link falls back to the default and leaves a notice on the page.
    """
    param = urlstate.Param(key, kind, default, **spec)
    _state().params[key] = param
    ss = st.session_state
    _read_link_once(param)
    value = ss.get(key, _MISSING)
    if value is _MISSING or not param.accepts(value):
        # Streamlit forgets a widget's value after a run that did not draw it (a hidden section);
        # the value kept at the end of the last run brings it back
        kept = ss.get("_kept_values", {}).get(key, default)
        value = ss[key] = kept if param.accepts(kept) else default
    return value


_MISSING = object()


def load_custom_scenarios() -> dict:
    """Custom scenarios of this session, first taken from the link's ?cs= (validated) on the session's first visit."""
    ss = st.session_state
    custom = ss.setdefault("custom_scenarios", {})
    if not ss.get("_cs_read"):
        ss["_cs_read"] = True
        raw = st.query_params.get("cs")
        if raw:
            try:
                items = urlstate.decode_scenarios(raw, scenarios.ScenarioParams().to_dict())
                parsed = [scenarios.ScenarioParams.from_dict(d).validated() for d in items]
            except (ValueError, TypeError) as exc:
                ss.setdefault("_notices", []).append(("cs", [str(exc)[:80]]))
            else:
                custom.clear()
                custom.update({f"custom_{i}": p.to_dict() for i, p in enumerate(parsed, start=1)})
    return custom


def presenting() -> bool:
    """Whether the presenter mode is on (sidebar toggle or ?present=1); settled for the run once the toggle is drawn."""
    memo = _state().memo
    if "present" in memo:
        return memo["present"]
    return bool(st.session_state.get("present"))


def presenter_toggle() -> None:
    """The sidebar's presenter toggle; its value holds for the rest of the run (pages ask a dozen times)."""
    _state().memo["present"] = bool(st.toggle(tr("present.toggle"), key="present", help=tr("present.help")))


def set_title(title: str) -> None:
    """The page title: shown as a heading (not in presenter mode) and used for exports."""
    _state().title = title
    if not presenting():
        st.title(title)


def set_parameters(table: pd.DataFrame) -> None:
    """Parameters behind the view (e.g. the compared scenarios), printed on every export."""
    _state().parameters = table


def controls():
    """A container for a page's controls: inline normally, tucked into a closed expander when presenting."""
    if presenting():
        # one closed expander per page for all its controls, so nothing is clicked by accident
        run = _state()
        if run.controls is None:
            run.controls = st.expander(tr("present.controls"), expanded=False, icon=":material/tune:")
        return run.controls
    return contextlib.nullcontext()  # inline where the page is (a container of its own would cost an element)


def data_version_record() -> dict:
    """The data_version row of the data being shown (version, content_hash, built_at, origin), read once per served version."""
    return derived(("data_version_record",), lambda: query("data_version").iloc[0].to_dict())


def data_version() -> str:
    """The version of the data being shown."""
    return str(data_version_record()["version"])


def current_link() -> str:
    """The link that reopens this view, built from the values written to the URL."""
    base = None
    try:
        base = st.context.url
    except Exception:
        base = None
    base = base or "http://localhost:8501/"
    pairs = []
    for key, value in _url_values().items():
        for v in value if isinstance(value, list) else [value]:
            pairs.append((key, v))
    return base.split("?")[0] + ("?" + urllib.parse.urlencode(pairs) if pairs else "")


def _param_values() -> dict:
    """The page parameters' values in the session now (those it has)."""
    ss = st.session_state
    return {k: v for k in _state().params if (v := ss.get(k, _MISSING)) is not _MISSING}


def _url_values(now: dict | None = None) -> dict:
    """The values the link carries; ``now`` holds the page parameters' values if already read this run."""
    ss = st.session_state
    values: dict = {"lang": lang()}
    if presenting():
        values["present"] = "1"
        values["slide"] = str(ss.get("slide", 1))
    if now is None:
        now = _param_values()
    for key, param in _state().params.items():
        out = param.serialize(now.get(key, param.default))
        if out is not None:
            values[key] = out
    custom = ss.get("custom_scenarios") or {}
    if custom and "sc" in _state().params:
        values["cs"] = urlstate.encode_scenarios(list(custom.values()), scenarios.ScenarioParams().to_dict())
    values["v"] = data_version()
    return values


def finish_page() -> None:
    """Called last by dashboard.py: write the link, show notices, draw the presenter deck and the export panel."""
    run = _state()
    ss = st.session_state
    now = _param_values()
    ss["_kept_values"] = {**ss.get("_kept_values", {}), **now}
    values = _url_values(now)
    current = {k: st.query_params.get_all(k) for k in st.query_params}
    wanted = {k: v if isinstance(v, list) else [v] for k, v in values.items()}
    if current != wanted:
        st.query_params.from_dict(values)
    with run.top:
        for key, raw in ss.pop("_notices", []):
            st.warning(
                tr("link.bad_value", param=provenance.md_escape(key), value=provenance.md_escape(", ".join(raw)[:60])),
                icon=":material/link_off:",
            )
        old = ss.get("_link_version")
        if old and old != values["v"]:
            st.warning(tr("link.data_changed", old=provenance.md_escape(old[:12]), new=values["v"]), icon=":material/update:")
    if presenting():
        _presenter_deck(run)
    elif run.charts:
        _export_panel(run)


MIME_TYPES = {
    "csv": "text/csv",
    "html": "text/html",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


def download(where, label: str, make, file_name: str, key: str, icon: str = ":material/download:", **kwargs) -> None:
    """A download button whose file is made only when it is clicked; the MIME type follows the extension.

    A click does not rerun the page (on_click="ignore"): nothing on the page changes, and the
    download would otherwise be started alongside a rerun of the whole page.
    """
    mime = MIME_TYPES[file_name.rsplit(".", 1)[-1]]
    where.download_button(label, make, file_name=file_name, mime=mime, key=key, icon=icon, on_click="ignore", **kwargs)


def _view(run: _RunState) -> report.View:
    return report.View(
        title=run.title or tr("nav.overview"),
        lang=lang(),
        link=current_link(),
        data_version=data_version(),
        charts=list(run.charts),
        sources=sources(),
        parameters=run.parameters,
    )


def _export_panel(run: _RunState) -> None:
    """A "take this view along" button at the top right; its downloads and link are built only while it is open.

    Each file is made only when its button is clicked.
    """
    panel = run.top.popover(tr("export.title"), icon=":material/ios_share:", key="x_panel", on_change="rerun")
    if not panel.open:
        return
    view = _view(run)
    stem = report.file_stem(view)
    kinds = (
        ("pptx", report.to_pptx, ":material/slideshow:"),
        ("xlsx", report.to_xlsx, ":material/table_view:"),
        ("html", report.to_html, ":material/description:"),
        ("csv", report.to_csv, ":material/csv:"),
    )
    with panel:
        st.markdown(":small[" + tr("export.intro") + "]")
        for kind, make, icon in kinds:
            download(st, tr(f"export.{kind}"), lambda make=make: make(view), f"{stem}.{kind}", f"x_{kind}", icon, width="stretch")
        st.text_input(tr("export.link_label"), value=view.link, key="x_link", help=tr("export.link_help"))


PRESENTER_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"] { display: none !important; }
[data-testid="stMainBlockContainer"] { padding-top: 1.2rem !important; max-width: 100% !important; }
[data-testid="stMain"] p, [data-testid="stMain"] p span, [data-testid="stMain"] button,
[data-testid="stMain"] kbd, [data-testid="stMain"] label { font-size: 1.25rem !important; }
</style>
"""


def _presenter_deck(run: _RunState) -> None:
    """One chart at a time, full width and large; previous/next by buttons or the arrow keys; Esc leaves."""
    # fixed CSS written here, never text from data
    st.html(PRESENTER_CSS)
    n = len(run.charts)
    ss = st.session_state
    if n == 0:
        st.info(tr("present.no_charts"))
        return
    slide = min(max(int(ss.get("slide", 1)), 1), n)
    ss["slide"] = slide
    item = run.charts[slide - 1]
    c1, c2, c3, c4 = st.columns([1, 1, 3, 1])
    c1.button(
        tr("present.previous"),
        key="p_prev",
        shortcut="Left",
        disabled=slide <= 1,
        on_click=_go_to_slide,
        args=(slide - 1,),
        icon=":material/arrow_back:",
        width="stretch",
    )
    c2.button(
        tr("present.next"),
        key="p_next",
        shortcut="Right",
        disabled=slide >= n,
        on_click=_go_to_slide,
        args=(slide + 1,),
        icon=":material/arrow_forward:",
        width="stretch",
    )
    c3.markdown(tr("present.position", i=slide, n=n, title=provenance.md_escape(run.title)))
    c4.button(
        tr("present.stop"), key="p_stop", shortcut="Esc", on_click=_stop_presenting, icon=":material/close:", width="stretch"
    )
    st.plotly_chart(charts.for_presenter(item.fig), key=f"present_{item.key}", width="stretch", config=PLOTLY_CONFIG, theme=None)
    source_caption(item.source_ids)


def _go_to_slide(i: int) -> None:
    st.session_state["slide"] = i


def _stop_presenting() -> None:
    st.session_state["present"] = False


# ---------------------------------------------------------------- imports and versions (data page)


def try_import(table: str, data: bytes, file_name: str, mode: str, dry_run: bool):
    """(result, problems): a dry run or a real import, with problems instead of an exception."""
    from . import importer

    try:
        return importer.import_file(table, data, file_name, mode, dry_run=dry_run), []
    except build.ValidationError as exc:
        return None, exc.problems


def column_docs(table: str) -> pd.DataFrame:
    """The columns of an importable table with type, required and description."""
    return query("build/table_column_docs", table=table)


def template(table: str, kind: str) -> bytes:
    """An import template: header and an example row (CSV), plus column descriptions (XLSX)."""
    from . import exports, importer

    example, docs = importer.template_frames(connection(), table)
    if kind == "xlsx":
        return exports.to_xlsx({table: example, "columns": docs}, {"table": table, "data_version": data_version()})
    return exports.to_csv(example, lang())


def has_previous_version() -> bool:
    """Whether an import can be undone (kept per served version: every import and undo changes it)."""
    return derived(("has_previous_version",), lambda: store.previous_path() is not None)


def restore_previous() -> None:
    """Button callback: serve the previous version again."""
    try:
        path = store.restore_previous()
    except LookupError:
        return
    st.session_state["restored"] = path.stem


_log = logging.getLogger("clusterpolicy")


def report_error() -> None:
    """Log the current exception with a short reference and show the reader only that reference."""
    reference = uuid.uuid4().hex[:8]
    _log.exception("page failed (reference %s)", reference)
    st.error(tr("error.friendly", reference=reference), icon=":material/error:")


def run_import(table: str, data: bytes, file_name: str, mode: str) -> None:
    """Button callback: import for real (validated again), then report the new version or the problems."""
    result, problems = try_import(table, data, file_name, mode, dry_run=False)
    if problems:
        st.session_state["imp_failed"] = problems
    elif result is not None and result.applied:
        st.session_state["imp_done"] = (result.version_before, result.version_after)
