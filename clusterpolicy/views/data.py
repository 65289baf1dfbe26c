"""Data and sources: every contract table, every source with its kind and link, downloads, and the data version."""

import streamlit as st

from clusterpolicy import i18n, spreadsheet
from clusterpolicy.data import importer, provenance
from clusterpolicy.present import tables
from clusterpolicy.web import auth, chartview, datamgmt, export_panel, links, presenter
from clusterpolicy.web import data as kept
from clusterpolicy.web.run import lang, tr


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
        origin=provenance.md_escape(tables.origin_text(str(version["origin"]), L)),
    )
    shares = kept.derived(("kind_shares", L), lambda: tables.kind_shares(kept.query("values_by_kind"), L))
    st.markdown(tr("data.intro") + " " + shares + "\n\n" + line)

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

            # the table and its column widths made once per data version and language, not on every rerun
            def checks():
                return tables.reconciliation(kept.reconciliation(), kept.source_index(), L)

            widths = kept.derived(("reconcile_widths", L), lambda: chartview.fitted(checks(), widest=360))
            chartview.show_table((L,), checks, "data_reconcile", column_config=widths)
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
        st.error(tr("data.import_refused", n=i18n.count(len(failed), "problem", L)))
        st.dataframe(tables.problems(failed, L), hide_index=True, key="imp_problems_2")

    if "restored" in st.session_state:
        st.success(tr("data.restored", version=st.session_state.pop("restored")), icon=":material/history:")


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
    menu = st.popover(
        tr("data.downloads", n=i18n.count(n_rows, "row", L)), icon=":material/download:", key="data_downloads", on_change="rerun"
    )
    if menu.open:
        info = {tr("export.data_version"): version["version"], tr("export.table"): table, tr("export.language"): L}
        context = f"{version['version']}|{table}|{L}"  # a file made for another table or version is not offered
        export_panel.offer(
            menu,
            "data_csv",
            tr("data.download_csv"),
            lambda: spreadsheet.to_csv(_table_frame(table), L),
            f"{table}.csv",
            context=context,
            icon=":material/csv:",
        )
        export_panel.offer(
            menu,
            "data_xlsx",
            tr("data.download_xlsx"),
            lambda: spreadsheet.to_xlsx({table: _table_frame(table)}, info, lang=L),
            f"{table}.xlsx",
            context=context,
            icon=":material/table_view:",
        )
        export_panel.offer(
            menu,
            "data_all",
            tr("data.download_all"),
            datamgmt.whole_workbook,
            f"clusterbeleid-dataset-{version['version']}.xlsx",
            context=context,
            icon=":material/download:",
        )


