"""The app's pages for ``st.navigation`` and for links to a page: one ``st.Page`` each, made once per session and language."""

from __future__ import annotations

import streamlit as st

from clusterpolicy.web.run import lang, tr

# (page script, title key, icon, url path); the first is the default page, shown at "/"
PAGES = (
    ("pages/body/overview.py", "nav.overview", ":material/dashboard:", "overview"),
    ("pages/body/scenarios.py", "nav.scenarios", ":material/compare_arrows:", "scenarios"),
    ("pages/body/earmarked.py", "nav.earmarked", ":material/hub:", "earmarked"),
    ("pages/body/kpis.py", "nav.kpis", ":material/monitoring:", "kpis"),
    ("pages/body/cluster.py", "nav.cluster", ":material/badge:", "cluster"),
    ("pages/body/data.py", "nav.data", ":material/database:", "data"),
)


def pages() -> list:
    """The navigation's pages in the current language, made once per session and language.

    st.Page resolves and checks its script file each time it is made (about 0.1 ms a page on
    every rerun); a session's runs follow one another, so its pages can be reused.
    """
    made = st.session_state.setdefault("_nav_pages", {})
    L = lang()
    if L not in made:
        made[L] = [
            st.Page(script, title=tr(title), icon=icon, url_path=url, default=i == 0)
            for i, (script, title, icon, url) in enumerate(PAGES)
        ]
    return made[L]


def page(url_path: str):
    """The session's ``st.Page`` at ``url_path``, for ``st.page_link``: a link to a page object is not resolved
    against the file system as a link to a script path is (0.15 ms a link, twenty links a page)."""
    return next(p for p, (*_, url) in zip(pages(), PAGES, strict=True) if url == url_path)
