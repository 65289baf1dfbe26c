"""Command line: build the database, import a table, list and restore versions, write import templates, back up and restore."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from clusterpolicy import spreadsheet
from clusterpolicy.data import appstate, audit, backup, db, health, importer, store
from clusterpolicy.data import build as build_mod
from clusterpolicy.data.access import Actor


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run a command; exit code 0 on success, 1 on invalid data, 2 on bad usage."""
    parser = argparse.ArgumentParser(prog="python -m clusterpolicy")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build the DuckDB file from the seed CSVs")
    b.add_argument("--seed", type=Path, default=None, help="seed folder (default data/seed)")
    b.add_argument("--db", type=Path, default=None, help="database file (default data/clusters.duckdb)")
    i = sub.add_parser(
        "import",
        help="validate a file and make it a new data version: TABLE FILE (CSV/XLSX, one table) or FILE.xlsx (a whole workbook)",
    )
    i.add_argument("args", nargs="+", metavar="[TABLE] FILE")
    i.add_argument(
        "--mode",
        choices=importer.MODES,
        default=None,
        help="one table: upsert (default) adds and updates rows by key, replace makes the file the whole table; "
        "a workbook: the mode of every sheet (default: as its first sheet says, else replace)",
    )
    i.add_argument("--dry-run", action="store_true", help="validate and show the changes (the preview), change nothing")
    w = sub.add_parser("export-workbook", help="write the whole data set as one workbook (a sheet per table, explained)")
    w.add_argument("file", type=Path)
    w.add_argument("--lang", choices=("nl", "en"), default="nl")
    r = sub.add_parser("restore", help="serve the version before the last import again, or the version given")
    r.add_argument("--version", default=None, help="the data version to serve (see `versions`)")
    sub.add_parser("versions", help="list the kept data versions and the switches between them")
    a = sub.add_parser("audit", help="print the audit trail (newest first), or write it to a CSV file")
    a.add_argument("--csv", type=Path, default=None, help="write the whole trail to this CSV file")
    a.add_argument("--last", type=int, default=50, help="how many entries to print (default 50)")
    t = sub.add_parser("template", help="write an import template (header, example row; XLSX adds column descriptions)")
    t.add_argument("table", choices=importer.IMPORTABLE)
    t.add_argument("file", type=Path, help="output file, .csv or .xlsx")
    k = sub.add_parser(
        "backup",
        help="save everything the dashboard cannot rebuild (data versions, which is served, library, audit trail, export log) in DIR",
    )
    k.add_argument("dir", type=Path, help="a new or empty folder")
    rb = sub.add_parser(
        "restore-backup", help="bring a backup back into an empty state and a data folder without imported versions"
    )
    rb.add_argument("dir", type=Path, help="a folder written by `backup`")
    n = sub.add_parser("nginx-config", help="print nginx's site configuration for several replicas (see deploy/)")
    n.add_argument(
        "--replica",
        action="append",
        default=None,
        metavar="HOST:PORT",
        help="a replica (repeat; default 127.0.0.1:8501 and :8502)",
    )
    n.add_argument(
        "--gate", default="127.0.0.1:8599", metavar="HOST:PORT", help="the media gate (python -m clusterpolicy media-gate)"
    )
    n.add_argument("--listen", default="80", help="what nginx listens on (port, or address:port)")
    n.add_argument("--server-name", default="_")
    n.add_argument("--secure-cookie", action="store_true", help="mark the route cookie Secure (behind TLS)")
    sub.add_parser(
        "check",
        help="readiness of this host: the served data version opens and the state database answers (exit 0), else exit 1",
    )
    sub.add_parser("media-gate", help="the proxy's sign-in check for /media/ downloads (options: --address, --port)")
    sub.add_parser(
        "serve",
        help="start the dashboard (any further options go to streamlit run); the cookie and client secret may "
        "come from CLUSTERPOLICY_AUTH_COOKIE_SECRET and CLUSTERPOLICY_AUTH_CLIENT_SECRET",
    )
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["serve"]:  # everything after it is Streamlit's (argparse would take --options for its own)
        from clusterpolicy import serve

        return serve.main(argv[1:])
    if argv[:1] == ["media-gate"]:
        import os

        from clusterpolicy import gate

        return gate.main(argv[1:], os.environ)
    args = parser.parse_args(argv)

    if args.command == "build":
        try:
            version = build_mod.build(args.seed, args.db)
        except build_mod.ValidationError as exc:
            print(f"build failed: {exc}", file=sys.stderr)
            return 1
        print(f"built data version {version}")
        if store.served_path() != store.root() / store.db_path().name:
            print(
                f"note: an imported version is served ({store.served_path().name}); `restore` walks back to it", file=sys.stderr
            )
        return 0

    if args.command == "import":
        build_mod.ensure_built()
        if len(args.args) > 2 or (len(args.args) == 2 and args.args[0] not in importer.IMPORTABLE):
            parser.error(f"import takes TABLE FILE or FILE.xlsx; TABLE is one of {', '.join(importer.IMPORTABLE)}")
        path = Path(args.args[-1])
        try:
            data = path.read_bytes()
        except OSError as exc:
            print(f"cannot read {path}: {exc.strerror}", file=sys.stderr)
            return 2
        try:
            if len(args.args) == 1:
                modes = dict.fromkeys(importer.IMPORTABLE, args.mode) if args.mode else None
                result = importer.import_workbook(data, path.name, dry_run=args.dry_run, actor=Actor.command_line(), modes=modes)
            else:
                result = importer.import_file(
                    args.args[0], data, path.name, args.mode or "upsert", dry_run=args.dry_run, actor=Actor.command_line()
                )
        except build_mod.ValidationError as exc:
            print(f"import refused: {exc}", file=sys.stderr)
            return 1
        what = "would change" if args.dry_run else "changed"
        for plan in result.plans:
            print(
                f"{plan.table}: {plan.added} added, {plan.changed} changed, {plan.removed} removed ({plan.rows_in_file} rows read)"
            )
        for table in result.left_out:
            print(f"{table}: not in the workbook, not touched")
        for sheet, why in result.not_read:
            print(f"sheet {sheet!r}: not read ({why})")
        print(f"{result.rows_in_file} rows read; {what} {result.added} added, {result.changed} changed, {result.removed} removed")
        if result.effect:
            before, after = result.effect["before"], result.effect["after"]
            print(
                f"continuation, basic operation {after['first_year']}-{after['last_year']}: "
                f"EUR {before['continuation_basic_eur']:,.2f} -> EUR {after['continuation_basic_eur']:,.2f}"
            )
            print(f"values by kind: {before['values']} -> {after['values']}")
            print(f"marking: {before['marking'].get('en') or 'none'} -> {after['marking'].get('en') or 'none'}")
        if args.dry_run:
            print("dry run: nothing was changed")
        elif result.applied:
            print(f"data version {result.version_before} -> {result.version_after}")
        else:
            print("nothing changed: the data already hold this file's content")
        return 0

    if args.command == "export-workbook":
        build_mod.ensure_built()
        from clusterpolicy.data import marking, workbook

        with db.connect(store.served_path()) as database:
            version = store.version_of(store.served_path())
            texts = marking.texts(lambda name, **p: db.run_query(database, name, p))
            args.file.write_bytes(workbook.write(database, args.lang, version, texts.get(args.lang, "")))
        print(f"wrote {args.file} (data version {version})")
        return 0

    if args.command == "restore":
        try:
            if args.version:
                path = store.restore(args.version, actor=Actor.command_line())
            else:
                path = store.restore_previous(actor=Actor.command_line())
        except LookupError as exc:
            print(f"restore: {exc}", file=sys.stderr)
            return 1
        print(f"now serving {path.name}")
        return 0

    if args.command == "versions":
        for v in reversed(store.versions()):
            served = "  <- served" if v["served"] else ""
            print(f"{v['version']}  {v['built_at']:%Y-%m-%d %H:%M}  {v['origin']}{served}")
        for event in store.history():
            print(f"{event['at']}  {event['action']:<8} {event.get('table', ''):<20} {event['from']} -> {event['to']}")
        return 0

    if args.command == "audit":
        if args.csv is not None:
            args.csv.write_bytes(spreadsheet.to_csv(audit.events(), "en"))
            print(f"wrote {args.csv}")
            return 0
        for row in audit.events(args.last).itertuples():
            who = row.email or row.name or row.subject
            what = " ".join(str(v) for v in (row.table_name, row.file_name) if isinstance(v, str) and v)
            versions = " -> ".join(str(v) for v in (row.version_before, row.version_after) if isinstance(v, str) and v)
            print(f"{row.at}  {row.action:<8} {row.outcome:<9} {who:<30} {what}  {versions}".rstrip())
        return 0

    if args.command in ("backup", "restore-backup"):
        try:
            if args.command == "backup":
                manifest = backup.backup(args.dir, actor=Actor.command_line())
            else:
                build_mod.ensure_built()  # a new deployment's seed build, which the backup does not hold
                manifest = backup.restore_backup(args.dir, actor=Actor.command_line())
        except (backup.BackupError, appstate.StateError) as exc:
            print(f"{args.command}: {exc}", file=sys.stderr)
            return 1
        rows = ", ".join(f"{table} {n}" for table, n in manifest["rows"].items())
        done = "wrote" if args.command == "backup" else "restored"
        print(f"{done} {args.dir}: {len(manifest['files'])} files; serving {manifest['served_version']}; {rows}")
        return 0

    if args.command == "nginx-config":
        from clusterpolicy import proxyconf

        try:
            print(
                proxyconf.render(
                    tuple(args.replica or proxyconf.DEFAULT_REPLICAS),
                    args.gate,
                    args.listen,
                    args.server_name,
                    args.secure_cookie,
                ),
                end="",
            )
        except ValueError as exc:
            print(f"nginx-config: {exc}", file=sys.stderr)
            return 2
        return 0

    if args.command == "check":
        import json

        report = health.readiness()
        print(json.dumps(report, sort_keys=True))
        return 0 if report["ready"] else 1

    if args.command == "template":
        build_mod.ensure_built()
        con = db.connect(store.served_path())
        example, docs = importer.template_frames(con, args.table)
        if args.file.suffix.lower() == ".xlsx":
            args.file.write_bytes(spreadsheet.to_xlsx({args.table: example, "columns": docs}, {"table": args.table}))
        else:
            args.file.write_bytes(spreadsheet.to_csv(example, "en"))
        print(f"wrote {args.file}")
        return 0
    return 2
