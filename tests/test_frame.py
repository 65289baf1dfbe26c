"""The frame: documented Streamlit only, no import cycle, the Streamlit-free core, and a test helper that sees a broken page."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from clusterpolicy import i18n
from tests.conftest import assert_page_ok, open_link

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "clusterpolicy"


def _imports(path: Path) -> list[str]:
    """Absolute names of the modules a file imports (relative imports resolved against the package)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parts = path.relative_to(ROOT).with_suffix("").parts
    package = list(parts[:-1]) if parts[-1] != "__init__" else list(parts[:-1])
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            out.append(module)
            out += [f"{module}.{a.name}" for a in node.names]
    return out


SOURCES = sorted([*PACKAGE.rglob("*.py"), ROOT / "dashboard.py", *(ROOT / "pages").rglob("*.py")])


@pytest.mark.parametrize("path", SOURCES, ids=[str(p.relative_to(ROOT)) for p in SOURCES])
def test_only_streamlits_documented_api_is_used(path):
    """No private Streamlit module (runtime, scriptrunner, web, ...): they change without notice between releases."""
    private = [m for m in _imports(path) if m.startswith("streamlit.") and not m.startswith(("streamlit.testing.v1",))]
    assert not private, private


@pytest.mark.parametrize("path", sorted(p for p in PACKAGE.rglob("*.py") if "web" not in p.parts and "views" not in p.parts))
def test_the_core_never_imports_streamlit(path):
    assert not [m for m in _imports(path) if m == "streamlit" or m.startswith("streamlit.")], path


# the package's layers, from the bottom: a module imports only its own layer and those beneath it
# (the top-level helpers i18n, naming, paths and spreadsheet are the ground floor; the command line,
# ``serve``, the media ``gate`` and ``__main__`` stand outside the order and may import any layer but the Streamlit glue)
LAYERS = {"model": 1, "data": 2, "present": 3, "render": 4, "web": 5, "views": 5}
ENTRY_POINTS = {"cli.py", "serve.py", "gate.py", "__main__.py"}


def _layer(module: str) -> int:
    parts = module.split(".")
    return LAYERS.get(parts[1], 0) if len(parts) > 2 or (len(parts) == 2 and parts[1] in LAYERS) else 0


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_a_layer_imports_only_the_layers_beneath_it(path):
    """model < data < present < render < web/views: the model reads no database, the data layer draws nothing,
    no chart builder writes a file, and no file writer imports the page."""
    module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
    imported = [m for m in _imports(path) if m.startswith("clusterpolicy.")]
    if path.parent == PACKAGE and path.name in ENTRY_POINTS:
        assert not [m for m in imported if _layer(m) == 5], path
        return
    own = _layer(module)
    assert [m for m in imported if _layer(m) > own] == [], path


RENDER = PACKAGE / "render"
SHARED_BY_RENDERERS = {"clusterpolicy.render.typeface"}  # the typeface both the deck and the briefing measure text in


@pytest.mark.parametrize("path", sorted(RENDER.rglob("*.py")), ids=lambda p: str(p.relative_to(RENDER)))
def test_no_renderer_imports_another(path):
    """One renderer per format (deck, briefing, report): each stands on the outline, none on another's code."""
    own = ".".join(path.relative_to(ROOT).with_suffix("").parts[:3])  # clusterpolicy.render.<format>
    others = {
        m
        for m in _imports(path)
        if m.startswith("clusterpolicy.render.")
        and not m.startswith(own)
        and ".".join(m.split(".")[:3]) not in SHARED_BY_RENDERERS
    }
    assert others == set(), path


def test_no_module_of_the_package_imports_itself_back():
    """No import cycle among the package's modules (the frame and the glue used to import each other)."""
    names = {".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): p for p in PACKAGE.rglob("*.py")}
    graph = {m: {i for i in _imports(p) if i in names and i != m} for m, p in names.items()}
    # a package's __init__ re-exporting its modules is not a cycle through them
    graph = {m: {i for i in deps if not m.startswith(i + ".")} for m, deps in graph.items()}
    seen, stack = set(), []

    def visit(m):
        if m in stack:
            raise AssertionError("import cycle: " + " -> ".join(stack[stack.index(m) :] + [m]))
        if m in seen:
            return
        stack.append(m)
        for d in graph[m]:
            visit(d)
        stack.pop()
        seen.add(m)

    for m in graph:
        visit(m)


def _private_uses(path: Path, modules: set[str]) -> list[str]:
    """Private names (``_x``) a file takes from another module of the package: imported by name, or read as
    ``module._x`` off a package module it imported."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parts = path.relative_to(ROOT).with_suffix("").parts
    package = list(parts[:-1])
    out, aliases = [], set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            for a in node.names:
                if f"{module}.{a.name}" in modules:  # a module of the package, imported by name
                    aliases.add(a.asname or a.name)
                elif module in modules and a.name.startswith("_") and not a.name.startswith("__"):
                    out.append(f"{module}.{a.name}")
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ):
            out.append(f"{node.value.id}.{node.attr}")
    return out


def test_no_private_name_is_used_outside_its_module():
    """A name that starts with "_" belongs to its module: another module of the package that needs it gets a public name."""
    modules = {".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__") for p in PACKAGE.rglob("*.py")}
    used = {str(p.relative_to(ROOT)): found for p in PACKAGE.rglob("*.py") if (found := _private_uses(p, modules))}
    assert used == {}


def test_no_module_of_the_package_is_over_500_lines():
    long = {str(p.relative_to(ROOT)): n for p in PACKAGE.rglob("*.py") if (n := len(p.read_text().splitlines())) > 500}
    assert not long, long


def test_a_deep_link_runs_the_page_inside_the_frame(seed_db):
    """A link to /kpis opened as the first run (AppTest, like a fresh server, is then in Streamlit's legacy mode)."""
    at = open_link("kpis", {"lang": "en"}).run()
    assert_page_ok(at)
    assert at.title[0].value == "KPIs and evaluation"
    assert at.selectbox(key="lang").value == "en"  # the frame's sidebar is there
    assert at.sidebar.toggle(key="present") is not None
    at.selectbox(key="lang").select("nl").run()  # the first change in the session is kept
    assert at.title[0].value == "KPI's en evaluatie"


def test_the_helper_fails_when_a_view_raises(seed_db, monkeypatch):
    """The frame turns a page's exception into a short reference: the helper must still see the page broke."""
    from clusterpolicy.views import kpis

    def broken():
        raise RuntimeError("a view that breaks")

    monkeypatch.setattr(kpis, "render", broken)
    at = open_link("kpis").run()
    assert not at.exception  # what a test of at.exception alone would have passed
    assert any(i18n.strings("nl")["error.friendly"].split("{reference}")[0] in e.value for e in at.error)
    with pytest.raises(AssertionError):
        assert_page_ok(at)
    with pytest.raises(AssertionError):
        assert_page_ok(at, errors_allowed=True)  # a crash is never an allowed error


def test_the_package_imports_without_streamlit_for_the_command_line():
    """``python -m clusterpolicy build`` and the model load without Streamlit's modules."""
    import subprocess

    code = "import sys; import clusterpolicy.cli, clusterpolicy.model.scenarios, clusterpolicy.present.charts, clusterpolicy.render.report; print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False", out.stderr


def test_the_files_the_suite_starts_first_exist():
    """``tests/conftest.SLOW_FIRST`` names files by path: a renamed file would silently lose its early start."""
    from tests.conftest import SLOW_FIRST

    assert [p for p in SLOW_FIRST if not (ROOT / "tests" / p).is_file()] == []
