"""The state of one script run, the interface language and the presenter flag.

A run's state is thread-local: Streamlit runs each session's script on its own thread, and a
deferred download runs on another one with a copy of the state it was made in (``data.pinned``).
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from clusterpolicy import i18n

run_local = threading.local()


@dataclass
class RunState:
    """What one run collects: link parameters, charts, the page title and parameters, memoised lookups."""

    params: dict = field(default_factory=dict)
    charts: list = field(default_factory=list)
    top: object = None
    title: str = ""
    parameters: pd.DataFrame | None = None
    parameter_numbers: tuple | None = None  # the parameters for a workbook (tables.scenario_parameter_numbers)
    question: str = ""  # what the page answers (its introduction), for the briefing
    headlines: list = field(default_factory=list)  # Headline: the page's headline figures
    tables: list = field(default_factory=list)  # outline.Table: the page's tables beside its charts, in every export
    controls: object = None
    nav: object = None  # presenter mode: the row of the deck's buttons, made before the page runs
    memo: dict = field(default_factory=dict)
    lang: str | None = None  # set only in a pinned state (see pinned)


def state() -> RunState:
    """This run's state (a fresh one outside a run, e.g. in tests)."""
    current = getattr(run_local, "state", None)
    if current is None:
        current = run_local.state = RunState()
    return current


def begin() -> RunState:
    """A fresh state for a new run."""
    run_local.state = RunState()
    return run_local.state


def lang() -> str:
    """The interface language: the sidebar choice (in the link as ?lang=), else the browser's language."""
    run = state()
    if run.lang:
        return run.lang
    if "lang" not in run.memo:  # once a run: the frame settles the language before anything asks for it
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


def presenting() -> bool:
    """Whether the presenter mode is on (sidebar toggle or ?present=1); settled for the run once the toggle is drawn."""
    memo = state().memo
    if "present" in memo:
        return memo["present"]
    return bool(st.session_state.get("present"))


_log = logging.getLogger("clusterpolicy")


def _who() -> str:
    try:
        if st.user.get("is_logged_in") is True:
            return str(st.user.get("email") or st.user.get("sub") or "")
    except Exception:  # noqa: BLE001 - no sign-in configured, or no session
        pass
    return ""


def log_failure(event: str, **fields) -> str:
    """Log the exception being handled as one JSON line (event, reference, user, address, server, fields) with its
    traceback after it; returns the short reference the reader is shown, which finds the line in any replica's log."""
    reference = uuid.uuid4().hex[:8]
    try:
        address = st.context.url or ""
    except Exception:  # noqa: BLE001 - no request (AppTest)
        address = ""
    line = {
        "event": event,
        "reference": reference,
        "user": _who(),
        "address": address[:300],
        "server": f"{st.get_option('server.address') or ''}:{st.get_option('server.port')}",
        **fields,
    }
    _log.exception(json.dumps(line, ensure_ascii=False, default=str))
    return reference
