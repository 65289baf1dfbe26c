"""The view's state in its link: read once per session, written back at the end of every run.

A malformed or out-of-range value falls back to its default and leaves a notice on the page; the
notices are shown by ``show_notices`` at the top of the page.
"""

from __future__ import annotations

import logging
import urllib.parse
from dataclasses import replace

import streamlit as st

from clusterpolicy import i18n
from clusterpolicy.data import provenance, shortlinks, store
from clusterpolicy.data.library import PAGE_PREFIX
from clusterpolicy.model import scenarios
from clusterpolicy.naming import unique_name
from clusterpolicy.present import urlstate
from clusterpolicy.web.data import data_version, data_version_record
from clusterpolicy.web.run import default_lang, lang, presenting, state, tr

_log = logging.getLogger("clusterpolicy")

GLOBAL_PARAMS = {
    "lang": urlstate.Param("lang", "str", None, choices=i18n.LANGS),
    "present": urlstate.Param("present", "bool", False),
    "slide": urlstate.Param("slide", "int", 1, lo=1, hi=99),
}


# scenarios compared at once: the reference and three others (more lines no longer read apart)
MAX_COMPARED = 4


def add_to_comparison(scenario_id: str) -> None:
    """Put a scenario into the comparison, keeping the first (the reference the others are measured
    against) and at most MAX_COMPARED in all: the oldest of the others makes room."""
    ss = st.session_state
    chosen = [s for s in ss.get("sc", []) if s != scenario_id]
    ss["sc"] = chosen[:1] + (chosen[1:] + [scenario_id])[-(MAX_COMPARED - 1) :]


def _read_link_once(param: urlstate.Param, follow: bool = False) -> None:
    """On the session's first look at a parameter, take its value from the link, or note why not.

    ``follow``: also take it whenever the link holds another value than the run before wrote into it:
    the link was changed from outside the page (st.page_link with query parameters), and what it
    names is opened. A widget changed on the page leaves the link as it was written, until write().
    """
    memo = state().memo
    read = memo.get("url_read")
    if read is None:  # the session's set, looked up once a run (session state costs microseconds a look)
        read = memo["url_read"] = st.session_state.setdefault("_url_read", set())
    ss = st.session_state
    if follow:
        raw = st.query_params.get_all(param.key)
        if raw and ss.get("_link_written", {}).get(param.key) != raw:
            read.discard(param.key)
    if param.key in read:
        return
    read.add(param.key)
    raw = st.query_params.get_all(param.key)
    if raw:
        value, ok = param.parse(raw)
        if ok:
            ss[param.key] = value
        else:
            ss.setdefault("_notices", []).append((param.key, raw))


def url_param(key: str, default, kind: str = "str", follow: bool = False, **spec):
    """Declare a page widget whose value lives in the link; read it from the link on the session's first visit.

    Call before creating the widget (with ``key=key`` and no default of its own). A malformed or
    out-of-range value in the link falls back to the default and leaves a notice on the page.
    ``follow`` takes a new value from the link later in the session too (see _read_link_once).
    """
    param = urlstate.Param(key, kind, default, **spec)
    state().params[key] = param
    ss = st.session_state
    _read_link_once(param, follow)
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
                # the reader gets a plain sentence; what exactly was wrong goes to the log
                _log.info("custom scenarios in a link refused: %s", exc)
                ss.setdefault("_notices", []).append(("cs", []))
            else:
                # ids stay by position (the link's sc= names them so); names are made distinct, as
                # the editor keeps them (links from before it could carry one name twice)
                custom.clear()
                for i, p in enumerate(parsed, start=1):
                    taken = {kept["name"] for kept in custom.values()}
                    custom[f"custom_{i}"] = replace(p, name=unique_name(p.name, taken)).to_dict()
    return custom


def page_url(fallback_path: str = "") -> str:
    """This page's address without its query (AppTest has none: then localhost and ``fallback_path``)."""
    try:
        base = st.context.url
    except Exception:  # noqa: BLE001 - no request to read it from
        base = None
    return (base or f"http://localhost:8501/{fallback_path}").split("?")[0]


