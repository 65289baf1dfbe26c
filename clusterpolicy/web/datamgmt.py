"""The data page's data management: import dry runs and imports, templates, restoring the previous version, the audit trail.

Every function that changes data hands the core the session's actor (``auth.actor()``, read from
``st.user`` at the moment of the call); the core refuses anyone but a data steward and records the
refusal, whatever the page showed or a replayed message asked for.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from .. import audit, build, exports, importer, store
from ..access import PermissionDenied
from . import auth
from .data import connection, data_version, derived, query, version_key
from .run import lang


def try_import(table: str, data: bytes, file_name: str, mode: str, dry_run: bool):
    """(result, problems): a dry run or a real import, with problems instead of an exception.

    PermissionDenied passes through: the caller says so in the page.
    """
    try:
        return importer.import_file(table, data, file_name, mode, dry_run=dry_run, actor=auth.actor()), []
    except build.ValidationError as exc:
        return None, exc.problems


def dry_run_once(table: str, upload, mode: str):
    """The dry run of an uploaded file, made once per file, table, mode and served version.

    A dry run copies the database and takes the import lock (about 130 ms); the page reruns on
    every click while the file sits in the uploader, and the answer cannot change until one of
    these does.
    """
    key = (table, mode, upload.file_id, upload.name, upload.size, version_key())
    kept = st.session_state.get("_dry_run")
    if kept is None or kept[0] != key:
        kept = (key, try_import(table, upload.getvalue(), upload.name, mode, dry_run=True))
        st.session_state["_dry_run"] = kept
    return kept[1]


def column_docs(table: str) -> pd.DataFrame:
    """The columns of an importable table with type, required and description."""
    return query("build/table_column_docs", table=table)


def template(table: str, kind: str) -> bytes:
    """An import template: header and an example row (CSV), plus column descriptions (XLSX)."""
    example, docs = importer.template_frames(connection(), table)
    if kind == "xlsx":
        return exports.to_xlsx({table: example, "columns": docs}, {"table": table, "data_version": data_version()})
    return exports.to_csv(example, lang())


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
    """Button callback: import for real (validated again), then report the new version or the problems."""
    try:
        result, problems = try_import(table, data, file_name, mode, dry_run=False)
    except PermissionDenied:
        st.session_state["data_denied"] = "import"
        return
    if problems:
        st.session_state["imp_failed"] = problems
    elif result is not None and result.applied:
        st.session_state["imp_done"] = (result.version_before, result.version_after)


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
    return exports.to_csv(audit.events(), L)


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