def _import_tab(L: str) -> None:
    """Versions (restore any, with what it changes), the confidentiality marking, and the import form with its preview."""
    _versions(L)
    _old_versions()
    _marking_form(L)
    st.markdown("**" + tr("data.import_new") + "**")
    st.markdown(tr("data.import_intro"))
    ss = st.session_state
    what = st.segmented_control(
        tr("data.import_what"),
        (datamgmt.WORKBOOK, "table"),
        format_func=lambda w: i18n.t(f"data.import_what_{w}", L),
        key="imp_what",
        default=datamgmt.WORKBOOK,
    )
    n = int(ss.get("imp_file_n", 0))
    file_key = "imp_file" if n == 0 else f"imp_file_{n}"  # a new key after an import: an empty form
    if what != "table":
        version = kept.data_version()
        export_panel.offer(
            st.container(),
            "imp_workbook",
            tr("data.download_workbook"),
            datamgmt.whole_workbook,
            f"clusterbeleid-dataset-{version}.xlsx",
            context=f"{version}|{L}",
            icon=":material/table_view:",
        )
        # no type= on the uploader: the file it refuses gets only an English tooltip; here the page says why
        upload = st.file_uploader(tr("data.import_workbook"), key=file_key, max_upload_size=10)
        imp_table, mode, allowed = datamgmt.WORKBOOK, "workbook", (".xlsx",)
    else:
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
        for where, kind, icon in zip(st.columns(2), ("csv", "xlsx"), (":material/csv:", ":material/table_view:")):
            export_panel.offer(
                where,
                f"imp_tpl_{kind}",
                tr(f"data.template_{kind}"),
                lambda kind=kind: datamgmt.template(imp_table, kind),
                f"{imp_table}-template.{kind}",
                context=imp_table,
                icon=icon,
            )
        upload = st.file_uploader(tr("data.import_file"), key=file_key, max_upload_size=10)
        allowed = (".csv", ".xlsx")
    if upload is None:
        return
    if not upload.name.lower().endswith(allowed):
        st.error(tr("data.wrong_type", file=upload.name, allowed=" / ".join(allowed)), icon=":material/block:")
        return
    plan, problems = datamgmt.dry_run_once(imp_table, upload, mode)
    if problems:
        st.error(tr("data.import_refused", n=i18n.count(len(problems), "problem", L)), icon=":material/block:")
        st.dataframe(tables.problems(problems, L), hide_index=True, key="imp_problems")
    elif plan.changes == 0:
        st.info(tr("data.import_nothing"))
        _not_touched(plan)
    else:
        _preview(plan, L)
        row = st.container(horizontal=True)
        row.button(
            tr("data.import_button"),
            type="primary",
            key="imp_go",
            on_click=datamgmt.run_import,
            args=(imp_table, upload.getvalue(), upload.name, mode),
            icon=":material/check:",
        )
        row.button(tr("data.import_cancel"), key="imp_cancel", on_click=datamgmt.clear_upload, icon=":material/close:")


def _preview(plan, L: str) -> None:
    """What an import changes, before it is applied: per table, cell by cell, and its effect on the headline figures."""
    st.info(tr("data.import_plan", added=plan.added, changed=plan.changed, removed=plan.removed, rows=plan.rows_in_file))
    st.dataframe(tables.import_plans(plan, L), hide_index=True, key="imp_plans")
    _not_touched(plan)
    with st.expander(
        tr("data.import_changes", n=sum(len(p.rows) for p in plan.plans)), expanded=False, icon=":material/difference:"
    ):
        st.dataframe(tables.import_changes(plan, L), hide_index=True, key="imp_changes")
    if plan.effect:
        st.markdown("**" + tr("data.import_effect") + "**")
        st.dataframe(tables.import_effect(plan.effect, L), hide_index=True, key="imp_effect")


def _not_touched(plan) -> None:
    """The tables a workbook leaves alone, and the sheets it has that are not read."""
    if plan.left_out:
        st.caption(tr("data.import_left_out", tables=", ".join(plan.left_out)))
    for sheet, why in plan.not_read:
        st.caption(tr(f"data.import_not_read_{why}", sheet=provenance.md_escape(sheet)))


def _versions(L: str) -> None:
    """Every kept version with what made it; any of them can be served again, after a look at what that changes."""
    st.markdown("**" + tr("data.versions_title") + "**")
    versions = datamgmt.versions()
    st.dataframe(tables.versions(versions, L), hide_index=True, key="imp_log")
    others = [v for v in versions if not v["served"]]
    if not others:
        st.caption(tr("data.no_imports"))
        return
    ss = st.session_state
    labels = {v["version"]: tables.version_label(v, L) for v in others}
    row = st.container(horizontal=True, vertical_alignment="bottom")
    chosen = row.selectbox(tr("data.restore_pick"), list(labels), format_func=labels.get, key="ver_restore_pick")
    row.button(tr("data.restore"), key="imp_restore", icon=":material/history:", on_click=_ask_restore, args=(chosen,))
    asked = ss.get("ver_restore_ask")
    served = next((v for v in versions if v["served"]), None)
    if asked and asked == chosen and served is not None:
        target = next(v for v in others if v["version"] == chosen)
        changes = datamgmt.version_difference(served["path"], target["path"])
        st.warning(tr("data.restore_confirm_text", version=chosen, served=served["version"]), icon=":material/history:")
        st.dataframe(tables.version_difference(changes, L), hide_index=True, key="ver_restore_diff")
        row = st.container(horizontal=True)
        row.button(tr("data.restore_confirm"), key="imp_restore_go", type="primary", on_click=datamgmt.restore, args=(chosen,))
        row.button(tr("data.import_cancel"), key="imp_restore_cancel", on_click=ss.pop, args=("ver_restore_ask", None))


