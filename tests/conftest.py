"""Shared fixtures: a real database built from the seed into a temporary folder, and AppTest helpers."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from clusterpolicy import build

ROOT = Path(__file__).resolve().parents[1]
DASHBOARD = str(ROOT / "dashboard.py")


@pytest.fixture(scope="session")
def seed_db(tmp_path_factory) -> Path:
    """The seed built into a fresh DuckDB file; also the file every AppTest reads."""
    path = tmp_path_factory.mktemp("db") / "clusters.duckdb"
    build.build(target=path)
    os.environ["CLUSTERPOLICY_DB"] = str(path)
    return path


@pytest.fixture()
def con(seed_db):
    """A read-only connection to the seed database."""
    c = duckdb.connect(str(seed_db), read_only=True)
    yield c
    c.close()


@pytest.fixture()
def app(seed_db):
    """A fresh AppTest of the dashboard on the seed database, with caches cleared."""
    from streamlit.testing.v1 import AppTest

    from clusterpolicy import ui

    ui.clear_caches()
    return AppTest.from_file(DASHBOARD, default_timeout=60)
