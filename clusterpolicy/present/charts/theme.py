"""What every chart shares: the look, title geometry, the draft a builder fills, and the chart object it returns.

No Streamlit and no queries. Built with graph_objects (Plotly Express costs 25-50 ms a figure).
Every figure is sized for a meeting-room screen (16 px text, 22 px titles), uses the
colour-blind-safe Okabe-Ito palette with a second cue (dashes, markers, patterns or direct labels)
so no series depends on colour alone, and carries a visible mark on the figure itself when any
value in it is illustrative.
"""

from __future__ import annotations

import html
import re
import textwrap

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import get_colorscale

from clusterpolicy import i18n

# Okabe-Ito, without its yellow (too faint on white for lines and labels)
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#999999")
DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot", "solid", "dash")
PATTERNS = ("", "/", ".", "x", "-", "|", "+", "\\")
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "star", "cross", "hexagon")
COMPONENT_COLOURS = {
    "basic_eur": "#0072B2",
    "cluster_projects_eur": "#E69F00",
    "intercluster_eur": "#009E73",
    "theme_projects_eur": "#56B4E9",
}
COMPONENT_PATTERNS = {"basic_eur": "", "cluster_projects_eur": "/", "intercluster_eur": ".", "theme_projects_eur": "-"}
FONT_SIZE = 16
TITLE_SIZE = 22
# Plotly does not wrap text: titles and subtitles are broken into lines that fit a chart about
# 560 px wide (a 1024 px projector with the sidebar open); at 1500 px a subtitle of 100 characters
# used to run out of the figure at 1024 px and a wrapping legend covered it
TITLE_CHARS = 46
SUBTITLE_CHARS = 70
ILLUSTRATIVE_NAME = "illustrative-mark"


def hex_colour(colour: str) -> str:
    """A Plotly colour as six hex digits, a translucent one laid over white ("rgba(0,114,178,0.18)" -> "D1E6F2")."""
    text = str(colour).strip()
    if text.startswith("#"):
        digits = text[1:]
        return (digits if len(digits) == 6 else "".join(ch * 2 for ch in digits[:3])).upper()
    found = re.fullmatch(r"rgba?\(([^)]*)\)", text)
    if not found:
        raise ValueError(f"not a colour this dashboard draws with: {colour!r}")
    parts = [float(x) for x in found.group(1).split(",")]
    alpha = parts[3] if len(parts) > 3 else 1.0
    return "".join(f"{round(c * alpha + 255 * (1 - alpha)):02X}" for c in parts[:3])


def as_literal(text) -> str:
    """Text from data or users, made literal for Plotly (which would otherwise render <b>, <br> and links)."""
    return html.escape(str(text), quote=False)


def unescaped_text(x):
    """Undo as_literal for exports: slides, workbooks and CSV show the text itself."""
    return html.unescape(x) if isinstance(x, str) else x


def plain_text(text: str | None) -> str:
    """A title or label of a figure as an export shows it: lines broken for the screen joined again, as_literal undone."""
    return html.unescape((text or "").replace("<br>", " "))


# beyond these counts a chart shows the largest items and groups the rest, so it stays readable at EU scale
MAX_STACKED = 12
MAX_ROWS = 20
MAX_NODES = 25
MAX_TIMELINE = 40


def lump_smallest(
    df: pd.DataFrame, label_col: str, value_col: str, keep: int, other_label: str, sum_cols: list[str], by: list[str]
) -> pd.DataFrame:
    """Keep the ``keep`` labels with the largest total, sum the others into one row per ``by`` group."""
    totals = df.groupby(label_col)[value_col].sum()
    if len(totals) <= keep + 1:
        return df
    top = set(totals.nlargest(keep).index)
    lumped = df.assign(**{label_col: df[label_col].where(df[label_col].isin(top), other_label)})
    return lumped.groupby([label_col, *by], as_index=False)[sum_cols].sum()


