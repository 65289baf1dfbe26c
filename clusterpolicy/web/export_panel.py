"""Take this view with you: the export panel (PDF, PPTX, XLSX, HTML, CSV and the link).

Each file is made when its button is clicked, in the page's own run, and then offered for
download. It is not a deferred download (``st.download_button`` with a callable): Streamlit runs
those outside the script, and when one fails the reader gets no message the page can give
(streamlit/streamlit#13466). Made here, a failure is caught: the page says so in the reader's
language with a reference, and the server log has the traceback under that reference.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from clusterpolicy import i18n
from clusterpolicy.data import audit
from clusterpolicy.present import outline
from clusterpolicy.present.headline import Headline
from clusterpolicy.render import briefing, report, slides
from clusterpolicy.web import auth, links
from clusterpolicy.web.data import data_version, marking, sources
from clusterpolicy.web.links import current_link
from clusterpolicy.web.run import RunState, lang, log_failure, state, tr

_log = logging.getLogger("clusterpolicy")

MIME_TYPES = {
    "csv": "text/csv",
    "html": "text/html",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}

# what the view panel offers, in its order: (format, maker, icon)
KINDS = (
    ("pdf", briefing.to_pdf, ":material/picture_as_pdf:"),
    ("pptx", slides.to_pptx, ":material/slideshow:"),
    ("xlsx", report.to_xlsx, ":material/table_view:"),
    ("html", report.to_html, ":material/description:"),
    ("csv", report.to_csv, ":material/csv:"),
)

_READY = "_x_ready"  # the one file this session made last (or the reference of its failure)


def set_parameters(table: pd.DataFrame, numbers: tuple | None = None) -> None:
    """Parameters behind the view (e.g. the compared scenarios), printed on every export; ``numbers``: the same rows
    with numbers as numbers, for the workbook (``tables.scenario_parameter_numbers``)."""
    state().parameters = table
    state().parameter_numbers = numbers


def add_table(table: outline.Table) -> None:
    """A table the page shows beside its charts (the ceiling's verdict), carried by every export."""
    state().tables.append(table)


def describe(question: str, headlines: list[Headline] | None = None) -> None:
    """The question the page answers and its headline figures, for the briefing's first page."""
    run = state()
    run.question = question
    run.headlines = list(headlines or [])


def add_headlines(headlines: list[Headline]) -> None:
    """Headline figures a part of the page adds after ``describe`` (the ranges section's sentences)."""
    state().headlines.extend(headlines)


@dataclass(frozen=True)
class Made:
    """A file made for download, or the reference of the failure to make it."""

    key: str
    context: str  # what it was made from (the view's link); another view does not offer it
    file_name: str
    data: bytes | None
    reference: str | None = None


def offer(where, key: str, label: str, make, file_name: str, *, context: str, icon: str, on_made=None, on_failed=None) -> None:
    """A button that makes a file, then the button that saves it; a failure shows a message with a reference.

    ``where`` is the container (a popover, a column) the buttons and the message go in.
    ``context`` names what the file is made from: a file made for another view (other settings,
    language or data) is not offered. ``on_made(file_name)`` and ``on_failed(file_name, reference)``
    log the outcome. Only the last file made is kept in the session.
    """
    ss = st.session_state
    if where.button(label, key=f"{key}_make", icon=icon, width="stretch"):
        with where, st.spinner(tr("export.making", file=file_name)):
            try:
                data = make()
                if isinstance(data, str):
                    data = data.encode("utf-8")
                ss[_READY] = Made(key, context, file_name, data)
            except Exception:  # noqa: BLE001 - the reader gets a message and a reference, the log the details
                reference = log_failure("export_failed", file=file_name)
                ss[_READY] = Made(key, context, file_name, None, reference)
        made = ss[_READY]
        callback = on_made if made.reference is None else on_failed
        if callback is not None:
            try:
                callback(*((file_name,) if made.reference is None else (file_name, made.reference)))
            except Exception:  # noqa: BLE001 - the log of an export does not hold back the file or its message
                log_failure("export_not_logged", file=file_name)
    made = ss.get(_READY)
    if made is None or made.key != key or made.context != context:
        return
    if made.reference is not None:
        where.error(tr("export.failed", file=made.file_name, reference=made.reference), icon=":material/error:")
        return
    size = i18n.num(max(1, round(len(made.data) / 1024)), lang())
    where.download_button(
        tr("export.save", file=made.file_name, size=size),
        made.data,
        file_name=made.file_name,
        mime=MIME_TYPES[made.file_name.rsplit(".", 1)[-1]],
        key=f"{key}_get",
        icon=":material/download:",
        type="primary",
        on_click="ignore",  # saving the file changes nothing on the page
        width="stretch",
    )


def _view(run: RunState) -> outline.View:
    return outline.View(
        title=run.title or tr("nav.overview"),
        lang=lang(),
        link=current_link(),
        data_version=data_version(),
        charts=list(run.charts),
        sources=sources(),
        parameters=run.parameters,
        parameter_numbers=run.parameter_numbers,
        question=run.question,
        headlines=list(run.headlines),
        marking=marking(),
        tables=list(run.tables),
    )


def panel(run: RunState) -> None:
    """A "take this view along" button at the top right; its buttons and link are built only while it is open."""
    panel = run.top.popover(tr("export.title"), icon=":material/ios_share:", key="x_panel", on_change="rerun")
    if not panel.open:
        return
    view = _view(run)
    stem = outline.file_stem(view)
    who, version = auth.actor(), view.data_version

    def logger(kind: str):
        def made(file_name: str) -> None:
            audit.record_export(who, view.title, kind, file_name, version, view.link)

        def failed(file_name: str, reference: str) -> None:
            audit.record_export(who, view.title, kind, file_name, version, view.link, outcome="failed", reference=reference)

        return made, failed

    with panel:
        st.markdown(":small[" + tr("export.intro") + "]")
        for kind, make, icon in KINDS:
            made, failed = logger(kind)
            offer(
                panel,
                f"x_{kind}",
                tr(f"export.{kind}"),
                lambda make=make: make(view),
                f"{stem}.{kind}",
                context=view.link,
                icon=icon,
                on_made=made,
                on_failed=failed,
            )
        # the short link (made once per view, kept with the full view and its data version), with the
        # code block's own copy button; the long link stays below it for who wants to read it
        try:
            short = links.short_link(who)
        except Exception:  # noqa: BLE001 - the panel still offers the long link; the log has the details
            log_failure("short_link_failed")
            short = None
        if short:
            st.markdown(":small[" + tr("export.short_label") + "]")
            st.code(short, language=None, wrap_lines=True)
        st.text_input(tr("export.link_label"), value=view.link, key="x_link", help=tr("export.link_help"))
