"""Where the project's files live; the database path can be moved with CLUSTERPOLICY_DB."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERY_DIR = ROOT / "queries"
SEED_DIR = ROOT / "data" / "seed"
DEFAULT_DB = ROOT / "data" / "clusters.duckdb"


def db_path() -> Path:
    """The published database file the dashboard reads."""
    return Path(os.environ.get("CLUSTERPOLICY_DB") or DEFAULT_DB)
