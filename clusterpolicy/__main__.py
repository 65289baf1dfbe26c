"""Command line: python -m clusterpolicy build [--seed DIR] [--db FILE]."""

from clusterpolicy.cli import main

raise SystemExit(main())
