"""A map as a static figure for images and slides: an `ntm.present.maps.MapView` drawn with plain scatter
polygons on x/y axes (no geo subplot, so no topojson from a CDN) — the units coloured by class (one legend
entry per class with its count), the provinces around, district outlines (mountainous districts thick
brown), the selected unit, the archipelagos on national maps, unit labels, and a source block that names
the boundaries and says when they are schematic and when the figures are demo data."""

from __future__ import annotations

import math
import textwrap

import plotly.graph_objects as go

from ntm.export.images import bottom_annotation
from ntm.present.charts import frame
from ntm.present.charts.frame import ChartContext
from ntm.present.maps import MapView
from ntm.present.maps.style import (ARCHIPELAGO_FILL, CONTEXT_FILL, CONTEXT_LINE, MOUNTAIN_LINE, PLAIN_OUTLINE,
                                    SELECTED_LINE)
from ntm.present.maps import source_names
from ntm.text import plotly_separators, t

VIETNAM_BOX = (102.1, 8.2, 117.8, 23.4)
MAP_HEIGHT = 900                                  # layout height of a map image (16:9 at 1600 wide)
MARGIN = dict(l=40, r=40, t=110, b=140)
LEGEND_SHARE = 0.2                                # of the figure's width, beside the map
ATTRIBUTION_CHARS = 44                            # boundary provenance wrapped to the legend's width
# A name anchored at its middle, start or end (`ntm.present.maps.placement`): centred on its point, written
# to the right of it, or to the left.
TEXT_POSITION = {"middle": "middle center", "start": "middle right", "end": "middle left"}


def _rings(geometry: dict) -> list[list]:
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    if geometry["type"] == "MultiPolygon":
        return [ring for poly in geometry["coordinates"] for ring in poly]
    return []


def _paths(features: list[dict]) -> tuple[list, list]:
    """x and y of every ring of the features, rings separated by None (one SVG path, holes included)."""
    xs, ys = [], []
    for f in features:
        for ring in _rings(f["geometry"]):
            xs += [p[0] for p in ring] + [None]
            ys += [p[1] for p in ring] + [None]
    return xs, ys


def _rgb(c) -> str:
    return f"rgb({int(c[0])}, {int(c[1])}, {int(c[2])})"


def _bounds(features: list[dict]) -> tuple[float, float, float, float] | None:
    xs, ys = _paths(features)
    xs, ys = [x for x in xs if x is not None], [y for y in ys if y is not None]
    return (min(xs), min(ys), max(xs), max(ys)) if xs else None


def _box(view: MapView) -> tuple[float, float, float, float]:
    """(x0, x1, y0, y1): the units with a small margin (the whole country with its islands when national)."""
    units = view.units["features"]
    box = _bounds(units) or VIETNAM_BOX
    if view.level == "province" and len(units) > 40:                 # the whole country: the islands too
        arch = _bounds(view.archipelagos["features"])
        if arch:
            box = (min(box[0], arch[0]), min(box[1], arch[1]), max(box[2], arch[2]), max(box[3], arch[3]))
    pad_x, pad_y = (box[2] - box[0]) * 0.04 + 0.02, (box[3] - box[1]) * 0.04 + 0.02
    return box[0] - pad_x, box[2] + pad_x, box[1] - pad_y, box[3] + pad_y


def _lines(fig: go.Figure, features: list[dict], colour, width: float, fill=None, name: str | None = None) -> None:
    """The features' rings as one trace: outlined, filled with `fill` when given, in the legend when named."""
    if not features:
        return
    xs, ys = _paths(features)
    fig.add_scatter(x=xs, y=ys, mode="lines", fill="toself" if fill else None, fillcolor=_rgb(fill) if fill else None,
                    line=dict(color=_rgb(colour), width=width), hoverinfo="skip", showlegend=name is not None,
                    name=frame.esc(name) if name else None)


def _classes(fig: go.Figure, view: MapView) -> None:
    """The units filled by class, and one legend entry per class with its number of units."""
    by_colour: dict[tuple, list] = {}
    for f in view.units["features"]:
        by_colour.setdefault(tuple(f["properties"]["fill"][:3]), []).append(f)
    for item in view.legend:
        _lines(fig, by_colour.get(tuple(item.colour), []), (255, 255, 255), 0.7, fill=item.colour)
        fig.add_scatter(x=[None], y=[None], mode="markers", name=frame.esc(f"{item.label} ({item.count})"),
                        hoverinfo="skip", marker=dict(symbol="square", size=16, color=_rgb(item.colour),
                                                      line=dict(color="#999999", width=1)))


def _outlines(fig: go.Figure, view: MapView, lang: str) -> None:
    """District outlines (mountainous ones thick brown, in the legend) and the selected unit."""
    def drawn_with(colour, features):
        return [f for f in features if tuple(f["properties"]["line"]) == tuple(colour)]

    outlines = (view.outlines or {}).get("features", [])
    emphasised = view.emphasised["features"]
    _lines(fig, drawn_with(PLAIN_OUTLINE, outlines), PLAIN_OUTLINE, 1.5)
    _lines(fig, drawn_with(MOUNTAIN_LINE, outlines) + drawn_with(MOUNTAIN_LINE, emphasised), MOUNTAIN_LINE, 3,
           name=t("ui.mountainous_outline_new" if view.geo == "new" else "ui.mountainous_outline", lang))
    _lines(fig, drawn_with(SELECTED_LINE, emphasised), SELECTED_LINE, 4)


