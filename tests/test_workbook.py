"""The cabinet's own figures: the whole data set as one workbook and back, internal figures as a kind of their own,
their differences from published figures shown (never refused), and the confidentiality marking wherever they show."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import duckdb
import openpyxl
import pytest

from clusterpolicy import i18n
from clusterpolicy.data import audit, build, db, importer, reconcile, store, workbook
from clusterpolicy.data.access import Actor
from tests.conftest import assert_page_ok, open_link

ROOT = Path(__file__).resolve().parents[1]
CLI = Actor.command_line()
INTERNAL = "vlaio_dossiers_2026"
SPEARHEADS = ("catalisti", "vil", "flux50", "flanders_food", "blauwe_cluster", "medvia")
DEFAULT_NL = "Vertrouwelijk – voorbereidend document, niet verspreiden"
DEFAULT_EN = "Confidential – pre-decision, do not distribute"


def served_workbook(lang: str = "nl") -> bytes:
    """The whole data set as the data page offers it, from the served version."""
    with db.connect(store.served_path()) as database:
        return workbook.write(database, lang, store.version_of(store.served_path()))


def edit(data: bytes, change) -> bytes:
    """The workbook after ``change(wb)``, saved as Excel would (openpyxl)."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    change(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def clear(ws, first_cell: str) -> int:
    """Empty every row of ``ws`` whose first cell is ``first_cell`` (as a user deletes rows' contents); how many."""
    n = 0
    for row in ws.iter_rows(min_row=2):
        if row[0].value == first_cell:
            for cell in row:
                cell.value = None
            n += 1
    return n


def add_internal_source(wb) -> None:
    wb["source"].append(
        [INTERNAL, "Subsidiedossiers speerpuntclusters, uittreksel van 15/11/2026", None, "VLAIO", None, None, "internal", None]
    )


def steward_edit(wb) -> None:
    """A yearly update in several sheets at once: a new internal source, a new cluster with its funding, the 2025
    subsidies from VLAIO's records, two changed KPI values, one inter-cluster project removed with its partners."""
    add_internal_source(wb)
    wb["cluster"].append(
        ["nieuw_thema", "Nieuwe Cluster", "New theme", "Nieuw thema", "spearhead", 2025, None, None, INTERNAL, None]
    )
    for cid in SPEARHEADS:
        wb["basic_funding"].append([cid, 2025, 480000, 520000, INTERNAL])
    wb["basic_funding"].append(["nieuw_thema", 2025, 150000, 150000, INTERNAL])
    changed = 0
    for row in wb["kpi_value"].iter_rows(min_row=2):
        if row[0].value == "medvia" and row[1].value == "members" and row[4].value == "illus_kpi" and changed < 2:
            row[3].value, row[4].value = 151 + changed, INTERNAL
            changed += 1
    assert changed == 2
    assert clear(wb["project_cluster"], "IC16") == 3
    assert clear(wb["intercluster_project"], "IC16") == 1


EXPECTED = {
    "source": (1, 0, 0),
    "cluster": (1, 0, 0),
    "basic_funding": (7, 0, 0),
    "kpi_value": (0, 2, 0),
    "intercluster_project": (0, 0, 1),
    "project_cluster": (0, 0, 3),
}


def counts(result) -> dict:
    return {p.table: (p.added, p.changed, p.removed) for p in result.plans if p.changes}


def test_the_download_round_trips_unchanged(data_dir):
    """The workbook as downloaded, uploaded again, changes nothing: numbers, dates, empty cells and ids come back alike."""
    for lang in ("nl", "en"):
        result = importer.import_workbook(served_workbook(lang), "dataset.xlsx", dry_run=True, actor=CLI)
        assert result.changes == 0, counts(result)
        assert {p.table for p in result.plans} == set(workbook.TABLES)


