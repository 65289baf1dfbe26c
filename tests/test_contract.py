"""Data contract of the built database: keys resolve, every figure has a source, published figures stay as published.

The expected published values below are copied from shared/context/cluster-policy-facts.md
(confidence E or A there); if a seed edit changes one of them, this test must fail.
"""

from __future__ import annotations

import pytest

FIGURE_TABLES = (
    "basic_funding",
    "earmarked_budget",
    "budget_ceiling",
    "intercluster_project",
    "kpi_value",
    "kpi_target",
    "policy_parameter",
    "published_fact",
    "cluster",
)


def one(con, sql, params=None):
    return con.execute(sql, params or {}).fetchone()


@pytest.mark.parametrize(
    "child, column, parent, parent_column",
    [
        ("cluster", "source_id", "source", "source_id"),
        ("cluster", "ended_source_id", "source", "source_id"),
        ("basic_funding", "cluster_id", "cluster", "cluster_id"),
        ("basic_funding", "source_id", "source", "source_id"),
        ("earmarked_budget", "cluster_id", "cluster", "cluster_id"),
        ("earmarked_budget", "source_id", "source", "source_id"),
        ("intercluster_project", "source_id", "source", "source_id"),
        ("project_cluster", "project_id", "intercluster_project", "project_id"),
        ("project_cluster", "cluster_id", "cluster", "cluster_id"),
        ("kpi_value", "cluster_id", "cluster", "cluster_id"),
        ("kpi_value", "kpi_id", "kpi", "kpi_id"),
        ("kpi_value", "source_id", "source", "source_id"),
        ("kpi_target", "kpi_id", "kpi", "kpi_id"),
        ("kpi_target", "source_id", "source", "source_id"),
        ("policy_parameter", "source_id", "source", "source_id"),
        ("published_fact", "source_id", "source", "source_id"),
        ("scenario_preset", "source_id", "source", "source_id"),
    ],
)
def test_every_foreign_key_resolves(con, child, column, parent, parent_column):
    orphans = one(
        con,
        f'select count(*) from "{child}" c where c."{column}" is not null '
        f'and not exists (select 1 from "{parent}" p where p."{parent_column}" = c."{column}")',
    )[0]
    assert orphans == 0


@pytest.mark.parametrize("table", FIGURE_TABLES)
def test_every_figure_has_a_source(con, table):
    assert one(con, f'select count(*) from "{table}" where source_id is null')[0] == 0
    assert one(con, f'select count(*) from "{table}"')[0] > 0


def test_source_kinds_and_links(con):
    kinds = {k for (k,) in con.execute("select distinct kind from source").fetchall()}
    assert kinds <= {"published", "derived", "illustrative"}
    # a published source is something a reader can open
    assert one(con, "select count(*) from source where kind = 'published' and (url is null or url not like 'http%')")[0] == 0


def test_amounts_are_non_negative_decimals(con):
    for table, cols in {
        "basic_funding": ("public_eur", "member_eur"),
        "earmarked_budget": ("amount_eur",),
        "intercluster_project": ("budget_eur", "public_eur"),
    }.items():
        for col in cols:
            dtype = one(
                con,
                "select data_type from information_schema.columns where table_name = $t and column_name = $c",
                {"t": table, "c": col},
            )[0]
            assert dtype.startswith("DECIMAL"), (table, col, dtype)
            assert one(con, f'select count(*) from "{table}" where "{col}" < 0')[0] == 0


