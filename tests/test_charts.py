"""Chart builders: traces and axes as promised, localised separators, and the illustrative mark exactly when due."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from clusterpolicy.data import provenance
from clusterpolicy.model import scenarios, sensitivity
from clusterpolicy.model.scenarios import Base, ScenarioParams, run
from clusterpolicy.present import charts
from clusterpolicy.present.charts import theme

BASE = Base(2024, ("a", "b"), ("A", "B"), np.array([1.2e6, 6e5]), np.array([5e5, 3e5]), np.array([1.0, 0.8]), 1e7, 2e6)


def results():
    return [
        run(BASE, ScenarioParams(name="One", cp_eur=1e7, ic_eur=2e6)),
        run(BASE, ScenarioParams(name="Two", share_end=0.25, cp_eur=1e7, ic_eur=2e6)),
    ]


def test_marks_follow_the_illustrative_flag():
    for flag in (True, False):
        figs = [
            charts.scenario_cost_lines(results(), "total_eur", "nl", flag).fig,
            charts.scenario_components(results(), None, "nl", flag).fig,
            charts.scenario_difference(scenarios.compare(results()), "nl", flag).fig,
            charts.basic_by_cluster(results()[0], "nl", flag).fig,
            charts.cluster_change(results(), "nl", flag).fig,
            charts.tornado(sensitivity.sensitivity(BASE, results()[0].params), "One", 0.1, "nl", flag).fig,
        ]
        for fig in figs:
            assert charts.has_illustrative_mark(fig) is flag
            assert charts.has_illustrative_mark(fig.to_plotly_json()) is flag


def test_illustrative_decided_by_the_source_table():
    sources = pd.DataFrame({"source_id": ["p", "i"], "kind": ["published", "illustrative"]})
    assert provenance.is_illustrative(["p", "i"], sources)
    assert not provenance.is_illustrative(["p"], sources)


def test_earmarked_bars_hatch_only_illustrative_years():
    df = pd.DataFrame(
        {
            "year": [2017, 2018, 2018],
            "envelope": ["cluster_projects", "cluster_projects", "intercluster_projects"],
            "amount_eur": [5e7, 7e7, 2e6],
            "source_id": ["pub", "ill", "ill"],
            "note": [None] * 3,
        }
    )
    fig = charts.earmarked_by_year(df, {"pub": "published", "ill": "illustrative"}, "en").fig
    by_name = {tr.name: tr for tr in fig.data}
    assert list(by_name) == [
        "Cluster projects (published)",
        "Cluster projects (illustrative)",
        "Inter-cluster projects (illustrative)",
    ]
    assert list(by_name["Cluster projects (published)"].x) == [2017]
    assert by_name["Cluster projects (published)"].marker.pattern.shape == ""
    assert by_name["Cluster projects (illustrative)"].marker.pattern.shape == "/"
    assert charts.has_illustrative_mark(fig)
    only_published = charts.earmarked_by_year(df.iloc[:1], {"pub": "published"}, "en").fig
    assert not charts.has_illustrative_mark(only_published)


def test_earmarked_bars_say_what_each_rests_on_and_show_a_year_known_only_in_parts():
    """Internal amounts are solid, derived ones dotted and named 'derived' (never 'published'), and a year
    with per-cluster amounts but no envelope total shows their sum, dotted and named so."""
    df = pd.DataFrame(
        {
            "year": [2023, 2024, 2025, 2025],
            "envelope": ["cluster_projects", "cluster_projects", "cluster_projects", "intercluster_projects"],
            "amount_eur": [6e7, 6.2e6, 4.1e7, 3e6],
            "source_id": ["int", "der", "int", "ill"],
            "source_ids": [["int"], ["der"], ["int", "ill"], ["ill"]],
            "note": [None] * 4,
            "basis": ["total", "total", "parts", "parts"],
        }
    )
    kinds = {"int": "internal", "der": "derived", "ill": "illustrative"}
    chart = charts.earmarked_by_year(df, kinds, "en")
    by_name = {tr.name: tr for tr in chart.fig.data}
    assert list(by_name) == [
        "Cluster projects (internal)",
        "Cluster projects (derived)",
        "Cluster projects (sum of the amounts per cluster, no total known)",
        "Inter-cluster projects (sum of the amounts per cluster, no total known)",
    ]
    assert by_name["Cluster projects (internal)"].marker.pattern.shape == ""
    assert by_name["Cluster projects (derived)"].marker.pattern.shape == "."
    assert list(by_name["Cluster projects (sum of the amounts per cluster, no total known)"].x) == [2025]
    assert not charts.has_illustrative_mark(chart.fig)  # a sum of parts is no illustrative value


def test_a_year_with_parts_but_no_total_is_summed_by_the_query(data_dir):
    """earmarked_totals_by_year adds the per-cluster amounts of a year that has no envelope total."""
    from clusterpolicy.data import db, importer, store
    from clusterpolicy.data.access import Actor

    rows = "year,envelope,cluster_id,amount_eur,source_id,note\n2025,cluster_projects,vil,4000000.00,illus_earmarked,\n"
    rows += "2025,cluster_projects,flux50,2500000.00,illus_earmarked,\n"
    importer.import_file("earmarked_budget", rows.encode(), "delen.csv", actor=Actor.command_line())
    with db.connect(store.served_path()) as database:
        frame = db.run_query(database, "earmarked_totals_by_year", {"first_year": 2024, "last_year": 2025})
    row = frame[(frame["year"] == 2025) & (frame["envelope"] == "cluster_projects")].iloc[0]
    assert (row["basis"], row["amount_eur"], list(row["source_ids"])) == ("parts", 6_500_000.0, ["illus_earmarked"])
    assert set(frame[frame["year"] == 2024]["basis"]) == {"total"}


def test_cost_lines_one_trace_per_scenario_and_ceiling():
    rs = results()
    fig = charts.scenario_cost_lines(rs, "basic_eur", "en", True).fig
    assert [tr.name for tr in fig.data] == ["One", "Two"]
    assert list(fig.data[1].x) == list(range(2025, 2035))
    assert fig.layout.yaxis.title.text == "euro"
    assert len({tr.line.dash for tr in fig.data}) == 2  # told apart without colour
    with_ceiling = [run(BASE, ScenarioParams(name="C", ceiling_eur=1.2e7, cp_eur=1e7, ic_eur=2e6)), rs[1]]
    fig = charts.scenario_cost_lines(with_ceiling, "total_eur", "en", True).fig
    assert fig.data[-2].name == "Yearly ceiling" and fig.layout.yaxis.title.text == "million euro"
    assert fig.data[0].y[0] == pytest.approx(12.8)
    # an overshoot of EUR 0.8 M on an axis of 13 M is marked in every year it happens, with its amount
    over = fig.data[-1]
    assert over.name == "Above the ceiling" and over.mode == "markers+text" and list(over.x) == list(range(2025, 2035))
    assert list(over.y) == pytest.approx([12.8] * 10) and over.text[0] == "+€0.80 m"
    under = [run(BASE, ScenarioParams(name="C", ceiling_eur=2e7, cp_eur=1e7, ic_eur=2e6)), rs[1]]
    names = [tr.name for tr in charts.scenario_cost_lines(under, "total_eur", "en", True).fig.data]
    assert "Above the ceiling" not in names  # none where no year goes above it


def test_separators_follow_language():
    assert charts.scenario_components(results(), None, "nl", True).fig.layout.separators == ",."
    assert charts.scenario_components(results(), 2030, "en", True).fig.layout.separators == ".,"


def test_components_stack_to_the_total():
    fig = charts.scenario_components(results(), None, "en", False).fig
    bars = [tr for tr in fig.data if tr.type == "bar"]
    assert [b.name for b in bars] == ["Basic operation", "Cluster projects", "Inter-cluster projects"]
    total_one = sum(b.x[0] for b in bars) * 1e6
    assert total_one == pytest.approx(results()[0].summary["cumulative_public_eur"])


def test_difference_against_baseline_values():
    cmp = scenarios.compare(results())
    fig = charts.scenario_difference(cmp, "en", True).fig
    basic = next(tr for tr in fig.data if tr.name == "Basic operation")
    members = next(tr for tr in fig.data if tr.name == "Members' extra contribution")
    assert basic.x[0] < 0 and members.x[0] == pytest.approx(-basic.x[0])


def test_basic_by_cluster_heat_map_has_every_value_as_text():
    fig = charts.basic_by_cluster(results()[1], "nl", True).fig
    hm = fig.data[0]
    assert hm.type == "heatmap" and list(hm.y) == ["B", "A"]
    assert hm.text[0][0] == "300" and hm.text[0][-1] == "150"


def test_cluster_timeline_marks_inferred_end():
    clusters = pd.DataFrame(
        {
            "name": ["SIM", "VIL"],
            "type": ["spearhead", "spearhead"],
            "recognised_year": [2017, 2016],
            "ended_year": [2022, None],
            "source_id": ["p", "p"],
            "ended_source_id": ["d", None],
        }
    )
    fig = charts.cluster_timeline(clusters, {"p": "published", "d": "derived"}, 2024, "en").fig
    labels = list(fig.data[0].text)
    assert "2017–2022 *" in labels and "2016–now" in labels
    assert "inferred" in fig.layout.title.subtitle.text


def test_projects_by_theme_stacks_each_theme():
    df = pd.DataFrame(
        {
            "theme": ["energy", "health", "energy"],
            "year": [2020, 2020, 2021],
            "public_eur": [1e6, 5e5, 2e6],
            "projects": [1, 1, 2],
        }
    )
    fig = charts.projects_by_theme(df, "en", True).fig
    assert [tr.name for tr in fig.data] == ["Energy", "Health"]
    assert list(fig.data[0].y) == [1.0, 2.0] and list(fig.data[1].y) == [0.5, 0.0]
    assert fig.layout.barmode == "stack" and charts.has_illustrative_mark(fig)


def test_collaboration_network_sizes_nodes_and_weights_links():
    nodes = pd.DataFrame(
        {"cluster_id": ["a", "b", "c"], "cluster_name": ["A", "B", "C"], "projects": [2, 2, 1], "budget_eur": [4e6, 4e6, 3e6]}
    )
    links = pd.DataFrame(
        {
            "cluster_a": ["a", "a", "b"],
            "cluster_b": ["b", "c", "c"],
            "name_a": ["A", "A", "B"],
            "name_b": ["B", "C", "C"],
            "projects": [2, 1, 1],
            "joint_budget_eur": [4e6, 3e6, 3e6],
        }
    )
    fig = charts.collaboration_network(nodes, links, "nl", False).fig
    edges = [tr for tr in fig.data if tr.mode == "lines"]
    drawn = fig.data[-1]
    assert len(edges) == 3 and edges[0].line.width > edges[1].line.width
    assert list(drawn.text) == ["A", "B", "C"]
    assert drawn.marker.size[0] > drawn.marker.size[2]  # A takes part in 4 M of projects, C in 3 M
    assert "2 gezamenlijke projecten" in edges[0].text[0]
    assert not charts.has_illustrative_mark(fig)


def test_network_keeps_the_largest_clusters_at_scale():
    n = theme.MAX_NODES + 10
    nodes = pd.DataFrame(
        {
            "cluster_id": [f"c{i}" for i in range(n)],
            "cluster_name": [f"C{i}" for i in range(n)],
            "projects": 1,
            "budget_eur": [float(i) for i in range(n)],
        }
    )
    kept = charts.network_nodes(nodes)
    assert len(kept) == theme.MAX_NODES and f"c{n - 1}" in set(kept["cluster_id"]) and "c0" not in set(kept["cluster_id"])
    links = pd.DataFrame(
        {
            "cluster_a": [f"c{n - 1}"],
            "cluster_b": [f"c{n - 2}"],
            "name_a": ["X"],
            "name_b": ["Y"],
            "projects": [1],
            "joint_budget_eur": [1.0],
        }
    )
    fig = charts.collaboration_network(kept, links, "en", True, n).fig
    assert f"Showing {theme.MAX_NODES} of {n}" in fig.layout.title.subtitle.text


def test_stacked_clusters_lump_the_rest_at_scale():
    rows = [
        {"cluster_name": f"C{i:02d}", "year": 2024, "public_eur": float(i), "member_eur": 1.0, "source_id": "x"}
        for i in range(30)
    ]
    fig = charts.basic_funding_by_year(pd.DataFrame(rows), "en", True).fig
    bars = [tr for tr in fig.data if tr.type == "bar"]
    assert len(bars) == theme.MAX_STACKED
    other = next(b for b in bars if b.name.startswith("Other clusters"))
    assert other.y[0] * 1e3 == pytest.approx(sum(range(30 - theme.MAX_STACKED + 1)))


def test_kpi_timeseries_marks_published_points_and_targets():
    series = pd.DataFrame(
        {
            "cluster_id": ["v"] * 4,
            "cluster_name": ["VIL"] * 4,
            "year": [2016, 2017, 2025, 2026],
            "series": ["value", "value", "target", "target"],
            "value": [520.0, 530.0, 600.0, 620.0],
            "qualifier": [None, None, None, None],
            "source_id": ["p", "i", "t", "t"],
            "kind": ["published", "illustrative", "illustrative", "illustrative"],
        }
    )
    kpi = pd.Series({"kpi_id": "members", "name_nl": "Leden", "name_en": "Members", "unit": "count"})
    fig = charts.kpi_timeseries(series, kpi, "en", True).fig
    values, targets = fig.data
    assert list(values.marker.symbol) == ["star", SYMBOL0] and targets.line.dash == "dot"
    assert "published" in values.customdata[0] and "520" in values.customdata[0]
    assert fig.layout.title.text == "Members"


SYMBOL0 = theme.SYMBOLS[0]


def test_attainment_heatmap_writes_percentages():
    matrix = pd.DataFrame(
        {
            "cluster_id": ["a", "a", "b"],
            "cluster_name": ["A", "A", "B"],
            "kpi_id": ["m", "s", "m"],
            "value": [1, 2, 3],
            "target": [1, 1, 3],
            "attainment": [1.0, 2.0, 0.5],
            "source_ids": [[]] * 3,
        }
    )
    kpis = pd.DataFrame({"kpi_id": ["m", "s"], "name_en": ["Members", "SMEs"]})
    chart = charts.attainment_heatmap(matrix, kpis, 2024, "en", True)
    hm = chart.fig.data[0]
    assert list(hm.y) == ["SMEs", "Members"] and list(hm.x) == ["A", "B"]
    assert hm.text[1][0] == "100%" and hm.text[0][1] == "no<br>data" and hm.z[0][0] == 1.5  # 200 % shown, colour clipped
    table = chart.table
    assert table.loc[(table["series"] == "SMEs") & (table["category"] == "B"), "text"].item() == "no data"


def coverage_rows(active: int, with_value: list[int], published: list[int]) -> pd.DataFrame:
    """kpi_coverage rows for two clusters (A, B) and two KPIs (m, s), in the order (A m, A s, B m, B s)."""
    return pd.DataFrame(
        {
            "cluster_id": ["a", "a", "b", "b"],
            "cluster_name": ["A", "A", "B", "B"],
            "kpi_id": ["m", "s", "m", "s"],
            "active_years": [active] * 4,
            "years_with_value": with_value,
            "years_published": published,
            "years_with_target": [4] * 4,
            "missing_years": [None] * 4,
            "source_ids": [[]] * 4,
        }
    )


def test_coverage_status_and_heatmap():
    cov = coverage_rows(8, [8, 5, 8, 8], [0, 0, 8, 2])
    assert [charts.coverage_status(r) for _, r in cov.iterrows()] == ["illustrative", "missing", "published", "partly"]
    kpis = pd.DataFrame({"kpi_id": ["m", "s"], "name_en": ["Members", "SMEs"]})
    chart = charts.coverage_heatmap(cov, kpis, "en")
    fig = chart.fig
    assert fig.data[0].text[0][0] == "−3 yr" and fig.data[0].customdata[0][0] == "years without a figure: 3"
    # the data table carries the full label, not the cell's short one
    table = chart.table
    assert table.loc[(table["series"] == "SMEs") & (table["category"] == "B"), "text"].item() == "partly published"
    # every cell shows the status coverage_status gives its row (rows: s then m; columns: A, B)
    codes = {s: k for k, s in enumerate(charts.COVERAGE_COLOURS)}
    expected = [[codes["missing"], codes["partly"]], [codes["illustrative"], codes["published"]]]
    assert [list(map(int, row)) for row in fig.data[0].z] == expected
    assert [tr.name for tr in fig.data[1:]] == [
        "Years without a figure (−n yr)",
        "Illustrative figures only (ill.)",
        "Partly published (partly)",
        "Fully published (✓)",
    ]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_heatmap_cell_labels_fit_a_narrow_cell(lang):
    """On a 1024 px projector with the sidebar open a cell is about 50 px wide: six characters a line at most."""
    cov = coverage_rows(12, [12, 1, 12, 12], [0, 0, 12, 2])  # 11 years missing: the widest count
    kpis = pd.DataFrame({"kpi_id": ["m", "s"], f"name_{lang}": ["Members", "SMEs"]})
    matrix = pd.DataFrame({"cluster_name": ["A", "A", "B"], "kpi_id": ["m", "s", "m"], "attainment": [1.0, 2.345, 0.5]})
    figures = [charts.coverage_heatmap(cov, kpis, lang).fig, charts.attainment_heatmap(matrix, kpis, 2024, lang, False).fig]
    lines = [line for fig in figures for row in fig.data[0].text for label in row for line in str(label).split("<br>")]
    assert len(lines) == 9 and max(len(line) for line in lines) <= 6, lines


def test_draft_builds_the_same_figure_as_plotlys_own_methods():
    import plotly.graph_objects as go

    from clusterpolicy.present.charts.theme import FigureDraft

    def steps(fig):
        fig.add_bar(x=[2020, 2021], y=[1.5, 2.5], name="a", marker={"color": "#0072B2", "pattern": {"shape": "/"}})
        fig.add_scatter(x=[2020, 2021], y=[3, 4], name="b", mode="lines", line={"dash": "dash"})
        fig.update_layout(barmode="stack", legend={"orientation": "h", "font": {"size": 15}})
        fig.update_layout(legend={"x": 0.5})  # merges into the legend set before
        fig.update_xaxes(dtick=1, title="year")
        fig.update_yaxes(tickformat=",.0f", tickfont={"size": 15})
        fig.update_yaxes(tickfont={"color": "#333"})
        fig.add_annotation(text="note", x=0, y=0, xref="paper", yref="paper", showarrow=False)
        fig.add_vline(x=50, line={"color": "#D55E00", "dash": "dot"})
        return fig

    theirs = steps(go.Figure()).to_plotly_json()
    ours = steps(FigureDraft()).figure().to_plotly_json()
    assert ours == theirs


def test_prepared_figure_sends_the_same_json_as_the_figure():
    """What st.plotly_chart sends for a kept figure is byte for byte what it would send for the figure itself."""
    import plotly.graph_objects as go
    import plotly.io as pio

    fig = go.Figure(
        go.Bar(
            x=pd.to_datetime(["2020-01-01", "2021-01-01"]),
            y=np.array([1.5, 2.0]),
            base=np.array([2017.5, 1], dtype=object),
            text=np.array([["illustratief", None]], dtype=object),
            customdata=np.array([[1, "a"], [2, "b"]], dtype=object),
        ),
        layout={"title": {"text": "<b>é & ü</b>"}},
    )
    prepared = charts.PreparedFigure.of(fig)
    assert pio.to_json(prepared, validate=False) == pio.to_json(fig, validate=False)
    # and in plain JSON types only, so the writer never has to clean it
    import orjson

    orjson.dumps(prepared.to_dict())


def test_a_chart_carries_its_table_unit_format_and_flag_from_the_builder():
    """What the exports and the data table read: given by the builder, not read back off the figure."""
    rs = results()
    chart = charts.scenario_cost_lines(rs, "total_eur", "en", True)
    assert chart.illustrative is True and charts.has_illustrative_mark(chart.fig)
    assert chart.unit == "million euro" and chart.number_format == "#,##0.0"
    table = chart.table
    lines = table[table["series"].isin(["One", "Two"])]
    assert len(lines) == 2 * 10 and set(lines["unit"]) == {"million euro"}
    one = lines[lines["series"] == "One"].set_index("category")["value"]
    assert one[2025] == pytest.approx(rs[0].years.set_index("year").loc[2025, "total_eur"] / 1e6)
    kind, categories, series = chart.pptx
    assert kind == "LINE_MARKERS" and categories[:2] == [2025, 2026] and list(series)[:2] == ["One", "Two"]
    # euros below EUR 10 M are shown as euros, whole
    small = charts.basic_by_cluster(rs[0], "en", False)
    assert small.illustrative is False and not charts.has_illustrative_mark(small.fig)
    assert small.number_format == "#,##0"


def test_a_heat_map_is_a_table_slide_with_the_full_labels():
    cov = coverage_rows(8, [8, 5, 8, 8], [0, 0, 8, 2])
    kpis = pd.DataFrame({"kpi_id": ["m", "s"], "name_en": ["Members", "SMEs"]})
    chart = charts.coverage_heatmap(cov, kpis, "en")
    assert chart.pptx is None  # no native chart type for a heat map: the deck shows its table
    assert len(chart.table) == 4 and chart.table["text"].notna().all()


def test_a_subtitle_never_breaks_an_amount_after_its_currency_sign():
    from clusterpolicy.present.charts.theme import wrapped_lines

    text = "Twee gepubliceerde cijfers spreken elkaar tegen: € 4,5 mln per jaar, samen hoogstens € 3,5 mln en −€ 1,2 mln."
    for width in range(20, 70):
        lines = wrapped_lines(text, width).split("<br>")
        assert " ".join(lines) == text
        assert not any(line.endswith("€") for line in lines), (width, lines)


def test_a_charts_number_format_is_data_written_alike_by_every_format():
    from clusterpolicy.present.charts.precision import NumberFormat

    one, share, year = NumberFormat(1), NumberFormat(0, percent=True), NumberFormat(grouped=False)
    assert (one.d3, one.excel, one.format(1234.56, "nl"), one.format(1234.56, "en")) == (",.1f", "#,##0.0", "1.234,6", "1,234.6")
    assert (share.d3, share.excel, NumberFormat(1, percent=True).format(0.125, "en")) == (".0%", "0%", "12.5%")
    assert (year.d3, year.excel, year.format(2024.0, "nl")) == (None, "0", "2024")  # a year, never "2.024"
    # the page's axis is written from the spec's format, not the other way round
    chart = charts.scenario_cost_lines(results(), "total_eur", "nl", False)
    assert chart.spec.format == NumberFormat(1) and chart.fig.layout.yaxis.tickformat == ",.1f"
