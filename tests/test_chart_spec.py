"""A chart is its spec: the page draws every chart's series from it and adds none of its own, a series keeps its
colour wherever its identity appears, and a cluster keeps its colour however many others a chart shows."""

from __future__ import annotations

import html
import json
from collections import defaultdict

import numpy as np
import pandas as pd
import pytest

from clusterpolicy.naming import unique_names
from clusterpolicy.present import charts
from tests.conftest import assert_page_ok, open_link
from tests.test_exact_files import VIEWS


def _kept_charts() -> list:
    from clusterpolicy.web import data as kept

    return [v for v in list(kept._DERIVED._items.values()) if isinstance(v, charts.Chart)]


def _listed(trace: dict) -> bool:
    """A series a reader sees: named, in the legend, with data (not a heat map's legend entry at x = [None])."""
    if trace.get("type") not in ("bar", "scatter") or not trace.get("name") or trace.get("showlegend") is False:
        return False
    return any(x is not None for x in (trace.get("x") or []))


def _colour(trace: dict):
    lines = trace["type"] == "scatter" and "lines" in (trace.get("mode") or "lines")
    colour = (trace.get("line") or {}).get("color") if lines else (trace.get("marker") or {}).get("color")
    return colour


def _each(value, n: int) -> list:
    return [value] * n if isinstance(value, str) or value is None else list(value)


