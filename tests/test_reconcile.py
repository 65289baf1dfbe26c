"""Reconciliation: published totals and rules held against the values beneath them, in the build and on the seed."""

from __future__ import annotations

import duckdb
import pytest

from clusterpolicy.data import reconcile
from tests.test_build import bad_seed, edit, problems_of  # noqa: F401 - bad_seed is a fixture


def test_the_seed_breaks_no_published_figure_and_shows_the_one_conflict(seed_db):
    con = duckdb.connect(str(seed_db), read_only=True)
    try:
        found = reconcile.checks(con)
    finally:
        con.close()
    assert reconcile.breaches(found) == []
    by_check = {}
    for c in found:
        by_check.setdefault(c.check, []).append(c)
    # the cap holds every year; the largest subsidy of a year is at most EUR 500,000
    assert {c.outcome for c in by_check["cap"]} == {"ok"} and len(by_check["cap"]) == 8
    assert all(c.data_eur <= 500_000 and c.source_id == "dvo_57551" for c in by_check["cap"])
    # EUR 4.5 M a year cannot be met under the cap of 7 x EUR 500,000: a conflict of two published figures, both sources named
    totals = by_check["basic_total"]
    assert [c.subject for c in totals] == [str(y) for y in range(2017, 2025)]
    assert {(c.outcome, c.source_id, c.other_source_id) for c in totals} == {("conflict", "engineeringnet_21560", "dvo_57551")}
    assert totals[-1].published_eur == 4_500_000 and totals[-1].data_eur == pytest.approx(2_890_000)
    assert totals[-1].gap_pct == pytest.approx(-1_610_000 / 4_500_000)
    assert {c.allowed_eur for c in totals} == {3_500_000}  # what the cap allows the seven clusters
    # the per-cluster earmarked amounts (published for MEDVIA, derived for 2024) fit in their year's envelope
    parts = {c.subject: c for c in by_check["earmarked_parts"]}
    assert set(parts) == {"cluster_projects 2021", "cluster_projects 2022", "cluster_projects 2024"}
    assert parts["cluster_projects 2024"].data_eur == pytest.approx(39_910_000)
    assert all(c.outcome == "ok" for c in parts.values())
    # De Blauwe Cluster in 2022: nearly 200 members and 118 SMEs, both published; the illustrative share passes through them
    (sme,) = by_check["sme_count"]
    assert (sme.subject, sme.published_eur, sme.data_eur, sme.source_id, sme.outcome) == (
        "De Blauwe Cluster 2022",
        118,
        pytest.approx(118),
        "cleantech_2022",
        "ok",
    )


def test_the_build_refuses_a_subsidy_above_the_published_cap(bad_seed, tmp_path):  # noqa: F811
    edit(bad_seed, "basic_funding", "catalisti,2017,500000.00,680000.00", "catalisti,2017,600000.00,680000.00")
    target = tmp_path / "x.duckdb"
    problems = problems_of(bad_seed, target)
    assert not target.exists() and not list(tmp_path.glob(".*building"))  # nothing written
    (p,) = problems
    assert p.file.endswith("basic_funding.csv") and p.column == "public_eur"
    assert "cap Catalisti 2017" in p.rule and "600,000 against 500,000 (dvo_57551)" in p.rule and "+100,000 (+20.0%)" in p.rule


def test_the_build_refuses_parts_of_an_envelope_above_its_total(bad_seed, tmp_path):  # noqa: F811
    edit(bad_seed, "earmarked_budget", "2021,cluster_projects,medvia,6500000.00", "2021,cluster_projects,medvia,90000000.00")
    problems = problems_of(bad_seed, tmp_path / "x.duckdb")
    assert [p.column for p in problems] == ["amount_eur"]
    assert "earmarked_parts cluster_projects 2021" in problems[0].rule and "breach" in problems[0].rule


def test_the_build_refuses_a_subsidy_above_the_support_rate(bad_seed, tmp_path):  # noqa: F811
    edit(bad_seed, "basic_funding", "catalisti,2017,500000.00,680000.00", "catalisti,2017,500000.00,400000.00")
    (p,) = problems_of(bad_seed, tmp_path / "x.duckdb")
    assert "share Catalisti 2017" in p.rule and "(vlaio_clusterbeleid)" in p.rule


def test_the_build_refuses_an_sme_share_that_misses_the_published_count(bad_seed, tmp_path):  # noqa: F811
    """61 % of De Blauwe Cluster's 200 members is 122 SMEs; Cleantech Flanders published 118."""
    edit(bad_seed, "kpi_value", "blauwe_cluster,sme_share,2022,59.0000", "blauwe_cluster,sme_share,2022,61.0000")
    (p,) = problems_of(bad_seed, tmp_path / "x.duckdb")
    assert p.file.endswith("kpi_value.csv") and p.column == "value"
    assert "sme_count De Blauwe Cluster 2022: data 122 against 118 (cleantech_2022), gap +4 (+3.4%): breach" in p.rule
