"""The frame around every page, run by dashboard.py: page config, the shared sidebar, st.navigation, notices, exports.

Each page is a script in pages/body/ (it hands over to its view in clusterpolicy/views), given to
``st.Page`` with its URL path. The scripts directly in pages/ are there for Streamlit's legacy
treatment of a pages/ folder: until a session of the process has called ``st.navigation`` (a
fresh server; every AppTest run), a request for /scenarios runs pages/scenarios.py, which runs
this same frame; the legacy mode does not look into pages/body/.

``st.navigation`` is called before the frame draws any widget: widget ids include the script
that is running when they are made, and from ``st.navigation`` on that is the entry script in
both the legacy and the current mode, so the sidebar's widgets keep their values from the first
run of a fresh server on (drawn before it, the first change of language was lost).
"""

from __future__ import annotations

import logging
import urllib.parse

import streamlit as st

from clusterpolicy import i18n
from clusterpolicy.data.provenance import md_escape
from clusterpolicy.web import auth, export_panel, links, navigation, presenter
from clusterpolicy.web.data import data_version_record, marking, prefetch_frame
from clusterpolicy.web.run import begin, log_failure, presenting, tr

_log = logging.getLogger("clusterpolicy")


def main() -> None:
    """One run of the app: the frame around the chosen page, then the link, notices and exports."""
    st.set_page_config(
        page_title="Clusterbeleid Vlaanderen",
        page_icon=":material/hub:",
        layout="wide",
        menu_items={"About": "Speerpuntclusters: financieringsscenario's en evaluatie (VARIO-advies 36)."},
    )
    run = begin()
    # who is asking decides everything below: a visitor who is not let in gets the sign-in (or
    # ask-for-access) page and nothing that was read from the data
    who = auth.actor()
    let_in = auth.may_enter(who)
    if let_in:
        links.open_short_link(who)  # ?k=<code>: the full view it stands for, before any setting is read
    links.read_globals()  # before anything reads the data: a link may pin the version it was made on
    if let_in:
        prefetch_frame()  # on a first run they run while the frame is set up; nothing is read for a closed page
    page = st.navigation(navigation.pages(), position="sidebar" if let_in else "hidden")  # before any widget (see the docstring)
    if let_in:
        auth.land_where_signed_in(who, navigation.pages())  # after the sign-in: the view the visitor had opened
    _check_address()
    with st.sidebar:
        st.selectbox(
            "Taal / Language",
            i18n.LANGS,
            format_func=lambda code: {"nl": "Nederlands", "en": "English"}[code],
            key="lang",
        )
        if let_in:
            presenter.toggle()
            record = data_version_record()
            built = record["built_at"].strftime("%Y-%m-%d %H:%M")
            st.caption(auth.sidebar_line(who) + "  \n" + tr("sidebar.data_version", version=record["version"], built=built))
            auth.sidebar_controls(who)
    auth.note_sign_in(who)
    if not let_in:
        auth.closed_page(who)
        return
    marking_banner()
    # notices (full width) and the export button (right) above the page: one row that wraps
    run.top = st.container(horizontal=True, horizontal_alignment="right")
    if presenting():
        # the deck's one row of buttons, above the chart; the page's settings open from its first button
        run.nav = st.container(horizontal=True, vertical_alignment="center", key="p_nav")

    try:
        page.run()
    except Exception:  # noqa: BLE001 - the last line of defence: the browser gets a reference, the log the details
        report_error()
    if presenting() and run.charts:
        presenter.clamp_slide(len(run.charts))  # before the link is written: slide=99 reads slide=6 there too
    values = links.write()
    with run.top:
        links.show_notices(values)
    if presenting():
        presenter.deck(run)
    elif run.charts:
        export_panel.panel(run)


# fixed CSS, never text from data: the marking's container stays at the top of the window while the page scrolls
# (under Streamlit's header; in presenter mode, which hides the header, at the very top)
MARKING_CSS = """
<style>
[data-testid="stLayoutWrapper"]:has(> .st-key-cp_marking) { position: sticky; top: 3.75rem; z-index: 999; }
.st-key-cp_marking { background: #fff; }
.st-key-cp_marking [data-testid="stAlertContainer"] { padding: 0.35rem 0.9rem; }
.st-key-cp_marking p { font-weight: 700; }
</style>
"""


def marking_banner() -> None:
    """The data version's confidentiality marking, at the top of every page (and of the presenter's deck)."""
    text = marking()
    if not text:
        return
    with st.container(key="cp_marking"):
        st.html(MARKING_CSS)
        st.warning(md_escape(text), icon=":material/lock:")


def _check_address() -> None:
    """On a session's first run, a notice when the address names no page (Streamlit then opens the overview silently)."""
    ss = st.session_state
    if ss.get("_address_checked"):
        return
    ss["_address_checked"] = True
    try:
        url = st.context.url
    except Exception:  # noqa: BLE001 - no request to read it from (a test run)
        url = None
    if not url:
        return
    path = urllib.parse.urlsplit(url).path.strip("/")
    base = (st.get_option("server.baseUrlPath") or "").strip("/")  # behind a proxy: /dashboard/...
    page = path[len(base) :].strip("/") if base and path.startswith(base) else path
    if page and page not in {url_path for *_, url_path in navigation.PAGES}:
        ss.setdefault("_notices", []).append(("page", [urllib.parse.unquote(page)]))


def report_error() -> None:
    """Log the current exception with a short reference and show the reader only that reference."""
    reference = log_failure("page_failed")
    st.error(tr("error.friendly", reference=reference), icon=":material/error:")
