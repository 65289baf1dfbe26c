"""The process-wide keeper behind warm reruns: least-recently-used, and never handing out a value a page changed."""

from __future__ import annotations

import threading

import pandas as pd
import plotly.io as pio

from clusterpolicy.data import db
from clusterpolicy.present import charts
from clusterpolicy.present.charts import presenter as presenter_charts
from clusterpolicy.present.charts import theme
from clusterpolicy.web import process_cache


def test_keeper_builds_once_and_forgets_the_least_recently_used():
    k = process_cache.Keeper("t", 2)
    made = []

    def maker(v):
        return lambda: made.append(v) or v

    assert k.get("a", maker(1)) == 1
    assert k.get("a", maker(99)) == 1  # kept, not rebuilt
    k.get("b", maker(2))
    k.get("a", maker(99))  # touch a: b is now the oldest
    k.get("c", maker(3))
    assert len(k) == 2
    assert k.get("b", maker(20)) == 20  # b was dropped and is rebuilt
    assert made == [1, 2, 3, 20]
    process_cache.clear_all()
    assert len(k) == 0


def test_keeper_under_threads_gives_every_caller_the_value_for_its_key():
    k = process_cache.Keeper("threads", 8)
    errors = []

    def worker(i):
        for j in range(200):
            key = (i + j) % 12
            if k.get(key, lambda key=key: key * 10) != key * 10:
                errors.append((i, j))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(k) <= 8


def _plain(fig) -> dict:
    """A figure's JSON as plain values: Plotly's base64 arrays decoded, NaN as None (both are JSON null to Plotly.js)."""
    import base64
    import json
    import math

    import numpy as np

    def walk(o):
        if isinstance(o, dict):
            if {"dtype", "bdata"} <= set(o):
                arr = np.frombuffer(base64.b64decode(o["bdata"]), dtype=np.dtype(o["dtype"]))
                if "shape" in o:
                    arr = arr.reshape([int(n) for n in str(o["shape"]).split(",")])
                return walk(arr.tolist())
            return {k: walk(v) for k, v in o.items()}
        if isinstance(o, list):
            return [walk(v) for v in o]
        return None if isinstance(o, float) and math.isnan(o) else o

    return walk(json.loads(fig) if isinstance(fig, str) else fig)


def _all_interactions():
    """Every page, with the widgets that change what is kept (years, filters, scenarios, language)."""
    from streamlit.testing.v1 import AppTest

    from tests.conftest import DASHBOARD, assert_page_ok

    at = AppTest.from_file(DASHBOARD, default_timeout=60).run()
    at.selectbox(key="ov_year").select(2019).run()
    at.session_state["ov_basic_table"] = True
    at.run()
    at.switch_page("pages/body/scenarios.py").run()
    at.multiselect(key="sc").set_value(["continuation", "projects_only", "degressive"]).run()
    for section in ("clusters", "sensitivity", "costs"):  # each section draws its own charts
        at.session_state["sc_view"] = section
        at.run()
    at.switch_page("pages/body/earmarked.py").run()
    at.slider(key="ec_years").set_range(2022, 2024).run()
    at.switch_page("pages/body/kpis.py").run()
    at.multiselect(key="kpi_clusters").set_value(["medvia"]).run()
    at.switch_page("pages/body/data.py").run()
    at.session_state["data_tab"] = "Tabellen"
    at.run()
    at.selectbox(key="data_table").select("kpi_value").run()
    at.switch_page("pages/body/overview.py").run()
    at.selectbox(key="lang").select("en").run()
    assert_page_ok(at)
    return at


def test_pages_never_change_kept_query_results_or_figures(seed_db):
    from clusterpolicy.web import data as kept

    kept.clear_caches()
    _all_interactions()
    _all_interactions()  # a second session reads what the first kept
    con = db.connect(seed_db)
    checked = 0
    for (_, name, params_json), frame in list(kept._QUERIES._items.items()):
        import json

        fresh = db.run_query(con, name, json.loads(params_json))
        pd.testing.assert_frame_equal(frame, fresh, check_dtype=False)
        checked += 1
    assert checked >= 20
    figures = 0
    for value in list(kept._DERIVED._items.values()):
        if isinstance(value, charts.Chart):
            # what the page drew is still, value for value, the validated figure of the kept chart
            assert _plain(value.prepared.to_dict()) == _plain(pio.to_json(value.fig, validate=False))
            figures += 1
    assert figures >= 16
    assert kept._QUERIES.hits > 0 and kept._DERIVED.hits > 0