def test_the_download_explains_every_table_and_column(data_dir):
    wb = openpyxl.load_workbook(io.BytesIO(served_workbook("nl")))
    assert wb.sheetnames == ["uitleg", *workbook.TABLES]
    about = wb["uitleg"]
    texts = [[c.value for c in row] for row in about.iter_rows()]
    described = {(r[0], r[1]) for r in texts if r[0] in workbook.TABLES and r[1] and r[1] not in workbook.MODES}
    with duckdb.connect(str(store.served_path()), read_only=True) as con:
        for table in workbook.TABLES:
            for name, _, _ in build.columns_of(con, table):
                assert (table, name) in described
    # each table's mode is a drop-down (replace or upsert); fixed values and ids are drop-downs in the sheets
    modes = {r[0]: r[1] for r in texts if r[0] in workbook.TABLES and r[1] in workbook.MODES}
    assert set(modes) == set(workbook.TABLES) and set(modes.values()) == {"replace"}
    kinds = [v for v in wb["source"].data_validations.dataValidation if "published" in (v.formula1 or "")]
    assert kinds and "internal" in kinds[0].formula1 and "B2" not in str(kinds[0].sqref) and "G2" in str(kinds[0].sqref)
    refs = {str(v.sqref).split(":")[0]: v.formula1 for v in wb["basic_funding"].data_validations.dataValidation}
    assert refs["A2"].startswith("'cluster'!$A$2") and refs["E2"].startswith("'source'!$A$2")
    assert wb["basic_funding"].freeze_panes == "A2"
    # numbers are numbers (Belgian format), years plain, dates dates
    cell = wb["basic_funding"]["C2"]
    assert isinstance(cell.value, (int, float)) and cell.number_format.startswith("[$-813]#,##0.00")
    assert wb["basic_funding"]["B2"].number_format == "0"
    dated = [r[5] for r in wb["source"].iter_rows(min_row=2) if r[5].value is not None]
    assert dated and isinstance(dated[0].value, datetime) and dated[0].number_format == "dd/mm/yyyy"
    # the meanings are in the reader's language: the Dutch sheet says "Betekenis" and no schema comment in English
    meanings = [r[2] for r in texts if r[0] == "basic_funding" and r[1] == "public_eur"]
    assert meanings == [i18n.t("column.basic_funding__public_eur", "nl")] and "subsidie" in meanings[0]


def test_the_english_column_meanings_are_the_schemas_own_comments():
    schema = (ROOT / "queries/build/schema.sql").read_text()
    comments = {
        f"{t}__{c}": text.replace("''", "'")
        for t, c, text in re.findall(r"comment on column (\w+)\.(\w+) is '((?:[^']|'')*)';", schema)
    }
    strings = i18n.strings("en")
    assert comments and all(strings[f"column.{k}"] == v for k, v in comments.items())


