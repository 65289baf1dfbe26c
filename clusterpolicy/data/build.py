"""Build the published DuckDB file from the seed CSVs, validating every row against the schema's own rules.

The rules are read from the catalog of a database created by ``queries/build/schema.sql`` (column
types, NOT NULL, CHECK, keys, foreign keys), so the schema file is the one place they are written.
A seed row that breaks a rule stops the build with a message naming the file, line, column and
rule; nothing is written. A good build goes to a temporary file that replaces the published file
in one atomic rename, so a reader never sees half a database.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from clusterpolicy.data import reconcile
from clusterpolicy.data.db import ident, load_sql
from clusterpolicy.paths import ROOT, SEED_DIR, db_path

# Load order follows the foreign keys. It doubles as the allow-list of table names that may
# appear as identifiers in generated SQL (identifiers cannot be bound as parameters).
TABLES = (
    "source",
    "cluster",
    "kpi",
    "basic_funding",
    "earmarked_budget",
    "budget_ceiling",
    "member_capacity",
    "classification",
    "intercluster_project",
    "project_cluster",
    "kpi_value",
    "kpi_target",
    "policy_parameter",
    "published_fact",
    "scenario_preset",
)


# the tables of the data contract (DESIGN.md) that people browse, download and import
CONTRACT_TABLES = (
    "source",
    "cluster",
    "basic_funding",
    "earmarked_budget",
    "budget_ceiling",
    "member_capacity",
    "intercluster_project",
    "project_cluster",
    "kpi",
    "kpi_value",
    "kpi_target",
    "classification",
)


@dataclass(frozen=True)
class Problem:
    """One broken rule in one input file (and sheet, for a workbook).

    ``rule`` is the English text (command line, logs, audit trail); ``key`` and ``params`` give the
    same message in the reader's language (``text``), from the ``[problem]`` section of the locales.
    """

    file: str
    line: int | None
    column: str | None
    rule: str
    sheet: str | None = None
    key: str = ""
    params: tuple = ()

    def text(self, lang: str) -> str:
        """The message in ``lang`` (the English rule when it has no locale key)."""
        if not self.key:
            return self.rule
        from clusterpolicy import i18n

        # a value given per language is a tuple of (language, text) pairs
        values = {k: (dict(v).get(lang, "") if isinstance(v, tuple) else v) for k, v in self.params}
        key = f"problem.{self.key}"
        if values.get("n") == 1 and f"{key}_one" in i18n.strings(lang):  # "ontbrekende kolom", not "kolom(men)"
            key += "_one"
        return i18n.t(key, lang, **values)

    def __str__(self) -> str:
        where = self.file
        if self.sheet:
            where += f", sheet '{self.sheet}'"
        if self.line is not None:
            where += f", line {self.line}"
        if self.column:
            where += f", column '{self.column}'"
        return f"{where}: {self.rule}"


def problem(file: str, line: int | None, column: str | None, key: str, /, **params) -> Problem:
    """A Problem whose message is the locale's ``problem.<key>`` (English in ``rule``, any language by ``text``)."""

    values = {k: (v if isinstance(v, (int, float)) else str(v)) for k, v in params.items()}
    made = Problem(file, line, column, "", key=key, params=tuple(sorted(values.items())))
    return replace(made, rule=made.text("en"))


class ValidationError(Exception):
    """Input that breaks the data contract; carries every problem found, not only the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        shown = "\n".join(f"  - {p}" for p in problems[:50])
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{len(problems)} problem(s) found, nothing was changed:\n{shown}{more}")


def table_ident(table: str) -> str:
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r}")
    return ident(table)


def columns_of(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str, bool]]:
    """(name, DuckDB type, nullable) of each column of a contract table, in schema order."""
    rows = con.execute(load_sql("build/table_columns"), {"table": table}).fetchall()
    return [(name, dtype, nullable == "YES") for name, dtype, nullable in rows]


def constraints_of(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple]:
    """(type, columns, check expression, referenced table, referenced columns) of a table."""
    return con.execute(load_sql("build/table_constraints"), {"table": table}).fetchall()


def read_header(path: Path) -> list[str]:
    """The header row of a CSV file (UTF-8, with or without BOM)."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        return next(csv.reader(f), [])


