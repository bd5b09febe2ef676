"""Choropleth maps of the programme figures (pure: no Streamlit).

A map is built in three steps, so that each runs only when its own inputs change:

- `map_geometry()` reads the boundaries of one level inside an area for a year (with the district
  outlines, the provinces around and the archipelagos) and simplifies them for the initial view;
- `map_figures()` reads the figures of those units (filters restrict the communes counted);
- `label_map()` runs no query: indicator values, classes and colours, title, legend, tooltips, labels
  and the ranked table in one language, the selected unit outlined. It returns a `MapView`.

`build_map()` chains the three. `to_deck()` turns a `MapView` into a `pydeck.Deck` with no basemap
(offline-safe); basemap tiles are an option (`NTM_BASEMAP_TILES`).

A unit feature's properties are what the tooltip and the click handler need:

    {"code": "610", "name": "Huyện Đắk Glei", "fill": [r, g, b, a], "v": "12,30%", "h": "4.531", …}

and `MapView.tooltip` is the text template that those short fields fill ("{name} ({code})\n…").

Rules: boundaries uploaded by users (non-schematic) win over schematic ones for the same
system/level/code; the Hoàng Sa and Trường Sa archipelagos are drawn and labelled on every map that
shows the country; tooltips are plain text (`{"text": …}`), never HTML; simplification never drops a
unit.
"""

from __future__ import annotations

import gc
import itertools
import json
import math
import os
import re
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import quote

import numpy as np
import pandas as pd
import pydeck as pdk
import shapely
from pydeck.bindings.json_tools import default_serialize

from ntm.store import geo
from ntm.text import fmt_number, fmt_percent, fmt_pp, language, status_label, t
from ntm.read.geography import map_figures, mountainous_districts, read_boundaries
from ntm.read.scope import NATIONAL, Scope
from ntm.domain.rules import STATUS_LADDER
from ntm.domain.metrics import METRICS
from ntm.domain.units import LEVELS

RGB = tuple[int, int, int]

NO_DATA_COLOUR: RGB = (190, 190, 190)
CONTEXT_FILL = (244, 244, 242, 255)
CONTEXT_LINE = (150, 150, 150, 255)
MOUNTAIN_LINE = (110, 60, 20, 255)
PLAIN_OUTLINE = (90, 90, 90, 255)
SELECTED_LINE = (20, 20, 20, 255)
UNIT_LINE = (255, 255, 255, 230)
ARCHIPELAGO_FILL = (120, 120, 120, 255)
ARCHIPELAGO_LINE = (60, 60, 60, 255)

# ColorBrewer palettes (colour-blind safe sequential / diverging schemes), by the names metrics use.
PALETTES: dict[str, tuple[RGB, ...]] = {
    "YlOrRd": ((255, 255, 178), (254, 217, 118), (254, 178, 76), (253, 141, 60), (240, 59, 32), (189, 0, 38)),
    "Greens": ((237, 248, 233), (186, 228, 179), (116, 196, 118), (49, 163, 84), (0, 109, 44)),
    "Oranges": ((254, 237, 222), (253, 190, 133), (253, 141, 60), (230, 85, 13), (166, 54, 3)),
    "Purples": ((242, 240, 247), (203, 201, 226), (158, 154, 200), (117, 107, 177), (84, 39, 143)),
    "RdYlGn": ((26, 152, 80), (145, 207, 96), (217, 239, 139), (255, 255, 191), (252, 141, 89),
               (215, 48, 39)),                                   # big fall … big rise
}
STATUS_COLOURS: dict[str, RGB] = {"none": (253, 212, 158), "standard": (161, 217, 155),
                                  "advanced": (65, 171, 93), "model": (0, 90, 50)}


@dataclass(frozen=True)
class LegendItem:
    """One legend class: its label, colour and number of units."""

    label: str
    colour: RGB
    count: int


