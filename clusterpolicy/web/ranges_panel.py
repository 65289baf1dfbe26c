"""The scenario page's ranges section: every compared scenario over the same draws, as fans, chances and sentences.

Nothing is simulated unless the section is open (``sc_view=ranges`` in the link, also in presenter
mode). Its settings live in the link: each range as ``sc_u_<parameter>=lo~hi`` in the editor's
units (percentage points, years, a number), the seed as ``sc_seed``, the section's ceiling as
``sc_uceil`` (million euro, 0 = the scenarios' own). A view with the section open carries the fans,
the chance per year, the sentences and both tables into every export and the presenter's deck.
"""

from __future__ import annotations

import functools

import streamlit as st

from clusterpolicy import i18n
from clusterpolicy.data import provenance
from clusterpolicy.model import paramspec, uncertainty
from clusterpolicy.present import ranges as words
from clusterpolicy.present.charts import ranges as fans
from clusterpolicy.web import chartview, export_panel, links, presenter
from clusterpolicy.web.data import derived
from clusterpolicy.web.run import lang, presenting, tr


def _key(spec: paramspec.Spec) -> str:
    return f"sc_u_{spec.name}"


def _grid(spec: paramspec.Spec) -> tuple:
    """The offsets a range's ends may take, in the editor's units: from -widest to +widest on the range's step."""
    widest, step = spec.to_display(spec.uncertain.widest), spec.to_display(spec.uncertain.step)
    n = int(round(widest / step))
    return tuple(int(k * step) if spec.whole else round(k * step, 4) for k in range(-n, n + 1))


@functools.cache
def _settings() -> tuple[tuple[str, tuple, float, tuple], ...]:
    """(link key, default, widest, grid) of every range, in the editor's units: worked out once per process
    (declared on every run of the page, they cost 1.5 ms a run when worked out each time)."""
    return tuple(
        (
            _key(spec),
            (spec.to_display(spec.uncertain.lo), spec.to_display(spec.uncertain.hi)),
            spec.to_display(spec.uncertain.widest),
            _grid(spec),
        )
        for spec in paramspec.UNCERTAIN
    )


def declare() -> None:
    """The section's settings in the link (every run, so a link keeps them while another section is shown)."""
    links.url_param("sc_seed", uncertainty.DEFAULT_SEED, "int", lo=1, hi=uncertainty.MAX_SEED)
    links.url_param("sc_uceil", 0.0, "float", lo=0.0, hi=10_000.0)
    for key, default, widest, grid in _settings():
        links.url_param(key, default, "span", lo=-widest, hi=widest, choices=grid)


def current() -> tuple[uncertainty.Ranges, list[str]]:
    """The ranges the reader set (a range that is not allowed replaced by its default), and why each was replaced."""
    ss = st.session_state
    ranges = uncertainty.Ranges.default(seed=int(ss.get("sc_seed") or uncertainty.DEFAULT_SEED))
    refused = []
    for spec in paramspec.UNCERTAIN:
        lo, hi = (spec.from_display(v) for v in ss.get(_key(spec)) or (0, 0))
        problem = spec.uncertain.problem(lo, hi, spec.unit)
        if problem:
            label = paramspec.label(spec, lang(), with_unit=False)
            refused.append(tr("ranges.invalid", parameter=label, problem=problem.text(lang())))
            continue
        ranges = ranges.with_span(spec.name, lo, hi)
    return ranges, refused


def ceiling() -> float | None:
    """The section's own yearly ceiling in euros (None: the scenarios' own)."""
    value = st.session_state.get("sc_uceil") or 0.0
    return round(float(value) * 1e6, 2) if value > 0 else None


def _reset() -> None:
    for key, default, _, _ in _settings():
        st.session_state[key] = default
    st.session_state["sc_seed"] = uncertainty.DEFAULT_SEED


