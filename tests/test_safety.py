"""Static and rendered safety checks: no SQL built from values, no raw HTML from data, data text shown literally."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from clusterpolicy.web import navigation
from tests.conftest import assert_page_ok

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted([ROOT / "dashboard.py", *ROOT.glob("pages/*.py"), *ROOT.glob("clusterpolicy/**/*.py")])
SQL_METHODS = {"execute", "sql", "query", "executemany"}
# modules that compose SQL from identifiers read back from the schema catalog or made by the package
# (quoted by db.ident)
IDENTIFIER_SQL_MODULES = {"build.py", "db.py", "importer.py", "changes.py"}
IDENTIFIER_NAMES = {
    "source",
    "stage",
    "raw",
    "parent",
    "target",
    "key",
    "key_sql",
    "expr",
    "condition",
    "differs",
    "assignments",
    "col_list",
    "casts",
    "whole",
    "dtype",
    # the importer's planned tables: ident("_merged_" + table), or a table's own ident
    "merged",
    "child_rows",
    "new_rows",
}
IDENTIFIER_CALLS = {"ident", "table_ident", "value_sql"}
QUERY_TEXT_CALLS = {"load_sql", "query"}
PLACEHOLDER_CALLS = {"to_psycopg"}
SPLIT_CALLS = {"statements"}  # a script's statements one by one (appstate.statements): as safe as the script


def split_names(tree, module: str) -> set[str]:
    """Loop names bound to the statements of a safe script: ``for s in statements(query(...))``."""
    return {
        node.target.id
        for node in ast.walk(tree)
        if isinstance(node, ast.For)
        and isinstance(node.target, ast.Name)
        and isinstance(node.iter, ast.Call)
        and getattr(node.iter.func, "id", getattr(node.iter.func, "attr", None)) in SPLIT_CALLS
        and node.iter.args
        and safe_piece(node.iter.args[0], module)
    }


def sql_calls(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in SQL_METHODS and node.args:
            yield node


def pieces(node):
    """The parts a SQL argument is made of (through + concatenation)."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return pieces(node.left) + pieces(node.right)
    return [node]


def safe_piece(node, module: str) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return True
    called = getattr(node.func, "id", getattr(node.func, "attr", None)) if isinstance(node, ast.Call) else None
    if called in QUERY_TEXT_CALLS:
        return True  # the text of a query file, found by its checked name (appstate_schema.query: in a dialect)
    if called in PLACEHOLDER_CALLS and node.args:
        return safe_piece(node.args[0], module)  # the same text with its parameters in the driver's style
    if isinstance(node, ast.JoinedStr) and module in IDENTIFIER_SQL_MODULES:
        for value in node.values:
            if isinstance(value, ast.FormattedValue):
                inner = value.value
                if isinstance(inner, ast.Name) and inner.id in IDENTIFIER_NAMES:
                    continue
                if (
                    isinstance(inner, ast.Call)
                    and getattr(inner.func, "id", getattr(inner.func, "attr", None)) in IDENTIFIER_CALLS
                ):
                    continue
                return False
        return True
    return False


@pytest.mark.parametrize("path", SOURCES, ids=[str(p.relative_to(ROOT)) for p in SOURCES])
def test_no_sql_is_built_from_values(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    split = split_names(tree, path.name)
    for call in sql_calls(tree):
        if call.func.attr == "query" and getattr(call.func.value, "id", "") == "kept":
            continue  # kept.query("name", ...) (clusterpolicy.web.data) takes a query name (checked by load_sql), not SQL
        for piece in pieces(call.args[0]):
            if isinstance(piece, ast.Name) and piece.id in split:
                continue
            assert safe_piece(piece, path.name), (
                f"{path.name}:{call.lineno}: SQL built from something other than query files and quoted identifiers"
            )


def test_the_checker_catches_a_pasted_value():
    bad = ast.parse("con.execute(f\"select * from t where name = '{name}'\")")
    call = next(sql_calls(bad))
    assert not all(safe_piece(p, "build.py") for p in pieces(call.args[0]))
    assert not all(safe_piece(p, "data.py") for p in pieces(ast.parse('c.execute("select " + name)').body[0].value.args[0]))
    # a dialect's placeholders on a text of unknown origin are no safer than the text
    assert not safe_piece(ast.parse("to_psycopg(text)").body[0].value, "appstate_pg.py")
    assert safe_piece(ast.parse('to_psycopg(query("audit_insert", "postgresql"))').body[0].value, "appstate_pg.py")
    # a script's statements one by one are as safe as the script
    assert split_names(ast.parse('for s in statements(query("m001_audit", "sqlite")):\n    con.execute(s)'), "appstate.py") == {
        "s"
    }
    assert split_names(ast.parse("for s in statements(text):\n    con.execute(s)"), "appstate.py") == set()


@pytest.mark.parametrize("path", SOURCES, ids=[str(p.relative_to(ROOT)) for p in SOURCES])
def test_no_raw_html_from_data(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        for kw in node.keywords:
            assert not (kw.arg == "unsafe_allow_html" and not (isinstance(kw.value, ast.Constant) and kw.value.value is False)), (
                f"{path.name}:{node.lineno}: unsafe_allow_html"
            )
        if isinstance(node.func, ast.Attribute) and node.func.attr == "html" and getattr(node.func.value, "id", "") == "st":
            arg = node.args[0]
            assert isinstance(arg, ast.Name) and arg.id.isupper(), (
                f"{path.name}:{node.lineno}: st.html with a non-constant argument"
            )


def test_pages_hold_no_sql():
    pages = [*ROOT.glob("pages/*.py"), *ROOT.glob("clusterpolicy/views/*.py")]
    assert len(pages) >= 10
    for page in pages:
        lowered = page.read_text(encoding="utf-8").lower()
        assert "select " not in lowered and "duckdb" not in lowered, page.name


def test_page_scripts_stay_thin():
    """The scripts Streamlit runs only hand over to the package (which is imported once, not recompiled)."""
    scripts = [*ROOT.glob("pages/*.py"), *ROOT.glob("pages/body/*.py")]
    assert len(scripts) == 2 * len(navigation.PAGES)
    for page in scripts:
        body = [
            node
            for node in ast.parse(page.read_text(encoding="utf-8")).body
            if not isinstance(node, ast.Expr) or not isinstance(node.value, ast.Constant)
        ]
        assert len(body) <= 2, page.name  # an import and a call


def test_the_legacy_entry_scripts_run_the_same_frame_as_dashboard():
    """What Streamlit runs for /<page> on a fresh server must be the frame itself, so the page has its sidebar."""

    def code(path):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        return [ast.dump(n) for n in tree.body if not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))]

    for page in ROOT.glob("pages/*.py"):
        assert code(page) == code(ROOT / "dashboard.py"), page.name


