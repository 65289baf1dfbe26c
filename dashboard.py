"""Entry point and router: page config, navigation over pages/, and the shared sidebar."""

import streamlit as st

from clusterpolicy import i18n, ui

ui.use_router()
st.set_page_config(
    page_title="Clusterbeleid Vlaanderen",
    page_icon=":material/hub:",
    layout="wide",
    menu_items={"About": "Speerpuntclusters: financieringsscenario's en evaluatie (VARIO-advies 36)."},
)

with st.sidebar:
    st.selectbox(
        "Taal / Language",
        i18n.LANGS,
        index=i18n.LANGS.index(ui.default_lang()),
        format_func=lambda code: {"nl": "Nederlands", "en": "English"}[code],
        key="lang",
        bind="query-params",
    )

pages = [
    st.Page("pages/overview.py", title=ui.tr("nav.overview"), icon=":material/dashboard:", url_path="overview", default=True),
    st.Page("pages/scenarios.py", title=ui.tr("nav.scenarios"), icon=":material/compare_arrows:", url_path="scenarios"),
    st.Page("pages/earmarked.py", title=ui.tr("nav.earmarked"), icon=":material/hub:", url_path="earmarked"),
    st.Page("pages/kpis.py", title=ui.tr("nav.kpis"), icon=":material/monitoring:", url_path="kpis"),
    st.Page("pages/data.py", title=ui.tr("nav.data"), icon=":material/database:", url_path="data"),
]
page = st.navigation(pages)

with st.sidebar:
    version = ui.query("data_version")
    if len(version):
        st.caption(ui.tr("sidebar.data_version", version=version["version"].iloc[0], built=str(version["built_at"].iloc[0])[:16]))

page.run()
