"""A `MapView` as a deck.gl map (pydeck) with no basemap by default (offline-safe; tiles are an option,
`NTM_BASEMAP_TILES`): the provinces as background, the coloured units (pickable), borders drawn once as
line segments, district and emphasised outlines, the archipelagos and text labels. Tooltips are plain
text, never HTML."""

from __future__ import annotations

import itertools
import json
import os
from urllib.parse import quote

import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

from ntm.present.maps.geometry import MAP_HEIGHT, gc_paused
from ntm.present.maps.style import (ARCHIPELAGO_FILL, ARCHIPELAGO_LINE, CONTEXT_FILL, CONTEXT_LINE, MOUNTAIN_LINE,
                                    PLAIN_OUTLINE, SELECTED_LINE, UNIT_LINE)
from ntm.present.maps.view import MapView


def basemap_setting(value: str | None = None) -> dict:
    """Deck arguments for the basemap chosen by `NTM_BASEMAP_TILES` (default: none, offline-safe).

    '' / 0 / off: no basemap.  carto / 1 / on: Carto's light basemap.  An http(s) URL ending in
    .json: a MapLibre style.  Another http(s) URL with {z}/{x}/{y}: raster tiles.
    """
    value = (os.environ.get("NTM_BASEMAP_TILES", "") if value is None else value).strip()
    if value.lower() in ("", "0", "off", "false", "no", "none"):
        return {"map_provider": None}
    if value.lower() in ("1", "on", "true", "yes", "carto"):
        return {"map_provider": "carto", "map_style": "light"}
    if value.startswith(("http://", "https://")):
        if value.split("?")[0].endswith(".json"):
            return {"map_provider": "carto", "map_style": value}
        if "{z}" in value:
            # Streamlit accepts only a style URL (a string): hand MapLibre the style as a data: URL.
            style = {"version": 8,
                     "sources": {"tiles": {"type": "raster", "tiles": [value], "tileSize": 256}},
                     "layers": [{"id": "tiles", "type": "raster", "source": "tiles"}]}
            url = "data:application/json," + quote(json.dumps(style, separators=(",", ":")), safe="")
            return {"map_provider": "carto", "map_style": url}
    return {"map_provider": None}

UNITS_LAYER_ID = "units"

# Above this many units (a national commune map: ~10,000) each unit's own border is not drawn: the
# district outlines frame them, and only emphasised units (selected) keep a border. Thousands of
# borders cost seconds of drawing in a browser without a GPU and are invisible at that zoom.
MAX_STROKED_UNITS = 2000

# pydeck turns plain strings into JavaScript expressions; a quoted string stays a literal.
PIXELS = '"pixels"'

class CompactDeck(pdk.Deck):
    """A Deck whose JSON has no indentation (pydeck pretty-prints, which triples polygon payloads),
    written once: a deck is not changed once built, so a cached deck is not serialised again."""

    def to_json(self):
        """The deck's JSON (compact, computed on the first call)."""
        text = self.__dict__.get("_compact_json")
        if text is None:
            text = json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"))
            self.__dict__["_compact_json"] = text
        return text

