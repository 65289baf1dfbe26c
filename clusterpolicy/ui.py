"""The one Streamlit module of the package: cached connection and queries, language, chart display.

Pages call these helpers and the pure modules; they never build SQL, run the model by hand or
format numbers themselves.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import streamlit as st

from . import build, db, i18n, provenance, scenarios
from .paths import db_path

PLOTLY_CONFIG = {
    "displaylogo": False,
    "toImageButtonOptions": {"format": "png", "scale": 2},
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
}


def use_router() -> None:
    """Make sure the page runs under dashboard.py's st.navigation, not Streamlit's legacy pages/ discovery.

    Streamlit runs a pages/ folder in its old multipage mode until some session has called
    st.navigation; a link straight to /scenarios on a fresh server would then run that page alone
    (no sidebar, no language). Switching the flag and rerunning hands the request to the router,
    which resolves the same url_path to the same page.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


@st.cache_resource(show_spinner=False)
def _connection(path: str):
    """One read-only connection per database file and process; queries take their own cursor."""
    build.ensure_built(Path(path))
    return db.connect(path)


def connection():
    """The process-wide read-only connection to the published database."""
    return _connection(str(db_path()))


@st.cache_data(ttl=600, max_entries=256, show_spinner=False)
def _query(name: str, path: str, params: tuple) -> pd.DataFrame:
    return db.run_query(_connection(path), name, dict(params))


def query(name: str, **params) -> pd.DataFrame:
    """A named query's result, cached on its name and scalar parameters (never on frames)."""
    return _query(name, str(db_path()), tuple(sorted(params.items())))


def lang() -> str:
    """The interface language: the sidebar choice (bound to ?lang=), else the browser's language."""
    chosen = st.session_state.get("lang")
    if chosen in i18n.LANGS:
        return chosen
    return default_lang()


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


def illustrative(source_ids) -> bool:
    """Whether any of these sources is illustrative."""
    return provenance.is_illustrative(source_ids, sources())


def show_chart(fig, key: str, source_ids) -> None:
    """Draw a figure full width with its generated source line underneath."""
    st.plotly_chart(fig, key=key, width="stretch", config=PLOTLY_CONFIG)
    st.caption(provenance.source_line(list(source_ids), sources(), lang()))


# ---------------------------------------------------------------- scenarios


def scenario_base() -> tuple[scenarios.Base, list[str]]:
    """The model's starting point and the sources behind it."""
    funding = query("scenario_base")
    envelopes = query("earmarked_last_level")
    year = int(funding["year"].max())
    attainment = query("kpi_attainment_by_cluster", year=year)
    base = scenarios.Base.from_frames(funding, envelopes, attainment)
    ids = provenance.flatten_ids(funding["source_id"], envelopes["source_id"], attainment["source_ids"])
    return base, ids


def preset_library(base: scenarios.Base) -> dict[str, scenarios.ScenarioParams]:
    """Stored presets as parameter sets, by preset id, in the current language."""
    presets = query("scenario_presets")
    return {row["preset_id"]: scenarios.preset_params(row, base, lang()) for _, row in presets.iterrows()}


@st.cache_data(ttl=600, max_entries=128, show_spinner=False)
def _run(params_json: str, path: str, label: str) -> scenarios.ScenarioResult:
    base, _ = scenario_base()
    return scenarios.run(base, scenarios.ScenarioParams.from_dict(json.loads(params_json)), label)


def run_scenario(params: scenarios.ScenarioParams) -> scenarios.ScenarioResult:
    """Run the model, cached on the parameters' JSON and the language of the new-cluster labels."""
    return _run(json.dumps(params.to_dict(), sort_keys=True), str(db_path()), tr("scenarios.new_cluster_label"))


@st.cache_data(ttl=600, max_entries=64, show_spinner=False)
def _sensitivity(params_json: str, step: float, path: str):
    base, _ = scenario_base()
    return scenarios.sensitivity(base, scenarios.ScenarioParams.from_dict(json.loads(params_json)), step)


def sensitivity(params: scenarios.ScenarioParams, step: float):
    """Tornado data for one scenario, cached on its parameters and the step."""
    return _sensitivity(json.dumps(params.to_dict(), sort_keys=True), step, str(db_path()))


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
