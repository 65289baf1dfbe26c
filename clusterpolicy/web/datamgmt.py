"""The data page's data management: import dry runs and imports, templates, restoring the previous version."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from .. import build, exports, importer, store
from .data import connection, data_version, derived, query, version_key
from .run import lang


def try_import(table: str, data: bytes, file_name: str, mode: str, dry_run: bool):
    """(result, problems): a dry run or a real import, with problems instead of an exception."""
    try:
        return importer.import_file(table, data, file_name, mode, dry_run=dry_run), []
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
        path = store.restore_previous()
    except LookupError:
        return
    st.session_state["restored"] = path.stem


def run_import(table: str, data: bytes, file_name: str, mode: str) -> None:
    """Button callback: import for real (validated again), then report the new version or the problems."""
    result, problems = try_import(table, data, file_name, mode, dry_run=False)
    if problems:
        st.session_state["imp_failed"] = problems
    elif result is not None and result.applied:
        st.session_state["imp_done"] = (result.version_before, result.version_after)