def check_header(header: list[str], cols: dict[str, str], label: str) -> list[Problem]:
    """Missing, unknown and doubled column names of a file against its table."""
    if not header or all(not h.strip() for h in header):
        return [problem(label, None, None, "empty_file", columns=", ".join(cols))]
    problems = []
    missing = [c for c in cols if c not in header]
    extra = [c for c in header if c not in cols]
    dupes = sorted({c for c in header if header.count(c) > 1})
    if missing:
        problems.append(problem(label, 1, None, "missing_columns", names=", ".join(missing), n=len(missing)))
    if extra:
        problems.append(
            problem(label, 1, None, "unknown_columns", names=", ".join(extra), n=len(extra), expected=", ".join(cols))
        )
    if dupes:
        problems.append(problem(label, 1, None, "doubled_columns", names=", ".join(dupes), n=len(dupes)))
    return problems


def _record_lines(path: Path, delimiter: str) -> list[int]:
    """The file line on which each data record starts (blank lines skipped, quoted line breaks kept), header excluded."""
    out = []
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f, delimiter=delimiter)
        end = 0
        for row in reader:
            start, end = end + 1, reader.line_num
            if row and any(cell.strip() for cell in row):
                out.append(start)
    return out[1:]


def read_raw_csv(con, table: str, path: Path, header: list[str], label: str, delimiter: str = ",") -> list[Problem]:
    """Read a CSV as text into temp table raw_<table>, every row with its file line in _line."""
    raw = ident("raw_" + table)
    con.execute(load_sql("build/clear_rejects"))
    con.execute(f"drop table if exists {raw}")
    con.execute(
        f"create temp table {raw} as " + load_sql("build/read_seed_csv"),
        {"path": str(path), "cols": {c: "VARCHAR" for c in header}, "delim": delimiter},
    )
    problems = []
    rejected = {}
    for line, column, error_type, message in con.execute(load_sql("build/csv_rejects")).fetchall():
        rejected.setdefault(int(line), (column, f"{error_type.lower()}: {message}"))
    for line, (column, message) in sorted(rejected.items()):
        problems.append(problem(label, line, column, "unreadable_row", detail=message))
    # rows the reader dropped (rejected, or blank lines it skips) shift row_number(); map the
    # survivors back to the file lines their records start on
    n = con.execute(f"select count(*) from {raw}").fetchone()[0]
    try:
        lines = [line for line in _record_lines(path, delimiter) if line not in rejected]
    except (csv.Error, UnicodeDecodeError):
        lines = []
    if len(lines) != n:  # a file the csv module reads otherwise than DuckDB: count lines as before
        lines, line = [], 2
        while len(lines) < n:
            if line not in rejected:
                lines.append(line)
            line += 1
    con.execute(f"alter table {raw} add column _line integer")
    con.execute(
        f"update {raw} set _line = m.line from (select unnest($rows) as r, unnest($lines) as line) m where _row = m.r",
        {"rows": list(range(1, n + 1)), "lines": lines},
    )
    return problems


# a Dutch number: 1.234.567,50 (dots group thousands, the comma is the decimal mark)
_DUTCH_NUMBER = r"-?[0-9]{1,3}([.][0-9]{3})+(,[0-9]+)?"
NUMERIC_TYPES = ("DECIMAL", "INTEGER", "SMALLINT", "BIGINT", "DOUBLE", "FLOAT", "HUGEINT")


