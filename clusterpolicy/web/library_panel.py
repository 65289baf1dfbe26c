"""The team library in the page: saved scenarios next to the presets, short links, and the library's panel.

Saved scenarios join the page's scenario choice under ids ``lib_<id>``. A link's ``?s=<id>`` (once or
several times) opens them, archived ones included (marked so); an unknown id leaves a notice. The
panel saves a custom scenario of this session with a name and a note, lists the library, and for the
chosen entry shows its short link and revisions and offers compare, duplicate, rename, a new
revision and archive; the library module refuses what the user's role does not allow.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from clusterpolicy import i18n
from clusterpolicy.data import appstate, library, provenance
from clusterpolicy.data.access import PermissionDenied
from clusterpolicy.model import paramspec, scenarios
from clusterpolicy.present import tables
from clusterpolicy.web import auth, links
from clusterpolicy.web.data import data_version, derived
from clusterpolicy.web.links import page_url
from clusterpolicy.web.run import lang, state, tr

PREFIX = library.PAGE_PREFIX
_LISTING: dict = {}


def saved_all() -> list[library.Saved]:
    """Every saved scenario, archived ones included, read again only when the library has changed (once a run)."""
    memo = state().memo
    if "library" not in memo:
        stamp = appstate.stamp()
        if _LISTING.get("stamp") != stamp:
            _LISTING["items"] = library.listing(include_archived=True)
            _LISTING["stamp"] = stamp
        memo["library"] = _LISTING["items"]
    return memo["library"]


def library_id(sid: str) -> str:
    return PREFIX + sid


def load(base: scenarios.Base) -> tuple[dict[str, scenarios.ScenarioParams], dict[str, library.Saved]]:
    """The saved scenarios this page offers, by page id: the library's current entries and any the link named.

    On the session's first visit, the link's ``s=`` ids are read: each known one joins the offer
    (archived or not) and, when the link has no ``sc=``, the comparison; an unknown one leaves a
    notice. A scenario that no longer validates is offered with what still holds, with a notice.
    """
    ss = st.session_state
    if "_s_read" not in ss:
        ss["_s_read"] = True
        linked = []
        for sid in st.query_params.get_all("s")[: links.MAX_COMPARED]:
            found = library.find(sid)
            if found is None:
                ss.setdefault("_notices", []).append(("s", [sid]))
            else:
                linked.append(found.id)
        ss["_linked_saved"] = linked
        if linked and "sc" not in st.query_params:
            ids = [library_id(s) for s in linked]
            ss["sc"] = (["continuation"] if len(ids) == 1 else []) + ids
    wanted = set(ss.get("_linked_saved", [])) | {s.removeprefix(PREFIX) for s in ss.get("sc", []) if s.startswith(PREFIX)}
    offered: dict[str, scenarios.ScenarioParams] = {}
    by_id: dict[str, library.Saved] = {}
    for saved in saved_all():
        if saved.archived and saved.id not in wanted:
            continue
        # validated once per revision and served data version, not on every rerun
        params, dropped = derived(
            ("library_usable", saved.id, saved.current_revision, saved.changed_at),
            lambda saved=saved: library.usable(saved, tuple(base.cluster_ids)),
        )
        if dropped and saved.id in wanted:
            ss.setdefault("_lib_dropped", {})[saved.id] = dropped
        offered[library_id(saved.id)] = params
        by_id[library_id(saved.id)] = saved
    return offered, by_id


def label(saved: library.Saved) -> str:
    """How a saved scenario is named where scenarios are picked: name, author, and the archive mark."""
    text = f"{saved.name} · {saved.author}"
    return text + f" ({tr('library.archived_mark')})" if saved.archived else text


def notices() -> None:
    """Saved scenarios that opened without some of their parameters (the model changed since)."""
    L = lang()
    for sid, dropped in st.session_state.pop("_lib_dropped", {}).items():
        names = [paramspec.label(paramspec.BY_NAME[p], L) if p in paramspec.BY_NAME else p for p in dropped]
        st.warning(
            tr("library.dropped", id=provenance.md_escape(sid), params=provenance.md_escape(", ".join(names))),
            icon=":material/rule:",
        )


def short_link(sid: str) -> str:
    return page_url("scenarios") + f"?s={sid}"


# ---------------------------------------------------------------- callbacks (the library checks the role)


def _report(message_key: str, **values) -> None:
    st.session_state["_lib_message"] = (message_key, values)


def _guarded(action):
    def run(*args):
        try:
            action(*args)
        except PermissionDenied:
            _report("library.denied")
        except library.LibraryError as exc:
            _report(f"library.err_{exc.code}", **exc.values)

    return run


def _add_to_comparison(page_id: str) -> None:
    links.add_to_comparison(page_id)


@_guarded
def _save(custom_id: str, custom: dict) -> None:
    ss = st.session_state
    params = replace(scenarios.ScenarioParams.from_dict(custom[custom_id]), name=ss.get("lib_new_name", ""))
    saved = library.save_new(auth.actor(), params, ss.get("lib_new_note", ""), data_version())
    _add_to_comparison(library_id(saved.id))
    ss["lib_pick"] = library_id(saved.id)
    _report("library.saved", name=saved.name)


@_guarded
def _duplicate(page_id: str) -> None:
    source = library.get(page_id.removeprefix(PREFIX))
    copy = library.duplicate(
        auth.actor(), source.id, tr("library.copy_name", name=source.name)[: library.MAX_NAME], data_version()
    )
    st.session_state["lib_pick"] = library_id(copy.id)
    _report("library.duplicated", name=copy.name)


@_guarded
def _rename(page_id: str) -> None:
    ss = st.session_state
    saved = library.revise(
        auth.actor(),
        page_id.removeprefix(PREFIX),
        data_version=data_version(),
        name=ss.get("lib_edit_name", ""),
        note=ss.get("lib_edit_note", ""),
    )
    _report("library.revised", name=saved.name, revision=saved.revision)


@_guarded
def _new_parameters(page_id: str, custom: dict) -> None:
    custom_id = st.session_state.get("lib_from_custom")
    if custom_id not in custom:
        return
    current = library.get(page_id.removeprefix(PREFIX))
    params = replace(scenarios.ScenarioParams.from_dict(custom[custom_id]), name=current.name)
    saved = library.revise(auth.actor(), current.id, data_version=data_version(), params=params)
    _report("library.revised", name=saved.name, revision=saved.revision)


@_guarded
def _archive(page_id: str, archived: bool) -> None:
    saved = library.set_archived(auth.actor(), page_id.removeprefix(PREFIX), archived)
    _report("library.archived" if archived else "library.unarchived", name=saved.name)


# ---------------------------------------------------------------- the panel


def panel(by_id: dict[str, library.Saved], custom: dict, base: scenarios.Base) -> None:
    """The library's panel (drawn only while its expander is open)."""
    ss = st.session_state
    L = lang()
    who = auth.actor()
    message = ss.pop("_lib_message", None)
    if message:
        key, values = message
        values = {k: provenance.md_escape(str(v)) for k, v in values.items()}
        (st.error if key == "library.denied" or key.startswith("library.err_") else st.success)(tr(key, **values))

    st.markdown("**" + tr("library.save_title") + "**")
    if not custom:
        st.caption(tr("library.save_needs_custom"))
    else:
        names = {cid: d["name"] for cid, d in custom.items()}
        chosen = st.selectbox(tr("library.save_which"), list(custom), format_func=names.get, key="lib_save_from")
        if ss.get("_lib_name_for") != chosen:
            ss["lib_new_name"], ss["_lib_name_for"] = names[chosen][: library.MAX_NAME], chosen
        st.text_input(tr("library.name"), max_chars=library.MAX_NAME, key="lib_new_name")
        st.text_area(tr("library.note"), max_chars=library.MAX_NOTE, key="lib_new_note", height=80)
        st.button(
            tr("library.save"),
            type="primary",
            icon=":material/bookmark_add:",
            key="lib_save",
            on_click=_save,
            args=(chosen, custom),
        )

    st.markdown("**" + tr("library.list_title") + "**")
    show_archived = st.toggle(tr("library.show_archived"), key="lib_show_archived")
    entries = [s for s in saved_all() if show_archived or not s.archived]
    if not entries:
        st.caption(tr("library.empty"))
        return
    st.dataframe(tables.library_list(entries, L), hide_index=True, key="lib_table")
    page_ids = [library_id(s.id) for s in entries]
    if ss.get("lib_pick") not in page_ids:  # first the compared one from the library, else the newest
        ss["lib_pick"] = next((s for s in ss.get("sc", []) if s in page_ids), page_ids[0])
    labels = {library_id(s.id): label(s) for s in entries}
    pick = st.selectbox(tr("library.pick"), page_ids, format_func=labels.get, key="lib_pick")
    saved = next(s for s in entries if library_id(s.id) == pick)
    st.markdown(
        tr(
            "library.details",
            author=provenance.md_escape(saved.author),
            revision=saved.current_revision,
            changed=saved.changed_at[:16].replace("T", " "),
            version=provenance.md_escape(saved.data_version),
        )
        # each line of the note on a line of its own (a Markdown line break: two spaces before it)
        + ("\n\n> " + provenance.md_escape(saved.note).replace("\n", "  \n> ") if saved.note else "")
    )
    st.code(short_link(saved.id), language=None)
    row = st.container(horizontal=True)
    row.button(
        tr("library.compare"), key="lib_compare", icon=":material/compare_arrows:", on_click=_add_to_comparison, args=(pick,)
    )
    row.button(tr("library.duplicate"), key="lib_duplicate", icon=":material/content_copy:", on_click=_duplicate, args=(pick,))
    editable = library.may_edit(who, saved)
    if editable:
        row.button(
            tr("library.unarchive" if saved.archived else "library.archive"),
            key="lib_archive",
            icon=":material/inventory_2:",
            on_click=_archive,
            args=(pick, not saved.archived),
        )
        with st.form("lib_edit_form", border=True):
            ss.setdefault("lib_edit_name", saved.name)
            if ss.get("_lib_edit_for") != (pick, saved.current_revision):
                ss["lib_edit_name"], ss["lib_edit_note"] = saved.name, saved.note
                ss["_lib_edit_for"] = (pick, saved.current_revision)
            st.text_input(tr("library.name"), max_chars=library.MAX_NAME, key="lib_edit_name")
            st.text_area(tr("library.note"), max_chars=library.MAX_NOTE, key="lib_edit_note", height=80)
            st.form_submit_button(tr("library.rename"), on_click=_rename, args=(pick,))
        if custom:
            names = {cid: d["name"] for cid, d in custom.items()}
            line = st.container(horizontal=True, vertical_alignment="bottom")
            line.selectbox(tr("library.from_custom"), list(custom), format_func=names.get, key="lib_from_custom")
            line.button(tr("library.new_revision"), key="lib_new_revision", on_click=_new_parameters, args=(pick, custom))
    else:
        st.caption(tr("library.not_yours", author=provenance.md_escape(saved.author)))
    revisions = library.revisions(saved.id)
    st.dataframe(tables.library_revisions(revisions, L), hide_index=True, key="lib_revisions")
    # any revision's parameters, as they were saved (earlier revisions stay readable)
    numbers = [int(r) for r in revisions["revision"]]
    if ss.get("lib_rev") not in numbers:
        ss["lib_rev"] = numbers[0]
    shown = st.selectbox(
        tr("library.view_revision"), numbers, format_func=lambda n: i18n.t("library.revision_n", L, n=n), key="lib_rev"
    )
    old = library.get(saved.id, shown)
    params, _ = library.usable(old, tuple(base.cluster_ids))
    # the parameter's name beside its value (the frame's index, a column here)
    st.dataframe(tables.scenario_parameters([params], base, L).reset_index(), hide_index=True, key="lib_rev_params")