def test_a_yearly_update_previewed_applied_as_one_version_and_restored(data_dir):
    """One download, one edit in several sheets, one upload: the preview lists exactly the changes; one version; one restore."""
    before_path = store.served_path()
    data = edit(served_workbook(), steward_edit)
    started = time.perf_counter()
    preview = importer.import_workbook(data, "jaarupdate-2025.xlsx", dry_run=True, actor=CLI)
    seconds = time.perf_counter() - started
    assert counts(preview) == EXPECTED
    assert store.served_path() == before_path and not preview.applied  # a preview changes nothing
    # cell by cell: the two KPI values with their old and new value and source
    kpi = next(p for p in preview.plans if p.table == "kpi_value")
    cells = {(r.key, c.column): (c.old, c.new) for r in kpi.rows for c in r.cells}
    assert all(new == INTERNAL for (key, col), (old, new) in cells.items() if col == "source_id")
    assert sorted(float(new) for (key, col), (old, new) in cells.items() if col == "value") == [151.0, 152.0]
    # the effect on the headline figures: the model's base year moves to 2025, internal values appear, the marking follows
    before, after = preview.effect["before"], preview.effect["after"]
    assert (before["base_year"], after["base_year"]) == (2024, 2025)
    assert after["continuation_basic_eur"] != before["continuation_basic_eur"]
    assert before["values"].get("internal", 0) == 0 and after["values"]["internal"] == 7 * 2 + 2
    assert before["marking"] == {} and after["marking"] == {"nl": DEFAULT_NL, "en": DEFAULT_EN}
    print(f"preview of the test workbook: {seconds:.2f} s; values by kind before {before['values']}, after {after['values']}")

    trail_before = len(audit.events())
    result = importer.import_workbook(data, "jaarupdate-2025.xlsx", actor=CLI)
    assert result.applied and counts(result) == EXPECTED
    served = store.served_path()
    assert served.stem == result.version_after and served != before_path
    # one version, one audit entry naming the file, its SHA-256, the author and the counts per table
    assert [v["version"] for v in store.versions() if v["served"]] == [result.version_after]
    trail = audit.events()
    assert len(trail) == trail_before + 1
    entry = trail.iloc[0]
    assert (entry["action"], entry["outcome"], entry["file_name"]) == ("import", "done", "jaarupdate-2025.xlsx")
    assert entry["file_sha256"] == result.file_sha256 and entry["via"] == "cli"
    assert "basic_funding +7 ~0 -0" in entry["detail"] and "project_cluster +0 ~0 -3" in entry["detail"]
    with duckdb.connect(str(served), read_only=True) as con:
        assert con.execute("select count(*) from basic_funding where year = 2025").fetchone()[0] == 7
        assert con.execute("select count(*) from intercluster_project where project_id = 'IC16'").fetchone()[0] == 0
        log = con.execute("select table_name, version_after from import_log order by table_name").fetchall()
    assert [t for t, _ in log] == sorted(EXPECTED) and {v for _, v in log} == {result.version_after}
    # one restore brings the old version back, named by its id in the trail
    store.restore(store.version_of(before_path), actor=CLI)
    assert store.served_path() == before_path
    entry = audit.events().iloc[0]
    assert (entry["action"], entry["version_before"], entry["version_after"]) == (
        "restore",
        result.version_after,
        store.version_of(before_path),
    )
    # and forward again: restoring the later version
    store.restore(result.version_after, actor=CLI)
    assert store.served_path() == served


def test_one_error_in_each_of_three_sheets_three_messages_and_nothing_changes(data_dir):
    def three_errors(wb):
        steward_edit(wb)
        wb["cluster"].append(["kapot", "Kapot", "Broken", "Stuk", "cluster", 2025, None, None, INTERNAL, None])  # type
        wb["basic_funding"].append(["atlantis", 2025, 1, 1, INTERNAL])  # unknown cluster
        for row in wb["kpi_value"].iter_rows(min_row=2, max_row=2):
            row[3].value = "veel"  # not a number

    data = edit(served_workbook(), three_errors)
    before, trail = store.served_path(), len(audit.events())
    with pytest.raises(build.ValidationError) as exc:
        importer.import_workbook(data, "fouten.xlsx", actor=CLI)
    problems = exc.value.problems
    assert [(p.sheet, p.column) for p in problems] == [
        ("basic_funding", "cluster_id"),
        ("cluster", "type"),
        ("kpi_value", "value"),
    ]
    by_sheet = {p.sheet: p for p in problems}
    assert by_sheet["kpi_value"].line == 2
    assert by_sheet["basic_funding"].line == wb_rows(data, "basic_funding")
    assert "voeg een rij met die waarde toe aan het blad 'cluster'" in by_sheet["basic_funding"].text("nl")
    assert "kies een van spearhead, ibn" in by_sheet["cluster"].text("nl")
    assert "'veel' is geen geldig getal" in by_sheet["kpi_value"].text("nl")
    assert store.served_path() == before
    trail_now = audit.events()
    assert len(trail_now) == trail + 1
    assert (trail_now.iloc[0]["outcome"], trail_now.iloc[0]["file_name"]) == ("refused", "fouten.xlsx")
    assert "3 problem(s) in sheet(s) basic_funding, cluster, kpi_value" in trail_now.iloc[0]["detail"]


def wb_rows(data: bytes, sheet: str) -> int:
    """The number of the last row with a value in a sheet (where an appended row landed)."""
    ws = openpyxl.load_workbook(io.BytesIO(data))[sheet]
    return max(r[0].row for r in ws.iter_rows() if any(c.value is not None for c in r))


