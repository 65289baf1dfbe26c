"""Plotly figure builders: frames in, ``go.Figure`` out, no Streamlit and no queries.

Built with graph_objects (Plotly Express costs 25-50 ms a figure). Every figure is sized for a
meeting-room screen (16 px text, 22 px titles), uses the colour-blind-safe Okabe-Ito palette with a
second cue (dashes, markers, patterns or direct labels) so no series depends on colour alone, and
carries a visible mark on the figure itself when any value in it is illustrative.
"""

from __future__ import annotations

import contextlib
import functools
import html
import json
import textwrap
import threading

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.basedatatypes import BaseFigure
from plotly.colors import get_colorscale
from plotly.io.json import to_json_plotly

from . import i18n
from .i18n import t

# Okabe-Ito, without its yellow (too faint on white for lines and labels)
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#999999")
DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot", "solid", "dash")
PATTERNS = ("", "/", ".", "x", "-", "|", "+", "\\")
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "star", "cross", "hexagon")
COMPONENT_COLOURS = {"basic_eur": "#0072B2", "cluster_projects_eur": "#E69F00", "intercluster_eur": "#009E73"}
COMPONENT_PATTERNS = {"basic_eur": "", "cluster_projects_eur": "/", "intercluster_eur": "."}
FONT_SIZE = 16
TITLE_SIZE = 22
# Plotly does not wrap text: titles and subtitles are broken into lines that fit a chart about
# 560 px wide (a 1024 px projector with the sidebar open); at 1500 px a subtitle of 100 characters
# used to run out of the figure at 1024 px and a wrapping legend covered it
TITLE_CHARS = 46
SUBTITLE_CHARS = 70
ILLUSTRATIVE_NAME = "illustrative-mark"


def _e(text) -> str:
    """Text from data or users, made literal for Plotly (which would otherwise render <b>, <br> and links)."""
    return html.escape(str(text), quote=False)


def _plain(x):
    """Undo _e for exports: slides, workbooks and CSV show the text itself."""
    return html.unescape(x) if isinstance(x, str) else x


def plain_text(text: str | None) -> str:
    """A title or label of a figure as an export shows it: lines broken for the screen joined again, _e undone."""
    return html.unescape((text or "").replace("<br>", " "))


# beyond these counts a chart shows the largest items and groups the rest, so it stays readable at EU scale
MAX_STACKED = 12
MAX_ROWS = 20
MAX_NODES = 25
MAX_TIMELINE = 40


def _lump(
    df: pd.DataFrame, label_col: str, value_col: str, keep: int, other_label: str, sum_cols: list[str], by: list[str]
) -> pd.DataFrame:
    """Keep the ``keep`` labels with the largest total, sum the others into one row per ``by`` group."""
    totals = df.groupby(label_col)[value_col].sum()
    if len(totals) <= keep + 1:
        return df
    top = set(totals.nlargest(keep).index)
    lumped = df.assign(**{label_col: df[label_col].where(df[label_col].isin(top), other_label)})
    return lumped.groupby([label_col, *by], as_index=False)[sum_cols].sum()


def _money_scale(max_value: float) -> tuple[float, str]:
    """Divisor and unit key for a money axis: millions above EUR 10 M, plain euros below."""
    return (1e6, "unit.eur_m") if max_value >= 1e7 else (1.0, "unit.eur")


def _merge(into: dict, update: dict) -> dict:
    """Plotly's update semantics on plain dicts: nested dicts merge, everything else replaces."""
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value
    return into


def _titled(props: dict) -> dict:
    """An axis title given as text, in the form Plotly's validation gives it (the page draws drafts unvalidated)."""
    if isinstance(props.get("title"), str):
        props = {**props, "title": {"text": props["title"]}}
    return props


class _Draft:
    """A figure put together as plain dicts, then validated once by ``go.Figure``.

    Each ``add_*``/``update_*`` call on a ``go.Figure`` validates and copies on its own (1-2.5 ms a
    call; a chart made a dozen of them); Plotly's maintainers advise plain dicts where speed
    matters (plotly.py #1052). The methods mirror the ``go.Figure`` ones the builders use, with
    nested dicts instead of Plotly's underscore shorthand.
    """

    def __init__(self):
        self.data: list[dict] = []
        self.layout: dict = {}

    def _trace(self, kind: str, props: dict) -> _Draft:
        self.data.append({"type": kind, **props})
        return self

    def add_bar(self, **props) -> _Draft:
        return self._trace("bar", props)

    def add_scatter(self, **props) -> _Draft:
        return self._trace("scatter", props)

    def add_heatmap(self, **props) -> _Draft:
        return self._trace("heatmap", props)

    def update_layout(self, **props) -> _Draft:
        _merge(self.layout, props)
        return self

    def update_xaxes(self, **props) -> _Draft:  # the builders draw one x axis
        _merge(self.layout.setdefault("xaxis", {}), _titled(props))
        return self

    def update_yaxes(self, **props) -> _Draft:
        _merge(self.layout.setdefault("yaxis", {}), _titled(props))
        return self

    def add_annotation(self, **props) -> _Draft:
        self.layout.setdefault("annotations", []).append(props)
        return self

    def add_vline(self, x, line: dict) -> _Draft:
        """A vertical line across the plot at ``x``, as ``go.Figure.add_vline`` draws it."""
        shape = {"type": "line", "x0": x, "x1": x, "xref": "x", "y0": 0, "y1": 1, "yref": "y domain", "line": line}
        self.layout.setdefault("shapes", []).append(shape)
        return self

    def figure(self) -> go.Figure:
        return go.Figure(data=self.data, layout=self.layout)


# Plotly's own Blues as explicit stops: Plotly.js has a different scale under the same name
BLUES = get_colorscale("Blues")

# The shared look as a Plotly template, validated once: applying the same styling with
# update_layout validated every property again and cost 13 ms a chart, most of a figure's build.
TEMPLATE = go.layout.Template(
    layout={
        # the dashboard's own typeface (Streamlit serves "Source Sans"), so charts read as part of the page
        "font": {"size": FONT_SIZE, "family": '"Source Sans", "Source Sans Pro", Arial, sans-serif', "color": "#1a1a1a"},
        "title": {
            "font": {"size": TITLE_SIZE, "weight": "bold"},
            "x": 0.01,
            "xanchor": "left",
            "xref": "container",
            "yref": "container",
            "yanchor": "top",
            "subtitle": {"font": {"size": FONT_SIZE - 2, "color": "#333"}},
        },
        "legend": {
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.01,
            "x": 0,
            "xanchor": "left",
            "font": {"size": FONT_SIZE - 1},
            "title": {"text": ""},
        },
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "hoverlabel": {"font": {"size": FONT_SIZE}},
        "xaxis": {
            "showgrid": False,
            "linecolor": "#888",
            "ticks": "outside",
            "automargin": True,
            "tickfont": {"size": FONT_SIZE - 1},
        },
        "yaxis": {"gridcolor": "#e5e5e5", "zerolinecolor": "#888", "automargin": True, "tickfont": {"size": FONT_SIZE - 1}},
    }
)