def map_figure(view: MapView, scope_name: str | None = None, lang: str | None = None) -> go.Figure:
    """A plotly figure of a `MapView` (see the module's docstring)."""
    lang = lang or view.lang
    fig = go.Figure()
    x0, x1, y0, y1 = _box(view)

    def near(f) -> bool:
        b = _bounds([f])
        return bool(b) and b[0] < x1 and b[2] > x0 and b[1] < y1 and b[3] > y0

    _lines(fig, [f for f in view.context["features"] if near(f)], CONTEXT_LINE, 0.8, fill=CONTEXT_FILL)
    _classes(fig, view)
    _outlines(fig, view, lang)
    _lines(fig, [f for f in view.archipelagos["features"] if near(f)], (60, 60, 60), 3, fill=ARCHIPELAGO_FILL)
    labels = [lb for lb in view.labels if x0 <= lb["position"][0] <= x1 and y0 <= lb["position"][1] <= y1]
    if labels:
        fig.add_scatter(x=[lb["position"][0] for lb in labels], y=[lb["position"][1] for lb in labels],
                        mode="text", text=[frame.esc(lb["text"]).replace("\n", "<br>") for lb in labels],
                        textposition=[TEXT_POSITION[lb.get("anchor", "middle")] for lb in labels],
                        textfont=dict(size=13, color="#1E1E1E", shadow="0 0 3px #FFFFFF, 0 0 2px #FFFFFF"),
                        hoverinfo="skip", showlegend=False)                   # dark names, white halo
    ratio = 1 / max(math.cos(math.radians((y0 + y1) / 2)), 0.2)
    share = map_share(x1 - x0, (y1 - y0) * ratio)
    start = round(max(0.0, (1 - share - LEGEND_SHARE) / 2), 3)       # map and legend centred as one group
    fig.update_xaxes(range=[x0, x1], visible=False, domain=[start, start + share])
    fig.update_yaxes(range=[y0, y1], visible=False, scaleanchor="x", scaleratio=ratio, constrain="domain")
    return _layout(fig, view, scope_name, lang)


def map_share(width_units: float, height_units: float) -> float:
    """The share of the figure's width the map takes when it fills the plot's height (Vietnam is tall:
    about two fifths of a 16:9 frame), so the legend can stand right beside it."""
    plot_w = frame.EXPORT_SIZE[0] - MARGIN["l"] - MARGIN["r"]
    plot_h = MAP_HEIGHT - MARGIN["t"] - MARGIN["b"]
    return round(min(max(plot_h * width_units / max(height_units, 1e-9) / plot_w, 0.3), 1 - LEGEND_SHARE), 3)


def _layout(fig: go.Figure, view: MapView, scope_name: str | None, lang: str) -> go.Figure:
    """Title (indicator, scope), legend title and unit, and the source block under the map."""
    ctx = ChartContext(scope_name or "", (view.year,), view.is_demo)
    unit = f"{t('ui.legend', lang)}: {view.unit_label}" + (f" · {view.legend_note}" if view.legend_note else "")
    sources = ", ".join(source_names(view, lang))
    lines = []
    if view.schematic:
        lines.append("<b>" + frame.esc(t("schematic_notice", lang)) + "</b>")
    title = f"<b>{frame.esc(view.title)}</b>" + (f" — {frame.esc(scope_name)}" if scope_name else "")
    fig.update_layout(
        template="plotly_white", height=MAP_HEIGHT, width=None, font=dict(family=frame.FONT, size=14, color="#222222"),
        separators=plotly_separators(lang), margin=MARGIN,
        title=dict(text=title, x=0.01, xanchor="left", y=0.985, yanchor="top", font=dict(size=22),
                   subtitle=dict(text=frame.esc(unit), font=dict(size=14))),
        legend=dict(orientation="v", x=fig.layout.xaxis.domain[1] + 0.02, xanchor="left", y=1.0, yanchor="top",
                    bgcolor="rgba(255,255,255,0.85)",
                    bordercolor="#CCCCCC", borderwidth=1, font=dict(size=14), title_text=frame.esc(view.metric_label)),
        plot_bgcolor="#FFFFFF")
    fig.add_annotation(text="<br>".join(lines + [frame.source_text(ctx, lang)]), name="source",
                       **bottom_annotation(0, "left", yshift=-135))
    if sources:             # the boundaries' provenance beside the map, under the legend (kept on slides)
        fig.add_annotation(text="<br>".join(frame.esc(line) for line in textwrap.wrap(
                               t("ui.boundaries_from", lang, sources=sources), ATTRIBUTION_CHARS)),
                           name="attribution", xref="paper", yref="paper", x=fig.layout.legend.x, y=0,
                           xanchor="left", yanchor="bottom", align="left", showarrow=False,
                           font=dict(size=12, color="#555555"))
    return fig
