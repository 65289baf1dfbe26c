"""The page's renderer: a chart's spec drawn as a Plotly figure (a draft of plain dicts, validated on demand).

Every series and every heat map a page shows comes from the spec (``spec.py``), the same spec the
deck, the briefing and the workbook draw; a builder adds only what the page alone draws on top
(a label of totals, a reference line, ticks on two lines) to the draft this returns.
"""

from __future__ import annotations

from clusterpolicy.present.charts.spec import ChartSpec, Grid, Series
from clusterpolicy.present.charts.theme import FigureDraft, as_literal, merge_props, text_cells

# a bar's fill pattern as the page draws it: half the pattern's cell in its colour
PATTERN_SOLIDITY = 0.5


def _literal(values: list) -> list:
    return [as_literal(v) if isinstance(v, str) else v for v in values]


def _one_or_each(values: list | None):
    """A property of every point: one value where all are the same, the list where they differ."""
    if not values:
        return values
    return values[0] if all(v == values[0] for v in values) else values


def trace(series: Series, horizontal: bool) -> dict:
    """One series as a Plotly trace, drawn from its spec; its ``page`` properties merged over it."""
    name = as_literal(series.name)
    cats, vals = _literal(series.categories), series.values
    if series.kind == "bar":
        xy = {"y": cats, "x": vals, "orientation": "h"} if horizontal else {"x": cats, "y": vals}
        marker = {"color": _one_or_each(series.colours)}
        if series.patterns is not None:
            pattern = {"shape": _one_or_each(series.patterns), "solidity": PATTERN_SOLIDITY}
            if series.pattern_colour:
                pattern["fgcolor"] = series.pattern_colour
            marker["pattern"] = pattern
        out = {"type": "bar", **xy, "name": name, "marker": marker}
    else:
        xy = {"y": cats, "x": vals} if horizontal else {"x": cats, "y": vals}
        markers = series.symbol is not None or series.symbols is not None
        if series.kind == "points":
            mode = "markers+text" if series.labels is not None else "markers"
            out = {"type": "scatter", **xy, "name": name, "mode": mode, "marker": {"color": _one_or_each(series.colours)}}
        else:
            line = {"color": _one_or_each(series.colours), "dash": series.dash}
            out = {"type": "scatter", **xy, "name": name, "mode": "lines+markers" if markers else "lines", "line": line}
        if markers:
            out.setdefault("marker", {})["symbol"] = series.symbol if series.symbols is None else series.symbols
    if series.base is not None:
        out["base"] = series.base
    if series.labels is not None:
        out["text"] = _literal(series.labels)
    if series.hover is not None:
        axis = "%{y}" if horizontal else "%{x}"
        out["customdata"] = _literal(series.hover)
        out["hovertemplate"] = f"{axis}: %{{customdata}}<extra>{name}</extra>"
    if not series.in_legend:
        out["showlegend"] = False
    return merge_props(out, series.page)


def heatmap(grid: Grid) -> dict:
    """A heat map's trace: the values as colours, each cell's text written in it, the full text on hover,
    its scale's title and ticks on the colour bar."""
    cells = grid.page.get("text", grid.text)
    props = {
        "type": "heatmap",
        "z": grid.values,
        "x": _literal(grid.columns),
        "y": _literal(grid.rows),
        "colorscale": [list(stop) for stop in grid.scale],
        "zmin": grid.zmin,
        "zmax": grid.zmax,
        **text_cells(cells, None if grid.hover is None else _literal_cells(grid.hover)),
    }
    colorbar = {}
    if grid.scale_title:
        colorbar["title"] = {"text": as_literal(grid.scale_title)}
    if grid.scale_ticks:
        colorbar["tickvals"] = [v for v, _ in grid.scale_ticks]
        colorbar["ticktext"] = [as_literal(s) for _, s in grid.scale_ticks]
    if colorbar:
        props["colorbar"] = colorbar
    page = {k: v for k, v in grid.page.items() if k != "text"}
    return merge_props(props, page)


def _literal_cells(cells: list[list[str]]) -> list[list[str]]:
    return [[as_literal(c) for c in row] for row in cells]


def draft_of(spec: ChartSpec) -> FigureDraft:
    """The spec as the page draws it: its heat map or its series in order, the value axis titled in its unit and
    written in its number format, bars stacked, grouped or overlaid as the spec says."""
    fig = FigureDraft()
    if spec.grid is not None:
        fig.add_heatmap(**{k: v for k, v in heatmap(spec.grid).items() if k != "type"})
        for name, colour in spec.grid.legend:  # legend entries for categorical cells (a heat map has none of its own)
            fig.add_scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=as_literal(name),
                marker={"symbol": "square", "size": 16, "color": colour},
            )
    for series in spec.series:
        fig.data.append(trace(series, spec.horizontal))
    if any(s.kind == "bar" for s in spec.series):
        fig.update_layout(barmode=spec.mode)
    value, category = (fig.update_xaxes, fig.update_yaxes) if spec.horizontal else (fig.update_yaxes, fig.update_xaxes)
    axis = {}
    if spec.grid is not None:
        return fig  # a heat map's values are on its colour bar
    if spec.unit:
        axis["title"] = spec.value_title
    if spec.format.grouped:
        axis["tickformat"] = spec.format.d3
    if spec.value_range is not None:
        axis["range"] = list(spec.value_range)
    if axis:
        value(**axis)
    if spec.category_unit:
        category(title=spec.category_title)
    if spec.top_down:
        fig.update_yaxes(autorange="reversed")
    return fig