def _style(fig: _Draft, title: str, subtitle: str | None, lang: str, illustrative: bool, height: int = 480) -> go.Figure:
    """Shared look: readable fonts, localised separators, title and subtitle, the illustrative mark.

    Turns the draft into a Plotly figure, validated once.
    """
    title, subtitle = _wrapped(title, TITLE_CHARS), _wrapped(subtitle or "", SUBTITLE_CHARS)
    top = _title_height(title, subtitle, TITLE_SIZE, FONT_SIZE - 2)
    height += top - _title_height("", "", TITLE_SIZE, FONT_SIZE - 2)  # lines beyond one title and one subtitle line
    fig.update_layout(
        template=TEMPLATE,
        title={"text": title, "subtitle": {"text": subtitle}, "y": _title_y(title, TITLE_SIZE, height)},
        separators=i18n.PLOTLY_SEPARATORS[lang],
        height=height,
        margin={"l": 10, "r": 30, "t": top + 12, "b": 128 if illustrative else 50, "autoexpand": True},
        meta={"illustrative": illustrative, "lang": lang},
    )
    entries = [tr for tr in fig.data if tr.get("name") and tr.get("showlegend") is not False and tr["type"] != "heatmap"]
    if len(entries) > 5:
        # a long legend in a column on the right, level with the top of the plot
        fig.update_layout(legend={"orientation": "v", "x": 1.01, "xanchor": "left", "y": 1, "yanchor": "top"})
    else:
        # under the subtitle, placed from the top of the figure: when it wraps onto more lines on a
        # narrow screen it pushes the plot down instead of climbing over the subtitle
        fig.update_layout(legend=_legend_under_title(top, height))
    right_aligned = any(tr.get("orientation") == "h" for tr in fig.data)
    if illustrative:
        # centred below the axis title (which sits up to 68 px under the plot), inside the bottom margin,
        # so it never hides a tick label or the title
        fig.add_annotation(
            name=ILLUSTRATIVE_NAME,
            text="⚠ " + t("chart.illustrative_mark", lang),
            xref="paper",
            yref="paper",
            # centred under the plot: a narrow plot (a heat map with long row labels at 1024 px)
            # cut off a mark that started at its left edge. Horizontal bars have their labels on
            # the left, so their plot can be narrower than the mark: there it ends where the plot
            # ends and reaches left under the labels.
            x=1 if right_aligned else 0.5,
            y=0,
            xanchor="right" if right_aligned else "center",
            yanchor="top",
            yshift=-80,
            showarrow=False,
            font={"size": FONT_SIZE, "color": "#6b3300"},
            bgcolor="#fff4e0",
            bordercolor="#D55E00",
            borderwidth=1,
            borderpad=5,
        )
    return Drawn(fig) if getattr(_drafting, "on", False) else fig.figure()


_drafting = threading.local()


def _wrapped(text: str, width: int) -> str:
    """Text broken into lines of at most ``width`` characters (at spaces), joined with Plotly's <br>."""
    return "<br>".join(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False))


def _two_lines(label: str, longer_than: int) -> str:
    """A label of several words longer than ``longer_than`` on two lines, broken at the space nearest its middle."""
    if len(label) <= longer_than or " " not in label:
        return label
    spaces = [i for i, ch in enumerate(label) if ch == " "]
    cut = min(spaces, key=lambda i: abs(i - len(label) / 2))
    return label[:cut] + "<br>" + label[cut + 1 :]


def _heatmap_labels_on_two_lines(fig, columns: list[str], rows: list[str]) -> None:
    """Column labels over 10 characters and row labels over 24 on two lines: Plotly turns column labels
    that do not fit on their side (into the mark below), and long row labels took half a narrow heat map."""
    fig.update_xaxes(tickmode="array", tickvals=columns, ticktext=[_two_lines(c, 10) for c in columns])
    _rows_on_two_lines(fig, rows)


def _rows_on_two_lines(fig, rows: list[str]) -> None:
    """Category labels on the y axis over 24 characters on two lines, so they leave the plot room at 1024 px."""
    fig.update_yaxes(tickmode="array", tickvals=rows, ticktext=[_two_lines(r, 24) for r in rows])


def _title_height(title: str, subtitle: str, title_size: int, subtitle_size: int) -> int:
    """Pixels from the top of the figure to the bottom of the subtitle, for titles made by _wrapped.

    Measured in Chromium: Plotly starts the subtitle one title line further down for each line
    the title has beyond its first (it counts the lowering done by _title_y twice).
    """
    extra = title.count("<br>")
    sublines = subtitle.count("<br>") + 1
    return round(_title_gap(title_size) - 1 + (1 + 2 * extra) * title_size * 1.3 + sublines * subtitle_size * 1.4 + 6)


def _title_gap(title_size: int) -> float:
    """Pixels above the title: 7 at the page's size; more for the presenter's 32 px, whose glyphs
    rose 2-3 px above the figure with 7 (measured in Chromium)."""
    return 7 + max(0, title_size - TITLE_SIZE) * 0.5


def _title_y(title: str, title_size: int, height: int) -> float:
    """The title's y (container): Plotly hangs the lines of a title above its last one, so a title
    of two lines is set one line lower to keep its first line inside the figure."""
    return 1 - (_title_gap(title_size) + title.count("<br>") * title_size * 1.3) / height


def _legend_under_title(top: int, height: int) -> dict:
    return {"yref": "container", "y": 1 - (top + 4) / height, "yanchor": "top"}


