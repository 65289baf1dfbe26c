"""Entry point and router: page config, navigation over pages/, the shared sidebar, and the link/export frame."""

import streamlit as st

from clusterpolicy import i18n, ui

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
    st.toggle(ui.tr("present.toggle"), key="present", help=ui.tr("present.help"))

pages = [
    # the default page lives at "/" (Streamlit answers /overview with "page not found" for a default page)
    st.Page("pages/overview.py", title=ui.tr("nav.overview"), icon=":material/dashboard:", default=True),
    st.Page("pages/scenarios.py", title=ui.tr("nav.scenarios"), icon=":material/compare_arrows:", url_path="scenarios"),
    st.Page("pages/earmarked.py", title=ui.tr("nav.earmarked"), icon=":material/hub:", url_path="earmarked"),
    st.Page("pages/kpis.py", title=ui.tr("nav.kpis"), icon=":material/monitoring:", url_path="kpis"),
    st.Page("pages/data.py", title=ui.tr("nav.data"), icon=":material/database:", url_path="data"),
]
page = st.navigation(pages)

with st.sidebar:
    st.caption(
        ui.tr(
            "sidebar.data_version",
            version=ui.data_version(),
            built=ui.query("data_version")["built_at"].iloc[0].strftime("%Y-%m-%d %H:%M"),
        )
    )

try:
    page.run()
except Exception:  # noqa: BLE001 - the last line of defence: the browser gets a reference, the log the details
    ui.report_error()
ui.finish_page()