def test_internal_subsidies_below_the_published_total_are_imported_and_the_difference_shown(data_dir):
    """EUR 4.3 M of internal basic subsidies in 2025 against the published EUR 4.5 M a year: accepted, shown with both sources."""

    def update(wb):
        add_internal_source(wb)
        for cid, amount in zip(SPEARHEADS, (800_000, 750_000, 700_000, 700_000, 700_000, 650_000)):
            wb["basic_funding"].append([cid, 2025, amount, amount, INTERNAL])

    importer.import_workbook(edit(served_workbook(), update), "dossiers.xlsx", actor=CLI)
    with db.connect(store.served_path()) as database:
        found = reconcile.checks(database)
    differs = [c for c in found if c.outcome == "differs" and c.check == "basic_total"]
    assert len(differs) == 1
    (c,) = differs
    assert (c.subject, c.published_eur, c.data_eur, c.source_id, c.other_source_id) == (
        "2025",
        4_500_000,
        4_300_000,
        "engineeringnet_21560",
        INTERNAL,
    )
    assert round(c.gap_eur) == -200_000 and round(c.gap_pct, 4) == -0.0444
    # above the cap: real records, so a difference to show, not a breach to refuse
    assert not reconcile.breaches(found)
    differing = sorted(x.check for x in found if x.outcome == "differs")
    assert differing == ["basic_total"] + ["cap"] * 6  # every 2025 subsidy is above the published cap of EUR 500,000
    with db.connect(store.served_path()) as database:
        sources = {r["source_id"]: r for r in db.run_query(database, "sources").to_dict("records")}
    sentence, ids = reconcile.conflict_sentence(found, sources, "nl")
    assert "Interne gegevens (VLAIO)" in sentence and "2025 € 4,30 mln, verschil \u2212€ 0,20 mln (\u22124,4\xa0%)" in sentence
    assert INTERNAL in ids and "engineeringnet_21560" in ids
    # on the overview's basic-funding chart and on the data page's reconciliation table
    at = open_link(None, {"year": "2025"}).run()
    assert_page_ok(at)
    spec = next(c.proto.spec for c in at.get("plotly_chart") if "4,30 mln" in c.proto.spec)
    assert "Interne gegevens" in spec
    at = open_link("data").run()
    assert_page_ok(at)
    table = next(d.value for d in at.dataframe if "Uitkomst" in d.value.columns)
    assert (table["Uitkomst"] == "verschil: interne gegevens tegenover een gepubliceerd cijfer").sum() >= 7


def test_internal_values_are_real_values_on_the_charts(data_dir):
    """A chart whose values are all published or internal carries no illustrative mark; the source line names the records."""
    importer.import_workbook(edit(served_workbook(), steward_edit), "jaarupdate.xlsx", actor=CLI)
    at = open_link("cluster", {"c": "nieuw_thema"}).run()
    assert_page_ok(at)
    funding = next(c for c in at.get("plotly_chart") if "Nieuwe Cluster" in c.proto.spec and "intern" in c.proto.spec)
    assert "Illustratieve cijfers" not in funding.proto.spec and "pattern" not in funding.proto.spec.split('"shape":"/"')[0][-5:]
    lines = [m.value for m in at.caption] + [m.value for m in at.markdown]
    assert any("Interne gegevens van de administratie, niet gepubliceerd: VLAIO, Subsidiedossiers" in line for line in lines)
    # the scenario page: the model now starts from 2025's internal subsidies, and says so instead of "illustrative"
    at = open_link("scenarios").run()
    assert_page_ok(at)
    said = " ".join([m.value for m in at.markdown] + [c.value for c in at.caption])
    assert "illustratieve financieringscijfers" not in said


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_marking_is_on_every_page_when_internal_figures_are_in(data_dir, lang):
    importer.import_workbook(edit(served_workbook(), steward_edit), "jaarupdate.xlsx", actor=CLI)
    text = DEFAULT_NL if lang == "nl" else DEFAULT_EN
    for page in (None, "scenarios", "earmarked", "kpis", "cluster", "data"):
        for present in ("0", "1"):
            at = open_link(page, {"lang": lang, "present": present}).run()
            assert_page_ok(at)
            assert [w.value for w in at.warning if w.value == text.replace("-", "\\-")], (
                page,
                present,
                [w.value for w in at.warning],
            )