def stage_raw(con, table: str, label: str, decimal_comma: bool = False) -> list[Problem]:
    """Cast raw_<table> to the schema's types into stage_<table>; report every value that does not fit."""
    cols = {name: dtype for name, dtype, _ in columns_of(con, table)}
    raw = ident("raw_" + table)
    problems = []

    def value_sql(c: str, dtype: str) -> str:
        col = ident(c)
        if decimal_comma and dtype.startswith(NUMERIC_TYPES):
            # decimal comma and thousands dots, as Excel writes numbers in Belgium
            return (
                f"case when regexp_full_match(trim({col}), '{_DUTCH_NUMBER}') "
                f"then replace(replace(trim({col}), '.', ''), ',', '.') "
                f"else replace(trim({col}), ',', '.') end"
            )
        if dtype == "DATE":
            # ISO dates, and the day/month/year that Belgian spreadsheets write (31/12/2025)
            return (
                f"case when regexp_full_match(trim({col}), '[0-9]{{1,2}}/[0-9]{{1,2}}/[0-9]{{4}}') "
                f"then strftime(try_strptime(trim({col}), '%d/%m/%Y'), '%Y-%m-%d') else trim({col}) end"
            )
        # surrounding spaces (an id typed as 'vil ') are dropped: a reader cannot see them
        return f"trim({col})"

    for c, dtype in cols.items():
        if dtype == "VARCHAR":
            continue
        # DuckDB would round '2024.5' into a SMALLINT; a whole-number column takes whole numbers only
        whole = (
            f" or not regexp_full_match({value_sql(c, dtype)}, '-?[0-9]+')" if dtype in ("SMALLINT", "INTEGER", "BIGINT") else ""
        )
        bad = con.execute(
            f"select _line, {ident(c)} from {raw} where {ident(c)} is not null "
            f"and (try_cast({value_sql(c, dtype)} as {dtype}) is null{whole}) order by _line"
        ).fetchall()
        for line, value in bad:
            problems.append(_bad_value(label, line, c, dtype, str(value)))
    stage = ident("stage_" + table)
    casts = ", ".join(
        f"try_cast({value_sql(c, dtype)} as {dtype}) as {ident(c)}"
        if dtype != "VARCHAR"
        else f"nullif(trim({ident(c)}), '') as {ident(c)}"
        for c, dtype in cols.items()
    )
    con.execute(f"drop table if exists {stage}")
    con.execute(f"create temp table {stage} as select _line as _row, {casts} from {raw}")
    return problems


def _bad_value(label: str, line: int, column: str, dtype: str, value: str) -> Problem:
    """A value that does not fit its column, with what the column expects."""
    shown = value[:40]
    if dtype in ("SMALLINT", "INTEGER", "BIGINT") and re.fullmatch(
        r"\d{4}-\d{2}-\d{2}([ T].*)?|\d{1,2}/\d{1,2}/\d{4}", value.strip()
    ):
        # Excel turned a year into a date (2025 typed in a date-formatted cell)
        return problem(label, line, column, "year_as_date", value=shown)
    if dtype == "DATE":
        return problem(label, line, column, "bad_date", value=shown)
    if dtype == "BOOLEAN":
        return problem(label, line, column, "bad_boolean", value=shown)
    if dtype in ("SMALLINT", "INTEGER", "BIGINT"):
        return problem(label, line, column, "not_whole", value=shown, type=dtype.lower())
    return problem(label, line, column, "not_a_number", value=shown, type=dtype.lower())


def stage_csv(con: duckdb.DuckDBPyConnection, table: str, path: Path, label: str) -> list[Problem]:
    """Read one seed CSV into temp table stage_<table> typed as in the schema; report every unreadable cell.

    The file is first read as text, so a bad value in one row does not hide the others and every
    row keeps its line number; each value is then cast to the schema's type.
    """
    cols = {name: dtype for name, dtype, _ in columns_of(con, table)}
    try:
        header = read_header(path)
    except UnicodeDecodeError as exc:
        return [Problem(label, None, None, f"file is not UTF-8 text ({exc.reason} at byte {exc.start})")]
    problems = check_header(header, cols, label)
    if problems:
        return problems
    problems = read_raw_csv(con, table, path, header, label)
    return problems + stage_raw(con, table, label)