@dataclass
class MapGeometry:
    """The boundaries of one map, simplified for its initial view: what `map_geometry()` reads once per
    level, year and area, whatever the indicator, filters or language (plain data, picklable)."""

    level: str
    year: int
    area_level: str                      # national / province / district / commune
    units: pd.DataFrame                  # code, name, short_name, district_code, source, is_schematic, mountainous
    shapes: list[dict]                   # GeoJSON geometry of each unit, in the order of `units`
    label_points: list[list[float]]      # a point inside each unit (for name labels)
    outlines: dict | None                # district outlines over a commune map (mountainous ones thicker)
    context: dict                        # all provinces (background)
    archipelagos: dict                   # Hoàng Sa and Trường Sa: name_vi, name_en, admin, label (position)
    view: dict                           # latitude, longitude, zoom
    sources: list[str]
    schematic: bool


@dataclass
class MapView:
    """Everything needed to draw one map and explain it in one language (plain data, picklable)."""

    level: str
    metric: str
    year: int
    lang: str
    title: str
    metric_label: str
    unit_label: str
    categorical: bool
    units: dict                          # FeatureCollection of the coloured units (code, name, fill, tooltip fields)
    tooltip: str                         # text template filled from each unit's properties (`tooltip_text`)
    emphasised: dict                     # outlines of the selected unit and, on district maps, mountainous districts
    context: dict                        # FeatureCollection of all provinces (background)
    outlines: dict | None                # district outlines over a commune map
    archipelagos: dict
    labels: list[dict]                   # position, text, size, color
    legend: list[LegendItem]
    legend_note: str
    view: dict                           # latitude, longitude, zoom
    sources: list[str]
    schematic: bool
    is_demo: bool
    table: pd.DataFrame = field(default_factory=pd.DataFrame)
    n_units: int = 0
    n_with_data: int = 0


# ---------------------------------------------------------------------------------------------
# Indicators and classes (pure)


def metric_values(figures: pd.DataFrame, metric: str, level: str) -> pd.Series:
    """The indicator for each row of `unit_figures` (float; object of statuses for commune NTM status)."""
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}")
    return METRICS[metric].values(figures, level)


def is_categorical(metric: str, level: str) -> bool:
    """Whether the indicator is a category (NTM status of communes) rather than a number."""
    return METRICS[metric].is_categorical(level)


ZERO_BREAK = 1e-9   # class limit that puts exact zeros in a class of their own


def quantile_breaks(values: np.ndarray, n: int = 5, decimals: int = 2) -> tuple[float, ...]:
    """Inner class limits splitting `values` into about `n` equal-count classes, rounded to the
    displayed decimals (duplicates dropped). When some values are exactly 0 (common for household
    flows), zeros get a class of their own and the positive values share the other n − 1."""
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    if len(values) == 0:
        return ()
    zero = bool((values == 0).any()) and values.min() >= 0
    pool = values[values > 0] if zero else values
    k = n - 1 if zero else n
    breaks: set[float] = set()
    if len(pool) and k > 1:
        qs = np.quantile(pool, np.linspace(0, 1, k + 1)[1:-1])
        breaks = {round(float(q), decimals) for q in qs}
        breaks = {b for b in breaks if b > round(float(pool.min()), decimals) and b > 0}
    if zero and len(pool):
        breaks.add(ZERO_BREAK)
    return tuple(sorted(breaks))


def classify(values: np.ndarray, breaks: tuple[float, ...]) -> np.ndarray:
    """Class index of each value (0 … len(breaks)); -1 for missing values."""
    values = np.asarray(values, dtype=float)
    idx = np.searchsorted(np.asarray(breaks, dtype=float), values, side="right")
    return np.where(np.isfinite(values), idx, -1)


