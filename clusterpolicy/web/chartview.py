"""Drawing a chart on a page: the kept ``charts.Chart``, its source line, and the data table under it.

Every chart of a view is registered with the run (also those not drawn now), so the presenter deck
and the exports carry all of them; they read the same ``Chart`` the page drew.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import streamlit as st

from clusterpolicy import i18n
from clusterpolicy.data import provenance
from clusterpolicy.present import charts, outline
from clusterpolicy.render import report
from clusterpolicy.web import navigation
from clusterpolicy.web.data import derived, pinned, source_line
from clusterpolicy.web.run import lang, presenting, state, tr

PLOTLY_CONFIG = {
    "displaylogo": False,
    "toImageButtonOptions": {"format": "png", "scale": 2},
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
}


def source_caption(source_ids, where=None) -> None:
    """The source line in small type at full contrast (st.caption fades links below WCAG AA contrast)."""
    (where or st).markdown(":small[" + source_line(source_ids) + "]")


def kept_chart(key: str, deps, build, table=None) -> charts.Chart:
    """The chart from the process-wide store, built on a miss.

    Building a figure costs 5-15 ms, more than everything else in a rerun, so charts are kept per
    chart key, the inputs that determine them (``deps``), the language and the served data version.
    ``build`` returns a ``charts.Chart``, or (chart, table) when it makes its own table; ``table``
    (a frame or a function making one) replaces the table the builder recorded.
    """

    def make() -> charts.Chart:
        built = build()
        if isinstance(built, tuple):
            built, own = built
            return built.with_table(own)
        if table is not None:
            return built.with_table(table() if callable(table) else table)
        return built

    return derived(("chart", key, deps, lang()), make)


# at most this many profile links under a chart: at EU scale a chart naming all 2,000 clusters made the
# overview's warm rerun 64 times slower (816 ms against 13 ms)
MAX_PROFILE_LINKS = 25


def profile_links(clusters, key: str) -> None:
    """A "open a cluster's profile" menu under a chart: links to the profile of each cluster the chart names.

    ``clusters`` are (cluster_id, name) pairs, or a function returning them. The links are drawn only
    while the menu is open (opening it reruns the page): a served rerun sends every element again, and
    one link per cluster under every chart was a third of the overview's elements (18 of 49) and the
    largest part of its rerun after the charts. Past MAX_PROFILE_LINKS the rest are counted.
    """
    clusters = list(clusters() if callable(clusters) else clusters or [])
    if not clusters:
        return
    menu = st.popover(
        tr("profile.open_links"), icon=":material/badge:", type="tertiary", key=f"{key}_profiles", on_change="rerun"
    )
    if not menu.open:
        return
    for cid, name in clusters[:MAX_PROFILE_LINKS]:
        # the name comes from data: st.page_link shows a label as Markdown, so it is escaped
        menu.page_link(navigation.page("cluster"), label=provenance.md_escape(name), query_params={"c": cid})
    if len(clusters) > MAX_PROFILE_LINKS:
        menu.markdown(":small[" + tr("profile.more_links", n=i18n.num(len(clusters) - MAX_PROFILE_LINKS, lang())) + "]")


def show_chart(build, key: str, source_ids, table=None, deps=None, draw: bool = True, profiles=None) -> None:
    """Register a chart of the view and draw it with its source line and the data behind it.

    ``build`` runs only when no chart is kept for this key, ``deps`` (everything the chart depends on
    besides the data version and language) and the language. A chart registered with
    ``draw=False`` (one in a section of the page not shown now) or in presenter mode is built only
    when an export or a slide asks for it. ``profiles``, the (cluster_id, name) pairs the chart names
    (or a function returning them), become links to their profile pages under it.
    """
    item = outline.ChartItem(key, list(source_ids), pinned(lambda: kept_chart(key, deps, build, table)))
    state().charts.append(item)
    if presenting() or not draw:
        return
    chart = kept_chart(key, deps, build, table)
    st.plotly_chart(chart.prepared, key=key, width="stretch", config=PLOTLY_CONFIG, theme=None)
    source_caption(item.source_ids)
    profile_links(profiles, key)
    # The table is built only while its expander is open (opening it reruns the page): most readers
    # never open it, and converting it to Arrow on every rerun cost more than the chart itself.
    box = st.expander(tr("a11y.data_table"), icon=":material/table:", key=f"{key}_table", on_change="rerun")
    if box.open:
        box.dataframe(report.localise(chart.table, lang()), hide_index=True, key=f"{key}_data")


def show_table(deps: tuple, make, key: str, **kwargs) -> None:
    """A table that depends only on the served data and ``deps``, made and converted to Arrow once.

    ``st.dataframe`` converts a pandas frame to Arrow on every rerun (about 0.7 ms for 50 rows,
    more for the 1,000-row project list); a kept Arrow table is passed through as is.
    """
    arrow = derived(("table", key, deps, lang()), lambda: pa.Table.from_pandas(make(), preserve_index=False))
    st.dataframe(arrow, hide_index=True, key=key, **kwargs)


def fitted(df: pd.DataFrame, columns=None, widest: int = 480) -> dict:
    """Column widths (px) that hold each short text column's longest cell whole ("ca. € 202 mln", "tegenstrijdig").

    The grid sizes a column by its first rows and header only, and cuts a longer cell further down.
    """
    config = {}
    for col in columns if columns is not None else df.columns:
        texts = df[col].astype(str)
        longest = max([len(str(col)), *texts.map(len).tolist()]) if len(texts) else len(str(col))
        config[col] = st.column_config.Column(width=min(widest, 8 * longest + 32))
    return config


def sources_config() -> dict:
    """Column configuration for the source list: links clickable, notes wide."""
    url, note = tr("data.col_url"), tr("data.col_note")
    return {url: st.column_config.LinkColumn(url, width="medium"), note: st.column_config.TextColumn(note, width="large")}


def typed_config(df: pd.DataFrame) -> dict:
    """Number columns as numbers in the browser's locale; years without thousands separators."""
    config = {}
    for col in df.columns:
        if col.endswith("_eur") or col in ("value", "target"):
            config[col] = st.column_config.NumberColumn(col, format="localized")
        elif col.endswith("year"):
            config[col] = st.column_config.NumberColumn(col, format="%d")
    return config
