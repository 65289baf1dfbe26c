"""Data and sources: every contract table, every source with its kind and link, downloads, and the data version."""

import streamlit as st

from .. import exports, i18n, importer, provenance, tables
from ..web import auth, chartview, datamgmt, export_panel, links, presenter
from ..web import data as kept
from ..web.run import lang, tr


def render() -> None:
    """Draw the page."""
    L = lang()
    presenter.set_title(tr("data.title"))
    # Fewer elements, same content: each Streamlit element costs 50-130 us a rerun, and this page
    # had twenty (three cards, three download buttons, dividers, an always-built version list)
    version = kept.data_version_record()
    line = tr(
        "data.version_line",
        version=version["version"],
        built=str(version["built_at"])[:16],
        origin=provenance.md_escape(str(version["origin"])),
    )
    st.markdown(tr("data.intro") + "\n\n" + line)

    # Three tabs, of which only the chosen one is built (on_change="rerun"): a link to one of the
    # tables (?data_table=) opens on the tables tab
    table = links.url_param("data_table", "source", "str", choices=tables.CONTRACT_TABLES)
    # data stewards also get the import form, the full import log and the audit trail; for anyone
    # else those tabs are not drawn at all (and the functions behind them refuse them anyway)
    steward = auth.is_steward()
    names = (tr("data.sources_title"), tr("data.tables_tab"))
    if steward:
        names += (tr("data.import_tab"), tr("data.audit_tab"))
    ss = st.session_state
    if ss.get("data_tab") not in names:
        # a tab's state is its label: after a change of language, the same tab under its new name
        index = ss.get("_data_tab_index", 1 if table != "source" else 0)
        ss["data_tab"] = names[index if index < len(names) else 0]
    tabs = st.tabs(names, key="data_tab", on_change="rerun")
    sources_tab, tables_tab = tabs[:2]
    ss["_data_tab_index"] = names.index(ss["data_tab"])
    if not steward:
        st.caption(tr(f"data.no_import_{auth.mode()}"))
    if sources_tab.open:
        with sources_tab:
            chartview.show_table(
                (), lambda: tables.sources(kept.sources(), L), "data_sources", column_config=chartview.sources_config()
            )
            # every published total and rule held against the data beneath it (reconcile.py)
            st.markdown("**" + tr("data.reconcile_title") + "**")
            st.markdown(tr("data.reconcile_intro"))
            chartview.show_table(
                (L,),
                lambda: tables.reconciliation(kept.reconciliation(), kept.source_index(), L),
                "data_reconcile",
            )
    if tables_tab.open:
        with tables_tab:
            _tables_tab(version, L)
    if steward and tabs[2].open:
        with tabs[2]:
            _import_tab(L)
    if steward and tabs[3].open:
        with tabs[3]:
            _audit_tab(L)
    if "data_denied" in ss:
        st.error(tr("data.denied", action=tr(f"data.action_{ss.pop('data_denied')}")), icon=":material/block:")
    if "imp_done" in st.session_state:
        before, after = st.session_state.pop("imp_done")
        st.success(tr("data.import_done", before=before, after=after), icon=":material/check_circle:")
    if st.session_state.get("imp_failed"):
        failed = st.session_state.pop("imp_failed")
        st.error(tr("data.import_refused", n=len(failed)))
        st.dataframe(tables.problems(failed, L), hide_index=True, key="imp_problems_2")

    if "restored" in st.session_state:
        st.success(tr("data.restored", version=st.session_state.pop("restored")))


def _tables_tab(version: dict, L: str) -> None:
    """Every table of the data contract, one at a time, and its downloads."""
    table = st.selectbox(
        tr("data.tables_title"),
        tables.CONTRACT_TABLES,
        format_func=lambda name: f"{name} · {i18n.t(f'data.about_{name}', L)}",
        key="data_table",
    )
    # the frame itself is read only when its table is first built: a warm rerun takes the kept
    # row count and column settings (a frame from kept.query is copied on every call)
    config, n_rows = kept.derived(("data_frame_meta", table), lambda: _meta(_table_frame(table)))
    chartview.show_table((table,), lambda: _table_frame(table), "data_frame", column_config=config)
    # the downloads are built only while their menu is open (their files only when clicked)
    menu = st.popover(tr("data.downloads", n=n_rows), icon=":material/download:", key="data_downloads", on_change="rerun")
    if menu.open:
        info = {"data_version": version["version"], "table": table, "language": L}
        context = f"{version['version']}|{table}|{L}"  # a file made for another table or version is not offered
        export_panel.offer(
            menu,
            "data_csv",
            tr("data.download_csv"),
            lambda: exports.to_csv(_table_frame(table), L),
            f"{table}.csv",
            context=context,
            icon=":material/csv:",
        )
        export_panel.offer(
            menu,
            "data_xlsx",
            tr("data.download_xlsx"),
            lambda: exports.to_xlsx({table: _table_frame(table)}, info, lang=L),
            f"{table}.xlsx",
            context=context,
            icon=":material/table_view:",
        )
        export_panel.offer(
            menu,
            "data_all",
            tr("data.download_all"),
            lambda: exports.to_xlsx({n: _table_frame(n) for n in tables.CONTRACT_TABLES}, info, lang=L),
            f"clusterpolicy-{version['version']}.xlsx",
            context=context,
            icon=":material/download:",
        )