def test_config_keeps_the_server_closed():
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["enableXsrfProtection"] is True and config["server"]["enableCORS"] is True
    assert config["server"]["maxUploadSize"] <= 10 and config["server"]["enableStaticServing"] is False
    assert config["client"]["showErrorDetails"] == "none" and config["client"]["toolbarMode"] == "viewer"
    assert config["browser"]["gatherUsageStats"] is False


# ---- rendered: a cluster named like markup appears literally


@pytest.fixture()
def markup_db(tmp_path, monkeypatch):
    from clusterpolicy.data import build, importer
    from clusterpolicy.data.access import Actor

    target = tmp_path / "clusters.duckdb"
    build.build(target=target)
    monkeypatch.setenv("CLUSTERPOLICY_DB", str(target))
    data = (
        (ROOT / "data" / "seed" / "cluster.csv")
        .read_bytes()
        .replace(b"\nvil,VIL,", b"\nvil,<b>bold</b> <script>alert(1)</script>,", 1)
    )
    importer.import_file("cluster", data, "cluster.csv", actor=Actor.command_line())
    return target


def test_markup_in_data_is_shown_literally(markup_db):
    import io

    import openpyxl
    from streamlit.testing.v1 import AppTest

    from clusterpolicy.present import charts, outline
    from clusterpolicy.render import report, slides
    from clusterpolicy.web import data as kept

    kept.clear_caches()
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert_page_ok(at)
    specs = [json.loads(el.proto.spec) for el in at.get("plotly_chart")]
    labels = [y for trace in specs[0]["data"] for y in trace["y"]]
    assert "&lt;b&gt;bold&lt;/b&gt; &lt;script&gt;alert(1)&lt;/script&gt;" in labels
    assert not any("<b>" in str(y) or "<script>" in str(y) for y in labels)
    # the table behind the chart (opened) and the exports carry the text itself
    at.session_state["ov_timeline_table"] = True
    at.run()
    frame = next(d.value for d in at.dataframe if "Reeks" in d.value.columns or "Categorie" in d.value.columns)
    assert "<b>bold</b> <script>alert(1)</script>" in set(frame.iloc[:, 1])
    from clusterpolicy.data import db, provenance, store

    con = db.connect(store.served_path())
    clusters = db.run_query(con, "clusters", {})
    chart = charts.cluster_timeline(clusters, provenance.kinds(db.run_query(con, "sources", {})), 2024, "nl")
    assert "<b>bold</b> <script>alert(1)</script>" in set(chart.table["category"])
    view = outline.View("t", "nl", "http://x", "v", [outline.ChartItem("k", [], chart=chart)], db.run_query(con, "sources", {}))
    wb = openpyxl.load_workbook(io.BytesIO(report.to_xlsx(view)))
    values = {c.value for row in wb[wb.sheetnames[1]].iter_rows() for c in row}
    assert "<b>bold</b> <script>alert(1)</script>" in values
    from pptx import Presentation

    prs = Presentation(io.BytesIO(slides.to_pptx(view)))
    chart = next(sh.chart for sh in prs.slides[1].shapes if sh.has_chart)
    assert "<b>bold</b> <script>alert(1)</script>" in list(chart.plots[0].categories)