def _polygons(geometry: dict) -> list:
    """The polygons (lists of rings) of a GeoJSON Polygon or MultiPolygon."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    return geometry["coordinates"] if geometry["type"] == "MultiPolygon" else []

def ring_segments(features: list[dict], seen: set | None = None) -> list[dict]:
    """The edges of the features' polygon rings as line segments ({"s": [x, y], "t": [x, y]}), an edge
    shared by two polygons once (and none already in `seen`, which collects them)."""
    seen = set() if seen is None else seen
    out = []
    for f in features:
        for polygon in _polygons(f["geometry"]):
            for ring in polygon:
                for a, b in itertools.pairwise(ring):
                    key = (a[0], a[1], b[0], b[1]) if (a[0], a[1]) <= (b[0], b[1]) else (b[0], b[1], a[0], a[1])
                    if key not in seen and a != b:
                        seen.add(key)
                        out.append({"s": a, "t": b})
    return out

def polygon_rows(features: list[dict]) -> tuple[list[dict], list[list[int]]]:
    """Deck rows for filled polygons, lighter than GeoJSON features: one row per polygon holding the
    feature's properties, its rings (`g`, not closed) and, for a feature with a `fill`, the index `k` of that colour
    in the returned palette."""
    palette: list[list[int]] = []
    index: dict[tuple, int] = {}
    rows = []
    for f in features:
        props = dict(f["properties"])
        if "fill" in props:
            fill = tuple(props.pop("fill"))
            if fill not in index:
                index[fill] = len(palette)
                palette.append(list(fill))
            props["k"] = index[fill]
        rows += [{**props, "g": [_open(ring) for ring in rings]} for rings in _polygons(f["geometry"])]
    return rows, palette

def _open(ring: list) -> list:
    """A ring without its closing point (deck.gl closes polygon rings itself)."""
    return ring[:-1] if len(ring) > 3 and ring[0] == ring[-1] else ring

def _fills(layer_id: str, features: list[dict], colour=None, **kwargs):
    """A SolidPolygonLayer filling the features with `colour`, else each with its own `fill`."""
    rows, palette = polygon_rows(features)
    # (palette)[k]: the JSON expression parser indexes a parenthesised array, not a bare one.
    fill = list(colour) if colour is not None else "(" + json.dumps(palette, separators=(",", ":")) + ")[k]"
    return pdk.Layer("SolidPolygonLayer", id=layer_id, data=rows, get_polygon="g", get_fill_color=fill,
                     filled=True, extruded=False, **kwargs)

def _lines(layer_id: str, features: list[dict], colour, width: float, seen: set | None = None):
    """A LineLayer drawing the features' borders (a far lighter shader than GeoJSON strokes, which take
    seconds to prepare in a browser without a GPU); None when there is nothing to draw."""
    data = ring_segments(features, seen)
    if not data:
        return None
    return pdk.Layer("LineLayer", id=layer_id, data=data, get_source_position="s", get_target_position="t",
                     get_color=list(colour), get_width=width, width_units=PIXELS, pickable=False)

def _by_line(features: list[dict], colour) -> list[dict]:
    return [f for f in features if tuple(f["properties"]["line"]) == tuple(colour)]

@gc_paused()
def to_deck(view: MapView, basemap: dict | None = None, height: int | None = None):
    """A `pydeck.Deck` for a `MapView`: provinces as background, the coloured units (pickable, id
    `units`), unit borders on maps of up to MAX_STROKED_UNITS units, district outlines, emphasised
    outlines (mountainous districts, the selected unit), the archipelagos, and text labels. Borders
    are line segments; tooltips a plain-text template filled from each unit's properties."""
    basemap = basemap_setting() if basemap is None else basemap
    has_tiles = basemap.get("map_provider") is not None
    units = view.units.get("features", [])
    outlines = (view.outlines or {}).get("features", [])
    emphasised = view.emphasised["features"]
    layers = [
        _fills("context", view.context["features"], CONTEXT_FILL if not has_tiles else (244, 244, 242, 90),
               pickable=False),
        _lines("context-lines", view.context["features"], CONTEXT_LINE, 1),
        _fills(UNITS_LAYER_ID, units, pickable=True, auto_highlight=True, highlight_color=[0, 0, 0, 60]),
        _lines("unit-lines", units, UNIT_LINE, 1) if len(units) <= MAX_STROKED_UNITS else None,
        _lines("district-outlines", _by_line(outlines, PLAIN_OUTLINE), PLAIN_OUTLINE, 1.5),
        _lines("mountain-outlines", _by_line(outlines, MOUNTAIN_LINE) + _by_line(emphasised, MOUNTAIN_LINE),
               MOUNTAIN_LINE, 3),
        _lines("selected", _by_line(emphasised, SELECTED_LINE), SELECTED_LINE, 4),
        _fills("archipelagos", view.archipelagos["features"], ARCHIPELAGO_FILL, pickable=False)
        if view.archipelagos["features"] else None,
        _lines("archipelago-lines", view.archipelagos["features"], ARCHIPELAGO_LINE, 2),
        # Dark names with a white halo (a signed-distance font), readable on light and dark fills; no text
        # background box (one more shader to prepare, ~0.4 s without a GPU).
        pdk.Layer("TextLayer", id="labels", data=view.labels, get_position="position",
                  get_text="text", get_size="size", size_units=PIXELS, get_color="color", get_text_anchor="anchor",
                  character_set='"auto"', font_family='"Noto Sans, DejaVu Sans, Arial, sans-serif"',
                  font_settings={"sdf": True}, outline_width=3, outline_color=[255, 255, 255, 230],
                  pickable=False),
    ]
    return CompactDeck(layers=[layer for layer in layers if layer is not None],
                       initial_view_state=pdk.ViewState(latitude=view.view["latitude"], longitude=view.view["longitude"],
                                                        zoom=view.view["zoom"], pitch=0, bearing=0),
                       tooltip={"text": view.tooltip}, height=height or view.view.get("height", MAP_HEIGHT), **basemap)