def test_no_marking_without_internal_figures_or_a_setting(data_dir):
    for page in (None, "scenarios", "data"):
        at = open_link(page).run()
        assert_page_ok(at)
        assert not [w.value for w in at.warning if "Vertrouwelijk" in w.value]


def test_the_steward_sets_and_removes_the_marking_as_versions(data_dir):
    result = importer.set_classification(
        "Vertrouwelijk – enkel voor het kabinet", "Confidential – cabinet only", "beslist door de kabinetschef", actor=CLI
    )
    assert result.applied
    at = open_link("overview").run()
    assert [w.value for w in at.warning if "enkel voor het kabinet" in w.value]
    importer.set_classification("", "", "", actor=CLI)
    at = open_link("overview").run()
    assert not [w.value for w in at.warning if "Vertrouwelijk" in w.value]
    from clusterpolicy.data.access import PermissionDenied

    with pytest.raises(PermissionDenied):
        importer.set_classification("x", "y", "", actor=Actor(role="viewer", subject="v", via="web"))


def test_stewards_mistakes_get_messages_that_name_the_fix(data_dir):
    """Trailing spaces, unknown ids, years typed as dates, dates in another format, blank lines in a CSV."""

    def mistakes(wb):
        add_internal_source(wb)
        wb["basic_funding"].append(["vil ", 2025, 400000, 600000, f" {INTERNAL}"])  # spaces: trimmed
        wb["basic_funding"].append(["agrifood", 2025, 400000, 600000, INTERNAL])  # unknown cluster
        wb["kpi_value"].append(["vil", "members", datetime(2025, 1, 1), 700, INTERNAL, None])  # a year as a date
        wb["source"].append(["datum_fout", "Iets", None, "VLAIO", None, "15.11.2026", "internal", None])  # a date in another form
        wb["source"].append(["datum_goed", "Iets", None, "VLAIO", None, "15/11/2026", "internal", None])  # dd/mm/yyyy: taken

    with pytest.raises(build.ValidationError) as exc:
        importer.import_workbook(edit(served_workbook(), mistakes), "fouten.xlsx", actor=CLI)
    found = {(p.sheet, p.column): p for p in exc.value.problems}
    assert set(found) == {("basic_funding", "cluster_id"), ("kpi_value", "year"), ("source", "published")}, [
        str(p) for p in exc.value.problems
    ]
    assert "'agrifood' is geen bekende cluster.cluster_id: voeg een rij met die waarde toe aan het blad 'cluster'" in found[
        "basic_funding", "cluster_id"
    ].text("nl")
    assert "vul een heel jaartal in, zoals 2025" in found["kpi_value", "year"].text("nl")
    assert "a whole year such as 2025" in found["kpi_value", "year"].text("en")
    assert "15/11/2025 (dag/maand/jaar)" in found["source", "published"].text("nl") and "'15.11.2026'" in found[
        "source", "published"
    ].text("nl")

    def good(wb):
        add_internal_source(wb)
        wb["basic_funding"].append(["vil ", 2025, 400000, 600000, f" {INTERNAL} "])
        wb["source"].append(["datum_goed", "Iets", None, "VLAIO", None, "15/11/2026", "internal", None])

    result = importer.import_workbook(edit(served_workbook(), good), "goed.xlsx", actor=CLI)
    assert counts(result) == {"source": (2, 0, 0), "basic_funding": (1, 0, 0)}
    with duckdb.connect(str(store.served_path()), read_only=True) as con:
        assert con.execute("select cluster_id, source_id from basic_funding where year = 2025").fetchall() == [("vil", INTERNAL)]
        assert str(con.execute("select published from source where source_id = 'datum_goed'").fetchone()[0]) == "2026-11-15"
    # a CSV with blank lines: the line numbers are the file's own
    csv = b"cluster_id,year,public_eur,member_eur,source_id\n\nvil,2026,1,1,illus_basic_funding\n\n\nvil,2027,-5,1,illus_basic_funding\n"
    with pytest.raises(build.ValidationError) as exc:
        importer.import_file("basic_funding", csv, "leeg.csv", actor=CLI)
    assert [(p.line, p.column) for p in exc.value.problems] == [(6, "public_eur")]