def test_every_drawn_chart_keeps_its_title_subtitle_and_legend_apart(seed_db):
    """Plotly neither wraps text nor keeps a wrapping legend off the subtitle: at 1024 px both overlapped.

    Every chart the pages draw (both languages, every section) has title and subtitle lines short
    enough for a chart about 560 px wide, and a legend above the plot that starts below the subtitle
    and pushes the plot down when it wraps; the presenter's copy, with larger text, as well.
    """
    from clusterpolicy.web import data as kept

    kept.clear_caches()
    _all_interactions()
    kept = [v for v in kept._DERIVED._items.values() if isinstance(v, charts.Chart)]
    assert len(kept) >= 16
    euro_axes = 0
    for chart in kept:
        layout = chart.prepared.to_dict()["layout"]
        title, subtitle = layout["title"]["text"], layout["title"]["subtitle"]["text"]
        assert all(len(line) <= theme.TITLE_CHARS for line in title.split("<br>")), title
        assert all(len(line) <= theme.SUBTITLE_CHARS for line in subtitle.split("<br>")), subtitle
        top = theme.title_height(title, subtitle, charts.TITLE_SIZE, charts.FONT_SIZE - 2)
        assert layout["margin"]["t"] >= top, title
        legend = layout.get("legend", {})
        if legend.get("orientation") != "v":
            assert legend["yref"] == "container" and legend["yanchor"] == "top", title
            assert (1 - legend["y"]) * layout["height"] >= top, title
        # the presenter's copy: no height of its own (it fills the screen), everything placed in pixels
        big, shortened = charts.for_presenter(chart.fig, chart.spec)
        layout = big.layout
        assert layout.height is None and layout.title.y == 1 and layout.title.yanchor == "top", title
        assert layout.title.subtitle.text.count("<br>") <= 1, layout.title.subtitle.text
        if shortened:  # what is left is the subtitle's beginning, never a made-up sentence
            kept_words = layout.title.subtitle.text.replace("<br>", " ").removesuffix(" …").split()
            assert subtitle.replace("<br>", " ").split()[: len(kept_words)] == kept_words, title
        big_top = theme.title_height(layout.title.text, layout.title.subtitle.text, 32, 21)
        if layout.legend.orientation != "v" and layout.showlegend is not False:
            assert layout.legend.yref == "paper" and layout.legend.yanchor == "bottom" and layout.legend.y == 1
            assert layout.margin.t >= big_top + presenter_charts.legend_lines(big) * presenter_charts.LEGEND_LINE, title
        assert layout.margin.t >= big_top
        # amounts on a euro axis read aloud: € 2,5 mln rather than 2.500.000
        axis = layout.xaxis if any(t.type == "bar" and t.orientation == "h" for t in big.data) else layout.yaxis
        if chart.unit == "euro" and axis.ticktext:
            assert all(text == "0" or "mln" in text or " m" in text for text in axis.ticktext), axis.ticktext
            euro_axes += 1
    assert euro_axes >= 3


def test_prefetched_queries_run_once_on_other_threads_and_are_then_kept(seed_db, monkeypatch):
    """kept.prefetch starts a page's queries up front; kept.query then takes the kept result instead of running it again."""
    from clusterpolicy.web import data as kept
    from clusterpolicy.web.run import begin

    kept.clear_caches()
    begin()
    ran = []
    run_query = db.run_query

    def recording(con, name, params=None):
        ran.append((name, threading.current_thread().name.split("_")[0]))
        return run_query(con, name, params)

    monkeypatch.setattr(db, "run_query", recording)
    span = {"first_year": 2000, "last_year": 2100}
    kept.prefetch(("earmarked_totals_by_year", span), ("clusters", {}))
    kept.prefetch(("earmarked_totals_by_year", span))  # started or kept already: not started twice
    frame = kept.query("earmarked_totals_by_year", **span)
    kept.query("clusters")
    kept.query("clusters")
    assert sorted(ran) == [("clusters", "prefetch"), ("earmarked_totals_by_year", "prefetch")]
    monkeypatch.undo()
    con = db.connect(seed_db)
    pd.testing.assert_frame_equal(frame, db.run_query(con, "earmarked_totals_by_year", span))
    assert not kept._PENDING


def test_a_failed_prefetch_raises_where_the_page_asks_for_the_query(seed_db):
    import pytest

    from clusterpolicy.web import data as kept
    from clusterpolicy.web.run import begin

    kept.clear_caches()
    begin()
    kept.prefetch(("clusters", {"year": 2024}))  # clusters takes no parameters
    with pytest.raises(db.QueryError, match="takes"):
        kept.query("clusters", year=2024)
    assert not kept._PENDING
