"""The benchmark runs to its end: every section in its quick mode, in a process of its own, as `python -m bench.run` does."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys

import pytest

from tests.e2e.conftest import CHROMIUM, ROOT


def _numbers(tree, key=""):
    """(key, number) for every number in the result."""
    if isinstance(tree, dict):
        for k, value in tree.items():
            yield from _numbers(value, k)
    elif isinstance(tree, list):
        for value in tree:
            yield from _numbers(value, key)
    elif isinstance(tree, (int, float)) and not isinstance(tree, bool):
        yield key, tree


def test_the_bench_runs_every_section_to_its_end(tmp_path):
    """Its figures mean nothing in quick mode (one sample each); what is held is that every section ran and
    measured every page, query and size it names, so a change that breaks the bench fails here, not in the
    next engineer's hands."""
    if not CHROMIUM:
        pytest.skip("the bench's browser sections need Chromium")
    env = {**os.environ, "CHROMIUM_PATH": CHROMIUM}
    run = subprocess.run(
        [sys.executable, "-m", "bench.run", "--quick", "--out", str(tmp_path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads((tmp_path / "bench.json").read_text())
    sections = {"pages", "pages_folder", "exports", "server", "queries", "eu", "browser", "changes", "capacity"}
    assert sections <= set(result), sections - set(result)
    pages = {"overview", "scenarios", "earmarked", "kpis", "cluster", "data"}
    assert set(result["pages"]) == pages and set(result["server"]) == pages and set(result["eu"]["pages"]) == pages
    assert set(result["exports"]) == pages - {"data"} and set(result["browser"]) == pages - {"data"}
    assert set(result["queries"]) == {path.stem for path in (ROOT / "queries").glob("*.sql")}
    for page in result["exports"].values():
        assert set(page["kinds"]) == {"pdf", "pptx", "xlsx", "html", "csv"}
    assert all(r["errors"] == 0 and r["reruns"] > 0 for r in result["capacity"].values()), result["capacity"]
    numbers = list(_numbers(result))
    # every figure measured; a time or ratio is never below zero (a difference, "extra_…", may be)
    assert numbers and [(k, x) for k, x in numbers if not math.isfinite(x)] == []
    assert [(k, x) for k, x in numbers if x < 0 and not k.startswith("extra")] == []
    assert (tmp_path / "bench.md").read_text().startswith("# Benchmark")