def cluster_places(names, every=None) -> dict[str, int]:
    """Each cluster's place in the palette, from its identity: its place in ``every`` cluster of the data, in the
    order given (``palette_order``: the active spearhead clusters first, which the pages show together most).

    A cluster then has the same colour (and pattern, dash, marker) on every chart, however many others
    a chart shows beside it; a name outside ``every`` (the lumped rest) comes after them. Without
    ``every``, the ranks among ``names`` by name.
    """
    known = list(dict.fromkeys(str(n) for n in every)) if every is not None else sorted({str(n) for n in names})
    places = {n: i for i, n in enumerate(known)}
    extra = sorted({str(n) for n in names} - set(places))
    return places | {n: len(known) + i for i, n in enumerate(extra)}


def palette_order(clusters) -> list[str]:
    """The clusters' names in the order they take the palette's colours: spearhead clusters before the innovative
    business networks, those still supported before those whose support ended, then by name. Past eight the colours
    repeat (with another dash or pattern), on clusters the pages seldom show beside the first ones."""
    rows = sorted(
        zip(clusters["type"], clusters["ended_year"], clusters["name"]),
        key=lambda r: (r[0] != "spearhead", bool(pd.notna(r[1])), str(r[2]).casefold()),
    )
    return [str(name) for _, _, name in rows]


def money_scale(max_value: float) -> tuple[float, str]:
    """Divisor and unit (a key of unit.*) for a money axis: millions above EUR 10 M, plain euros below."""
    return (1e6, "eur_m") if max_value >= 1e7 else (1.0, "eur")


def merge_props(into: dict, update: dict) -> dict:
    """Plotly's update semantics on plain dicts: nested dicts merge, everything else replaces."""
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            merge_props(into[key], value)
        else:
            into[key] = value
    return into


def _titled(props: dict) -> dict:
    """An axis title given as text, in the form Plotly's validation gives it (the page draws drafts unvalidated)."""
    if isinstance(props.get("title"), str):
        props = {**props, "title": {"text": props["title"]}}
    return props


class FigureDraft:
    """A figure put together as plain dicts, then validated once by ``go.Figure``.

    Each ``add_*``/``update_*`` call on a ``go.Figure`` validates and copies on its own (1-2.5 ms a
    call; a chart made a dozen of them); Plotly's maintainers advise plain dicts where speed
    matters (plotly.py #1052). The methods mirror the ``go.Figure`` ones the builders use, with
    nested dicts instead of Plotly's underscore shorthand.
    """

    def __init__(self):
        self.data: list[dict] = []
        self.layout: dict = {}

    def _trace(self, kind: str, props: dict) -> FigureDraft:
        self.data.append({"type": kind, **props})
        return self

    def add_bar(self, **props) -> FigureDraft:
        return self._trace("bar", props)

    def add_scatter(self, **props) -> FigureDraft:
        return self._trace("scatter", props)

    def add_heatmap(self, **props) -> FigureDraft:
        return self._trace("heatmap", props)

    def update_layout(self, **props) -> FigureDraft:
        merge_props(self.layout, props)
        return self

    def update_xaxes(self, **props) -> FigureDraft:  # the builders draw one x axis
        merge_props(self.layout.setdefault("xaxis", {}), _titled(props))
        return self

    def update_yaxes(self, **props) -> FigureDraft:
        merge_props(self.layout.setdefault("yaxis", {}), _titled(props))
        return self

    def add_annotation(self, **props) -> FigureDraft:
        self.layout.setdefault("annotations", []).append(props)
        return self

    def add_vline(self, x, line: dict) -> FigureDraft:
        """A vertical line across the plot at ``x``, as ``go.Figure.add_vline`` draws it."""
        shape = {"type": "line", "x0": x, "x1": x, "xref": "x", "y0": 0, "y1": 1, "yref": "y domain", "line": line}
        self.layout.setdefault("shapes", []).append(shape)
        return self

    def figure(self) -> go.Figure:
        return go.Figure(data=self.data, layout=self.layout)