def open_short_link(who) -> None:
    """On a session's first run, a link ``?k=<code>`` becomes the full view it stands for (before any setting is read).

    Only for someone let in (the frame asks first); an unknown code opens the page's defaults with a notice.
    """
    ss = st.session_state
    code = st.query_params.get("k")
    if not code or ss.get("_short_read"):
        return
    ss["_short_read"] = True
    found = shortlinks.resolve(code, actor=who)
    if found is None:
        ss.setdefault("_notices", []).append(("k", [code]))
        return
    _page, query, _version = found
    pairs = urllib.parse.parse_qs(query, keep_blank_values=True)
    st.query_params.from_dict({k: v if len(v) > 1 else v[0] for k, v in pairs.items()})


def short_link(who) -> str:
    """The short link of this view (made once per view and kept in the application state)."""
    long = current_link()
    base, _, query = long.partition("?")
    page = urllib.parse.urlsplit(base).path.rstrip("/").rsplit("/", 1)[-1]  # "" for the overview
    made = st.session_state.setdefault("_short_links", {})  # one write per view and session, not one per rerun
    if (page, query) not in made:
        made[(page, query)] = shortlinks.make(page, query, data_version(), actor=who)
    return f"{base}?k={made[(page, query)]}"


def current_link() -> str:
    """The link that reopens this view, built from the values written to the URL."""
    base = page_url()
    pairs = []
    for key, value in _url_values().items():
        for v in value if isinstance(value, list) else [value]:
            pairs.append((key, v))
    return base + ("?" + urllib.parse.urlencode(pairs) if pairs else "")


def _param_values() -> dict:
    """The page parameters' values in the session now (those it has)."""
    ss = st.session_state
    return {k: v for k in state().params if (v := ss.get(k, _MISSING)) is not _MISSING}


def _url_values(now: dict | None = None) -> dict:
    """The values the link carries; ``now`` holds the page parameters' values if already read this run."""
    ss = st.session_state
    values: dict = {"lang": lang()}
    if presenting():
        values["present"] = "1"
        values["slide"] = str(ss.get("slide", 1))
    if now is None:
        now = _param_values()
    for key, param in state().params.items():
        out = param.serialize(now.get(key, param.default))
        if out is not None:
            values[key] = out
    if "sc" in state().params:
        saved = [x.removeprefix(PAGE_PREFIX) for x in now.get("sc", []) if isinstance(x, str) and x.startswith(PAGE_PREFIX)]
        if saved:  # the compared scenarios from the team library, by their short ids
            values["s"] = saved
    custom = ss.get("custom_scenarios") or {}
    if custom and "sc" in state().params:
        values["cs"] = urlstate.encode_scenarios(list(custom.values()), scenarios.ScenarioParams().to_dict())
    values["v"] = data_version()
    return values


def read_globals() -> None:
    """At the start of a run: the link's language, presenter mode and slide, and the data version it was made on."""
    ss = st.session_state
    if "_link_version" not in ss:
        ss["_link_version"] = version = st.query_params.get("v")
        # a link made on a version that is still kept reopens on it: the figures shown then
        kept_file = store.version_file(version) if version else None
        if kept_file is not None and kept_file.resolve() != store.served_path().resolve():
            ss["_pinned_file"] = str(kept_file)
    for param in GLOBAL_PARAMS.values():
        _read_link_once(param)
    if ss.get("lang") not in i18n.LANGS:
        ss["lang"] = default_lang()
    ss.setdefault("present", False)
    _keep_choices_across_languages()


