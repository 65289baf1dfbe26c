"""Data and sources: every contract table, every source with its kind and link, downloads, and the data version."""

import streamlit as st

from .. import exports, importer, tables
from ..web import chartview, datamgmt, export_panel, links, presenter
from ..web import data as kept
from ..web.run import lang, tr


def render() -> None:
    """Draw the page."""
    L = lang()
    presenter.set_title(tr("data.title"))
    st.markdown(tr("data.intro"))

    version = kept.data_version_record()
    cards = st.container(horizontal=True)  # one block for the row (columns would add one per card)
    cards.metric(tr("data.version"), version["version"], border=True)
    cards.metric(tr("data.built"), str(version["built_at"])[:16] + " UTC", border=True)
    cards.metric(tr("data.origin"), version["origin"], border=True)

    st.subheader(tr("data.sources_title"))
    chartview.show_table((), lambda: tables.sources(kept.sources(), L), "data_sources", column_config=chartview.sources_config())

    st.subheader(tr("data.tables_title"))
    links.url_param("data_table", "source", "str", choices=tables.CONTRACT_TABLES)
    table = st.selectbox(
        tr("data.table"),
        tables.CONTRACT_TABLES,
        format_func=lambda name: f"{name} · {tr(f'data.about_{name}')}",
        key="data_table",
    )
    # the frame itself is read only when its table is first built: a warm rerun takes the kept
    # row count and column settings (a frame from kept.query is copied on every call)
    config, n_rows = kept.derived(("data_frame_meta", table), lambda: _meta(_table_frame(table)))
    chartview.show_table((table,), lambda: _table_frame(table), "data_frame", column_config=config)
    st.caption(tr("data.rows", n=n_rows))

    info = {"data_version": version["version"], "table": table, "language": L}
    row = st.container(horizontal=True)
    export_panel.download(
        row, tr("data.download_csv"), lambda: exports.to_csv(_table_frame(table), L), f"{table}.csv", "data_csv"
    )
    export_panel.download(
        row,
        tr("data.download_xlsx"),
        lambda: exports.to_xlsx({table: _table_frame(table)}, info),
        f"{table}.xlsx",
        "data_xlsx",
    )
    export_panel.download(
        row,
        tr("data.download_all"),
        lambda: exports.to_xlsx({n: _table_frame(n) for n in tables.CONTRACT_TABLES}, info),
        f"clusterpolicy-{version['version']}.xlsx",
        "data_all",
    )

    st.divider()
    # Importing is an occasional task: its form is built only while this section is open.
    section = st.expander(tr("data.import_title"), icon=":material/upload_file:", key="imp_open", on_change="rerun")
    if section.open:
        with section:
            st.markdown(tr("data.import_intro"))
            i1, i2 = st.columns(2)
            imp_table = i1.selectbox(tr("data.import_table"), importer.IMPORTABLE, key="imp_table")
            mode = i2.radio(
                tr("data.import_mode"),
                importer.MODES,
                key="imp_mode",
                horizontal=True,
                format_func=lambda m: tr(f"data.mode_{m}"),
            )
            chartview.show_table((imp_table,), lambda: datamgmt.column_docs(imp_table), "imp_docs")
            t1, t2 = st.columns(2)
            export_panel.download(
                t1,
                tr("data.template_csv"),
                lambda: datamgmt.template(imp_table, "csv"),
                f"{imp_table}-template.csv",
                "imp_tpl_csv",
            )
            export_panel.download(
                t2,
                tr("data.template_xlsx"),
                lambda: datamgmt.template(imp_table, "xlsx"),
                f"{imp_table}-template.xlsx",
                "imp_tpl_xlsx",
            )
            upload = st.file_uploader(tr("data.import_file"), type=["csv", "xlsx"], key="imp_file", max_upload_size=10)
            if upload is not None:
                plan, problems = datamgmt.dry_run_once(imp_table, upload, mode)
                if problems:
                    st.error(tr("data.import_refused", n=len(problems)), icon=":material/block:")
                    st.dataframe(tables.problems(problems, L), hide_index=True, key="imp_problems")
                elif plan.changes == 0:
                    st.info(tr("data.import_nothing"))
                else:
                    st.info(
                        tr(
                            "data.import_plan",
                            added=plan.added,
                            changed=plan.changed,
                            removed=plan.removed,
                            rows=plan.rows_in_file,
                        )
                    )
                    st.button(
                        tr("data.import_button"),
                        type="primary",
                        key="imp_go",
                        on_click=datamgmt.run_import,
                        args=(imp_table, upload.getvalue(), upload.name, mode),
                    )
    if "imp_done" in st.session_state:
        before, after = st.session_state.pop("imp_done")
        st.success(tr("data.import_done", before=before, after=after), icon=":material/check_circle:")
    if st.session_state.get("imp_failed"):
        failed = st.session_state.pop("imp_failed")
        st.error(tr("data.import_refused", n=len(failed)))
        st.dataframe(tables.problems(failed, L), hide_index=True, key="imp_problems_2")

    st.subheader(tr("data.versions_title"))
    log_config, log_rows = kept.derived(("import_log_meta",), lambda: _meta(kept.query("import_log")))
    if not log_rows:
        st.caption(tr("data.no_imports"))
    else:
        chartview.show_table((), lambda: kept.query("import_log"), "imp_log", column_config=log_config)
    if datamgmt.has_previous_version():
        st.button(tr("data.restore"), key="imp_restore", on_click=datamgmt.restore_previous, icon=":material/undo:")
    if "restored" in st.session_state:
        st.success(tr("data.restored", version=st.session_state.pop("restored")))


def _table_frame(table: str):
    """A contract table as a frame, by its named query queries/table_<table>.sql.

    ``table`` comes from tables.CONTRACT_TABLES, and the name is a query name that db.load_sql checks;
    no SQL is built here.
    """
    return kept.query(f"table_{table}")


def _meta(frame) -> tuple[dict, int]:
    """A table's column settings and row count, kept so a rerun does not touch the frame."""
    return chartview.typed_config(frame), len(frame)