def test_workbooks_written_by_excel_formulas_hidden_sheets_serial_dates_stray_rows(data_dir):
    def excelish(wb):
        add_internal_source(wb)
        hidden = wb.create_sheet("mijn notities")
        hidden.append(["dit", "is", "van mij"])
        hidden.sheet_state = "hidden"
        wb.create_sheet("grafiek").append(["iets"])
        ws = wb["source"]
        ws.append(["serieel", "Serial date", None, "VLAIO", None, 46341, "internal", None])  # 15/11/2026 as Excel's serial
        ws.append([None, None, None, None, None, None, None, None])  # a stray empty row at the end
        ws.append(["   ", None, None, None, None, None, None, None])

    result = importer.import_workbook(edit(served_workbook(), excelish), "excel.xlsx", dry_run=True, actor=CLI)
    assert counts(result) == {"source": (2, 0, 0)}
    assert dict(result.not_read) == {"mijn notities": "hidden", "grafiek": "unknown"}
    added = {r.key[0]: {c.column: c.new for c in r.cells} for r in result.plans[0].rows}
    assert str(added["serieel"]["published"]) == "2026-11-15"

    def formula(wb):
        wb["basic_funding"]["C3"] = "=C2*2"
        wb["kpi"]["E2"] = "=FALSE()"  # a logical value as LibreOffice writes it: a value, taken

    with pytest.raises(build.ValidationError) as exc:
        importer.import_workbook(edit(served_workbook(), formula), "formule.xlsx", actor=CLI)
    (p,) = exc.value.problems
    assert (p.sheet, p.line, p.column) == ("basic_funding", 3, "public_eur") and "cel C3 bevat een formule" in p.text("nl")


def test_a_sheet_left_out_is_not_touched_and_a_sheet_may_add_and_update(data_dir):
    def only_funding(wb):
        for name in wb.sheetnames:
            if name not in ("uitleg", "basic_funding"):
                del wb[name]
        ws = wb["basic_funding"]
        for row in list(ws.iter_rows(min_row=3)):
            for c in row:
                c.value = None
        ws["C2"] = 123456  # one row kept, changed
        about = wb["uitleg"]
        for row in about.iter_rows():
            if row[0].value == "basic_funding" and row[1].value == "replace":
                row[1].value = "upsert"

    result = importer.import_workbook(edit(served_workbook(), only_funding), "klein.xlsx", dry_run=True, actor=CLI)
    assert counts(result) == {"basic_funding": (0, 1, 0)}
    assert set(result.left_out) == set(workbook.TABLES) - {"basic_funding"}
    # the same sheet in replace mode would remove every other row (and is refused: other tables need none of them? no)
    bad_mode = edit(
        served_workbook(),
        lambda wb: [r[1].__setattr__("value", "merge") for r in wb["uitleg"].iter_rows() if r[0].value == "kpi"],
    )
    with pytest.raises(build.ValidationError) as exc:
        importer.import_workbook(bad_mode, "modus.xlsx", dry_run=True, actor=CLI)
    assert [(p.sheet, p.column) for p in exc.value.problems] == [("uitleg", "mode")]


def _csv_cases():
    from tests.test_import import BAD

    out = []
    for case, table, data, name, mode, words in BAD:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        if table not in importer.IMPORTABLE or not text.strip() or name.endswith(".xlsx") or "\x00" in text or "####" in text:
            continue  # encodings, empty files, file types and sizes: what a workbook is made of differs (tests below)
        if case in ("header-only", "bad-mode"):
            continue  # a sheet with a header only is an empty table; a workbook's modes are tested above
        if case == "too-many-fields":
            words = "is right of the last named column"  # a sheet has no separators to count: the cell is named
        out.append(pytest.param(table, text, mode, words, id=case))
    return out


@pytest.mark.parametrize("table, text, mode, words", _csv_cases())
def test_the_bad_input_suite_holds_for_workbooks(data_dir, table, text, mode, words):
    """Each bad CSV of the import suite, as a sheet of a workbook: refused with the same words, its sheet named, nothing changed."""
    import csv

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = table
    for row in csv.reader(
        io.StringIO(text), delimiter=";" if text.split("\n")[0].count(";") > text.split("\n")[0].count(",") else ","
    ):
        if row:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    before = store.served_path()
    with pytest.raises(build.ValidationError) as exc:
        importer.import_workbook(out.getvalue(), "suite.xlsx", actor=CLI, modes={table: mode})
    messages = "\n".join(str(p) for p in exc.value.problems)
    assert words in messages, messages
    assert store.served_path() == before