def check_staged(con: duckdb.DuckDBPyConnection, table: str, label: str, staged: set[str] | dict[str, str]) -> list[Problem]:
    """Run the schema's NOT NULL, CHECK, key and foreign-key rules over the staged rows.

    A foreign key is checked against the staged rows of its parent when ``staged`` names it (a set:
    ``stage_<parent>``; a mapping: the table it gives, such as a workbook's planned new content),
    else against the database's own table.
    """
    stage = ident("stage_" + table)
    problems: list[Problem] = []

    def rows_where(condition: str) -> list[int]:
        return [r[0] for r in con.execute(f"select _row from {stage} where {condition} order by _row").fetchall()]

    for ctype, cols, expr, ref_table, ref_cols in constraints_of(con, table):
        if ctype == "NOT NULL":
            for row in rows_where(f"{ident(cols[0])} is null"):
                problems.append(problem(label, row, cols[0], "required"))
        elif ctype == "CHECK":
            # a CHECK passes when its expression is NULL, as in SQL itself; the expression is the
            # schema's own text, read back from the catalog
            allowed = allowed_values(expr)
            for row in rows_where(f"not coalesce(({expr}), true)"):
                column = ", ".join(dict.fromkeys(cols))
                if allowed and len(set(cols)) == 1:
                    value = con.execute(f"select {ident(cols[0])} from {stage} where _row = $r", {"r": row}).fetchone()[0]
                    problems.append(
                        problem(label, row, column, "not_allowed", value=value, allowed=", ".join(allowed), rule=expr)
                    )
                else:
                    problems.append(problem(label, row, column, "check", rule=expr))
        elif ctype in ("PRIMARY KEY", "UNIQUE"):
            key = ", ".join(ident(c) for c in cols)
            problems += _duplicates(con, stage, key, label, "/".join(cols))
        elif ctype == "FOREIGN KEY":
            col, ref_col = cols[0], ref_cols[0]
            if isinstance(staged, dict):
                parent = staged.get(ref_table) or table_ident(ref_table)
            else:
                parent = ident("stage_" + ref_table) if ref_table in staged else table_ident(ref_table)
            orphan = con.execute(
                f"select s._row, s.{ident(col)} from {stage} s "
                f"where s.{ident(col)} is not null and not exists "
                f"(select 1 from {parent} p where p.{ident(ref_col)} = s.{ident(col)}) order by s._row"
            ).fetchall()
            for row, value in orphan:
                problems.append(problem(label, row, col, "unknown_ref", value=value, table=ref_table, column=ref_col))
    for (key_sql,) in con.execute(load_sql("build/table_unique_indexes"), {"table": table}).fetchall():
        key_name = re.sub(r"COALESCE\((\w+), '[^']*'\)", r"\1", key_sql)
        key_name = re.sub(r"[\"()]", "", key_name).replace(", ", "/")
        problems += _duplicates(con, stage, key_sql, label, key_name)
    return problems


def _duplicates(con, stage: str, key_sql: str, label: str, key_name: str) -> list[Problem]:
    dup_rows = con.execute(f"select list(_row order by _row) from {stage} group by {key_sql} having count(*) > 1").fetchall()
    out = []
    for (rows,) in dup_rows:
        first = rows[0]
        for r in rows[1:]:
            out.append(problem(label, r, key_name, "duplicate", key_name=key_name, first=first))
    return out


def allowed_values(expr: str) -> list[str]:
    """The values a CHECK of the form ``column IN ('a', 'b')`` allows (empty for any other rule)."""
    found = re.fullmatch(r'\(?"?\w+"? IN \((.*)\)\)?', expr.strip())
    if not found:
        return []
    return re.findall(r"'([^']*)'", found.group(1))


def content_hash(con: duckdb.DuckDBPyConnection) -> str:
    """SHA-256 over every contract table's rows in a fixed order: equal content, equal hash."""
    h = hashlib.sha256()
    for table in TABLES:
        h.update(table.encode())
        for row in con.execute(f"select * from {table_ident(table)} order by all").fetchall():
            h.update(repr(row).encode())
    return h.hexdigest()