def _import_tab(L: str) -> None:
    """The import log, restore, and the import form (each check a dry run on a copy, once per file)."""
    log_config, log_rows = kept.derived(("import_log_meta",), lambda: _meta(kept.query("import_log")))
    st.markdown("**" + tr("data.versions_title") + "**")
    if not log_rows:
        st.caption(tr("data.no_imports"))
    else:
        chartview.show_table((), lambda: kept.query("import_log"), "imp_log", column_config=log_config)
    if datamgmt.has_previous_version():
        st.button(tr("data.restore"), key="imp_restore", on_click=datamgmt.restore_previous, icon=":material/undo:")
    _old_versions()
    st.markdown("**" + tr("data.import_new") + "**")
    st.markdown(tr("data.import_intro"))
    i1, i2 = st.columns(2)
    imp_table = i1.selectbox(tr("data.import_table"), importer.IMPORTABLE, key="imp_table")
    mode = i2.radio(
        tr("data.import_mode"),
        importer.MODES,
        key="imp_mode",
        horizontal=True,
        format_func=lambda m: i18n.t(f"data.mode_{m}", L),
    )
    chartview.show_table((imp_table,), lambda: datamgmt.column_docs(imp_table), "imp_docs")
    t1, t2 = st.columns(2)
    export_panel.offer(
        t1,
        "imp_tpl_csv",
        tr("data.template_csv"),
        lambda: datamgmt.template(imp_table, "csv"),
        f"{imp_table}-template.csv",
        context=imp_table,
        icon=":material/csv:",
    )
    export_panel.offer(
        t2,
        "imp_tpl_xlsx",
        tr("data.template_xlsx"),
        lambda: datamgmt.template(imp_table, "xlsx"),
        f"{imp_table}-template.xlsx",
        context=imp_table,
        icon=":material/table_view:",
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


def _old_versions() -> None:
    """Old versions kept on disk: a data steward removes one; saved scenarios made on it ask for a confirmation."""
    versions = datamgmt.old_versions()
    ss = st.session_state
    if "ver_removed" in ss:
        st.success(tr("data.version_removed", version=ss.pop("ver_removed")))
    if not versions:
        return
    st.markdown("**" + tr("data.old_versions") + "**")
    names = {
        v["version"]: tr(
            "data.old_version_label",
            version=v["version"],
            written=v["written"].strftime("%Y-%m-%d %H:%M"),
            n=v["used_by"],
            exports=v["exports"],
        )
        for v in versions
    }
    row = st.container(horizontal=True, vertical_alignment="bottom")
    chosen = row.selectbox(tr("data.old_version_pick"), list(names), format_func=names.get, key="ver_pick")
    row.button(
        tr("data.remove_version"), key="ver_remove", icon=":material/delete:", on_click=datamgmt.remove_version, args=(chosen,)
    )
    in_use = ss.get("ver_in_use")
    if in_use and in_use[0] == chosen:
        st.warning(tr("data.version_in_use", version=in_use[0], n=in_use[1], exports=in_use[2]), icon=":material/bookmarks:")
        st.checkbox(tr("data.version_confirm"), key="ver_confirm")


def _audit_tab(L: str) -> None:
    """Who changed the data, signed in or was refused, newest first; the whole trail as a download."""
    st.markdown(tr("data.audit_intro"))
    trail = datamgmt.audit_trail()
    export_panel.offer(
        st.container(),
        "audit_csv",
        tr("data.audit_download", n=len(trail)),
        lambda: datamgmt.audit_csv(L),
        "audit-trail.csv",
        context=f"{len(trail)}|{L}",
        icon=":material/csv:",
    )
    if trail.empty:
        st.caption(tr("data.audit_empty"))
        return
    st.dataframe(tables.audit(trail, L), hide_index=True, key="audit_table")


def _table_frame(table: str):
    """A contract table as a frame, by its named query queries/table_<table>.sql.

    ``table`` comes from tables.CONTRACT_TABLES, and the name is a query name that db.load_sql checks;
    no SQL is built here.
    """
    return kept.query(f"table_{table}")


def _meta(frame) -> tuple[dict, int]:
    """A table's column settings and row count, kept so a rerun does not touch the frame."""
    return chartview.typed_config(frame), len(frame)