@pytest.mark.parametrize(
    "data, words",
    [
        (b"PK\x03\x04 not really", "not a readable XLSX"),
        (b"x" * (importer.MAX_BYTES + 1), "the limit is 10 MB"),
    ],
    ids=["damaged", "too-big"],
)
def test_a_workbook_that_cannot_be_read_is_refused(data_dir, data, words):
    with pytest.raises(build.ValidationError) as exc:
        importer.import_workbook(data, "kapot.xlsx", actor=CLI)
    assert words in str(exc.value)


def test_a_workbook_without_contract_sheets_is_refused(data_dir):
    wb = openpyxl.Workbook()
    wb.active.title = "geheim"
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(build.ValidationError) as exc:
        importer.import_workbook(out.getvalue(), "leeg.xlsx", actor=CLI)
    assert "geen blad met de naam van een tabel" in exc.value.problems[0].text("nl")


def test_only_a_steward_imports_a_workbook(data_dir):
    from clusterpolicy.data.access import PermissionDenied

    viewer = Actor(role="viewer", subject="someone", email="v@example.org", via="web")
    with pytest.raises(PermissionDenied):
        importer.import_workbook(served_workbook(), "x.xlsx", actor=viewer)
    with pytest.raises(PermissionDenied):
        store.restore("anything", actor=viewer)
    trail = audit.events()
    assert list(trail["outcome"][:2]) == ["denied", "denied"]