def pick_colours(palette: tuple[RGB, ...], n: int) -> list[RGB]:
    """`n` colours spread over a palette (light to dark)."""
    if n <= 0:
        return []
    if n >= len(palette):
        return list(palette[:n])
    if n == 1:
        return [palette[len(palette) // 2]]
    return [palette[round(i * (len(palette) - 1) / (n - 1))] for i in range(n)]


def _decimals_needed(breaks, max_decimals: int) -> int:
    for d in range(max_decimals + 1):
        if all(abs(round(b, d) - b) < 1e-9 for b in breaks):
            return d
    return max_decimals


def class_labels(breaks: tuple[float, ...], decimals: int, lang: str) -> list[str]:
    """'< 2', '2 – < 5', …, '≥ 30' with the language's number format ('0' and '> 0 – < x' when
    zeros have their own class)."""
    if not breaks:
        return [t("ui.legend_all", lang)]
    zero = breaks[0] == ZERO_BREAK
    inner = breaks[1:] if zero else breaks
    d = _decimals_needed(inner, decimals)
    f = [fmt_number(b, lang, d) for b in inner]
    if zero:
        if not f:
            return ["0", "> 0"]
        return ["0", f"> 0 – < {f[0]}"] + [f"{a} – < {b}" for a, b in itertools.pairwise(f)] + [f"≥ {f[-1]}"]
    return [f"< {f[0]}"] + [f"{a} – < {b}" for a, b in itertools.pairwise(f)] + [f"≥ {f[-1]}"]


@dataclass(frozen=True)
class Classes:
    """The legend classes of one map: each unit's class, and each class's colour and label."""

    index: np.ndarray                  # class of each unit, -1 = no data
    colours: list[RGB]
    labels: list[str]
    note: str


def make_classes(values: pd.Series, metric: str, level: str, lang: str) -> Classes:
    """Legend classes for the values of one indicator (fixed breaks, quintiles or NTM statuses)."""
    spec = METRICS[metric]
    if spec.is_categorical(level):
        order = list(STATUS_LADDER)
        lookup = {s: i for i, s in enumerate(order)}
        index = np.array([lookup.get(v, -1) if isinstance(v, str) else -1 for v in values], dtype=int)
        return Classes(index, [STATUS_COLOURS[s] for s in order], [status_label(s, lang) for s in order], "")
    numeric = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    if spec.breaks is not None:
        breaks, note = spec.breaks, t("ui.legend_fixed", lang)
    else:
        breaks, note = quantile_breaks(numeric, 5, spec.decimals), t("ui.legend_quantile", lang)
    colours = pick_colours(PALETTES[spec.palette], len(breaks) + 1)
    return Classes(classify(numeric, breaks), colours, class_labels(breaks, spec.decimals, lang), note)


def format_value(value, metric: str, level: str, lang: str) -> str:
    """An indicator value as text with its unit ('12,34%', '+1,20 điểm %', 'Đạt chuẩn NTM')."""
    if is_categorical(metric, level):
        return status_label(value, lang) if isinstance(value, str) else t("ui.not_rural", lang)
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return t("ui.no_data", lang)
    spec = METRICS[metric]
    if spec.unit == "unit.percent":
        return fmt_percent(value, lang, spec.decimals)
    if spec.unit == "unit.pp":
        return fmt_pp(value, lang, spec.decimals)
    return f"{fmt_number(value, lang, spec.decimals)} {t(spec.unit, lang)}"


def metric_label(metric: str, level: str, lang: str) -> str:
    """Display name of an indicator at a level (NTM status above communes is a share)."""
    return t(METRICS[metric].name_key(level), lang)


def unit_label(metric: str, level: str, lang: str) -> str:
    """Display name of an indicator's unit ('%', 'điểm %', …; 'category' for NTM statuses)."""
    return t("unit.category", lang) if is_categorical(metric, level) else t(METRICS[metric].unit, lang)


# ---------------------------------------------------------------------------------------------
# Geometry helpers

def _bounds_view(bounds: tuple[float, float, float, float], width: int = 760, height: int = 600) -> dict:
    """Centre and zoom that fit lon/lat bounds in a canvas of about width × height pixels."""
    minx, miny, maxx, maxy = bounds

    def merc(lat):
        lat = max(min(lat, 85.0), -85.0)
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    dx = max(maxx - minx, 1e-3)
    dy = max(merc(maxy) - merc(miny), 1e-5)
    zoom_x = math.log2(width * 360.0 / (dx * 512.0))
    zoom_y = math.log2(height * 2 * math.pi / (dy * 512.0))
    zoom = max(1.0, min(zoom_x, zoom_y, 11.0) - 0.15)
    cy = math.degrees(math.atan(math.sinh((merc(miny) + merc(maxy)) / 2)))
    return {"latitude": round(cy, 5), "longitude": round((minx + maxx) / 2, 5), "zoom": round(zoom, 2)}


def _collection(features: list[dict]) -> dict:
    return {"type": "FeatureCollection", "features": features}


def _rgba(rgb, alpha: int = 235) -> list[int]:
    return [int(rgb[0]), int(rgb[1]), int(rgb[2]), alpha] if len(rgb) == 3 else [int(c) for c in rgb]


COORD_DECIMALS = 4     # ~11 m: the finest coordinates a map ever gets
SIMPLIFY_ZOOM_IN = 3   # simplification stays invisible this many zoom levels in from the initial view


def degrees_per_pixel(zoom: float) -> float:
    """Degrees of longitude one screen pixel spans at a deck.gl zoom (a 512-pixel world at zoom 0)."""
    return 360.0 / (512.0 * 2.0 ** zoom)


def simplification(zoom: float) -> tuple[float, int]:
    """Tolerance (degrees) and coordinate decimals for a map whose initial view has `zoom`: half a
    pixel, and a rounding step under half a pixel, at SIMPLIFY_ZOOM_IN levels closer than the view."""
    tolerance = degrees_per_pixel(zoom + SIMPLIFY_ZOOM_IN) / 2
    decimals = min(COORD_DECIMALS, max(1, math.ceil(-math.log10(tolerance))))
    return tolerance, decimals


def lighten(geoms, tolerance: float, decimals: int) -> np.ndarray:
    """Polygons simplified within `tolerance` degrees and rounded to `decimals` (all at once). Never
    drops a unit: a polygon that the simplification or rounding would flatten keeps its full outline."""
    geoms = np.asarray(geoms, dtype=object)
    if not len(geoms):
        return geoms
    light = shapely.simplify(geoms, tolerance, preserve_topology=True)
    light = shapely.transform(light, lambda xy: np.round(xy, decimals))
    lost = (shapely.is_empty(light) | (shapely.area(light) <= 0)) & (shapely.area(geoms) > 0)
    if lost.any():
        light[lost] = shapely.transform(geoms[lost], lambda xy: np.round(xy, COORD_DECIMALS))
        still = lost & (shapely.area(light) <= 0)
        light[still] = geoms[still]
    return light


def _geojson_dicts(geoms) -> list[dict]:
    """GeoJSON geometry dicts of shapely geometries."""
    if not len(geoms):
        return []
    return json.loads("[" + ",".join(shapely.to_geojson(np.asarray(geoms, dtype=object))) + "]")   # one parse


def _shapes(df: pd.DataFrame) -> np.ndarray:
    """The stored GeoJSON geometries of `read_boundaries` rows as shapely geometries."""
    return shapely.from_geojson(df["geojson"].to_numpy()) if len(df) else np.array([], dtype=object)


# ---------------------------------------------------------------------------------------------
# Building the map: boundaries (per level, year and area) + figures (per filters) + labels (per
# indicator, language and selection). The first two run the queries; the last runs none.

VIETNAM_BOUNDS = (102.1, 8.2, 117.8, 23.4)
_GC_LOCK = threading.Lock()
_GC_PAUSES = [0, True]         # builders running, whether collection was on before the first


@contextmanager
def _gc_paused():
    """Cyclic garbage collection paused while a map's tens of thousands of small lists and dicts are
    built (they hold no cycles; collections in the middle double the time). Safe across threads."""
    with _GC_LOCK:
        if _GC_PAUSES[0] == 0:
            _GC_PAUSES[1] = gc.isenabled()
            gc.disable()
        _GC_PAUSES[0] += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _GC_PAUSES[0] -= 1
            if _GC_PAUSES[0] == 0 and _GC_PAUSES[1]:
                gc.enable()


@_gc_paused()
def map_geometry(con, level: str, year: int, area: Scope = NATIONAL,
                 mountainous: frozenset[str] | set[str] | None = None) -> MapGeometry:
    """The boundaries of the units of `level` inside `area` in `year` (filters ignored), with the
    district outlines of a commune map, the provinces around, the archipelagos and the initial view;
    polygons simplified and rounded so that the difference stays invisible near the initial view.
    `mountainous`: the mountainous district codes when already known (read from `con` otherwise)."""
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}")
    area = Scope(area.level, area.code, area.name, area.province_code, area.district_code)
    polys = read_boundaries(con, level, year, area)
    mountain = mountainous_districts(con) if mountainous is None else set(mountainous)
    raw = _shapes(polys)
    arch = geo.load_archipelagos()
    arch_geoms = np.asarray(arch.geometry.to_numpy(), dtype=object)

    national_provinces = level == "province" and area.level == "national"
    bounds = tuple(shapely.total_bounds(raw)) if len(raw) else VIETNAM_BOUNDS
    if len(raw) and national_provinces:                 # the whole country: the archipelagos too
        ab = shapely.total_bounds(arch_geoms)
        bounds = (min(bounds[0], ab[0]), min(bounds[1], ab[1]), max(bounds[2], ab[2]), max(bounds[3], ab[3]))
    view = _bounds_view(bounds)
    tolerance, decimals = simplification(view["zoom"])

    units = polys[["code", "name", "short_name", "district_code", "source", "is_schematic"]].copy()
    if level == "district":
        units["mountainous"] = units["code"].isin(mountain)
    elif level == "commune":
        units["mountainous"] = units["district_code"].isin(mountain)
    else:
        units["mountainous"] = False
    points = shapely.point_on_surface(raw) if len(raw) else np.array([], dtype=object)
    label_points = [[round(p.x, 4), round(p.y, 4)] for p in points]

    outlines, outline_schematic, outline_sources = None, False, set()
    if level == "commune":
        dpolys = read_boundaries(con, "district", year, _district_area(area))
        outline_schematic = bool(dpolys["is_schematic"].any())
        outline_sources = set(dpolys["source"].dropna())
        outlines = _collection([
            {"type": "Feature",
             "properties": {"code": code,
                            "line": list(MOUNTAIN_LINE if code in mountain else PLAIN_OUTLINE),
                            "line_w": 3 if code in mountain else 1.5},
             "geometry": g}
            for code, g in zip(dpolys["code"], _geojson_dicts(lighten(_shapes(dpolys), tolerance, decimals)))])

    context = _collection([])
    if not national_provinces:                          # else the units cover it all
        # Background only: simplified for the initial view itself, not for a few zoom levels in.
        background = simplification(view["zoom"] - SIMPLIFY_ZOOM_IN)
        cpolys = read_boundaries(con, "province", year, NATIONAL)
        context = _collection([{"type": "Feature", "properties": {"code": code}, "geometry": g}
                               for code, g in zip(cpolys["code"],
                                                  _geojson_dicts(lighten(_shapes(cpolys), *background)))])

    return MapGeometry(level=level, year=year, area_level=area.level, units=units.reset_index(drop=True),
                       shapes=_geojson_dicts(lighten(raw, tolerance, decimals)), label_points=label_points,
                       outlines=outlines, context=context, archipelagos=_archipelagos(arch, tolerance, decimals),
                       view=view,
                       sources=sorted(set(polys["source"].dropna()) | outline_sources),
                       schematic=bool(polys["is_schematic"].fillna(False).any()) or outline_schematic)


def _archipelagos(arch, tolerance: float = 0.0, decimals: int = COORD_DECIMALS) -> dict:
    """The archipelagos of `geo.load_archipelagos()` as a FeatureCollection whose properties hold both
    names, the administering unit and the label position."""
    geoms = lighten(np.asarray(arch.geometry.to_numpy(), dtype=object), tolerance, decimals)
    return _collection([{"type": "Feature", "geometry": g, "properties": {
        "code": row.province_code, "name_vi": row.name, "name_en": row.name_en,
        "admin": str(getattr(row, "administered_as", "") or "").replace("Thành phố ", "TP ").replace("Tỉnh ", ""),
        "label": [float(row.label_lon), float(row.label_lat) - 0.9]}}
        for row, g in zip(arch.itertuples(), _geojson_dicts(geoms))])


LABEL_DARK = (30, 30, 30, 255)
LABEL_LIGHT = (255, 255, 255, 255)


def label_colour(fill) -> list[int]:
    """Text colour for a label drawn on `fill`: dark on light fills, white on dark ones."""
    r, g, b = fill[:3]
    return list(LABEL_LIGHT if 0.299 * r + 0.587 * g + 0.114 * b < 140 else LABEL_DARK)


def archipelago_layer_data(lang: str, archipelagos: dict | None = None) -> tuple[dict, list[dict]]:
    """The Hoàng Sa and Trường Sa archipelagos (FeatureCollection; from `MapGeometry.archipelagos`, else
    read from the bundled file) and their labels in `lang`."""
    if archipelagos is None:
        archipelagos = _archipelagos(geo.load_archipelagos())
    features, labels = [], []
    for f in archipelagos["features"]:
        p = f["properties"]
        name = p[f"name_{language(lang)}"]
        features.append({"type": "Feature", "properties": {"name": name, "code": p["code"]},
                         "geometry": f["geometry"]})
        labels.append({"position": list(p["label"]),
                       "text": t("ui.archipelago_label", lang, name=name, admin=p["admin"]), "size": 12,
                       "color": list(LABEL_DARK)})
    return _collection(features), labels


TOOLTIP_HEAD = "{name} ({code})"


def tooltip_template(lines: list[tuple[str, str, list[str | None]]]) -> tuple[str, dict[str, list[str]]]:
    """A deck.gl text template and the short per-unit fields that fill it, for tooltip lines given as
    (field, label, value of each unit or None when the unit has no such line). A line every unit has
    keeps its label in the template and only its value in a field (no field when all values are the
    same); a line only some units have goes whole into its field ('' for the others)."""
    template, fields = TOOLTIP_HEAD, {}
    for key, label, values in lines:
        present = [v is not None for v in values]
        if not any(present):
            continue
        if all(present) and len(set(values)) == 1:
            template += "\n" + label + values[0]
        elif all(present):
            template += "\n" + label + "{" + key + "}"
            fields[key] = list(values)
        else:
            template += "{" + key + "}"
            fields[key] = ["" if v is None else "\n" + label + v for v in values]
    return template, fields


def tooltip_text(view: MapView, code: str) -> str:
    """The tooltip the browser shows for a unit: the view's template filled from the unit's properties
    (as Streamlit fills a pydeck text tooltip)."""
    props = next(f["properties"] for f in view.units["features"] if f["properties"]["code"] == code)
    return re.sub(r"{(.*?)}", lambda m: str(props[m.group(1)]) if m.group(1) in props else m.group(0),
                  view.tooltip)


@_gc_paused()
def label_map(geometry: MapGeometry, figures: pd.DataFrame, *, metric: str = "poor_rate", lang: str = "vi",
              selected: str | None = None, filtered: bool = False) -> MapView:
    """The map of `metric` in `lang` from its boundaries and figures (no query): classes and colours,
    title, legend, tooltips, labels and the ranked table. `selected` is outlined; `filtered` says
    filters are active."""
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}")
    level, year = geometry.level, geometry.year
    categorical = is_categorical(metric, level)
    figures = figures.assign(value=metric_values(figures, metric, level).to_numpy())
    data = geometry.units.merge(figures, on="code", how="left")
    if categorical:
        vals = data["value"].astype(object).where(data["value"].notna(), None)
    else:
        vals = pd.to_numeric(data["value"], errors="coerce")
    classes = make_classes(vals, metric, level, lang)
    label = metric_label(metric, level, lang)
    ulabel = unit_label(metric, level, lang)

    values = [None if not isinstance(v, str) and pd.isna(v) else v for v in vals]
    texts = [format_value(v, metric, level, lang) for v in values]
    households = [None if pd.isna(h) else int(h) for h in data["households"]]
    if metric == "poor_rate_change":
        prev = t("ui.no_prev_year", lang, year=year - 1)
        texts = [prev if v is None and h is not None else s for v, h, s in zip(values, households, texts)]
    mountainous = data["mountainous"].to_numpy(dtype=bool)
    schematic = data["is_schematic"].fillna(False).to_numpy(dtype=bool)

    def line(show, text_of) -> list[str | None]:
        return [text_of(i) if show(i) else None for i in range(len(data))]

    poor, rural, recognised = data["poor"].to_numpy(), data["rural"].to_numpy(), data["recognised"].to_numpy()
    district_status = data["district_ntm"].to_numpy() if "district_ntm" in data else [None] * len(data)
    template, fields = tooltip_template([
        ("v", f"{label} {year}: ", texts),
        ("h", f"{t('ui.tt_households', lang)}: ", [None if h is None else fmt_number(h, lang) for h in households]),
        ("p", f"{t('ui.tt_poor', lang)}: ",
         line(lambda i: households[i] is not None and not pd.isna(poor[i]), lambda i: fmt_number(poor[i], lang))),
        ("r", f"{t('ui.tt_recognised', lang)}: ",
         line(lambda i: level != "commune" and not pd.isna(rural[i]) and bool(rural[i]),
              lambda i: f"{fmt_number(recognised[i], lang)}/{fmt_number(rural[i], lang)}")),
        ("d", f"{t('ui.tt_district_ntm', lang)}: ",
         line(lambda i: level == "district" and isinstance(district_status[i], str),
              lambda i: t("ui.no" if district_status[i] == "none" else "ui.yes", lang))),
        ("m", t("ui.tt_mountainous", lang), line(lambda i: mountainous[i], lambda i: "")),
        ("s", t("ui.tt_schematic", lang), line(lambda i: schematic[i], lambda i: "")),
    ])
    fills = [_rgba(classes.colours[c], 235) if c >= 0 else _rgba(NO_DATA_COLOUR, 200) for c in classes.index]
    codes, names = data["code"].tolist(), data["name"].tolist()
    features = []
    for i, (code, name, geom) in enumerate(zip(codes, names, geometry.shapes)):
        props = {"code": code, "name": name, "fill": fills[i]}
        for key, column in fields.items():
            props[key] = column[i]
        features.append({"type": "Feature", "properties": props, "geometry": geom})

    # Outlines that stand out: mountainous districts on a district map, then the selected unit.
    emphasised = [{"type": "Feature", "properties": {"code": code, "line": list(MOUNTAIN_LINE), "line_w": 3},
                   "geometry": geom}
                  for code, geom, m in zip(codes, geometry.shapes, mountainous) if level == "district" and m]
    emphasised += [{"type": "Feature", "properties": {"code": code, "line": list(SELECTED_LINE), "line_w": 4},
                    "geometry": geom} for code, geom in zip(codes, geometry.shapes) if selected and code == selected]

    arch, labels = archipelago_layer_data(lang, geometry.archipelagos)
    with_data = data["households"].notna().to_numpy()
    if level in ("province", "district") and len(data) <= 80:     # names of provinces with data, of districts
        for point, row, has, fill in zip(geometry.label_points, data.itertuples(index=False), with_data, fills):
            if level == "province" and not has:
                continue
            name = row.short_name if isinstance(row.short_name, str) else row.name
            labels.append({"position": list(point), "text": name, "size": 11, "color": label_colour(fill)})

    legend = [LegendItem(lbl, col, int((classes.index == k).sum()))
              for k, (lbl, col) in enumerate(zip(classes.labels, classes.colours))]
    no_data_key = "ui.not_rural" if categorical else ("ui.no_data_filtered" if filtered else "ui.no_data")
    legend.append(LegendItem(t(no_data_key, lang), NO_DATA_COLOUR, int((classes.index < 0).sum())))
    no_data = t("ui.no_data", lang)
    table = pd.DataFrame({
        "code": codes, "name": names,
        "value": [None if v is None or isinstance(v, str) else float(v) for v in values],
        "value_text": texts, "households": households, "mountainous": mountainous,
        "class": [classes.labels[c] if c >= 0 else no_data for c in classes.index],
    }, columns=["code", "name", "value", "value_text", "households", "mountainous", "class"])
    is_demo = bool(figures["is_demo"].fillna(False).any()) if len(figures) else False
    title_key = "ui.map_title_cat" if categorical else "ui.map_title"
    title = t(title_key, lang, metric=label, unit=ulabel, level=t(f"ui.by_level.{level}", lang), year=year)
    return MapView(level=level, metric=metric, year=year, lang=lang, title=title, metric_label=label,
                   unit_label=ulabel, categorical=categorical, units=_collection(features), tooltip=template,
                   emphasised=_collection(emphasised), context=geometry.context, outlines=geometry.outlines,
                   archipelagos=arch, labels=labels, legend=legend, legend_note=classes.note,
                   view=dict(geometry.view), sources=list(geometry.sources), schematic=geometry.schematic,
                   is_demo=is_demo, table=table, n_units=len(data), n_with_data=int((classes.index >= 0).sum()))