def load_tables(con: duckdb.DuckDBPyConnection, files: dict[str, Path], labels: dict[str, str]) -> None:
    """Stage, check and insert the given tables in foreign-key order; raise with every problem found."""
    problems: list[Problem] = []
    staged: set[str] = set()
    for table in TABLES:
        if table not in files:
            continue
        found = stage_csv(con, table, files[table], labels[table])
        if not any(p.line in (None, 1) for p in found):
            # values that failed to cast are null in the staged rows; skip the NOT NULL echo of them
            cast_failed = {(p.line, p.column) for p in found}
            staged.add(table)
            found += [p for p in check_staged(con, table, labels[table], staged) if (p.line, p.column) not in cast_failed]
        problems += sorted(found, key=lambda p: (p.line or 0, p.column or ""))
    if problems:
        raise ValidationError(problems)
    for table in TABLES:
        if table in files:
            col_list = ", ".join(ident(c) for c, _, _ in columns_of(con, table))
            con.execute(
                f"insert into {table_ident(table)} ({col_list}) select {col_list} from {ident('stage_' + table)} order by _row"
            )


def _label(path: Path) -> str:
    """A short, stable name for a file in messages: relative to the project when inside it."""
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


# which seed file holds the values a reconciliation check is about
_CHECKED_IN = {
    "cap": ("basic_funding", "public_eur"),
    "share": ("basic_funding", "public_eur"),
    "basic_total": ("basic_funding", "public_eur"),
    "earmarked_parts": ("earmarked_budget", "amount_eur"),
    "sme_count": ("kpi_value", "value"),
}


def reconciled(con: duckdb.DuckDBPyConnection, labels: dict[str, str], lines: dict[str, dict] | None = None) -> None:
    """Refuse values that break a published total or rule (reconcile.py); a conflict of two published figures is no breach.

    ``lines`` (table -> row key -> line in the input) lets each refusal name the row it is about;
    the message gives the check, both figures, the published figure's source and the gap, in either language.
    """
    found = reconcile.breaches(reconcile.checks(con))
    if not found:
        return
    sources = con.execute(load_sql("sources")).df()
    publishers = dict(zip(sources["source_id"], sources["publisher"]))
    problems = []
    for c in found:
        table, column = _CHECKED_IN[c.check]
        line = (lines or {}).get(table, {}).get(c.key)
        params = tuple(reconcile.breach_words(c, publishers).items())
        problems.append(Problem(labels[table], line, column, f"breaks a published figure: {c}", key="breach", params=params))
    raise ValidationError(problems)


def build(seed_dir: Path | None = None, target: Path | None = None, origin: str = "seed") -> str:
    """Build the database from seed_dir into target (atomically); return the data version."""
    seed_dir = Path(seed_dir or SEED_DIR)
    target = Path(target or db_path())
    files = {t: seed_dir / f"{t}.csv" for t in TABLES}
    missing = [str(p) for p in files.values() if not p.is_file()]
    if missing:
        raise ValidationError([Problem(m, None, None, "seed file is missing") for m in missing])
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.building")
    tmp.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp))
    try:
        con.execute(load_sql("build/schema"))
        con.execute("begin transaction")
        load_tables(con, files, {t: _label(files[t]) for t in TABLES})
        digest = content_hash(con)
        con.execute(
            load_sql("build/insert_data_version"),
            {"version": digest[:12], "hash": digest, "built_at": datetime.now(UTC).replace(tzinfo=None), "origin": origin},
        )
        con.execute("commit")
        con.execute("checkpoint")
        # on the committed rows (a query reads through its own cursor); a breach leaves no file behind
        reconciled(con, {t: _label(files[t]) for t in TABLES})
    except BaseException:
        con.close()
        tmp.unlink(missing_ok=True)
        raise
    con.close()
    os.replace(tmp, target)
    return digest[:12]


def ensure_built(target: Path | None = None) -> Path:
    """Build the database from the seed when the file is missing (first start on a fresh machine)."""
    target = Path(target or db_path())
    if not target.is_file():
        build(target=target)
    return target