# widgets whose options are written in the reader's language (format_func), and containers whose
# label is: after a change of language the browser showed the old words (the compared scenarios'
# chips) or a new, closed container (the editor); set again by value, each keeps its state in the new words
WORDED_CHOICES = (
    "sc", "sc_from", "sc_focus", "sc_tornado", "sc_year", "sc_cal", "sc_view", "sc_measure",
    "gs_sc", "gs_param", "gs_goal", "kpi_id", "kpi_clusters", "pc_kpi", "pc_sc", "c", "ec_themes",
    "lib_pick", "lib_rev", "lib_from_custom", "lib_save_from", "data_table", "imp_what", "imp_mode",
    "ver_pick", "ver_restore_pick",
    # expanders and popovers are told apart by their label too: open ones stay open
    "sc_editor", "sc_library", "sc_goal", "x_panel", "mark_open",
)  # fmt: skip


def _keep_choices_across_languages() -> None:
    """After a change of language, every worded choice is set again by its value, so it is kept in the new words."""
    ss = st.session_state
    before, now = ss.get("_choices_lang"), ss["lang"]
    ss["_choices_lang"] = now
    if before is None or before == now:
        return
    keys = [k for k in ss if isinstance(k, str)]
    shares = [k for k in keys if k.startswith("f_") and k.rsplit("_", 1)[-1] in ("start", "end", "share")]
    # a chart's data table or its profile menu, opened
    tables = [k for k in keys if k.endswith(("_table", "_profiles")) and isinstance(ss[k], bool)]
    for key in (*WORDED_CHOICES, *shares, *tables):
        if key in ss:
            try:
                ss[key] = ss[key]  # read with the old words, written back as the value itself
            except Exception:  # noqa: BLE001 - a widget whose value cannot be set is left as it is
                _log.debug("kept %s as it was across a change of language", key)


def write() -> dict:
    """At the end of a run: keep the page parameters' values and write the link if it changed; returns its values."""
    ss = st.session_state
    now = _param_values()
    ss["_kept_values"] = {**ss.get("_kept_values", {}), **now}
    values = _url_values(now)
    current = {k: st.query_params.get_all(k) for k in st.query_params}
    wanted = {k: v if isinstance(v, list) else [v] for k, v in values.items()}
    if current != wanted:
        st.query_params.from_dict(values)
    ss["_link_written"] = wanted
    return values


def show_notices(values: dict) -> None:
    """The link's refused values, and a note when the link was made on other data than is shown."""
    ss = st.session_state
    for key, raw in ss.pop("_notices", []):
        if key == "k":  # a short link that names no view
            st.warning(tr("link.unknown_short", code=provenance.md_escape(raw[0][:20])), icon=":material/link_off:")
            continue
        if key == "page":  # an address that names no page: the overview is shown
            st.warning(tr("link.unknown_page", path=provenance.md_escape(raw[0][:60])), icon=":material/link_off:")
            continue
        if key == "cs":  # own scenarios in the link that cannot be read
            st.warning(tr("link.bad_scenarios"), icon=":material/link_off:")
            continue
        if key == "s":  # a short link to a saved scenario that does not exist
            st.warning(tr("library.unknown_link", id=provenance.md_escape(", ".join(raw)[:40])), icon=":material/link_off:")
            continue
        st.warning(
            tr("link.bad_value", param=provenance.md_escape(key), value=provenance.md_escape(", ".join(raw)[:60])),
            icon=":material/link_off:",
        )
    if ss.get("_pinned_file") and values["v"] == ss.get("_link_version"):
        record = data_version_record()
        box = st.container(horizontal=True, vertical_alignment="center", key="as_it_was")
        box.info(
            tr("link.as_it_was", built=str(record["built_at"])[:16], version=values["v"]),
            icon=":material/history:",
            width="stretch",
        )
        box.button(tr("link.to_current"), key="to_current", type="primary", icon=":material/update:", on_click=_to_current)
        return
    old = ss.get("_link_version")
    if old and old != values["v"]:
        st.warning(tr("link.data_changed", old=provenance.md_escape(old[:12]), new=values["v"]), icon=":material/update:")


def _to_current() -> None:
    """Button callback: leave the link's older data version for the current data."""
    ss = st.session_state
    ss.pop("_pinned_file", None)
    ss["_link_version"] = None
