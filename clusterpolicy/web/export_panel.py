"""Take this view with you: the export panel (PPTX, XLSX, HTML, CSV and the link), each file made on click."""

from __future__ import annotations

import logging

import pandas as pd
import streamlit as st

from .. import audit, report
from . import auth
from .data import data_version, sources
from .links import current_link
from .run import RunState, lang, state, tr


def set_parameters(table: pd.DataFrame) -> None:
    """Parameters behind the view (e.g. the compared scenarios), printed on every export."""
    state().parameters = table


_log = logging.getLogger("clusterpolicy")

MIME_TYPES = {
    "csv": "text/csv",
    "html": "text/html",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


def download(where, label: str, make, file_name: str, key: str, icon: str = ":material/download:", **kwargs) -> None:
    """A download button whose file is made only when it is clicked; the MIME type follows the extension.

    A click does not rerun the page (on_click="ignore"): nothing on the page changes, and the
    download would otherwise be started alongside a rerun of the whole page.
    """
    mime = MIME_TYPES[file_name.rsplit(".", 1)[-1]]
    where.download_button(label, make, file_name=file_name, mime=mime, key=key, icon=icon, on_click="ignore", **kwargs)


def _view(run: RunState) -> report.View:
    return report.View(
        title=run.title or tr("nav.overview"),
        lang=lang(),
        link=current_link(),
        data_version=data_version(),
        charts=list(run.charts),
        sources=sources(),
        parameters=run.parameters,
    )


def _logged(make, who, view, kind: str, file_name: str, version: str):
    """``make`` that also logs the export (who, which view and format, on which data version) once the file is made.

    The log tells a data steward which versions people took figures from (see store.remove_version);
    a log that cannot be written does not hold back the file.
    """

    def call():
        data = make()
        try:
            audit.record_export(who, view.title, kind, file_name, version, view.link)
        except Exception:  # noqa: BLE001 - the export itself succeeded; the log says why the entry is missing
            _log.exception("could not log the export of %s", file_name)
        return data

    return call


def panel(run: RunState) -> None:
    """A "take this view along" button at the top right; its downloads and link are built only while it is open.

    Each file is made only when its button is clicked.
    """
    panel = run.top.popover(tr("export.title"), icon=":material/ios_share:", key="x_panel", on_change="rerun")
    if not panel.open:
        return
    view = _view(run)
    stem = report.file_stem(view)
    kinds = (
        ("pptx", report.to_pptx, ":material/slideshow:"),
        ("xlsx", report.to_xlsx, ":material/table_view:"),
        ("html", report.to_html, ":material/description:"),
        ("csv", report.to_csv, ":material/csv:"),
    )
    who, version = auth.actor(), data_version()
    with panel:
        st.markdown(":small[" + tr("export.intro") + "]")
        for kind, make, icon in kinds:
            file_name = f"{stem}.{kind}"
            download(
                st,
                tr(f"export.{kind}"),
                _logged(lambda make=make: make(view), who, view, kind, file_name, version),
                file_name,
                f"x_{kind}",
                icon,
                width="stretch",
            )
        st.text_input(tr("export.link_label"), value=view.link, key="x_link", help=tr("export.link_help"))