def _close(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return bool(np.isclose(float(a), float(b), rtol=0, atol=1e-9))


def _views_in_both_languages():
    for lang in ("nl", "en"):
        for page, params in VIEWS:
            at = open_link(page, {**params, "lang": lang}).run()
            assert_page_ok(at)
            yield lang, page, params, _kept_charts()


def test_the_page_draws_each_charts_spec_and_nothing_beside_it(seed_db):
    """For every chart of every page in both languages: the series the browser gets are the spec's, in its order, with
    its names, values, colours, dashes and fill patterns. A series a builder drew on the page only would fail here."""
    checked = 0
    for lang, page, params, built in _views_in_both_languages():
        assert built, (page, params)
        for chart in built:
            spec = chart.spec
            drawn = [tr for tr in chart.prepared.to_dict()["data"] if _listed(tr)]
            where = (lang, page, params, chart.title)
            # the same names; where two series share one, files tell them apart as "Voortzetting (2)"
            assert unique_names(html.unescape(tr["name"]) for tr in drawn) == [s.name for s in spec.series], where
            for trace, series in zip(drawn, spec.series):
                horizontal = trace.get("orientation") == "h" or spec.horizontal
                cats, vals = (trace["y"], trace["x"]) if horizontal else (trace["x"], trace["y"])
                n = len(series.categories)
                assert [html.unescape(c) if isinstance(c, str) else c for c in cats] == series.categories, where
                assert all(_close(a, b) for a, b in zip(vals, series.values)) and len(vals) == n, where
                assert _each(_colour(trace), n) == series.colours, where
                if series.kind == "line":
                    assert (trace.get("line") or {}).get("dash", "solid") == series.dash, where
                shape = ((trace.get("marker") or {}).get("pattern") or {}).get("shape")
                assert (None if shape is None else _each(shape, n)) == series.patterns, where
                checked += 1
            if spec.grid is not None:
                heat = next(tr for tr in chart.prepared.to_dict()["data"] if tr["type"] == "heatmap")
                z = np.array(heat["z"], dtype=float)
                assert np.array_equal(z, np.asarray(spec.grid.values, dtype=float), equal_nan=True), where
                checked += 1
    assert checked > 100


def test_a_series_has_one_colour_on_every_chart_it_appears_on(seed_db):
    """A scenario, a cost component, an envelope or a cluster is drawn in one colour on every chart of every page."""
    colours = defaultdict(dict)
    for lang, _page, _params, built in _views_in_both_languages():
        if lang != "nl":
            continue
        for chart in built:
            for s in chart.spec.series:
                colours[s.key][chart.title] = tuple(sorted(set(s.colours)))
    shared = {key: by_chart for key, by_chart in colours.items() if len(by_chart) > 1}
    assert {"scenario:1", "component:basic_eur"} <= set(shared) and any(k.startswith("cluster:") for k in shared)
    for key, by_chart in shared.items():
        assert len(set(by_chart.values())) == 1, (key, by_chart)


def _series_frame(clusters: list[str]) -> pd.DataFrame:
    rows = []
    for k, name in enumerate(clusters):
        for year in (2022, 2023):
            rows.append(
                {
                    "cluster_name": name,
                    "series": "value",
                    "year": year,
                    "value": 10.0 + k,
                    "qualifier": None,
                    "kind": "illustrative",
                }
            )
    return pd.DataFrame(rows)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_cluster_keeps_its_colour_and_line_however_many_others_a_chart_shows(lang):
    every = [f"Cluster {c}" for c in "ABCDEFGHIJ"]  # ten clusters: the palette of eight repeats
    kpi = pd.Series({"unit": "count", "name_nl": "Leden", "name_en": "Members", "kpi_id": "members"})

    def styles(shown):
        chart = charts.kpi_timeseries(_series_frame(shown), kpi, lang, True, every=every)
        return {s.name: (s.colours[0], s.dash, tuple(s.symbols or ())) for s in chart.spec.series}

    alone = styles(["Cluster J"])
    together = styles(["Cluster B", "Cluster J"])
    everyone = styles(every)
    assert alone["Cluster J"] == together["Cluster J"] == everyone["Cluster J"]
    assert together["Cluster B"] == everyone["Cluster B"]
    # where two clusters share a colour (A and I, eight apart), their lines still differ
    assert everyone["Cluster A"][0] == everyone["Cluster I"][0] and everyone["Cluster A"] != everyone["Cluster I"]
    assert len(set(everyone.values())) == len(every)
    # a cluster's own marker is never the star or the triangle of a published value
    assert not {"star", "triangle-up"} & {symbol for _, _, symbols in everyone.values() for symbol in symbols}


def test_the_spec_says_what_each_point_rests_on(seed_db):
    """Per point: published, internal, derived or illustrative, as the data's sources say (the KPI series, the envelopes)."""
    statuses = set()
    for lang, _page, _params, built in _views_in_both_languages():
        if lang != "nl":
            continue
        for chart in built:
            for s in chart.spec.series:
                if s.status is not None:
                    assert len(s.status) == len(s.categories), chart.title
                    statuses |= set(s.status)
    assert statuses and statuses <= {"published", "internal", "derived", "illustrative"}
    assert {"published", "illustrative"} <= statuses


def test_a_specs_json_is_written_once_and_needs_no_cleaning():
    """The page's figure JSON is plain JSON (what st.plotly_chart sends as is)."""
    chart = charts.scenario_cost_lines(
        [], "total_eur", "nl", False
    )  # no series at all still makes a chart with a titled axis in its unit
    spec = json.loads(json.dumps(chart.prepared.to_dict()))
    assert spec["layout"]["yaxis"]["title"]["text"] == chart.unit == "euro"


def test_the_clusters_shown_together_most_take_the_first_colours():
    """Active spearhead clusters first, then those whose support ended, then the innovative business networks: with
    nine clusters and eight colours, the colour that repeats falls on a network, not on two clusters the KPI page
    compares by default."""
    clusters = pd.DataFrame(
        {
            "name": ["VIL", "IoT Value Chain", "SIM", "Catalisti", "IoT4Society", "De Blauwe Cluster"],
            "type": ["spearhead", "ibn", "spearhead", "spearhead", "ibn", "spearhead"],
            "ended_year": [None, 2020, 2022, None, 2020, None],
        }
    )
    order = charts.palette_order(clusters)
    assert order == ["Catalisti", "De Blauwe Cluster", "VIL", "SIM", "IoT Value Chain", "IoT4Society"]
    places = charts.theme.cluster_places(["VIL", "Catalisti"], order)
    assert (places["Catalisti"], places["VIL"]) == (0, 2)