def test_published_figures_as_published(con):
    def earmarked(year, envelope="cluster_projects", cluster=None):
        return con.execute(
            "select amount_eur, s.kind, e.note from earmarked_budget e join source s using (source_id) "
            "where year = $y and envelope = $e and cluster_id is not distinct from $c",
            {"y": year, "e": envelope, "c": cluster},
        ).fetchone()

    amount, kind, _ = earmarked(2017)
    assert (float(amount), kind) == (50_000_000.0, "published")
    amount, kind, note = earmarked(2019)
    assert (float(amount), kind) == (80_000_000.0, "published")
    assert "approximate" in note
    assert (float(earmarked(2021, cluster="medvia")[0]), earmarked(2021, cluster="medvia")[1]) == (6_500_000.0, "published")
    assert (float(earmarked(2022, cluster="medvia")[0]), earmarked(2022, cluster="medvia")[1]) == (8_000_000.0, "published")

    params = dict(con.execute("select parameter_id, value from policy_parameter").fetchall())
    assert float(params["spearhead_public_share"]) == 0.5
    assert float(params["spearhead_cap_eur"]) == 500_000
    assert float(params["spearhead_years"]) == 10
    assert float(params["ibn_years"]) == 3

    def kpi(cluster, kpi_id, year):
        return con.execute(
            "select value, s.kind, value_qualifier from kpi_value v join source s using (source_id) "
            "where cluster_id = $c and kpi_id = $k and year = $y",
            {"c": cluster, "k": kpi_id, "y": year},
        ).fetchone()

    for (cluster, kpi_id, year), expected in {
        ("vil", "members", 2016): 520,
        ("vil", "sme_share", 2016): 64,
        ("vil", "project_companies", 2016): 219,
        ("vil", "diffusion_reach", 2016): 4880,
        ("vil", "self_financing_share", 2016): 54,
        ("blauwe_cluster", "members", 2019): 137,
    }.items():
        value, kind, qualifier = kpi(cluster, kpi_id, year)
        assert (float(value), kind, qualifier) == (expected, "published", None), (cluster, kpi_id, year)
    assert kpi("catalisti", "members", 2019)[1:] == ("published", "more_than")
    assert kpi("medvia", "members", 2022)[1:] == ("published", "more_than")

    facts = {f: (float(v), q) for f, v, q in con.execute("select fact_id, value, qualifier from published_fact").fetchall()}
    assert facts["projects_to_2019"] == (213.0, None)
    assert facts["reserved_support_to_2019"] == (202_000_000.0, "about")
    assert facts["clusters_2024"] == (6.0, None)


def test_basic_funding_is_illustrative_and_respects_published_rules(con):
    kinds = {k for (k,) in con.execute("select distinct s.kind from basic_funding join source s using (source_id)").fetchall()}
    assert kinds == {"illustrative"}
    note = one(con, "select note from source where source_id = 'illus_basic_funding'")[0]
    assert "50 %" in note and "500,000" in note
    over = one(
        con,
        "select count(*) from basic_funding f join cluster c using (cluster_id) "
        "where f.public_eur > f.member_eur or (c.type = 'spearhead' and f.public_eur > 500000)",
    )[0]
    assert over == 0


def test_funding_only_in_active_years(con):
    outside = one(
        con,
        "select count(*) from basic_funding f join cluster c using (cluster_id) "
        "where f.year < c.recognised_year or (c.ended_year is not null and f.year > c.ended_year)",
    )[0]
    assert outside == 0
    # every spearhead cluster active in a year 2017-2024 has a funding row that year
    missing = one(
        con,
        "select count(*) from cluster c, range(2017, 2025) y(year) "
        "where c.type = 'spearhead' and y.year >= greatest(c.recognised_year, 2017) "
        "and (c.ended_year is null or y.year <= c.ended_year) "
        "and not exists (select 1 from basic_funding f where f.cluster_id = c.cluster_id and f.year = y.year)",
    )[0]
    assert missing == 0


def test_earmarked_parts_fit_in_their_total(con):
    too_big = one(
        con,
        "select count(*) from earmarked_budget p join earmarked_budget t "
        "on p.year = t.year and p.envelope = t.envelope and t.cluster_id is null "
        "where p.cluster_id is not null and p.amount_eur > t.amount_eur",
    )[0]
    assert too_big == 0


def test_clusters_of_the_facts_file(con):
    rows = {
        c: (y, e, s)
        for c, y, e, s in con.execute("select cluster_id, recognised_year, ended_year, ended_source_id from cluster").fetchall()
    }
    for cid in (
        "catalisti",
        "vil",
        "sim",
        "flux50",
        "flanders_food",
        "blauwe_cluster",
        "medvia",
        "iot4society",
        "iot_value_chain",
    ):
        assert cid in rows
    assert rows["medvia"][0] == 2021 and rows["blauwe_cluster"][0] == 2018
    # SIM's end is not published: it must be there, and cite a non-published (derived) source
    assert rows["sim"][1] is not None
    assert one(con, "select kind from source where source_id = $s", {"s": rows["sim"][2]})[0] == "derived"
    active_2024 = one(
        con, "select count(*) from cluster where type = 'spearhead' and (ended_year is null or ended_year >= 2024)"
    )[0]
    assert active_2024 == 6


def test_intercluster_projects_have_shape(con):
    n, lo, hi = one(
        con,
        "select count(*), min(n), max(n) from (select project_id, count(*) as n from project_cluster group by project_id)",
    )
    assert n >= 12 and lo >= 2 and hi <= 4
    assert one(con, "select count(distinct theme) from intercluster_project")[0] >= 5