# Plotly's own Blues as explicit stops: Plotly.js has a different scale under the same name
BLUES = get_colorscale("Blues")
ORANGES = get_colorscale("Oranges")

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


_EURO_SPACE = re.compile(r"€ (?=[\d+−-])")


def wrapped_lines(text: str, width: int) -> str:
    """Text broken into lines of at most ``width`` characters (at spaces), joined with Plotly's <br>.

    An amount keeps its currency sign: "€ 4,5 mln" is never broken after the "€".
    """
    glued = _EURO_SPACE.sub("€\u00a0", text)
    lines = textwrap.wrap(glued, width, break_long_words=False, break_on_hyphens=False)
    return "<br>".join(line.replace("\u00a0", " ") for line in lines)


def two_lines(label: str, longer_than: int) -> str:
    """A label of several words longer than ``longer_than`` on two lines, broken at the space nearest its middle."""
    if len(label) <= longer_than or " " not in label:
        return label
    spaces = [i for i, ch in enumerate(label) if ch == " "]
    cut = min(spaces, key=lambda i: abs(i - len(label) / 2))
    return label[:cut] + "<br>" + label[cut + 1 :]


def text_cells(text, hover=None, size: int = FONT_SIZE - 2, gap: int = 3) -> dict:
    """A heat map's cells as every heat map here draws them: its text written in each cell, a gap between cells,
    and a hover naming row, column and the cell's full text (``hover``, where it says more than the cell)."""
    shown = "%{customdata}" if hover is not None else "%{text}"
    return {
        "text": text,
        "texttemplate": "%{text}",
        "textfont": {"size": size},
        "hovertemplate": f"%{{y}} · %{{x}}: {shown}<extra></extra>",
        "xgap": gap,
        "ygap": gap,
        **({"customdata": hover} if hover is not None else {}),
    }


def heatmap_labels_on_two_lines(fig, columns: list[str], rows: list[str]) -> None:
    """Column labels over 10 characters and row labels over 24 on two lines: Plotly turns column labels
    that do not fit on their side (into the mark below), and long row labels took half a narrow heat map."""
    fig.update_xaxes(tickmode="array", tickvals=columns, ticktext=[two_lines(c, 10) for c in columns])
    rows_on_two_lines(fig, rows)


def rows_on_two_lines(fig, rows: list[str]) -> None:
    """Category labels on the y axis over 24 characters on two lines, so they leave the plot room at 1024 px."""
    fig.update_yaxes(tickmode="array", tickvals=rows, ticktext=[two_lines(r, 24) for r in rows])


def title_height(title: str, subtitle: str, title_size: int, subtitle_size: int) -> int:
    """Pixels from the top of the figure to the bottom of the subtitle, for titles made by wrapped_lines.

    Measured in Chromium: Plotly starts the subtitle one title line further down for each line
    the title has beyond its first (it counts the lowering done by title_y twice).
    """
    extra = title.count("<br>")
    sublines = subtitle.count("<br>") + 1
    return round(title_gap(title_size) - 1 + (1 + 2 * extra) * title_size * 1.3 + sublines * subtitle_size * 1.4 + 6)


def title_gap(title_size: int) -> float:
    """Pixels above the title: 7 at the page's size; more for the presenter's 32 px, whose glyphs
    rose 2-3 px above the figure with 7 (measured in Chromium)."""
    return 7 + max(0, title_size - TITLE_SIZE) * 0.5


def title_y(title: str, title_size: int, height: int) -> float:
    """The title's y (container): Plotly hangs the lines of a title above its last one, so a title
    of two lines is set one line lower to keep its first line inside the figure."""
    return 1 - (title_gap(title_size) + title.count("<br>") * title_size * 1.3) / height


def legend_under_title(top: int, height: int) -> dict:
    return {"yref": "container", "y": 1 - (top + 4) / height, "yanchor": "top"}


def hover_amounts(values, lang: str) -> list[str]:
    return [i18n.eur(v, lang) for v in values]
