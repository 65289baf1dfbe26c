"""The app's frame, run by dashboard.py on every rerun: page config, the shared sidebar, navigation over pages/."""

from __future__ import annotations

import streamlit as st

from . import i18n, ui

# (script in pages/, title key, icon, url path); the first is the default page at "/"
# (Streamlit answers /overview with "page not found" for a default page)
PAGES = (
    ("pages/overview.py", "nav.overview", ":material/dashboard:", None),
    ("pages/scenarios.py", "nav.scenarios", ":material/compare_arrows:", "scenarios"),
    ("pages/earmarked.py", "nav.earmarked", ":material/hub:", "earmarked"),
    ("pages/kpis.py", "nav.kpis", ":material/monitoring:", "kpis"),
    ("pages/data.py", "nav.data", ":material/database:", "data"),
)


def _pages() -> list:
    """The navigation's pages in the current language, made once per session and language.

    st.Page resolves and checks its script file each time it is made (about 0.1 ms a page on
    every rerun); a session's runs follow one another, so its pages can be reused.
    """
    made = st.session_state.setdefault("_nav_pages", {})
    L = ui.lang()
    if L not in made:
        made[L] = [
            st.Page(path, title=ui.tr(title), icon=icon, **({"url_path": url} if url else {"default": True}))
            for path, title, icon, url in PAGES
        ]
    return made[L]


def main() -> None:
    """One run of the app: the frame around the chosen page, then the link, notices and exports."""
    ui.use_router()
    st.set_page_config(
        page_title="Clusterbeleid Vlaanderen",
        page_icon=":material/hub:",
        layout="wide",
        menu_items={"About": "Speerpuntclusters: financieringsscenario's en evaluatie (VARIO-advies 36)."},
    )
    ui.start_run()

    with st.sidebar:
        st.selectbox(
            "Taal / Language",
            i18n.LANGS,
            format_func=lambda code: {"nl": "Nederlands", "en": "English"}[code],
            key="lang",
        )
        ui.presenter_toggle()

    page = st.navigation(_pages())

    with st.sidebar:
        record = ui.data_version_record()
        st.caption(ui.tr("sidebar.data_version", version=record["version"], built=record["built_at"].strftime("%Y-%m-%d %H:%M")))

    try:
        page.run()
    except Exception:  # noqa: BLE001 - the last line of defence: the browser gets a reference, the log the details
        ui.report_error()
    ui.finish_page()
