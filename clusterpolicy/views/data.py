"""Data and sources: every contract table, every source with its kind and link, downloads, and the data version."""

import streamlit as st

from .. import exports, importer, tables, ui


def render() -> None:
    """Draw the page."""
    L = ui.lang()
    ui.set_title(ui.tr("data.title"))
    st.markdown(ui.tr("data.intro"))

    version = ui.data_version_record()
    cards = st.container(horizontal=True)  # one block for the row (columns would add one per card)
    cards.metric(ui.tr("data.version"), version["version"], border=True)
    cards.metric(ui.tr("data.built"), str(version["built_at"])[:16] + " UTC", border=True)
    cards.metric(ui.tr("data.origin"), version["origin"], border=True)

    st.subheader(ui.tr("data.sources_title"))
    ui.show_table((), lambda: tables.sources(ui.sources(), L), "data_sources", column_config=ui.sources_config())

    st.subheader(ui.tr("data.tables_title"))
    ui.url_param("data_table", "source", "str", choices=tables.CONTRACT_TABLES)
    table = st.selectbox(
        ui.tr("data.table"),
        tables.CONTRACT_TABLES,
        format_func=lambda name: f"{name} · {ui.tr(f'data.about_{name}')}",
        key="data_table",
    )
    # the frame itself is read only when its table is first built: a warm rerun takes the kept
    # row count and column settings (a frame from ui.query is copied on every call)
    config, n_rows = ui.derived(("data_frame_meta", table), lambda: _meta(_table_frame(table)))
    ui.show_table((table,), lambda: _table_frame(table), "data_frame", column_config=config)
    st.caption(ui.tr("data.rows", n=n_rows))

    info = {"data_version": version["version"], "table": table, "language": L}
    row = st.container(horizontal=True)
    ui.download(row, ui.tr("data.download_csv"), lambda: exports.to_csv(_table_frame(table), L), f"{table}.csv", "data_csv")
    ui.download(
        row,
        ui.tr("data.download_xlsx"),
        lambda: exports.to_xlsx({table: _table_frame(table)}, info),
        f"{table}.xlsx",
        "data_xlsx",
    )
    ui.download(
        row,
        ui.tr("data.download_all"),
        lambda: exports.to_xlsx({n: _table_frame(n) for n in tables.CONTRACT_TABLES}, info),
        f"clusterpolicy-{version['version']}.xlsx",
        "data_all",
    )

    st.divider()
    # Importing is an occasional task: its form is built only while this section is open.
    section = st.expander(ui.tr("data.import_title"), icon=":material/upload_file:", key="imp_open", on_change="rerun")
    if section.open:
        with section:
            st.markdown(ui.tr("data.import_intro"))
            i1, i2 = st.columns(2)
            imp_table = i1.selectbox(ui.tr("data.import_table"), importer.IMPORTABLE, key="imp_table")
            mode = i2.radio(
                ui.tr("data.import_mode"),
                importer.MODES,
                key="imp_mode",
                horizontal=True,
                format_func=lambda m: ui.tr(f"data.mode_{m}"),
            )
            ui.show_table((imp_table,), lambda: ui.column_docs(imp_table), "imp_docs")
            t1, t2 = st.columns(2)
            ui.download(
                t1, ui.tr("data.template_csv"), lambda: ui.template(imp_table, "csv"), f"{imp_table}-template.csv", "imp_tpl_csv"
            )
            ui.download(
                t2,
                ui.tr("data.template_xlsx"),
                lambda: ui.template(imp_table, "xlsx"),
                f"{imp_table}-template.xlsx",
                "imp_tpl_xlsx",
            )
            upload = st.file_uploader(ui.tr("data.import_file"), type=["csv", "xlsx"], key="imp_file", max_upload_size=10)
            if upload is not None:
                data = upload.getvalue()
                plan, problems = ui.try_import(imp_table, data, upload.name, mode, dry_run=True)
                if problems:
                    st.error(ui.tr("data.import_refused", n=len(problems)), icon=":material/block:")
                    st.dataframe(tables.problems(problems, L), hide_index=True, key="imp_problems")
                elif plan.changes == 0:
                    st.info(ui.tr("data.import_nothing"))
                else:
                    st.info(
                        ui.tr(
                            "data.import_plan",
                            added=plan.added,
                            changed=plan.changed,
                            removed=plan.removed,
                            rows=plan.rows_in_file,
                        )
                    )
                    st.button(
                        ui.tr("data.import_button"),
                        type="primary",
                        key="imp_go",
                        on_click=ui.run_import,
                        args=(imp_table, data, upload.name, mode),
                    )
    if "imp_done" in st.session_state:
        before, after = st.session_state.pop("imp_done")
        st.success(ui.tr("data.import_done", before=before, after=after), icon=":material/check_circle:")
    if st.session_state.get("imp_failed"):
        failed = st.session_state.pop("imp_failed")
        st.error(ui.tr("data.import_refused", n=len(failed)))
        st.dataframe(tables.problems(failed, L), hide_index=True, key="imp_problems_2")

    st.subheader(ui.tr("data.versions_title"))
    log_config, log_rows = ui.derived(("import_log_meta",), lambda: _meta(ui.query("import_log")))
    if not log_rows:
        st.caption(ui.tr("data.no_imports"))
    else:
        ui.show_table((), lambda: ui.query("import_log"), "imp_log", column_config=log_config)
    if ui.has_previous_version():
        st.button(ui.tr("data.restore"), key="imp_restore", on_click=ui.restore_previous, icon=":material/undo:")
    if "restored" in st.session_state:
        st.success(ui.tr("data.restored", version=st.session_state.pop("restored")))


def _table_frame(table: str):
    """A contract table as a frame, by its named query queries/table_<table>.sql.

    ``table`` comes from tables.CONTRACT_TABLES, and the name is a query name that db.load_sql checks;
    no SQL is built here.
    """
    return ui.query(f"table_{table}")


def _meta(frame) -> tuple[dict, int]:
    """A table's column settings and row count, kept so a rerun does not touch the frame."""
    return ui.typed_config(frame), len(frame)