def test_kpis_evidence_the_recommendations(con):
    kpis = {
        k: (nl, en, rec) for k, nl, en, rec in con.execute("select kpi_id, name_nl, name_en, recommendation from kpi").fetchall()
    }
    required = {
        "members",
        "sme_share",
        "project_companies",
        "private_rd_eur",
        "eu_funding_eur",
        "intercluster_projects",
        "self_financing_share",
        "diffusion_reach",
    }
    assert required <= set(kpis)
    assert all(nl and en and rec for nl, en, rec in kpis.values())
    years = one(con, "select min(year), max(year) from kpi_target")
    assert years[0] <= 2025 and years[1] >= 2030


def test_published_figures_of_the_addendum(con):
    """The figures found after the seed was built (shared/context/published-figures-addendum.md), as published."""
    facts = {
        f: (float(v), q, p, kind)
        for f, v, q, p, kind in con.execute(
            "select fact_id, value, qualifier, period, s.kind from published_fact join source s using (source_id)"
        ).fetchall()
    }
    expected = {
        "basic_total_per_year": (4_500_000.0, None, "2017-2026"),  # A1, against the cap: shown, not reconciled away
        "vlaio_cluster_projects": (80_000_000.0, "more_than", "undated"),  # B2 "ruim 80 miljoen"
        "catalisti_projects_2018": (7.0, None, "2018"),  # B3
        "catalisti_invested_2018": (16_200_000.0, None, "2018"),
        "catalisti_subsidy_2018": (10_100_000.0, None, "2018"),
        "catalisti_projects_2017": (17.0, None, "2017"),  # B4
        "vil_consortia_2019": (29.0, None, "2019"),  # B5
        "flux50_projects": (80.0, "more_than", "2022"),  # B6
        "flux50_parties_2016": (71.0, None, "2016"),  # C3: committed parties, not members
        "blauwe_smes_2022": (118.0, None, "2022"),  # C4
        "food_members": (300.0, "about", "undated"),  # C5: no year, not a point of a series
        "food_members_2014": (294.0, None, "2014"),  # C6: before spearhead status
        "medvia_members": (150.0, None, "undated"),  # C7
        "companies_in_clusters": (1700.0, None, "undated"),  # C8
        "ibn_first_call": (14.0, None, "2015-2017"),  # E1
        "ibn_second_call": (6.0, None, "2015-2017"),
        "ibn_ended_2019": (14.0, None, "2019"),  # E2
    }
    for fact, (value, qualifier, period) in expected.items():
        assert facts[fact] == (value, qualifier, period, "published"), fact

    def kpi(cluster, year):
        return con.execute(
            "select value, value_qualifier, s.kind, s.source_id from kpi_value v join source s using (source_id) "
            "where cluster_id = $c and kpi_id = 'members' and year = $y",
            {"c": cluster, "y": year},
        ).fetchone()

    assert kpi("vil", 2019) == (622, None, "published", "flows_vil_2019")  # C1, end 2019
    assert kpi("flux50", 2019) == (142, None, "published", "energik_flux50")  # C2, March 2019
    assert kpi("blauwe_cluster", 2022) == (200, "nearly", "published", "cleantech_2022")  # C4 "bijna tweehonderd"

    amount, kind, note = con.execute(
        "select amount_eur, s.kind, e.note from earmarked_budget e join source s using (source_id) "
        "where year = 2018 and envelope = 'cluster_projects' and cluster_id is null"
    ).fetchone()
    assert (float(amount), kind) == (80_000_000.0, "published") and "about" in note  # B1 "ongeveer 80 miljoen"


def test_the_transcribed_2024_amounts_are_derived_never_published(con):
    """Speurgids 2025 Table 18 reached us only through a third party's transcription (addendum B7)."""
    rows = dict(
        con.execute(
            "select cluster_id, amount_eur from earmarked_budget where year = 2024 and cluster_id is not null "
            "and source_id = 'speurgids_2025_transcribed'"
        ).fetchall()
    )
    assert {c: float(a) for c, a in rows.items()} == {
        "catalisti": 5_310_000.0,
        "blauwe_cluster": 10_100_000.0,
        "flanders_food": 6_800_000.0,
        "flux50": 7_700_000.0,
        "medvia": 2_700_000.0,
        "sim": 6_200_000.0,
        "vil": 1_100_000.0,
    }
    kind, note = con.execute("select kind, note from source where source_id = 'speurgids_2025_transcribed'").fetchone()
    assert kind == "derived" and "third party" in note and "not marked published" in note
