"""Presenter mode: the sidebar toggle, the page's controls tucked away, and the deck of one chart at a time."""

from __future__ import annotations

import contextlib

import streamlit as st

from clusterpolicy.data import provenance
from clusterpolicy.web.chartview import PLOTLY_CONFIG, source_caption
from clusterpolicy.web.data import short_source_line
from clusterpolicy.web.run import RunState, presenting, state, tr


def toggle() -> None:
    """The sidebar's presenter toggle; its value holds for the rest of the run (pages ask a dozen times)."""
    state().memo["present"] = bool(st.toggle(tr("present.toggle"), key="present", help=tr("present.help")))


def set_title(title: str) -> None:
    """The page title: shown as a heading (not in presenter mode) and used for exports."""
    state().title = title
    if not presenting():
        st.title(title)


def controls():
    """A container for a page's controls: inline normally, tucked into a popover in the deck's row when presenting."""
    if presenting():
        # one closed popover per page for all its controls, so nothing is clicked by accident
        run = state()
        if run.controls is None:
            # one button in the deck's row, so the chart keeps the height of the screen
            where = run.nav if run.nav is not None else st
            run.controls = where.popover(tr("present.controls"), icon=":material/tune:")
        return run.controls
    return contextlib.nullcontext()  # inline where the page is (a container of its own would cost an element)


PRESENTER_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"] { display: none !important; }
[data-testid="stMainBlockContainer"] { padding-top: 1.2rem !important; padding-bottom: 1.6rem !important;
  max-width: 100% !important; height: 100vh; }
[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"] { height: 100%; }
[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"] > [data-testid="stElementContainer"]:has([data-testid="stPlotlyChart"]) {
  flex: 1 1 0; min-height: 320px; overflow: hidden; }
.st-key-p_nav { flex-wrap: nowrap !important; }
.st-key-p_nav [data-testid="stElementContainer"]:has([data-testid="stMarkdown"]) { flex: 1 1 0; min-width: 0; }
[data-testid="stPopoverBody"] p { font-size: 1.1rem !important; }
.st-key-p_nav [data-testid="stMarkdown"] p { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; margin: 0; }
[data-testid="stMainBlockContainer"] [data-testid="stFullScreenFrame"]:has([data-testid="stPlotlyChart"]),
[data-testid="stMainBlockContainer"] [data-testid="stPlotlyChart"] { height: 100% !important; }
[data-testid="stLayoutWrapper"]:has(> .st-key-cp_marking) { top: 0 !important; }
[data-testid="stMain"] p, [data-testid="stMain"] p span, [data-testid="stMain"] button,
[data-testid="stMain"] kbd, [data-testid="stMain"] label { font-size: 1.25rem !important; }
</style>
"""


def deck(run: RunState) -> None:
    """One chart at a time, full width and large; previous/next by buttons or the arrow keys; Esc leaves."""
    # fixed CSS written here, never text from data
    st.html(PRESENTER_CSS)
    n = len(run.charts)
    ss = st.session_state
    if n == 0:
        st.info(tr("present.no_charts"))
        return
    slide = min(max(int(ss.get("slide", 1)), 1), n)
    ss["slide"] = slide
    item = run.charts[slide - 1]
    figure, subtitle = item.chart.presented()
    # one row: the buttons as wide as their words, the position taking what is left
    row = run.nav if run.nav is not None else st.container(horizontal=True, vertical_alignment="center", key="p_nav")
    row.button(
        tr("present.previous"),
        key="p_prev",
        shortcut="Left",
        disabled=slide <= 1,
        on_click=_go_to_slide,
        args=(slide - 1,),
        icon=":material/arrow_back:",
    )
    row.button(
        tr("present.next"),
        key="p_next",
        shortcut="Right",
        disabled=slide >= n,
        on_click=_go_to_slide,
        args=(slide + 1,),
        icon=":material/arrow_forward:",
    )
    row.markdown(tr("present.position", i=slide, n=n, title=provenance.md_escape(run.title)), width="stretch")
    # the chart's whole explanation and every source by name, one click away (the slide shows two lines
    # of the explanation and counts the sources that are not published)
    with row.popover(tr("present.explain"), icon=":material/info:"):
        if subtitle:
            st.markdown(provenance.md_escape(subtitle))
        source_caption(item.source_ids)
    row.button(tr("present.stop"), key="p_stop", shortcut="Esc", on_click=_stop_presenting, icon=":material/close:")
    # the chart fills the window under the buttons, at any screen size (its copy has no height of its own)
    st.plotly_chart(figure, key=f"present_{item.key}", width="stretch", height="stretch", config=PLOTLY_CONFIG, theme=None)
    st.markdown(":small[" + short_source_line(item.source_ids) + "]")


def clamp_slide(n: int) -> None:
    """The slide in the session (and so in the link) within the deck's 1 to ``n``."""
    ss = st.session_state
    try:
        slide = int(ss.get("slide", 1))
    except (TypeError, ValueError):
        slide = 1
    ss["slide"] = min(max(slide, 1), n)


def _go_to_slide(i: int) -> None:
    st.session_state["slide"] = i


def _stop_presenting() -> None:
    st.session_state["present"] = False
