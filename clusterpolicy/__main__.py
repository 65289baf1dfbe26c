"""Command line: python -m clusterpolicy build [--seed DIR] [--db FILE]."""

from .cli import main

raise SystemExit(main())