def _ask_restore(version: str) -> None:
    st.session_state["ver_restore_ask"] = version


def _marking_form(L: str) -> None:
    """The confidentiality marking of the served version: set, changed or removed by the data steward (a new version)."""
    current = datamgmt.classification()
    shown = kept.marking()
    label = tr("marking.label") + ": " + provenance.md_escape(shown or tr("data.marking_nothing"))
    box = st.expander(label, icon=":material/lock:", key="mark_open", on_change="rerun")
    if not box.open:
        return  # the form is built only while it is open
    with box:
        if len(current):
            st.caption(tr("data.marking_set"))
        elif shown:
            st.caption(tr("data.marking_default"))
        else:
            st.caption(tr("data.marking_none"))
        _marking_fields(current)


def _marking_fields(current) -> None:
    """The marking's form: its text in both languages and a note; saving makes a new version."""
    with st.form("marking_form", border=False):
        row = current.iloc[0] if len(current) else None
        for key, column in (("mark_nl", "marking_nl"), ("mark_en", "marking_en")):
            default = row[column] if row is not None else i18n.t("marking.default", column[-2:])
            st.text_input(tr(f"data.{column}"), value=default, max_chars=120, key=key)
        st.text_input(
            tr("data.marking_note"), value=(row["note"] or "") if row is not None else "", max_chars=200, key="mark_note"
        )
        buttons = st.container(horizontal=True)
        buttons.form_submit_button(tr("data.marking_save"), icon=":material/lock:", on_click=_save_marking, args=(True,))
        if row is not None:
            buttons.form_submit_button(
                tr("data.marking_remove"), icon=":material/lock_open:", on_click=_save_marking, args=(False,)
            )


def _save_marking(keep: bool) -> None:
    """Form callback: the marking as typed (``keep``), or none."""
    ss = st.session_state
    if keep:
        datamgmt.set_marking(ss.get("mark_nl", ""), ss.get("mark_en", ""), ss.get("mark_note", ""))
    else:
        datamgmt.set_marking("", "", "")
    for key in ("mark_nl", "mark_en", "mark_note"):
        ss.pop(key, None)  # the form shows the new version's marking


def _old_versions() -> None:
    """Old versions kept on disk: a data steward removes one; saved scenarios made on it ask for a confirmation."""
    versions = datamgmt.old_versions()
    ss, L = st.session_state, lang()
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
            scenarios=i18n.count(v["used_by"], "scenario", L),
            exports=i18n.count(v["exports"], "export", L),
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
        st.warning(
            tr(
                "data.version_in_use",
                version=in_use[0],
                scenarios=i18n.count(in_use[1], "scenario", L),
                exports=i18n.count(in_use[2], "export", L),
            ),
            icon=":material/bookmarks:",
        )
        st.checkbox(tr("data.version_confirm"), key="ver_confirm")


def _audit_tab(L: str) -> None:
    """Who changed the data, signed in or was refused, newest first; the whole trail as a download."""
    st.markdown(tr("data.audit_intro"))
    trail = datamgmt.audit_trail()
    export_panel.offer(
        st.container(),
        "audit_csv",
        tr("data.audit_download", n=i18n.count(len(trail), "entry", L)),
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
