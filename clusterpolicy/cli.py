"""Command-line entry points for building the database."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import build as build_mod


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run a command; exit code 0 on success, 1 on invalid data."""
    parser = argparse.ArgumentParser(prog="python -m clusterpolicy")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build the DuckDB file from the seed CSVs")
    b.add_argument("--seed", type=Path, default=None, help="seed folder (default data/seed)")
    b.add_argument("--db", type=Path, default=None, help="database file (default data/clusters.duckdb)")
    args = parser.parse_args(argv)
    if args.command == "build":
        try:
            version = build_mod.build(args.seed, args.db)
        except build_mod.ValidationError as exc:
            print(f"build failed: {exc}", file=sys.stderr)
            return 1
        print(f"built data version {version}")
    return 0