def _editor() -> None:
    """A range slider per uncertain parameter and the seed (built only while the expander is open)."""
    box = st.expander(tr("ranges.edit"), icon=":material/tune:", key="sc_uedit", on_change="rerun")
    if not box.open:
        return
    L = lang()
    with box:
        st.caption(tr("ranges.edit_intro"))
        cols = st.columns(2)
        for i, spec in enumerate(paramspec.UNCERTAIN):
            unit = tr(
                "ranges.unit_points" if not spec.whole else "ranges.unit_years" if spec.unit == "year" else "ranges.unit_count"
            )
            # a slider, not a select slider: its thumbs move by the keyboard (a select slider's range did not, in
            # Chromium); its format is C's, so the ends read "-1.25" on a Dutch page too
            widest, step = spec.to_display(spec.uncertain.widest), spec.to_display(spec.uncertain.step)
            cols[i % 2].slider(
                paramspec.label(spec, L, with_unit=False),
                min_value=-widest,
                max_value=widest,
                step=step,
                format="%+d" if spec.whole else "%+.2f",
                key=_key(spec),
                help=tr("ranges.slider_help", unit=unit),
            )
        row = st.container(horizontal=True, vertical_alignment="bottom")
        row.number_input(
            tr("ranges.seed_label"),
            min_value=1,
            max_value=uncertainty.MAX_SEED,
            step=1,
            key="sc_seed",
            width=260,
            help=tr("ranges.seed_help"),
        )
        row.button(tr("ranges.reset"), key="sc_ureset", icon=":material/restart_alt:", on_click=_reset)


def section(base, chosen: list, cal: str, measure: str, source_ids: list[str]) -> None:
    """The section: settings, the sentence per scenario, the chances, the chance per year and a fan per scenario."""
    L, P = lang(), presenting()
    ranges, refused = current()
    limit = ceiling()
    if not P:
        st.subheader(tr("ranges.title"))
        st.markdown(tr("ranges.intro", n=i18n.num(ranges.draws, L)))
        st.info(tr("ranges.honest"), icon=":material/info:")
    if not P:  # in presenter mode the costs section's control is in the deck's settings
        st.segmented_control(
            tr("scenarios.measure"),
            uncertainty.MEASURES,
            format_func=lambda m: i18n.t(f"scenarios.measure_{m}", L),
            key="sc_measure",
        )
    with presenter.controls():
        st.number_input(
            tr("ranges.ceiling"),
            min_value=0.0,
            max_value=10_000.0,
            step=0.5,
            format="%.2f",
            key="sc_uceil",
            width=360,
            help=tr("ranges.ceiling_help"),
        )
    if not P:
        _editor()
    for text in refused:
        st.warning(text, icon=":material/warning:")
    key = ("ranges", [p.to_dict() for p in chosen], cal, ranges.spans, ranges.seed, ranges.draws, measure, limit)
    outlook = derived(key, lambda: words.simulate(base, chosen, ranges, measure, limit))
    # every figure here rests on the base's sources and on the ranges' (illustrative by default)
    ids = [*source_ids, *ranges.sources()]
    note = words.note(ranges, L)
    made = derived(
        ("ranges_words", key, L), lambda: (words.headlines(outlook, L), words.chances(outlook, L), words.used(ranges, L))
    )
    headlines, chances, used = made
    export_panel.add_table(chances)
    export_panel.add_table(used)
    export_panel.add_headlines(headlines)
    if not P:
        for h in headlines:
            st.markdown(
                f"**{provenance.md_escape(h.label)}: {provenance.md_escape(h.value)}.** {provenance.md_escape(h.note)}".replace(
                    "−", "−\u2060"
                )
            )
        st.dataframe(chances.shown, hide_index=True, key="sc_chances")
    # every chart here carries the illustrative mark: the default ranges are illustrative, and a reader's own
    # are assumptions as well
    if any(s.has_ceiling for s in outlook.sims):
        said = tr("ranges.ceiling_said", amount=i18n.eur_millions(limit, L, 2)) if limit else ""
        chartview.show_chart(lambda: fans.chance_by_year(outlook.sims, L, True, note, said), "sc_chance", ids, deps=(key,))
    elif not P:
        st.info(tr("ranges.no_ceiling_chart"), icon=":material/info:")
    for i, sim in enumerate(outlook.sims):
        chartview.show_chart(
            lambda i=i, sim=sim: fans.fan(sim, i, L, True, note, words.lead(outlook, i, L)), f"sc_fan_{i}", ids, deps=(key, i)
        )