def test_the_command_line_round_trip(data_dir, tmp_path):
    env = {"CLUSTERPOLICY_DB": str(data_dir / "clusters.duckdb"), "PATH": "/usr/bin:/bin"}
    out = tmp_path / "dataset.xlsx"
    run = subprocess.run(
        [sys.executable, "-m", "clusterpolicy", "export-workbook", str(out)], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    out.write_bytes(edit(out.read_bytes(), steward_edit))
    run = subprocess.run(
        [sys.executable, "-m", "clusterpolicy", "import", str(out), "--dry-run"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert "basic_funding: 7 added, 0 changed, 0 removed" in run.stdout and "dry run: nothing was changed" in run.stdout
    run = subprocess.run(
        [sys.executable, "-m", "clusterpolicy", "import", str(out)], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    version = re.search(r"-> ([0-9a-f]{12})", run.stdout).group(1)
    run = subprocess.run([sys.executable, "-m", "clusterpolicy", "versions"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert version in run.stdout and "workbook dataset.xlsx" in run.stdout
    run = subprocess.run([sys.executable, "-m", "clusterpolicy", "restore"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    run = subprocess.run([sys.executable, "-m", "clusterpolicy", "audit"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert run.returncode == 0 and "nan" not in run.stdout and version in run.stdout


def shown(at) -> str:
    """The data version a page says it shows (the sidebar's line)."""
    line = next(c.value for c in at.sidebar.caption if "ataversie" in c.value or "ata version" in c.value)
    return re.search(r"([0-9a-f]{12})", line).group(1)


def test_a_viewer_sees_the_old_version_during_a_preview_and_the_whole_new_one_after(data_dir):
    viewer = open_link("overview").run()
    assert_page_ok(viewer)
    before = shown(viewer)
    preview = importer.import_workbook(edit(served_workbook(), steward_edit), "jaarupdate.xlsx", dry_run=True, actor=CLI)
    viewer.run()
    assert shown(viewer) == before == preview.version_before
    assert not [w.value for w in viewer.warning if "Vertrouwelijk" in w.value]
    importer.import_workbook(edit(served_workbook(), steward_edit), "jaarupdate.xlsx", actor=CLI)
    viewer.run()
    assert_page_ok(viewer)
    assert shown(viewer) == store.version_of(store.served_path()) != before
    assert [w.value for w in viewer.warning if "Vertrouwelijk" in w.value]
    assert any("2025" in c.proto.spec for c in viewer.get("plotly_chart"))


def test_a_breach_of_a_published_rule_names_its_row_and_reads_in_full_in_each_language(data_dir):
    """An illustrative subsidy above the published cap is refused, naming the sheet, the row and both figures."""

    def over_cap(wb):
        for row in wb["basic_funding"].iter_rows(min_row=2):
            if row[0].value == "vil" and row[1].value == 2024:
                row[2].value = 650000
                return row[2].row

    line = {}
    data = edit(served_workbook(), lambda wb: line.setdefault("n", over_cap(wb)))
    with pytest.raises(build.ValidationError) as exc:
        importer.import_workbook(data, "te-hoog.xlsx", actor=CLI)
    (p,) = exc.value.problems
    assert (p.line, p.column) == (line["n"], "public_eur") and p.file.startswith("te-hoog.xlsx")
    nl, en = p.text("nl"), p.text("en")
    assert (
        "Grootste basissubsidie VIL 2024 tegenover het plafond per cluster: € 650.000 in de data tegenover € 500.000 (dvo.be)"
        in nl.replace("\xa0", " ")
    )
    assert "verschil +€ 150.000 (+30,0 %)" in nl.replace("\xa0", " ") and "bron van soort internal" in nl
    assert "Largest basic subsidy VIL 2024 against the cap per cluster: €650,000 in the data against €500,000 (dvo.be)" in en

    # the same figure from the administration's records is a real value: accepted, and the difference shown
    def internal(wb):
        add_internal_source(wb)
        over_cap(wb)
        for row in wb["basic_funding"].iter_rows(min_row=2):
            if row[0].value == "vil" and row[1].value == 2024:
                row[4].value = INTERNAL

    assert importer.import_workbook(edit(served_workbook(), internal), "dossier.xlsx", actor=CLI).applied


def test_the_page_takes_a_workbook_previews_it_applies_it_and_restores(data_dir):
    """The data page as a steward uses it (AppTest): upload, the preview's tables, apply, the new figures, restore."""
    at = open_link("data").run()
    at.session_state["data_tab"] = "Importeren en versies"
    at.run()
    before = shown(at)
    assert at.segmented_control(key="imp_what").value == "workbook"
    at.file_uploader(key="imp_file").upload(
        "jaarupdate.xlsx", edit(served_workbook(), steward_edit), "application/octet-stream"
    ).run()
    assert_page_ok(at)
    plans = next(d.value for d in at.dataframe if "Rijen in het bestand" in d.value.columns)
    changed = plans[(plans["Toegevoegd"] + plans["Gewijzigd"] + plans["Verwijderd"]) > 0]
    assert {r["Tabel"]: (r["Toegevoegd"], r["Gewijzigd"], r["Verwijderd"]) for _, r in changed.iterrows()} == EXPECTED
    effect = next(d.value for d in at.dataframe if "Na toepassen" in d.value.columns)
    assert effect.set_index("Cijfer").loc["Basisjaar van het scenariomodel"].tolist() == ["2024", "2025"]
    assert shown(at) == before  # a preview serves nothing new
    at.button(key="imp_go").click().run()
    assert_page_ok(at)
    assert at.success and not at.get("file_uploader")[0].value
    at.run()
    after = shown(at)
    assert after != before and [w.value for w in at.warning if "Vertrouwelijk" in w.value]
    # the new cluster's profile: its 2025 funding is real (internal), so no illustrative mark on that chart
    profile = open_link("cluster", {"c": "nieuw_thema"}).run()
    assert_page_ok(profile)
    funding = next(
        c.proto.spec for c in profile.get("plotly_chart") if "Basiswerking" in c.proto.spec or "basiswerking" in c.proto.spec
    )
    assert "150" in funding and "Illustratieve cijfers" not in funding
    # one restore, confirmed, brings the old version back
    at.session_state["data_tab"] = "Importeren en versies"
    at.run()
    at.selectbox(key="ver_restore_pick").select(before).run()
    at.button(key="imp_restore").click().run()
    at.button(key="imp_restore_go").click().run()
    at.run()
    assert shown(at) == before
