"""Data and sources: every contract table, every source with its kind and link, downloads, and the data version."""

import streamlit as st

from clusterpolicy import exports, tables, ui

ui.use_router()
L = ui.lang()
ui.set_title(ui.tr("data.title"))
st.markdown(ui.tr("data.intro"))

version = ui.query("data_version").iloc[0]
c1, c2, c3 = st.columns(3)
c1.metric(ui.tr("data.version"), version["version"], border=True)
c2.metric(ui.tr("data.built"), str(version["built_at"])[:16] + " UTC", border=True)
c3.metric(ui.tr("data.origin"), version["origin"], border=True)

st.subheader(ui.tr("data.sources_title"))
sources = ui.sources()
st.dataframe(tables.sources(sources, L), hide_index=True, key="data_sources", column_config=ui.sources_config())

st.subheader(ui.tr("data.tables_title"))
ui.url_param("data_table", "source", "str", choices=tables.CONTRACT_TABLES)
table = st.selectbox(
    ui.tr("data.table"),
    tables.CONTRACT_TABLES,
    format_func=lambda name: f"{name} · {ui.tr(f'data.about_{name}')}",
    key="data_table",
)
frame = ui.query(f"table_{table}")
st.dataframe(frame, hide_index=True, key="data_frame", column_config=ui.typed_config(frame))
st.caption(ui.tr("data.rows", n=len(frame)))

info = {"data_version": version["version"], "table": table, "language": L}
d1, d2, d3 = st.columns(3)
d1.download_button(
    ui.tr("data.download_csv"),
    lambda: exports.to_csv(ui.query(f"table_{table}"), L),
    file_name=f"{table}.csv",
    mime="text/csv",
    key="data_csv",
    icon=":material/download:",
)
d2.download_button(
    ui.tr("data.download_xlsx"),
    lambda: exports.to_xlsx({table: ui.query(f"table_{table}")}, info),
    file_name=f"{table}.xlsx",
    key="data_xlsx",
    icon=":material/download:",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
d3.download_button(
    ui.tr("data.download_all"),
    lambda: exports.to_xlsx({n: ui.query(f"table_{n}") for n in tables.CONTRACT_TABLES}, info),
    file_name=f"clusterpolicy-{version['version']}.xlsx",
    key="data_all",
    icon=":material/download:",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