def build_map(con, *, level: str, year: int, scope: Scope = NATIONAL, metric: str = "poor_rate",
              lang: str = "vi", selected: str | None = None, filtered: bool = False) -> MapView:
    """The map of `metric` for the units of `level` inside `scope` (a `FilteredScope` restricts the
    communes counted) in `year`: `map_geometry` + `map_figures` + `label_map`. `selected` is outlined;
    `filtered` says filters are active."""
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}")
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}")
    return label_map(map_geometry(con, level, year, scope), map_figures(con, level, year, scope), metric=metric,
                     lang=lang, selected=selected, filtered=filtered)


def _district_area(scope: Scope) -> Scope:
    """The area whose district outlines frame a commune map."""
    if scope.level == "commune":
        return Scope("district", scope.district_code, scope.name, scope.province_code, scope.district_code)
    return scope


# ---------------------------------------------------------------------------------------------
# Deck

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


@_gc_paused()
def to_deck(view: MapView, basemap: dict | None = None, height: int = 600):
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
        _fills("archipelagos", view.archipelagos["features"], ARCHIPELAGO_FILL, pickable=False),
        _lines("archipelago-lines", view.archipelagos["features"], ARCHIPELAGO_LINE, 2),
        # No text background: it is one more shader to prepare (~0.4 s without a GPU); `label_colour`
        # keeps a name legible on its own unit's fill instead.
        pdk.Layer("TextLayer", id="labels", data=view.labels, get_position="position",
                  get_text="text", get_size="size", size_units=PIXELS, get_color="color",
                  character_set='"auto"', font_family='"Noto Sans, DejaVu Sans, Arial, sans-serif"',
                  pickable=False),
    ]
    return CompactDeck(layers=[layer for layer in layers if layer is not None],
                       initial_view_state=pdk.ViewState(**view.view, pitch=0, bearing=0),
                       tooltip={"text": view.tooltip}, height=height, **basemap)