def _arrays(value):
    """Columns as numpy arrays and text arrays as lists, types Plotly's writer takes without a cleaning pass."""
    if isinstance(value, dict):
        return {k: _arrays(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_arrays(v) for v in value]
    if isinstance(value, (pd.Series, pd.Index)):
        value = value.to_numpy()
    if isinstance(value, np.ndarray) and value.dtype == object:
        return value.tolist()
    return value


@functools.cache
def _template_json() -> dict:
    """TEMPLATE in plain JSON types, as a validated figure writes it."""
    return json.loads(to_json_plotly(TEMPLATE.to_plotly_json()))


@contextlib.contextmanager
def drafts():
    """Within this block (on this thread) the builders return a ``Drawn`` chart instead of a ``go.Figure``."""
    before = getattr(_drafting, "on", False)
    _drafting.on = True
    try:
        yield
    finally:
        _drafting.on = before


class Drawn:
    """A built chart as the JSON the browser draws, with Plotly's validated figure made on first use.

    Validating a figure in ``go.Figure`` is most of the cost of building it (about 7 ms of a chart's
    9 ms); the page only needs the JSON, so the validated figure is left to what needs it: the
    exports, the presenter deck, the table read off its traces. A test checks that every chart the
    pages draw validates and that its JSON is the validated figure's.
    """

    def __init__(self, draft: _Draft):
        self._draft = draft
        self._figure: go.Figure | None = None
        # The template goes in as JSON written once and the columns as arrays: a template object or a
        # pandas Series sent Plotly's writer down its slow path, cleaning every value (1 ms a chart).
        layout = {**draft.layout, "template": _template_json()} if "template" in draft.layout else draft.layout
        self.prepared = PreparedFigure.of_spec({"data": _arrays(draft.data), "layout": layout})

    def figure(self) -> go.Figure:
        if self._figure is None:
            self._figure = self._draft.figure()
        return self._figure


def has_illustrative_mark(fig: go.Figure | dict) -> bool:
    """Whether a figure (or its JSON dict) carries the on-chart illustrative mark."""
    layout = fig["layout"] if isinstance(fig, dict) else fig.to_plotly_json()["layout"]
    return any(a.get("name") == ILLUSTRATIVE_NAME for a in layout.get("annotations", []))


def _hover(values, lang: str) -> list[str]:
    return [i18n.eur(v, lang) for v in values]


# ---------------------------------------------------------------- overview


def basic_funding_by_year(df: pd.DataFrame, lang: str, illustrative: bool) -> go.Figure:
    """Stacked bars: the public basic subsidy per year, one segment per cluster, members' share as a line."""
    fig = _Draft()
    n_clusters = df["cluster_name"].nunique()
    df = _lump(
        df,
        "cluster_name",
        "public_eur",
        MAX_STACKED - 1,
        t("chart.other_clusters", lang, n=n_clusters - MAX_STACKED + 1),
        ["public_eur", "member_eur"],
        ["year"],
    )
    years = sorted(df["year"].unique())
    # one column per cluster, one row per year (missing years empty): one reshape, not one per cluster
    wide = df.pivot(index="year", columns="cluster_name", values="public_eur").reindex(years).sort_index(axis=1)
    for i, name in enumerate(wide.columns):
        public = wide[name]
        name = _e(name)
        fig.add_bar(
            x=years,
            y=public.fillna(0) / 1e3,
            name=name,
            # past eight clusters the colours repeat, so the pattern shifts: no two series look alike
            marker={
                "color": PALETTE[i % len(PALETTE)],
                "pattern": {"shape": PATTERNS[(i + i // len(PALETTE)) % len(PATTERNS)], "solidity": 0.5},
            },
            customdata=_hover(public, lang),
            hovertemplate="%{x}: %{customdata}<extra>" + name + "</extra>",
        )
    members = df.groupby("year")["member_eur"].sum().reindex(years)
    fig.add_scatter(
        x=years,
        y=members / 1e3,
        name=t("overview.members_cofinancing", lang),
        mode="lines+markers",
        line={"color": "#000", "dash": "dash", "width": 3},
        marker={"symbol": "diamond", "size": 10},
        customdata=_hover(members, lang),
        hovertemplate="%{x}: %{customdata}<extra></extra>",
    )
    # legend top-down in the same order as the stack
    fig.update_layout(barmode="stack", legend={"traceorder": "reversed"})
    fig.update_yaxes(title=t("unit.eur_k", lang), tickformat=",.0f")
    fig.update_xaxes(dtick=1)
    return _style(fig, t("overview.chart_basic_title", lang), t("overview.chart_basic_subtitle", lang), lang, illustrative)


def _tint(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def earmarked_by_year(df: pd.DataFrame, kinds: dict[str, str], lang: str) -> go.Figure:
    """Envelopes per year; published amounts as solid bars, illustrative ones hatched, each with its own legend entry."""
    fig = _Draft()
    illustrative_any = False
    for j, envelope in enumerate(("cluster_projects", "intercluster_projects")):
        part = df[df["envelope"] == envelope]
        colour = PALETTE[j]
        is_illus = part["source_id"].map(lambda s: kinds.get(s) == "illustrative")
        illustrative_any |= bool(is_illus.any())
        for illus, rows in ((False, part[~is_illus]), (True, part[is_illus])):
            if rows.empty:
                continue
            kind = t("chart.illustrative_short" if illus else "chart.published_short", lang)
            name = f"{t(f'envelope.{envelope}', lang)} ({kind})"
            fig.add_bar(
                x=rows["year"],
                y=rows["amount_eur"] / 1e6,
                name=name,
                offsetgroup=envelope,
                marker={
                    "color": _tint(colour, 0.18) if illus else colour,
                    "line": {"color": colour, "width": 2},
                    "pattern": {"shape": "/" if illus else "", "fgcolor": colour, "solidity": 0.45},
                },
                customdata=_hover(rows["amount_eur"], lang),
                hovertemplate="%{x}: %{customdata}<extra>" + name + "</extra>",
            )
    fig.update_layout(barmode="group")
    fig.update_yaxes(title=t("unit.eur_m", lang), tickformat=",.0f")
    fig.update_xaxes(dtick=1)
    return _style(
        fig, t("overview.chart_earmarked_title", lang), t("overview.chart_earmarked_subtitle", lang), lang, illustrative_any
    )


def cluster_timeline(clusters: pd.DataFrame, kinds: dict[str, str], last_year: int, lang: str) -> go.Figure:
    """A bar per cluster from recognition to end (or today); an inferred end is marked as such."""
    fig = _Draft()
    total = len(clusters)
    # many clusters: the most recently recognised ones, the rest counted in the subtitle
    df = clusters.sort_values(["recognised_year", "name"], ascending=[False, True]).head(MAX_TIMELINE)
    df = df.sort_values(["type", "recognised_year", "name"], ascending=[False, False, False])
    inferred_any = False
    for typ, colour, text_colour in (("spearhead", PALETTE[0], "white"), ("ibn", PALETTE[1], "black")):
        part = df[df["type"] == typ]
        if part.empty:
            continue
        end = part["ended_year"].fillna(last_year).astype(int)
        inferred = [(not pd.isna(e)) and kinds.get(s) != "published" for e, s in zip(part["ended_year"], part["ended_source_id"])]
        inferred_any |= any(inferred)
        labels = [
            f"{int(r)}–{int(e) if not pd.isna(e) else t('overview.now', lang)}" + (" *" if inf else "")
            for r, e, inf in zip(part["recognised_year"], part["ended_year"], inferred)
        ]
        fig.add_bar(
            y=[_e(n) for n in part["name"]],
            x=end - part["recognised_year"] + 1,
            base=part["recognised_year"] - 0.5,
            orientation="h",
            name=t(f"cluster_type.{typ}", lang),
            marker={"color": colour},
            text=labels,
            textposition="inside",
            insidetextanchor="start",
            constraintext="none",  # keep the period labels at full size instead of shrinking them to the bar
            textfont={"color": text_colour, "size": FONT_SIZE - 1},
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    fig.update_xaxes(dtick=1, title=t("unit.year", lang), range=[df["recognised_year"].min() - 0.7, last_year + 0.7])
    fig.update_yaxes(gridcolor="rgba(0,0,0,0)")
    subtitle = t("overview.chart_timeline_subtitle", lang)
    if total > len(df):
        subtitle += " " + t("chart.showing", lang, shown=len(df), total=total)
    if inferred_any:
        subtitle += " " + t("overview.timeline_inferred_note", lang)
    return _style(fig, t("overview.chart_timeline_title", lang), subtitle, lang, False, height=440)


# ---------------------------------------------------------------- scenarios


def scenario_cost_lines(results: list, measure: str, lang: str, illustrative: bool) -> go.Figure:
    """Public cost per year, a line per scenario (direct labels at the end); the ceiling as a red line."""
    fig = _Draft()
    max_value = max(float(r.years[measure].max()) for r in results) if results else 0
    div, unit = _money_scale(max_value)
    for i, r in enumerate(results):
        y = r.years
        fig.add_scatter(
            x=y["year"],
            y=y[measure] / div,
            name=_e(r.params.name),
            mode="lines+markers",
            line={"color": PALETTE[i % len(PALETTE)], "dash": DASHES[i % len(DASHES)], "width": 4},
            marker={"symbol": SYMBOLS[i % len(SYMBOLS)], "size": 11},
            customdata=_hover(y[measure], lang),
            hovertemplate="%{x}: %{customdata}<extra>" + _e(r.params.name) + "</extra>",
        )
    ceilings = [r for r in results if r.params.ceiling_eur is not None and measure == "total_eur"]
    for r in ceilings[:1]:
        fig.add_scatter(
            x=r.years["year"],
            y=r.years["ceiling_eur"] / div,
            name=t("scenarios.ceiling", lang),
            mode="lines",
            line={"color": "#D55E00", "dash": "dot", "width": 3},
            hovertemplate="%{x}: " + i18n.eur(r.params.ceiling_eur, lang) + "<extra></extra>",
        )
    fig.update_yaxes(title=t(unit, lang), tickformat=",.1f" if div > 1 else ",.0f", rangemode="tozero")
    fig.update_xaxes(dtick=1)
    return _style(
        fig, t(f"scenarios.chart_lines_title_{measure}", lang), t("scenarios.chart_lines_subtitle", lang), lang, illustrative
    )


def scenario_components(results: list, year: int | None, lang: str, illustrative: bool) -> go.Figure:
    """Stacked bars per scenario: basic operation, cluster projects, inter-cluster projects (one year or cumulated)."""
    from .scenarios import COMPONENTS

    names = [_e(r.params.name) for r in results]
    values = {}
    for comp in COMPONENTS:
        if year is None:
            values[comp] = [float(r.years[comp].sum()) for r in results]
        else:
            values[comp] = [float(r.years.loc[r.years["year"] == year, comp].sum()) for r in results]
    totals = np.sum([values[c] for c in COMPONENTS], axis=0) if results else []
    div, unit = _money_scale(max(totals) if len(totals) else 0)
    fig = _Draft()
    for comp in COMPONENTS:
        fig.add_bar(
            y=names,
            x=np.array(values[comp]) / div,
            name=t(f"component.{comp}", lang),
            orientation="h",
            marker={"color": COMPONENT_COLOURS[comp], "pattern": {"shape": COMPONENT_PATTERNS[comp], "solidity": 0.5}},
            customdata=_hover(values[comp], lang),
            hovertemplate="%{y}: %{customdata}<extra>" + t(f"component.{comp}", lang) + "</extra>",
        )
    fig.add_scatter(
        y=names,
        x=np.array(totals) / div,
        mode="text",
        text=[i18n.eur_millions(v, lang) for v in totals],
        textposition="middle right",
        showlegend=False,
        hoverinfo="skip",
        textfont={"size": FONT_SIZE},
    )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title=t(unit, lang), tickformat=",.0f", range=[0, (max(totals) / div * 1.25) if len(totals) else 1])
    fig.update_yaxes(autorange="reversed")
    when = t("scenarios.cumulated", lang) if year is None else str(year)
    return _style(
        fig,
        t("scenarios.chart_components_title", lang, when=when),
        t("scenarios.chart_components_subtitle", lang),
        lang,
        illustrative,
        height=140 + 90 * max(1, len(results)),
    )


def scenario_difference(cmp: pd.DataFrame, lang: str, illustrative: bool) -> go.Figure:
    """Cumulative difference of each scenario against the baseline, split by component, and what members must add."""
    from .scenarios import COMPONENTS

    others = cmp.iloc[1:]
    fig = _Draft()
    cols = [f"diff_{c}" for c in COMPONENTS] + ["diff_members_eur"]
    max_abs = float(others[cols].abs().max().max()) if len(others) else 0.0
    div, unit = _money_scale(max_abs)
    labels = {f"diff_{c}": t(f"component.{c}", lang) for c in COMPONENTS}
    labels["diff_members_eur"] = t("scenarios.members_extra", lang)
    colours = {f"diff_{c}": COMPONENT_COLOURS[c] for c in COMPONENTS} | {"diff_members_eur": "#CC79A7"}
    patterns = {f"diff_{c}": COMPONENT_PATTERNS[c] for c in COMPONENTS} | {"diff_members_eur": "x"}
    for col in cols:
        fig.add_bar(
            y=[_e(n) for n in others["scenario"]],
            x=others[col] / div,
            name=labels[col],
            orientation="h",
            marker={"color": colours[col], "pattern": {"shape": patterns[col], "solidity": 0.5}},
            text=[i18n.eur_millions(v, lang, 2) if abs(v) >= 5e4 else "" for v in others[col]],
            textposition="outside",
            textfont={"size": FONT_SIZE - 2},
            # Plotly shrinks text to the bar's thickness by default: with four bars a scenario and the
            # legend on four lines (1024 px with the sidebar open) the amounts came out at 6 px
            constraintext="none",
            cliponaxis=False,
            customdata=_hover(others[col], lang),
            hovertemplate="%{y}: %{customdata}<extra>" + labels[col] + "</extra>",
        )
    fig.update_layout(barmode="group", bargap=0.25)
    lo = float(others[cols].min().min()) / div if len(others) else 0.0
    hi = float(others[cols].max().max()) / div if len(others) else 1.0
    pad = 0.3 * max(hi - lo, 1e-9)
    fig.update_xaxes(
        title=t(unit, lang),
        tickformat=",.1f" if div > 1 else ",.0f",
        zeroline=True,
        zerolinewidth=2,
        range=[min(lo, 0) - pad, max(hi, 0) + pad],
    )
    fig.update_yaxes(autorange="reversed")
    baseline = _e(cmp.iloc[0]["scenario"]) if len(cmp) else ""
    return _style(
        fig,
        t("scenarios.chart_diff_title", lang, baseline=baseline),
        t("scenarios.chart_diff_subtitle", lang),
        lang,
        illustrative,
        height=230 + 170 * max(1, len(others)),
    )


def basic_by_cluster(result, lang: str, illustrative: bool) -> go.Figure:
    """Basic subsidy per cluster and year in one scenario as a heat map with the amount in each cell.

    Several clusters sit at the cap, where lines would hide each other; a labelled grid keeps every
    value readable and does not depend on colour.
    """
    df = result.clusters
    n_clusters = df["cluster_name"].nunique()
    df = _lump(
        df,
        "cluster_name",
        "public_eur",
        MAX_ROWS - 1,
        t("chart.other_clusters", lang, n=n_clusters - MAX_ROWS + 1),
        ["public_eur"],
        ["year"],
    )
    grid = df.pivot_table(index="cluster_name", columns="year", values="public_eur", aggfunc="sum")
    grid = grid.sort_index(ascending=False)
    years = [int(y) for y in grid.columns]
    values = grid.to_numpy() / 1e3
    fig = _Draft().add_heatmap(
        z=values,
        x=years,
        y=[_e(n) for n in grid.index],
        colorscale=BLUES,
        zauto=False,
        zmin=0,
        zmax=float(np.nanmax(values)) if np.isfinite(values).any() else 1.0,
        text=[[i18n.num(v, lang) if np.isfinite(v) else "" for v in row] for row in values],
        texttemplate="%{text}",
        textfont={"size": FONT_SIZE - 1},
        customdata=[[i18n.eur(v * 1e3, lang) if np.isfinite(v) else "" for v in row] for row in values],
        hovertemplate="%{y}, %{x}: %{customdata}<extra></extra>",
        colorbar={"title": {"text": t("unit.eur_k", lang), "side": "right"}, "thickness": 14},
        xgap=2,
        ygap=2,
    )
    fig.update_xaxes(dtick=1, showline=False, ticks="")
    fig.update_yaxes(showgrid=False)
    return _style(
        fig,
        t("scenarios.chart_clusters_title", lang, scenario=_e(result.params.name)),
        t("scenarios.chart_clusters_subtitle", lang, cap=i18n.eur(result.params.cap_eur, lang)),
        lang,
        illustrative,
        height=200 + 46 * max(1, len(grid)),
    )


def cluster_change(results: list, lang: str, illustrative: bool) -> go.Figure:
    """Per cluster: cumulative change in basic subsidy against the baseline (who loses most)."""
    base = results[0].clusters.groupby("cluster_name")["public_eur"].sum()
    fig = _Draft()
    order = None
    ends = [0.0]
    for i, r in enumerate(results[1:], start=1):
        cum = r.clusters.groupby("cluster_name")["public_eur"].sum()
        diff = cum.reindex(base.index.union(cum.index)).fillna(0) - base.reindex(base.index.union(cum.index)).fillna(0)
        if order is None:
            # the clusters that change most (losers first); at EU scale the rest are left out
            order = diff.reindex(diff.abs().sort_values(ascending=False).index[:MAX_ROWS]).sort_values().index.tolist()
        diff = diff.reindex(order)
        ends += [float(diff.min()) / 1e3, float(diff.max()) / 1e3]
        fig.add_bar(
            y=[_e(n) for n in order],
            x=diff.to_numpy() / 1e3,
            name=_e(r.params.name),
            orientation="h",
            showlegend=True,
            # in the axis' unit, beside the bar: written on a hatched bar the amounts were hard to read
            text=[i18n.num(v / 1e3, lang) for v in diff.to_numpy()],
            textposition="outside",
            constraintext="none",
            cliponaxis=False,
            textfont={"size": FONT_SIZE - 2},
            marker={"color": PALETTE[i % len(PALETTE)], "pattern": {"shape": ("", "/", ".", "x")[i % 4], "solidity": 0.5}},
            customdata=_hover(diff.to_numpy(), lang),
            hovertemplate="%{y}: %{customdata}<extra>" + _e(r.params.name) + "</extra>",
        )
    fig.update_layout(barmode="group")
    lo, hi = min(ends), max(ends)
    pad = 0.22 * max(hi - lo, 1e-9)  # room for the amounts beside the longest bars
    fig.update_xaxes(
        title=t("unit.eur_k", lang),
        tickformat=",.0f",
        zeroline=True,
        zerolinewidth=2,
        range=[lo - pad if lo < 0 else 0, hi + pad if hi > 0 else 0],
    )
    fig.update_yaxes(autorange="reversed")
    n = len(order or [])
    return _style(
        fig,
        t("scenarios.chart_change_title", lang, baseline=_e(results[0].params.name)),
        t("scenarios.chart_change_subtitle", lang),
        lang,
        illustrative,
        height=200 + 45 * max(n, 1) * max(1, len(results) - 1) ** 0.5,
    )


def self_financing(results: list, base_share: pd.DataFrame, lang: str, illustrative: bool) -> go.Figure:
    """Self-financing share per cluster in the base year and in each scenario's last year."""
    fig = _Draft()
    # the clusters closest to self-financing first; at EU scale only the top of that list
    base_share = base_share.sort_values("share", ascending=False).head(MAX_ROWS).sort_values("share")
    order = base_share["cluster_name"].tolist()
    fig.add_bar(
        y=[_e(n) for n in order],
        x=base_share["share"] * 100,
        name=t("scenarios.base_year", lang, year=int(base_share["year"].max())),
        orientation="h",
        marker={"color": "#999999", "pattern": {"shape": "", "solidity": 0.5}},
        text=[i18n.pct(v, lang, 0) for v in base_share["share"]],
        textposition="outside",
        hovertemplate="%{y}: %{text}<extra></extra>",
    )
    for i, r in enumerate(results):
        last = r.clusters[r.clusters["year"] == r.clusters["year"].max()].set_index("cluster_name")
        share = last["self_financing_share"].reindex(order)
        fig.add_bar(
            y=[_e(n) for n in order],
            x=share * 100,
            name=f"{_e(r.params.name)} ({int(r.params.last_year)})",
            orientation="h",
            marker={"color": PALETTE[i % len(PALETTE)], "pattern": {"shape": ("", "/", ".", "x")[i % 4], "solidity": 0.5}},
            text=[i18n.pct(v, lang, 0) for v in share],
            textposition="outside",
            hovertemplate="%{y}: %{text}<extra>" + _e(r.params.name) + "</extra>",
        )
    fig.update_layout(barmode="group")
    fig.add_vline(x=50, line={"color": "#D55E00", "dash": "dot", "width": 2})
    fig.update_xaxes(title=t("unit.pct", lang), range=[0, 112], ticksuffix="")
    fig.update_yaxes(autorange="reversed")
    return _style(
        fig,
        t("scenarios.chart_selffin_title", lang),
        t("scenarios.chart_selffin_subtitle", lang),
        lang,
        illustrative,
        height=220 + 28 * len(order) * (len(results) + 1),
    )


def tornado(sens: pd.DataFrame, scenario: str, step: float, lang: str, illustrative: bool) -> go.Figure:
    """Change in cumulative public cost when each parameter moves down (left) and up (right)."""
    df = sens.iloc[::-1]
    labels = [
        t(f"param.{p}", lang) + (f" ±{i18n.pct(step, lang, 0)}" if k == "level" else " ±1 pp")
        for p, k in zip(df["parameter"], df["kind"])
    ]
    div, unit = _money_scale(float(df[["low_eur", "high_eur"]].abs().max().max()) if len(df) else 0)
    fig = _Draft()
    fig.add_bar(
        y=labels,
        x=df["low_eur"] / div,
        name=t("scenarios.tornado_low", lang),
        orientation="h",
        marker={"color": PALETTE[0], "pattern": {"shape": "/", "solidity": 0.5}},
        customdata=_hover(df["low_eur"], lang),
        hovertemplate="%{y}: %{customdata}<extra></extra>",
    )
    fig.add_bar(
        y=labels,
        x=df["high_eur"] / div,
        name=t("scenarios.tornado_high", lang),
        orientation="h",
        marker={"color": PALETTE[1]},
        customdata=_hover(df["high_eur"], lang),
        hovertemplate="%{y}: %{customdata}<extra></extra>",
    )
    fig.update_layout(barmode="overlay")
    fig.update_xaxes(title=t(unit, lang), tickformat=",.1f" if div > 1 else ",.0f", zeroline=True, zerolinewidth=2)
    _rows_on_two_lines(fig, labels)  # parameter names run to 60 characters
    return _style(
        fig,
        t("scenarios.chart_tornado_title", lang, scenario=_e(scenario)),
        t("scenarios.chart_tornado_subtitle", lang),
        lang,
        illustrative,
        height=160 + 56 * max(1, len(df)),  # room for names on two lines
    )


# ---------------------------------------------------------------- earmarked and inter-cluster


def projects_by_theme(df: pd.DataFrame, lang: str, illustrative: bool) -> go.Figure:
    """Stacked bars: public inter-cluster project money per year, one segment per theme."""
    fig = _Draft()
    years = sorted(df["year"].unique()) if len(df) else []
    # one column per theme, one row per year: one reshape, not one per theme
    money = df.pivot(index="year", columns="theme", values="public_eur").reindex(years).fillna(0).sort_index(axis=1)
    counts = df.pivot(index="year", columns="theme", values="projects").reindex(years).fillna(0)
    for i, theme in enumerate(money.columns):
        label = i18n.theme(theme, lang)
        fig.add_bar(
            x=years,
            y=money[theme] / 1e6,
            name=label,
            marker={"color": PALETTE[i % len(PALETTE)], "pattern": {"shape": PATTERNS[i % len(PATTERNS)], "solidity": 0.5}},
            customdata=[[i18n.eur(v, lang), i18n.num(n, lang)] for v, n in zip(money[theme], counts[theme])],
            hovertemplate="%{x}: %{customdata[0]} (%{customdata[1]} "
            + t("earmarked.projects_word", lang)
            + ")<extra>"
            + label
            + "</extra>",
        )
    fig.update_layout(barmode="stack")
    fig.update_yaxes(title=t("unit.eur_m", lang), tickformat=",.1f")
    fig.update_xaxes(dtick=1)
    return _style(fig, t("earmarked.chart_themes_title", lang), t("earmarked.chart_themes_subtitle", lang), lang, illustrative)


def network_nodes(nodes: pd.DataFrame) -> pd.DataFrame:
    """The clusters the network draws: those with the largest inter-cluster budget, at most MAX_NODES."""
    return nodes.nlargest(MAX_NODES, "budget_eur")


def collaboration_network(
    nodes: pd.DataFrame, links: pd.DataFrame, lang: str, illustrative: bool, total: int | None = None
) -> go.Figure:
    """Clusters on a circle, sized by the budget of their inter-cluster projects; links weighted by joint budget."""
    fig = _Draft()
    nodes = nodes.sort_values("cluster_name")
    order = list(nodes["cluster_id"])
    node_name = {c: _e(n) for c, n in zip(nodes["cluster_id"], nodes["cluster_name"])}
    node_budget = dict(zip(nodes["cluster_id"], nodes["budget_eur"].astype(float)))
    angle = {c: np.pi / 2 - 2 * np.pi * k / max(1, len(order)) for k, c in enumerate(order)}
    pos = {c: (np.cos(a), np.sin(a)) for c, a in angle.items()}
    max_joint = float(links["joint_budget_eur"].max()) if len(links) else 1.0
    for _, link in links.iterrows():
        (x0, y0), (x1, y1) = pos[link["cluster_a"]], pos[link["cluster_b"]]
        width = 1.5 + 12 * float(link["joint_budget_eur"]) / max_joint
        text = t(
            "earmarked.link_hover",
            lang,
            a=_e(link["name_a"]),
            b=_e(link["name_b"]),
            n=int(link["projects"]),
            budget=i18n.eur(link["joint_budget_eur"], lang),
        )
        fig.add_scatter(
            x=[x0, (x0 + x1) / 2, x1],
            y=[y0, (y0 + y1) / 2, y1],
            mode="lines",
            line={"width": width, "color": "rgba(0,114,178,0.45)"},
            hoverinfo="text",
            text=[text] * 3,
            showlegend=False,
            name=f"{_e(link['name_a'])} – {_e(link['name_b'])}",
        )
    max_node = max(node_budget.values()) if node_budget else 1.0
    xs = [pos[c][0] for c in order]
    ys = [pos[c][1] for c in order]
    fig.add_scatter(
        x=xs,
        y=ys,
        mode="markers+text",
        name=t("earmarked.network_nodes", lang),
        showlegend=False,
        marker={
            "size": [18 + 42 * np.sqrt(node_budget[c] / max_node) for c in order],
            "color": PALETTE[1],
            "line": {"color": "#333", "width": 1.5},
        },
        text=[node_name[c] for c in order],
        textposition=["top center" if y >= 0 else "bottom center" for y in ys],
        textfont={"size": FONT_SIZE + 1},
        customdata=[i18n.eur(node_budget[c], lang) for c in order],
        hovertemplate="%{text}: %{customdata}<extra></extra>",
    )
    fig.update_xaxes(visible=False, range=[-1.5, 1.5])
    fig.update_yaxes(visible=False, range=[-1.45, 1.45], scaleanchor="x", scaleratio=1)
    subtitle = t("earmarked.chart_network_subtitle", lang)
    if total and total > len(order):
        subtitle += " " + t("chart.showing", lang, shown=len(order), total=total)
    return _style(fig, t("earmarked.chart_network_title", lang), subtitle, lang, illustrative, height=640)


# ---------------------------------------------------------------- KPIs


def kpi_timeseries(series: pd.DataFrame, kpi: pd.Series, lang: str, illustrative: bool) -> go.Figure:
    """Values (solid) and targets (dotted) of one KPI per cluster; published points as large outlined markers."""
    fig = _Draft()
    unit = kpi["unit"]
    scale = 1e6 if unit == "eur" else 1.0
    fmt = {"eur": lambda v: i18n.eur(v, lang), "pct": lambda v: i18n.pct(v / 100, lang), "count": lambda v: i18n.num(v, lang)}[
        unit
    ]
    # split by cluster and series in one pass (filtering each cluster's rows twice cost 4 ms a chart)
    parts = dict(list(series.groupby(["cluster_name", "series"], sort=True)))
    empty = series.iloc[:0]
    for i, name in enumerate(sorted({cluster for cluster, _ in parts})):
        values = parts.get((name, "value"), empty)
        targets = parts.get((name, "target"), empty)
        name = _e(name)
        colour = PALETTE[i % len(PALETTE)]
        hover = [
            i18n.qualified(fmt(v), q, lang) + f" ({t('kind.' + k, lang)})"
            for v, q, k in zip(values["value"], values["qualifier"], values["kind"])
        ]
        fig.add_scatter(
            x=values["year"],
            y=values["value"] / scale,
            name=name,
            mode="lines+markers",
            legendgroup=name,
            line={"color": colour, "width": 3, "dash": DASHES[i % len(DASHES)] if i >= 6 else "solid"},
            marker={
                "symbol": [
                    ("triangle-up" if q == "more_than" else "star") if k == "published" else SYMBOLS[i % len(SYMBOLS)]
                    for k, q in zip(values["kind"], values["qualifier"])
                ],
                "size": [18 if k == "published" else 8 for k in values["kind"]],
                "line": {"color": "#000", "width": [2 if k == "published" else 0 for k in values["kind"]]},
            },
            customdata=hover,
            hovertemplate="%{x}: %{customdata}<extra>" + name + "</extra>",
        )
        if len(targets):
            fig.add_scatter(
                x=targets["year"],
                y=targets["value"] / scale,
                name=f"{name} – {t('kpi.target', lang)}",
                mode="lines",
                legendgroup=name,
                line={"color": colour, "width": 2, "dash": "dot"},
                customdata=[fmt(v) for v in targets["value"]],
                hovertemplate="%{x}: " + t("kpi.target", lang) + " %{customdata}<extra>" + name + "</extra>",
            )
    axis = {"eur": t("unit.eur_m", lang), "pct": t("unit.pct", lang), "count": t("unit.count", lang)}[unit]
    fig.update_yaxes(title=axis, rangemode="tozero", tickformat=",.1f" if unit == "eur" else ",.0f")
    fig.update_xaxes(dtick=1)
    return _style(fig, _e(kpi[f"name_{lang}"]), t("kpi.chart_series_subtitle", lang), lang, illustrative)


ATTAINMENT_SCALE = [[0.0, "#D55E00"], [0.5, "#f7f7f7"], [1.0, "#0072B2"]]


def attainment_heatmap(matrix: pd.DataFrame, kpis: pd.DataFrame, year: int, lang: str, illustrative: bool) -> go.Figure:
    """Cluster x KPI: value against target in one year, the percentage written in each cell."""
    names = {k: _e(n) for k, n in zip(kpis["kpi_id"], kpis[f"name_{lang}"])}
    # KPIs as rows and clusters as columns: the long indicator names read horizontally
    # pivot, not pivot_table (its aggregation was two thirds of this chart's cost); like pivot_table,
    # leave out a KPI or a cluster without a single value
    grid = (
        matrix.drop_duplicates(["kpi_id", "cluster_name"])
        .pivot(index="kpi_id", columns="cluster_name", values="attainment")
        .dropna(how="all")
        .dropna(how="all", axis=1)
    )
    grid = grid.reindex([k for k in kpis["kpi_id"] if k in grid.index][::-1])
    z = grid.to_numpy(dtype=float)
    # "no data" on two lines fits a 50 px cell (a 1024 px projector with the sidebar open)
    no_data = t("kpi.no_data", lang).replace(" ", "<br>")
    text = [[i18n.pct(v, lang, 0) if np.isfinite(v) else no_data for v in row] for row in z]
    fig = _Draft().add_heatmap(
        z=np.clip(z, 0.5, 1.5),
        x=[_e(c) for c in grid.columns],
        y=[names[k] for k in grid.index],
        zmin=0.5,
        zmax=1.5,
        zmid=1.0,
        colorscale=ATTAINMENT_SCALE,
        text=text,
        texttemplate="%{text}",
        textfont={"size": FONT_SIZE},
        hovertemplate="%{y} · %{x}: %{text}<extra></extra>",
        xgap=3,
        ygap=3,
        colorbar={
            "title": {"text": t("kpi.attainment", lang)},
            "tickvals": [0.5, 1.0, 1.5],
            "ticktext": ["≤ 50 %", "100 %", "≥ 150 %"],
            # each label under its tick: centred on the top end, "≥ 150 %" touched the bar's title
            "ticklabelposition": "outside bottom",
            "thickness": 14,
        },
    )
    fig.update_xaxes(showline=False, ticks="")
    _heatmap_labels_on_two_lines(fig, [_e(c) for c in grid.columns], [names[k] for k in grid.index])
    fig.update_yaxes(showgrid=False)
    return _style(
        fig,
        t("kpi.chart_heatmap_title", lang, year=year),
        t("kpi.chart_heatmap_subtitle", lang),
        lang,
        illustrative,
        height=300 + 50 * max(1, len(grid)),
    )


COVERAGE_COLOURS = {"missing": "#D55E00", "illustrative": "#F5C26B", "partly": "#56B4E9", "published": "#009E73"}


def coverage_status(row: pd.Series) -> str:
    """Data status of one cluster x KPI: missing years, only illustrative, partly or fully published."""
    if row["years_with_value"] < row["active_years"]:
        return "missing"
    if row["years_published"] == 0:
        return "illustrative"
    return "published" if row["years_published"] >= row["active_years"] else "partly"


def coverage_heatmap(coverage: pd.DataFrame, kpis: pd.DataFrame, lang: str) -> go.Figure:
    """Where evaluation lacks data: per cluster and KPI, missing years, illustrative-only or published, written in each cell."""
    names = {k: _e(n) for k, n in zip(kpis["kpi_id"], kpis[f"name_{lang}"])}
    codes = {s: k for k, s in enumerate(COVERAGE_COLOURS)}
    # a few dozen cells: plain Python over the rows (pandas' reshaping cost most of this chart's 8 ms)
    cells: dict[tuple[str, str], tuple[int, str]] = {}
    for kpi_id, cluster, with_value, active, published in zip(
        coverage["kpi_id"],
        coverage["cluster_name"],
        coverage["years_with_value"],
        coverage["active_years"],
        coverage["years_published"],
    ):
        if (kpi_id, cluster) in cells:
            continue  # one cell per KPI and cluster: the first row
        if with_value < active:
            status, n = "missing", int(active - with_value)
        else:
            status = "illustrative" if published == 0 else "published" if published >= active else "partly"
            n = 0
        cells[kpi_id, cluster] = (codes[status], t(f"kpi.cell_{status}", lang, n=n), t(f"kpi.status_{status}", lang, n=n))
    clusters = sorted({cluster for _, cluster in cells})
    rows = [k for k in kpis["kpi_id"] if any((k, c) in cells for c in clusters)][::-1]
    z = np.array([[cells[k, c][0] if (k, c) in cells else np.nan for c in clusters] for k in rows], dtype=float).reshape(
        len(rows), len(clusters)
    )
    # a short label in the cell (with the colour, so the status does not rest on colour alone), the
    # full one on hover and in the data table
    text, full = (
        np.array([[cells[k, c][i] if (k, c) in cells else "" for c in clusters] for k in rows], dtype=object).reshape(
            len(rows), len(clusters)
        )
        for i in (1, 2)
    )
    n = len(COVERAGE_COLOURS)
    scale = []
    for k, colour in enumerate(COVERAGE_COLOURS.values()):
        scale += [[k / n, colour], [(k + 1) / n, colour]]
    fig = _Draft().add_heatmap(
        z=z,
        x=[_e(c) for c in clusters],
        y=[names[k] for k in rows],
        zmin=-0.5,
        zmax=n - 0.5,
        colorscale=scale,
        showscale=False,
        text=text,
        customdata=full,
        texttemplate="%{text}",
        textfont={"size": FONT_SIZE - 2},
        hovertemplate="%{y} · %{x}: %{customdata}<extra></extra>",
        xgap=3,
        ygap=3,
    )
    for status, colour in COVERAGE_COLOURS.items():
        # legend entries for the categories (a heat map has none of its own)
        fig.add_scatter(
            x=[None],
            y=[None],
            mode="markers",
            name=t(f"kpi.legend_{status}", lang),
            marker={"symbol": "square", "size": 16, "color": colour},
        )
    fig.update_xaxes(showline=False, ticks="", showgrid=False)
    _heatmap_labels_on_two_lines(fig, [_e(c) for c in clusters], [names[k] for k in rows])
    fig.update_yaxes(showgrid=False)
    return _style(
        fig,
        t("kpi.chart_coverage_title", lang),
        t("kpi.chart_coverage_subtitle", lang),
        lang,
        False,
        height=300 + 50 * max(1, len(z)),
    )


# ---------------------------------------------------------------- presenter mode and data behind a chart

PRESENTER_FONT = 22
PRESENTER_TITLE = 32
PRESENTER_SUBTITLE = 21


class PreparedFigure(BaseFigure):
    """A built figure's dict form, computed once, for ``st.plotly_chart`` to serialise on every rerun.

    ``st.plotly_chart`` turns a Plotly figure into a dict with ``to_dict()``, which deep-copies every
    trace (about 1 ms a chart here, a third of a warm rerun on a page of seven charts). A kept figure
    never changes, so its dict is made once and handed out as is. Only ``to_dict`` is provided:
    draw ``PreparedFigure.of(fig)``, export and restyle the figure itself.
    """

    def __init__(self, spec: dict):  # noqa: D107 - BaseFigure's validation is what this skips
        self.__dict__["_spec"] = spec

    @classmethod
    def of(cls, fig: go.Figure) -> PreparedFigure:
        """A validated figure, prepared."""
        return cls.of_spec(fig.to_dict())

    @classmethod
    def of_spec(cls, spec: dict) -> PreparedFigure:
        """A figure's dict in plain JSON types, so each rerun's serialisation is a single pass.

        A dict still holding object arrays (text labels, mixed bases) sends Plotly's JSON writer
        through its slow path, which walks every value to clean it, on every rerun; cleaned once
        here, the same JSON comes out directly.
        """
        return cls(json.loads(to_json_plotly(spec)))

    def to_dict(self) -> dict:
        return self._spec


def for_presenter(fig: go.Figure) -> go.Figure:
    """A copy sized for a meeting-room screen: every text at least 20 px, a taller plot."""
    big = go.Figure(fig)
    layout = big.layout
    height = max(int((layout.height or 480) * 1.35), 680)
    title = layout.title.text or ""
    top = _title_height(title, layout.title.subtitle.text or "", PRESENTER_TITLE, PRESENTER_SUBTITLE)
    big.update_layout(
        font={"size": PRESENTER_FONT},
        title={
            "font": {"size": PRESENTER_TITLE},
            "subtitle": {"font": {"size": PRESENTER_SUBTITLE}},
            "y": _title_y(title, PRESENTER_TITLE, height),
        },
        legend={"font": {"size": 21}},
        hoverlabel={"font": {"size": 21}},
        height=height,
    )
    if layout.legend.yref == "container":
        big.update_layout(legend=_legend_under_title(top, height))
    big.update_xaxes(tickfont={"size": 21}, title_font={"size": 22})
    big.update_yaxes(tickfont={"size": 21}, title_font={"size": 22})
    for ann in big.layout.annotations:
        ann.font.size = max(ann.font.size or 0, 21)
        if ann.name == ILLUSTRATIVE_NAME:
            ann.yshift = -98
    big.update_layout(margin={"t": top + 16, "b": 165 if big.layout.annotations else 70})
    for trace in big.data:
        if "textfont" in trace:
            trace.textfont.size = max(trace.textfont.size or 0, 20)
        if trace.type == "heatmap" and trace.colorbar is not None:
            trace.colorbar.tickfont = {"size": 20}
    return big


def _values(v) -> list:
    if v is None:
        return []
    return [_plain(x.item() if hasattr(x, "item") else x) for x in np.asarray(v, dtype=object).ravel()]


def _cell_text(trace, i: int, j: int) -> str | None:
    """A heat-map cell's label for the table: the full one (customdata) where the cell shows a short one."""
    labels = trace.customdata if trace.customdata is not None else trace.text
    return None if labels is None else plain_text(labels[i][j])


def figure_table(fig: go.Figure) -> pd.DataFrame:
    """The numbers a figure shows, as a long table (series, category, value): the data behind the chart.

    Values are in the figure's own unit (its axis title is the 'unit' column), so a reader of the
    table, a screen reader or a slide sees exactly what the chart shows.
    """
    rows = []
    layout = fig.layout
    for trace in fig.data:
        if trace.type == "heatmap":
            xs, ys = _values(trace.x), _values(trace.y)
            z = np.asarray(trace.z, dtype=float)
            unit = trace.colorbar.title.text if trace.colorbar and trace.colorbar.title else ""
            for i, y in enumerate(ys):
                for j, x in enumerate(xs):
                    rows.append(
                        {
                            "series": y,
                            "category": x,
                            "value": z[i][j],
                            "text": _cell_text(trace, i, j),
                            "unit": unit,
                        }
                    )
            continue
        if not trace.name or trace.showlegend is False or trace.x is None:
            continue
        horizontal = getattr(trace, "orientation", None) == "h"
        cats, vals = (_values(trace.y), _values(trace.x)) if horizontal else (_values(trace.x), _values(trace.y))
        axis = layout.xaxis if horizontal else layout.yaxis
        unit = axis.title.text if axis.title and axis.title.text else ""
        for c, v in zip(cats, vals):
            rows.append({"series": _plain(trace.name), "category": c, "value": v, "text": None, "unit": _plain(unit)})
    return pd.DataFrame(rows, columns=["series", "category", "value", "text", "unit"])
