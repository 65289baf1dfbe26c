"""The build: deterministic content, every broken seed row reported precisely, nothing written on failure."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from clusterpolicy.data import build
from clusterpolicy.data.build import TABLES, ValidationError
from clusterpolicy.paths import SEED_DIR


def table_dump(path: Path) -> dict[str, list]:
    with duckdb.connect(str(path), read_only=True) as c:
        return {t: c.execute(f'select * from "{t}" order by all').fetchall() for t in TABLES}


def test_build_is_deterministic(tmp_path):
    a, b = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    va = build.build(target=a)
    vb = build.build(target=b)
    assert va == vb
    assert table_dump(a) == table_dump(b)
    with duckdb.connect(str(a), read_only=True) as c:
        version, digest = c.execute("select version, content_hash from data_version").fetchone()
        assert version == va and digest.startswith(va)
        assert build.content_hash(c) == digest


def test_every_seed_table_is_loaded(seed_db):
    with duckdb.connect(str(seed_db), read_only=True) as c:
        for table in TABLES:
            n_rows = c.execute(f'select count(*) from "{table}"').fetchone()[0]
            with open(SEED_DIR / f"{table}.csv", encoding="utf-8") as f:
                n_lines = sum(1 for line in f if line.strip()) - 1
            assert n_rows == n_lines, table


@pytest.fixture()
def bad_seed(tmp_path):
    """A writable copy of the seed folder."""
    folder = tmp_path / "seed"
    shutil.copytree(SEED_DIR, folder)
    return folder


def edit(folder: Path, table: str, old: str, new: str) -> None:
    path = folder / f"{table}.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not in {table}.csv"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append(folder: Path, table: str, line: str) -> None:
    with open(folder / f"{table}.csv", "a", encoding="utf-8") as f:
        f.write(line + "\n")


def problems_of(folder: Path, target: Path) -> list[build.Problem]:
    with pytest.raises(ValidationError) as exc:
        build.build(folder, target)
    return exc.value.problems


CASES = [
    # (table, edit-or-append, expected line, expected column, words in the rule)
    ("basic_funding", ("vil,2018,500000.00,622000.00", "vil,2018,500000.00,abc"), 11, "member_eur", "not a valid decimal"),
    ("basic_funding", ("vil,2018,500000.00,622000.00", "vil,2018,-1.00,622000.00"), 11, "public_eur", "public_eur >= 0"),
    ("basic_funding", ("vil,2018,500000.00", "atlantis,2018,500000.00"), 11, "cluster_id", "not a known cluster.cluster_id"),
    ("basic_funding", "catalisti,2017,1.00,1.00,illus_basic_funding", 57, "cluster_id/year", "duplicate key"),
    ("basic_funding", "catalisti,2030,1.00,1.00,no_such_source", 57, "source_id", "not a known source.source_id"),
    ("basic_funding", "catalisti,2031,,1.00,illus_basic_funding", 57, "public_eur", "required"),
    ("earmarked_budget", "2017,cluster_projects,,1.00,dvo_57551,", 26, "year/envelope/cluster_id", "duplicate key"),
    ("earmarked_budget", "2030,other_pot,,1.00,dvo_57551,", 26, "envelope", "envelope IN"),
    (
        "intercluster_project",
        (
            "IC02,Slimme energiesturing in logistieke hubs,energy,2018,2020",
            "IC02,Slimme energiesturing in logistieke hubs,energy,2021,2020",
        ),
        3,
        "end_year, start_year",
        "end_year >= start_year",
    ),
    (
        "source",
        (
            "dvo_52450,Nieuw innovatiebeleid maakt vaart,,dvo.be,https://www.dvo.be/artikel/52450-nieuw-innovatiebeleid-maakt-vaart/,,published",
            "dvo_52450,Nieuw innovatiebeleid maakt vaart,,dvo.be,https://www.dvo.be/artikel/52450-nieuw-innovatiebeleid-maakt-vaart/,,rumour",
        ),
        3,
        "kind",
        "kind IN",
    ),
    ("kpi_value", "vil,members,1999,10.0000,illus_kpi,", None, "year", "BETWEEN 2000 AND 2100"),
    (
        "cluster",
        "newco,Newco,Space,Ruimte,spearhead,2020,2019,,dvo_52450,derived_sim_end",
        11,
        "ended_year, recognised_year",
        "ended_year >= recognised_year",
    ),
]


@pytest.mark.parametrize("table, change, line, column, words", CASES, ids=[f"{c[0]}-{c[4]}" for c in CASES])
def test_bad_seed_row_is_named_and_nothing_is_written(bad_seed, tmp_path, table, change, line, column, words):
    if isinstance(change, tuple):
        edit(bad_seed, table, *change)
    else:
        append(bad_seed, table, change)
    target = tmp_path / "out.duckdb"
    problems = problems_of(bad_seed, target)
    mine = [p for p in problems if p.file.endswith(f"{table}.csv")]
    assert mine, problems
    match = [p for p in mine if p.column == column and words in p.rule]
    assert match, f"expected {column!r} / {words!r} in {[str(p) for p in mine]}"
    if line is not None:
        assert match[0].line == line
    assert not target.exists()
    assert not list(tmp_path.glob(".*.building"))


def test_all_problems_are_reported_not_only_the_first(bad_seed, tmp_path):
    edit(bad_seed, "basic_funding", "vil,2018,500000.00,622000.00", "vil,2018,-5,abc")
    edit(bad_seed, "basic_funding", "vil,2019,500000.00", "atlantis,2019,500000.00")
    append(bad_seed, "earmarked_budget", "2017,cluster_projects,,1.00,dvo_57551,")
    problems = problems_of(bad_seed, tmp_path / "x.duckdb")
    text = "\n".join(str(p) for p in problems)
    assert "basic_funding.csv, line 11, column 'member_eur'" in text
    assert "basic_funding.csv, line 11, column 'public_eur'" in text
    assert "basic_funding.csv, line 12, column 'cluster_id'" in text
    assert "earmarked_budget.csv, line 26" in text


def test_header_problems_are_named(bad_seed, tmp_path):
    edit(bad_seed, "kpi", "kpi_id,name_nl", "kpi_code,name_nl")
    problems = problems_of(bad_seed, tmp_path / "x.duckdb")
    rules = [p.rule for p in problems if p.file.endswith("kpi.csv")]
    assert any("missing column: kpi_id" in r for r in rules)
    assert any("unknown column: kpi_code" in r for r in rules)


def test_failed_build_leaves_published_file_untouched(bad_seed, tmp_path):
    target = tmp_path / "live.duckdb"
    build.build(target=target)
    before = target.read_bytes()
    append(bad_seed, "basic_funding", "catalisti,2017,1.00,1.00,illus_basic_funding")
    with pytest.raises(ValidationError):
        build.build(bad_seed, target)
    assert target.read_bytes() == before


def test_not_utf8_is_reported(bad_seed, tmp_path):
    (bad_seed / "cluster.csv").write_bytes((bad_seed / "cluster.csv").read_text("utf-8").encode("utf-16"))
    problems = problems_of(bad_seed, tmp_path / "x.duckdb")
    assert any(p.file.endswith("cluster.csv") and "not UTF-8" in p.rule for p in problems)


def test_cli_build_exit_codes(bad_seed, tmp_path, capsys):
    from clusterpolicy.cli import main

    assert main(["build", "--db", str(tmp_path / "ok.duckdb")]) == 0
    assert "built data version" in capsys.readouterr().out
    append(bad_seed, "basic_funding", "catalisti,2017,1.00,1.00,illus_basic_funding")
    assert main(["build", "--seed", str(bad_seed), "--db", str(tmp_path / "bad.duckdb")]) == 1
    err = capsys.readouterr().err
    assert "basic_funding.csv, line 57" in err and "duplicate key" in err


def test_ensure_built_creates_missing_file(tmp_path):
    target = tmp_path / "sub" / "fresh.duckdb"
    build.ensure_built(target)
    assert target.is_file()
    mtime = target.stat().st_mtime_ns
    build.ensure_built(target)
    assert target.stat().st_mtime_ns == mtime
