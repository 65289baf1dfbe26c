"""The data page's data management: import dry runs and imports, templates, restoring the previous version, the audit trail.

Every function that changes data hands the core the session's actor (``auth.actor()``, read from
``st.user`` at the moment of the call); the core refuses anyone but a data steward and records the
refusal, whatever the page showed or a replayed message asked for.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from clusterpolicy import i18n, spreadsheet
from clusterpolicy.data import audit, build, changes, importer, store, workbook
from clusterpolicy.data.access import PermissionDenied
from clusterpolicy.web import auth
from clusterpolicy.web.data import connection, data_version, derived, marking, query, version_key
from clusterpolicy.web.run import lang

# what the import form imports: the whole workbook, or one table
WORKBOOK = "workbook"


def try_import(table: str, data: bytes, file_name: str, mode: str, dry_run: bool):
    """(result, problems): a dry run or a real import (``table`` WORKBOOK: every sheet), with problems instead of an exception.

    PermissionDenied passes through: the caller says so in the page.
    """
    try:
        if table == WORKBOOK:
            return importer.import_workbook(data, file_name, dry_run=dry_run, actor=auth.actor()), []
        return importer.import_file(table, data, file_name, mode, dry_run=dry_run, actor=auth.actor()), []
    except build.ValidationError as exc:
        return None, exc.problems


def dry_run_once(table: str, upload, mode: str):
    """The preview (a dry run) of an uploaded file, made once per file, table, mode and served version.

    A dry run copies the database, writes the new version aside and reads the headline figures of
    both (about a second for a whole workbook); the page reruns on every click while the file sits
    in the uploader, and the answer cannot change until one of these does.
    """
    key = (table, mode, upload.file_id, upload.name, upload.size, version_key())
    kept = st.session_state.get("_dry_run")
    if kept is None or kept[0] != key:
        kept = (key, try_import(table, upload.getvalue(), upload.name, mode, dry_run=True))
        st.session_state["_dry_run"] = kept
    return kept[1]


def whole_workbook() -> bytes:
    """The whole data set of the served version as one workbook, in the reader's language (made when clicked)."""
    return workbook.write(connection(), lang(), data_version(), marking())


def versions() -> list[dict]:
    """Every kept data version, newest first (kept per served version and per the files kept: a removal changes those)."""
    folder = store.versions_dir()
    kept_files = tuple(sorted(p.name for p in folder.glob("*.duckdb"))) if folder.is_dir() else ()
    return derived(("versions", kept_files), store.versions)


def version_difference(served, target) -> list:
    """What serving ``target`` instead of the served file changes, per table (kept per pair of files)."""
    return derived(("version_difference", str(served), str(target)), lambda: changes.difference(served, target))


def classification() -> pd.DataFrame:
    """The marking the steward set for the served version (empty when none, or on a version made before the table)."""
    import duckdb

    try:
        return query("table_classification")
    except duckdb.CatalogException:
        return pd.DataFrame(columns=["scope", "marking_nl", "marking_en", "note"])


def restore(version: str) -> None:
    """Button callback: serve a kept version again (after the steward confirmed what it changes)."""
    ss = st.session_state
    try:
        store.restore(version, actor=auth.actor())
    except PermissionDenied:
        ss["data_denied"] = "restore"
        return
    except LookupError:
        return
    ss["restored"] = version
    ss.pop("ver_restore_pick", None)
    ss.pop("ver_restore_ask", None)


def set_marking(marking_nl: str, marking_en: str, note: str) -> None:
    """Button callback: set this version's confidentiality marking (a new version; empty texts remove it)."""
    ss = st.session_state
    try:
        result = importer.set_classification(marking_nl, marking_en, note, actor=auth.actor())
    except PermissionDenied:
        ss["data_denied"] = "import"
        return
    except build.ValidationError as exc:
        ss["imp_failed"] = exc.problems
        return
    if result.applied:
        ss["imp_done"] = (result.version_before, result.version_after)


def column_docs(table: str) -> pd.DataFrame:
    """The columns of an importable table as a reader reads them: name, meaning, kind of value, required."""
    return workbook.column_table(query("build/table_column_docs", table=table), table, lang())


def template(table: str, kind: str) -> bytes:
    """An import template: header and an example row (CSV), plus column descriptions (XLSX)."""
    example, docs = importer.template_frames(connection(), table)
    if kind == "xlsx":
        info = {i18n.t("export.table", lang()): table, i18n.t("export.data_version", lang()): data_version()}
        sheet = i18n.t("workbook.col_column", lang())  # the columns explained, in the reader's language
        return spreadsheet.to_xlsx({table: example, sheet: workbook.column_table(docs, table, lang())}, info, lang=lang())
    return spreadsheet.to_csv(example, lang())


def has_previous_version() -> bool:
    """Whether an import can be undone (kept per served version: every import and undo changes it)."""
    return derived(("has_previous_version",), lambda: store.previous_path() is not None)


def restore_previous() -> None:
    """Button callback: serve the previous version again."""
    try:
        path = store.restore_previous(actor=auth.actor())
    except PermissionDenied:
        st.session_state["data_denied"] = "restore"
        return
    except LookupError:
        return
    st.session_state["restored"] = path.stem


def run_import(table: str, data: bytes, file_name: str, mode: str) -> None:
    """Button callback: import for real (validated again), then report the new version or the problems.

    After an import the form is cleared (the uploader gets a new key), so its "this file changes
    nothing" can never stand under "imported".
    """
    ss = st.session_state
    try:
        result, problems = try_import(table, data, file_name, mode, dry_run=False)
    except PermissionDenied:
        ss["data_denied"] = "import"
        return
    if problems:
        ss["imp_failed"] = problems
    elif result is not None and result.applied:
        ss["imp_done"] = (result.version_before, result.version_after)
        clear_upload()


def clear_upload() -> None:
    """Empty the import form: a new key gives a new, empty uploader; the kept preview goes."""
    ss = st.session_state
    ss["imp_file_n"] = int(ss.get("imp_file_n", 0)) + 1
    ss.pop("_dry_run", None)


def audit_trail():
    """The audit trail, newest first, kept per number of entries (it only ever grows)."""
    n = audit.count()
    kept = st.session_state.get("_audit")
    if kept is None or kept[0] != n:
        kept = (n, audit.events())
        st.session_state["_audit"] = kept
    return kept[1]


def audit_csv(L: str) -> bytes:
    """The whole audit trail as a CSV download (read afresh when clicked, on the download's own thread)."""
    return spreadsheet.to_csv(audit.events(), L)


def old_versions() -> list[dict]:
    """The kept versions a data steward may remove, each with how many saved scenarios were made on it."""
    versions = store.old_versions()
    refs = store.all_references() if versions else {}
    out = []
    for v in versions:
        scenarios_on, _, exports_on = refs.get(v["version"], (0, 0, 0))
        out.append({**v, "used_by": scenarios_on, "exports": exports_on})
    return out


def remove_version(version: str) -> None:
    """Button callback: remove an old version (confirmed when saved scenarios were made on it)."""
    ss = st.session_state
    try:
        store.remove_version(version, actor=auth.actor(), confirm=bool(ss.get("ver_confirm")))
    except PermissionDenied:
        ss["data_denied"] = "remove_version"
        return
    except store.VersionInUse as exc:
        ss["ver_in_use"] = (exc.version, exc.scenarios, exc.exports)
        return
    except LookupError:
        return
    ss["ver_removed"] = version
    ss["ver_confirm"] = False
