"""Imports: every bad file refused with a message naming the problem and nothing changed; good files become a
new version that readers see whole; restore goes back; a process killed mid-import leaves the old version served."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest

from clusterpolicy import spreadsheet
from clusterpolicy.data import build, importer, store
from clusterpolicy.data.access import Actor
from clusterpolicy.paths import SEED_DIR
from tests.conftest import assert_page_ok, open_link

ROOT = Path(__file__).resolve().parents[1]
# the command line's actor: tests of the import machinery itself act as whoever runs the server
CLI = Actor.command_line()


def state() -> tuple[str, str, list[str]]:
    """(served file, content hash of the served data, version files present)."""
    path = store.served_path()
    with duckdb.connect(str(path), read_only=True) as con:
        digest = build.content_hash(con)
    return (
        str(path),
        digest,
        sorted(p.name for p in store.versions_dir().glob("*.duckdb")) if store.versions_dir().exists() else [],
    )


def seed(table: str) -> bytes:
    return (SEED_DIR / f"{table}.csv").read_bytes()


def csv_with(table: str, old: bytes, new: bytes) -> bytes:
    data = seed(table)
    assert old in data
    return data.replace(old, new, 1)


def xlsx_of(table: str, change=None) -> bytes:
    df = pd.read_csv(SEED_DIR / f"{table}.csv", dtype=str, keep_default_na=False)
    if change:
        df = change(df)
    return spreadsheet.to_xlsx({table: df})


def xlsx_with_formula() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "basic_funding"
    ws.append(["cluster_id", "year", "public_eur", "member_eur", "source_id"])
    ws.append(["vil", 2024, "=400000+100000", 764000, "illus_basic_funding"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


BF = "basic_funding"
ROW = b"vil,2024,500000.00,764000.00,illus_basic_funding"
BAD = [
    # (id, table, bytes, file name, mode, words expected in one problem)
    ("missing-column", BF, seed(BF).replace(b",member_eur", b"", 1), "bf.csv", "upsert", "missing column: member_eur"),
    (
        "unknown-column",
        BF,
        seed(BF).replace(b"source_id\n", b"source_id,comment\n", 1),
        "bf.csv",
        "upsert",
        "unknown column: comment",
    ),
    (
        "column-twice",
        BF,
        b"cluster_id,year,public_eur,member_eur,source_id,year\n" + ROW + b",2024\n",
        "bf.csv",
        "upsert",
        "named twice: year",
    ),
    (
        "text-in-amount",
        BF,
        csv_with(BF, ROW, b"vil,2024,veel,764000.00,illus_basic_funding"),
        "bf.csv",
        "upsert",
        "'veel' is not a valid decimal(14,2)",
    ),
    (
        "negative-amount",
        BF,
        csv_with(BF, ROW, b"vil,2024,-500000.00,764000.00,illus_basic_funding"),
        "bf.csv",
        "upsert",
        "public_eur >= 0",
    ),
    (
        "unknown-cluster",
        BF,
        csv_with(BF, ROW, b"atlantis,2024,500000.00,764000.00,illus_basic_funding"),
        "bf.csv",
        "upsert",
        "'atlantis' is not a known cluster.cluster_id",
    ),
    (
        "unknown-source",
        BF,
        csv_with(BF, ROW, b"vil,2024,500000.00,764000.00,hearsay"),
        "bf.csv",
        "upsert",
        "'hearsay' is not a known source.source_id",
    ),
    ("duplicate-key", BF, seed(BF) + ROW + b"\n", "bf.csv", "upsert", "duplicate key"),
    (
        "end-before-start",
        "intercluster_project",
        csv_with("intercluster_project", b",2018,2020,1800000.00", b",2021,2020,1800000.00"),
        "ic.csv",
        "upsert",
        "end_year >= start_year",
    ),
    (
        "public-above-budget",
        "intercluster_project",
        csv_with("intercluster_project", b"1800000.00,900000.00", b"1800000.00,1900000.00"),
        "ic.csv",
        "upsert",
        "public_eur <= budget_eur",
    ),
    ("empty-file", BF, b"", "bf.csv", "upsert", "file is empty"),
    ("header-only", BF, b"cluster_id,year,public_eur,member_eur,source_id\n", "bf.csv", "upsert", "no data rows"),
    ("blank-lines-only", BF, b"\n\n\n", "bf.csv", "upsert", "file is empty"),
    ("wrong-delimiter", BF, seed(BF).replace(b",", b"|"), "bf.csv", "upsert", "missing columns"),
    (
        "latin-1",
        "cluster",
        seed("cluster").decode().encode("latin-1", errors="replace").replace(b"Ge", "G\xe9".encode("latin-1"), 1)
        + "Caf\xe9".encode("latin-1"),
        "c.csv",
        "upsert",
        "not UTF-8",
    ),
    ("utf-16", BF, seed(BF).decode().encode("utf-16"), "bf.csv", "upsert", "UTF-16"),
    (
        "huge-number",
        BF,
        csv_with(BF, ROW, b"vil,2024,99999999999999999999.00,764000.00,illus_basic_funding"),
        "bf.csv",
        "upsert",
        "not a valid decimal(14,2)",
    ),
    (
        "year-too-old",
        BF,
        csv_with(BF, ROW, b"vil,1850,500000.00,764000.00,illus_basic_funding"),
        "bf.csv",
        "upsert",
        "BETWEEN 2000 AND 2100",
    ),
    (
        "year-not-integer",
        BF,
        csv_with(BF, ROW, b"vil,2024.5,500000.00,764000.00,illus_basic_funding"),
        "bf.csv",
        "upsert",
        "not a valid smallint",
    ),
    (
        "required-empty",
        BF,
        csv_with(BF, ROW, b"vil,2024,,764000.00,illus_basic_funding"),
        "bf.csv",
        "upsert",
        "a value is required",
    ),
    ("too-many-fields", BF, csv_with(BF, ROW, ROW + b",extra"), "bf.csv", "upsert", "too many columns"),
    (
        "bad-kind",
        "source",
        csv_with("source", b",published,Cluster organisations", b",rumour,Cluster organisations"),
        "s.csv",
        "upsert",
        "kind IN",
    ),
    (
        "bad-envelope",
        "earmarked_budget",
        seed("earmarked_budget") + b"2030,pet_projects,,1.00,dvo_57551,\n",
        "e.csv",
        "upsert",
        "envelope IN",
    ),
    (
        "ended-without-source",
        "cluster",
        csv_with(
            "cluster",
            b"sim,SIM,Materials,Materialen,spearhead,2017,2022,sim-flanders.be,dvo_55495,derived_sim_end",
            b"sim,SIM,Materials,Materialen,spearhead,2017,2022,sim-flanders.be,dvo_55495,",
        ),
        "c.csv",
        "upsert",
        "ended_source_id IS NOT NULL",
    ),
    (
        "unknown-kpi",
        "kpi_value",
        seed("kpi_value") + b"vil,happiness,2024,1.0000,illus_kpi,\n",
        "kv.csv",
        "upsert",
        "not a known kpi.kpi_id",
    ),
    (
        "unknown-project",
        "project_cluster",
        seed("project_cluster") + b"IC99,vil\n",
        "pc.csv",
        "upsert",
        "not a known intercluster_project.project_id",
    ),
    (
        "bad-qualifier",
        "kpi_value",
        seed("kpi_value") + b"vil,members,2025,1.0000,illus_kpi,roughly\n",
        "kv.csv",
        "upsert",
        "value_qualifier IN",
    ),
    (
        "dutch-bad-number",
        BF,
        seed(BF).replace(b",", b";").replace(b"vil;2024;500000.00", b"vil;2024;1.234.5", 1),
        "bf.csv",
        "upsert",
        "not a valid decimal",
    ),
    (
        "replace-removes-used-cluster",
        "cluster",
        b"\n".join(line for line in seed("cluster").split(b"\n") if not line.startswith(b"sim,")),
        "c.csv",
        "replace",
        "'sim' would be removed but",
    ),
    ("truncated-xlsx", BF, xlsx_of(BF)[:900], "bf.xlsx", "upsert", "not a readable XLSX"),
    ("text-named-xlsx", BF, seed(BF), "bf.xlsx", "upsert", "not a readable XLSX"),
    ("formula-cell", BF, xlsx_with_formula(), "bf.xlsx", "upsert", "holds a formula"),
    ("binary", BF, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64, "bf.csv", "upsert", "not text"),
    ("over-size-limit", BF, seed(BF) + b"#" * (importer.MAX_BYTES + 1), "bf.csv", "upsert", "the limit is 10 MB"),
    ("unknown-table", "secret_table", seed(BF), "bf.csv", "upsert", "not an importable table"),
    ("bad-mode", BF, seed(BF), "bf.csv", "merge", "mode must be upsert or replace"),
]


@pytest.mark.parametrize("case, table, data, name, mode, words", BAD, ids=[b[0] for b in BAD])
def test_bad_file_is_refused_and_nothing_changes(data_dir, case, table, data, name, mode, words):
    before = state()
    with pytest.raises(build.ValidationError) as exc:
        importer.import_file(table, data, name, mode, actor=CLI)
    text = "\n".join(str(p) for p in exc.value.problems)
    assert words in text, text
    assert all(p.file == name for p in exc.value.problems)
    assert state() == before
    # the cause is located: a line or a column wherever the problem sits in a row
    if case in ("text-in-amount", "negative-amount", "unknown-cluster", "year-too-old", "required-empty"):
        assert any(p.line == 17 and p.column for p in exc.value.problems), text


def test_at_least_25_kinds_of_bad_file():
    assert len(BAD) >= 25


def test_every_problem_is_reported_not_only_the_first(data_dir):
    data = csv_with(BF, ROW, b"atlantis,2024,-1.00,abc,illus_basic_funding") + b"vil,1999,1.00,1.00,illus_basic_funding\n"
    with pytest.raises(build.ValidationError) as exc:
        importer.import_file(BF, data, "bf.csv", actor=CLI)
    found = {(p.line, p.column) for p in exc.value.problems}
    assert {(17, "cluster_id"), (17, "public_eur"), (17, "member_eur"), (57, "year")} <= found


@pytest.mark.usefixtures("state_backend")
def test_upsert_makes_a_new_version_and_restore_goes_back(data_dir):
    path0, hash0, _ = state()
    result = importer.import_file(BF, csv_with(BF, ROW, b"vil,2024,450000.00,814000.00,illus_basic_funding"), "bf.csv", actor=CLI)
    assert (result.added, result.changed, result.removed, result.applied) == (0, 1, 0, True)
    path1, hash1, versions = state()
    assert path1 != path0 and hash1 != hash0 and versions == [f"{result.version_after}.duckdb"]
    with duckdb.connect(path1, read_only=True) as con:
        assert (
            con.execute("select public_eur from basic_funding where cluster_id = 'vil' and year = 2024").fetchone()[0] == 450000
        )
        log = con.execute("select table_name, file_name, rows_changed, version_before, version_after from import_log").fetchall()
        assert log == [(BF, "bf.csv", 1, result.version_before, result.version_after)]
        assert (
            con.execute("select version from data_version order by built_at desc limit 1").fetchone()[0] == result.version_after
        )
    # the same file again changes nothing and makes no version
    again = importer.import_file(BF, csv_with(BF, ROW, b"vil,2024,450000.00,814000.00,illus_basic_funding"), "bf.csv", actor=CLI)
    assert not again.applied and again.changes == 0 and state()[0] == path1
    store.restore_previous(actor=CLI)
    assert state()[:2] == (path0, hash0)
    with pytest.raises(LookupError):
        store.restore_previous(actor=CLI)
    assert [e["action"] for e in store.history()] == ["import", "restore"]


def test_dutch_csv_with_semicolons_and_decimal_commas(data_dir):
    data = seed(BF).decode().replace(",", ";").replace("vil;2024;500000.00;764000.00", "vil;2024;450.000,50;814.000")
    result = importer.import_file(BF, ("\ufeff" + data).encode(), "financiering.csv", actor=CLI)
    assert result.changed == 1
    with duckdb.connect(state()[0], read_only=True) as con:
        row = con.execute("select public_eur, member_eur from basic_funding where cluster_id = 'vil' and year = 2024").fetchone()
    assert (float(row[0]), float(row[1])) == (450000.50, 814000.0)


def test_xlsx_import_and_replace_mode(data_dir):
    def drop_targets(df):
        return df[df["cluster_id"] != "medvia"]

    result = importer.import_file("kpi_target", xlsx_of("kpi_target", drop_targets), "doelen.xlsx", "replace", actor=CLI)
    assert result.removed > 0 and result.added == 0 and result.changed == 0
    with duckdb.connect(state()[0], read_only=True) as con:
        assert con.execute("select count(*) from kpi_target where cluster_id = 'medvia'").fetchone()[0] == 0


def test_optional_columns_may_be_left_out_and_text_stays_literal(data_dir):
    data = b'source_id,title,publisher,kind\nnew_src,<script>alert(1)</script>,=HYPERLINK("x"),published\n'
    result = importer.import_file("source", data, "s.csv", actor=CLI)
    assert result.added == 1
    with duckdb.connect(state()[0], read_only=True) as con:
        title, publisher, url = con.execute("select title, publisher, url from source where source_id = 'new_src'").fetchone()
    assert title == "<script>alert(1)</script>" and publisher == '=HYPERLINK("x")' and url is None


def test_dry_run_counts_without_changing(data_dir):
    before = state()
    plan = importer.import_file(
        BF, csv_with(BF, ROW, b"vil,2024,1.00,2.00,illus_basic_funding"), "bf.csv", dry_run=True, actor=CLI
    )
    assert plan.changed == 1 and not plan.applied and state() == before


@pytest.mark.usefixtures("state_backend")
def test_readers_see_the_old_or_the_new_version_never_a_mix(data_dir):
    expected: dict[str, float] = {}

    def snapshot(path: str) -> tuple[str, float]:
        with duckdb.connect(path, read_only=True) as con:
            cur = con.cursor()
            version = cur.execute("select version from data_version order by built_at desc limit 1").fetchone()[0]
            total = float(cur.execute("select sum(public_eur) from basic_funding").fetchone()[0])
            return version, total

    seen: list[tuple[str, float]] = []
    errors: list[BaseException] = []
    stop = threading.Event()

    def reader():
        while not stop.is_set():
            try:
                seen.append(snapshot(str(store.served_path())))
            except BaseException as exc:  # noqa: BLE001 - any failure is a finding
                errors.append(exc)

    v, total = snapshot(str(store.served_path()))
    expected[v] = total
    threads = [threading.Thread(target=reader) for _ in range(4)]
    for th in threads:
        th.start()
    for amount in (400000, 300000, 200000):
        result = importer.import_file(
            BF, csv_with(BF, ROW, f"vil,2024,{amount}.00,764000.00,illus_basic_funding".encode()), "bf.csv", actor=CLI
        )
        expected[result.version_after] = snapshot(str(store.served_path()))[1]
    time.sleep(0.2)
    stop.set()
    for th in threads:
        th.join()
    assert not errors, errors[:3]
    assert len(seen) > 20 and len({v for v, _ in seen}) >= 2
    for version, total in seen:
        assert expected[version] == total  # each reader saw one whole version


@pytest.mark.usefixtures("state_backend")
def test_killed_import_leaves_the_previous_version_served(data_dir, tmp_path):
    before = state()
    upload = tmp_path / "bf.csv"
    upload.write_bytes(csv_with(BF, ROW, b"vil,2024,123456.00,764000.00,illus_basic_funding"))
    env = {**os.environ, "CLUSTERPOLICY_DB": str(data_dir / "clusters.duckdb"), "CLUSTERPOLICY_TEST_PAUSE_BEFORE_SWITCH": "60"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "clusterpolicy", "import", BF, str(upload)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    # wait until the new version file is fully written, then kill before the switch
    while not list(store.versions_dir().glob("*.duckdb")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list(store.versions_dir().glob("*.duckdb")), proc.communicate(timeout=5)
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    assert state()[:2] == before[:2]  # still served: the old file, the old content
    # a restarted process serves the old version, and the next import works (lock and leftovers released)
    out = subprocess.run(
        [sys.executable, "-c", "from clusterpolicy.data import store; print(store.served_path())"],
        cwd=ROOT,
        env={**env, "CLUSTERPOLICY_TEST_PAUSE_BEFORE_SWITCH": ""},
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == before[0]
    result = importer.import_file(BF, upload.read_bytes(), "bf.csv", actor=CLI)
    assert result.applied and state()[0] != before[0]


def test_killed_during_validation_changes_nothing(data_dir, tmp_path):
    before = state()
    big = seed("kpi_target") * 1  # a valid file; the kill lands while it is being checked or written
    upload = tmp_path / "kt.csv"
    upload.write_bytes(big.replace(b"illus_kpi_target", b"illus_kpi", 5))
    env = {**os.environ, "CLUSTERPOLICY_DB": str(data_dir / "clusters.duckdb")}
    proc = subprocess.Popen([sys.executable, "-m", "clusterpolicy", "import", "kpi_target", str(upload)], cwd=ROOT, env=env)
    time.sleep(0.8)
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    after = state()
    # either the kill came first (nothing changed) or the import had finished whole (a new version)
    assert after[:2] == before[:2] or after[0].endswith(".duckdb") and after[1] != before[1]


@pytest.mark.usefixtures("state_backend")
def test_cli_import_restore_versions_template(data_dir, tmp_path, capsys):
    from clusterpolicy.cli import main

    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_with(BF, ROW, b"vil,2024,-1.00,764000.00,illus_basic_funding"))
    assert main(["import", BF, str(bad)]) == 1
    assert "bad.csv, line 17, column 'public_eur'" in capsys.readouterr().err
    good = tmp_path / "good.csv"
    good.write_bytes(csv_with(BF, ROW, b"vil,2024,400000.00,764000.00,illus_basic_funding"))
    assert main(["import", BF, str(good), "--dry-run"]) == 0
    assert "would change 0 added, 1 changed" in capsys.readouterr().out
    assert main(["import", BF, str(good)]) == 0
    assert "data version" in capsys.readouterr().out
    assert main(["versions"]) == 0
    assert "import" in capsys.readouterr().out
    assert main(["restore"]) == 0
    assert main(["restore"]) == 1
    out = tmp_path / "tpl.xlsx"
    assert main(["template", BF, str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    docs = {r[0].value: r[3].value for r in wb["columns"].iter_rows(min_row=2)}
    assert docs["public_eur"] == "Basic-operation subsidy from VLAIO in euro"
    assert [c.value for c in wb[BF][1]] == ["cluster_id", "year", "public_eur", "member_eur", "source_id"]


def shown_version(at) -> str:
    """The data version the data page says it shows (its version line: **Dataversie** `<version>` ...)."""
    import re

    line = next(m.value for m in at.markdown if "**Dataversie**" in m.value)
    return re.search(r"`([0-9a-f]{12})`", line).group(1)


@pytest.mark.usefixtures("state_backend")
def test_upload_form_checks_imports_and_restores(data_dir):

    from clusterpolicy.web import data as kept

    kept.clear_caches()
    at = open_link("data").run()
    assert_page_ok(at)
    version_before = shown_version(at)
    assert not at.get("file_uploader")  # the import form is built only while its section is open
    at.session_state["data_tab"] = "Importeren en versies"
    at.run()
    at.segmented_control(key="imp_what").set_value("table").run()
    at.selectbox(key="imp_table").select(BF).run()
    # a bad file: refused, each problem listed, nothing changed
    at.file_uploader(key="imp_file").upload(
        "bad.csv", csv_with(BF, ROW, b"vil,2024,-1.00,764000.00,illus_basic_funding"), "text/csv"
    ).run()
    assert_page_ok(at, errors_allowed=True)
    assert at.error
    problems = next(d.value for d in at.dataframe if "Probleem" in d.value.columns)
    assert problems.iloc[0]["Regel"] == 17 and problems.iloc[0]["Kolom"] == "public_eur"
    assert state()[0].endswith("clusters.duckdb")
    # a good file: the plan, then the import, then the new version is what the page shows
    at.file_uploader(key="imp_file").upload(
        "good.csv", csv_with(BF, ROW, b"vil,2024,400000.00,864000.00,illus_basic_funding"), "text/csv"
    ).run()
    assert "1 gewijzigd" in at.info[0].value
    at.button(key="imp_go").click().run()
    assert_page_ok(at)
    assert at.success, ([e.value for e in at.error], [i.value for i in at.info], [w.value for w in at.warning])
    assert version_before in at.success[0].value
    # the form is cleared: a new, empty uploader, no "this file changes nothing" under "imported"
    assert [u.key for u in at.get("file_uploader")] == ["imp_file_1"] and not at.info
    at.run()
    assert shown_version(at) != version_before
    log = next(d.value for d in at.dataframe if "Herkomst" in d.value.columns)
    assert list(log["Versie"]) == [shown_version(at), version_before]
    assert list(log["Herkomst"]) == ["import basic_funding (Toevoegen en bijwerken) uit good.csv", "meegeleverde seed"]
    # restore asks first, saying what it changes, then serves the chosen version
    at.selectbox(key="ver_restore_pick").select(version_before).run()
    at.button(key="imp_restore").click().run()
    diff = next(d.value for d in at.dataframe if "Tabel" in d.value.columns and "Gewijzigd" in d.value.columns)
    assert diff.values.tolist() == [["basic_funding", 0, 1, 0]]
    assert shown_version(at) != version_before  # nothing yet
    at.button(key="imp_restore_go").click().run()
    at.run()
    assert shown_version(at) == version_before


def test_dry_run_runs_once_per_uploaded_file(data_dir, monkeypatch):
    """A dry run copies the database under the import lock (about 130 ms): once per file, not on every rerun."""
    calls = []
    real = importer.import_file

    def counting(table, data, file_name, mode="upsert", dry_run=False, *, actor):
        calls.append((file_name, mode, dry_run))
        return real(table, data, file_name, mode, dry_run=dry_run, actor=actor)

    monkeypatch.setattr(importer, "import_file", counting)
    at = open_link("data").run()
    at.session_state["data_tab"] = "Importeren en versies"
    at.run()
    at.segmented_control(key="imp_what").set_value("table").run()
    at.selectbox(key="imp_table").select(BF).run()
    at.file_uploader(key="imp_file").upload(
        "good.csv", csv_with(BF, ROW, b"vil,2024,400000.00,864000.00,illus_basic_funding"), "text/csv"
    ).run()
    assert_page_ok(at)
    assert "1 gewijzigd" in at.info[0].value
    for _ in range(3):  # every click elsewhere reruns the page; the file is still in the uploader
        at.run()
    at.toggle(key="present").set_value(True).run()
    at.toggle(key="present").set_value(False).run()
    assert "1 gewijzigd" in at.info[0].value
    assert calls == [("good.csv", "upsert", True)]
    at.radio(key="imp_mode").set_value("replace").run()  # another mode is another dry run
    assert calls[-1] == ("good.csv", "replace", True) and len(calls) == 2


def test_an_import_that_breaks_a_published_rule_is_refused_also_in_a_dry_run(data_dir):
    """The cap of EUR 500,000 per cluster and year (dvo.be) holds for imported values as for the seed's."""
    from clusterpolicy.data import audit
    from clusterpolicy.data.build import ValidationError

    path0, hash0, _ = state()
    over = csv_with(BF, ROW, b"vil,2024,650000.00,764000.00,illus_basic_funding")
    for dry_run in (True, False):
        with pytest.raises(ValidationError) as exc:
            importer.import_file(BF, over, "bf.csv", dry_run=dry_run, actor=CLI)
        (problem,) = exc.value.problems
        assert problem.file == "bf.csv"
        assert "cap VIL 2024: data 650,000 against 500,000 (dvo_57551), gap +150,000 (+30.0%)" in problem.rule
    assert state()[:2] == (path0, hash0)  # nothing changed
    trail = audit.events()
    refused = trail[trail["action"] == "import"]
    assert list(zip(refused["outcome"], refused["file_name"])) == [("refused", "bf.csv")]  # the dry run is no import
    assert "breaks a published figure" in refused["detail"].iloc[0]


def test_the_members_capacity_per_cluster_is_imported_with_its_source_and_checked(data_dir):
    """The table the members' capacity reads per cluster: a rate out of range is refused by line and column; a good one lands."""
    before = state()
    bad = b"cluster_id,growth,source_id,note\nvil,0.5000,illus_scenarios,\n"
    with pytest.raises(build.ValidationError) as exc:
        importer.import_file("member_capacity", bad, "capacity.csv", actor=CLI)
    (problem,) = exc.value.problems
    assert (problem.file, problem.line, problem.column) == ("capacity.csv", 2, "growth")
    assert state() == before
    good = b"cluster_id,growth,source_id,note\nvil,0.0200,illus_scenarios,\n"
    result = importer.import_file("member_capacity", good, "capacity.csv", actor=CLI)
    assert result.applied and result.added == 1
