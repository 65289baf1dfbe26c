"""Every named query: a documented header, the columns it promises, and one invariant on the seed database."""

from __future__ import annotations

import re

import pytest

from clusterpolicy import db
from clusterpolicy.paths import QUERY_DIR

READ_QUERIES = sorted(p.stem for p in QUERY_DIR.glob("*.sql"))
SAMPLE_PARAMS = {
    "basic_funding_by_cluster_year": {"first_year": 2017, "last_year": 2024},
    "earmarked_totals_by_year": {"first_year": 2017, "last_year": 2024},
    "headline_figures": {"year": 2024},
    "kpi_attainment_by_cluster": {"year": 2024},
}


def header(name: str) -> dict[str, str]:
    lines = [line for line in db.load_sql(name).splitlines() if line.startswith("--")]
    out = {"purpose": lines[0].lstrip("- ").strip()}
    for line in lines[1:]:
        m = re.match(r"--\s*(params|returns):\s*(.*)", line)
        if m:
            out[m.group(1)] = m.group(2)
    return out


def promised_columns(returns: str) -> list[str] | None:
    if returns.startswith("every ") or returns == "nothing":
        return None
    return [c.strip() for c in re.sub(r"\([^)]*\)", "", returns).split(",") if c.strip()]


@pytest.mark.parametrize("name", READ_QUERIES + sorted("build/" + p.stem for p in (QUERY_DIR / "build").glob("*.sql")))
def test_every_query_file_has_a_header(name):
    h = header(name)
    assert len(h["purpose"]) > 10
    assert "params" in h and "returns" in h


@pytest.mark.parametrize("name", READ_QUERIES)
def test_query_returns_its_promised_columns(con, name):
    df = db.run_query(con, name, SAMPLE_PARAMS.get(name, {}))
    assert len(df) > 0
    promised = promised_columns(header(name)["returns"])
    if promised is not None:
        assert list(df.columns) == promised


def test_loader_refuses_names_outside_queries():
    for bad in ("../pyproject", "build/../../x", "/etc/passwd", "sources.sql", "Sources", ""):
        with pytest.raises(db.QueryError):
            db.load_sql(bad)


def test_parameters_must_match_the_header(con):
    with pytest.raises(db.QueryError, match="takes"):
        db.run_query(con, "headline_figures", {})
    with pytest.raises(db.QueryError, match="takes"):
        db.run_query(con, "sources", {"year": 2024})


def test_values_are_bound_not_pasted(con):
    # a value that would widen the filter if it were pasted into the SQL text
    import duckdb

    with pytest.raises(duckdb.ConversionException):
        db.run_query(con, "headline_figures", {"year": "2024 or 1=1"})


# ---- one invariant per query


def test_basic_funding_by_cluster_year_filters_years(con):
    df = db.run_query(con, "basic_funding_by_cluster_year", {"first_year": 2019, "last_year": 2020})
    assert set(df["year"]) == {2019, 2020}
    assert (df["public_eur"] >= 0).all() and (df["member_eur"] >= df["public_eur"]).all()


def test_earmarked_totals_exclude_cluster_parts(con):
    df = db.run_query(con, "earmarked_totals_by_year", {"first_year": 2017, "last_year": 2024})
    assert not df.duplicated(["year", "envelope"]).any()
    assert float(df.query("year == 2017 and envelope == 'cluster_projects'")["amount_eur"].iloc[0]) == 50e6


def test_headline_figures_agree_with_the_tables(con):
    heads = db.run_query(con, "headline_figures", {"year": 2024}).set_index("figure")
    assert heads.loc["active_clusters", "value"] == 6
    basic = con.execute("select sum(public_eur)::double from basic_funding where year = 2024").fetchone()[0]
    assert heads.loc["basic_subsidy", "value"] == basic
    heads_2019 = db.run_query(con, "headline_figures", {"year": 2019}).set_index("figure")
    # 2019 members include Catalisti's published "more than 100": the figure is a lower bound
    assert "essenscia_17448" in list(heads_2019.loc["members", "source_ids"])


def test_clusters_lists_every_cluster(con):
    df = db.run_query(con, "clusters", {})
    assert df["cluster_id"].is_unique and len(df) == con.execute("select count(*) from cluster").fetchone()[0]


def test_sources_are_unique(con):
    assert db.run_query(con, "sources", {})["source_id"].is_unique


def test_scenario_base_is_the_last_year_of_active_spearhead_clusters(con):
    df = db.run_query(con, "scenario_base", {})
    assert set(df["year"]) == {2024}
    assert "sim" not in set(df["cluster_id"]) and len(df) == 6


def test_earmarked_last_level_one_row_per_envelope(con):
    df = db.run_query(con, "earmarked_last_level", {})
    assert sorted(df["envelope"]) == ["cluster_projects", "intercluster_projects"]
    assert (df["year"] == 2024).all()


def test_kpi_attainment_scores_are_bounded(con):
    df = db.run_query(con, "kpi_attainment_by_cluster", {"year": 2024})
    assert df["score"].between(0, 1.5).all() and (df["kpis"] >= 1).all()
    assert db.run_query(con, "kpi_attainment_by_cluster", {"year": 1990}).empty


def test_published_facts_have_sources(con):
    df = db.run_query(con, "published_facts", {})
    assert df["source_id"].notna().all()


def test_scenario_presets_in_order(con):
    df = db.run_query(con, "scenario_presets", {})
    assert list(df["preset_id"]) == ["continuation", "indexed_intercluster", "degressive", "projects_only"]


def test_data_version_is_the_content_hash(con):
    df = db.run_query(con, "data_version", {})
    assert df["content_hash"].iloc[0].startswith(df["version"].iloc[0])
