"""A map's boundaries, read once per level, year and area and simplified for the initial view: the units'
polygons (an uploaded boundary wins over a schematic one), a point inside each for its name, the
district outlines over a commune map, the provinces around, the Hoàng Sa and Trường Sa archipelagos and
the view that fits them. Simplification never drops a unit."""

from __future__ import annotations

import gc
import json
import math
import threading
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

from ntm.domain.units import LEVELS
from ntm.present.maps.placement import label_spots
from ntm.present.maps.projection import degrees_per_pixel
from ntm.present.maps.style import MOUNTAIN_LINE, PLAIN_OUTLINE
from ntm.read.boundaries import archipelagos
from ntm.read.geography import former_districts, mountainous_districts, read_boundaries
from ntm.domain.units import default_geography
from ntm.read.scope import Scope, national


@dataclass
class MapGeometry:
    """The boundaries of one map, simplified for its initial view: what `map_geometry()` reads once per
    level, year and area, whatever the indicator, filters or language (plain data, picklable)."""

    level: str
    year: int
    area_level: str                      # national / province / district / commune
    units: pd.DataFrame                  # code, name, short_name, district_code, source, is_schematic, mountainous
    shapes: list[dict]                   # GeoJSON geometry of each unit, in the order of `units`
    label_spots: list[list[list]]        # anchors for each unit's name inside it: [lon, lat, text anchor], best first
    label_room: list[float]              # each unit's widest inner circle, radius in pixels at the initial view
    areas: list[float]                   # each unit's area in square degrees (larger units are named first)
    outlines: dict | None                # district outlines over a commune map (mountainous ones thicker)
    context: dict                        # all provinces (background)
    archipelagos: dict                   # Hoàng Sa and Trường Sa: name_vi, name_en, admin, label (position)
    view: dict                           # latitude, longitude, zoom
    sources: list[str]
    schematic: bool
    geo: str = "old"                     # the geography: on the new one, districts are former districts

# The map canvas beside its legend is 546 pixels wide on a 1280 x 720 projector (sidebar open), wider on
# larger screens: the initial view fits the area in the narrowest, so no unit is cut at its edges.
MAP_WIDTH = 540
# 600 px high whatever the area: Streamlit's deck.gl element stopped picking (hover, click to drill down)
# in a taller canvas tried for tall Vietnam.
MAP_HEIGHT = 600


def bounds_view(bounds: tuple[float, float, float, float], width: int = MAP_WIDTH, height: int = MAP_HEIGHT) -> dict:
    """Centre and zoom that fit lon/lat bounds in a canvas of width × height pixels (kept in the view,
    so labels can be kept inside it)."""
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
    return {"latitude": round(cy, 5), "longitude": round((minx + maxx) / 2, 5), "zoom": round(zoom, 2),
            "width": width, "height": height}


def collection(features: list[dict]) -> dict:
    """A GeoJSON FeatureCollection of `features`."""
    return {"type": "FeatureCollection", "features": features}

COORD_DECIMALS = 4     # ~11 m: the finest coordinates a map ever gets

SIMPLIFY_ZOOM_IN = 3   # simplification stays invisible this many zoom levels in from the initial view
MANY_UNITS = 1500      # a map of more units than this (the nation's communes) is drawn lighter: …
MANY_ZOOM_IN = 1.5     # … invisible 1.5 levels in (a click on a province opens its own, finer map)

def simplification(zoom: float, zoom_in: float = SIMPLIFY_ZOOM_IN) -> tuple[float, int]:
    """Tolerance (degrees) and coordinate decimals for a map whose initial view has `zoom`: half a
    pixel, and a rounding step under half a pixel, `zoom_in` levels closer than the view."""
    tolerance = degrees_per_pixel(zoom + zoom_in) / 2
    decimals = min(COORD_DECIMALS, max(1, math.ceil(-math.log10(tolerance))))
    return tolerance, decimals

ISLET_PIXELS = 1       # an islet smaller than this many pixels at the zoomed-in view is not drawn …
MAINLAND_PIXELS = 100  # … when its unit has a part at least this large (an archipelago keeps every islet)

def without_islets(geoms: np.ndarray, pixel: float) -> np.ndarray:
    """Polygons without the parts smaller than ISLET_PIXELS pixels (`pixel` degrees a side) of a unit that
    also has a part of MAINLAND_PIXELS or more: a coast's specks, invisible on the map, cost as much to
    send as a commune. A unit of small parts only (the archipelagos) keeps them all."""
    parts, index = shapely.get_parts(geoms, return_index=True)
    if not len(parts):
        return geoms
    area = shapely.area(parts)
    largest = pd.Series(area).groupby(index).transform("max").to_numpy()
    keep = (area >= ISLET_PIXELS * pixel ** 2) | (largest < MAINLAND_PIXELS * pixel ** 2) | (area == largest)
    if keep.all():
        return geoms
    out = geoms.copy()
    changed = np.unique(index[~keep])
    rebuilt = shapely.multipolygons(parts[keep & np.isin(index, changed)],
                                    indices=np.searchsorted(changed, index[keep & np.isin(index, changed)]))
    out[changed] = rebuilt
    return out

def lighten(geoms, tolerance: float, decimals: int) -> np.ndarray:
    """Polygons simplified within `tolerance` degrees (half a pixel) and rounded to `decimals` (all at
    once), without a coast's sub-pixel islets (`without_islets`). Never drops a unit: a polygon that the
    simplification or rounding would flatten keeps its full outline."""
    geoms = np.asarray(geoms, dtype=object)
    if not len(geoms):
        return geoms
    geoms = without_islets(geoms, 2 * tolerance)
    light = shapely.simplify(geoms, tolerance, preserve_topology=True)
    light = shapely.transform(light, lambda xy: np.round(xy, decimals))
    lost = (shapely.is_empty(light) | (shapely.area(light) <= 0)) & (shapely.area(geoms) > 0)
    if lost.any():
        light[lost] = shapely.transform(geoms[lost], lambda xy: np.round(xy, COORD_DECIMALS))
        still = lost & (shapely.area(light) <= 0)
        light[still] = geoms[still]
    return light

def geojson_dicts(geoms) -> list[dict]:
    """GeoJSON geometry dicts of shapely geometries."""
    if not len(geoms):
        return []
    return json.loads("[" + ",".join(shapely.to_geojson(np.asarray(geoms, dtype=object))) + "]")   # one parse

def shapes_of(df: pd.DataFrame) -> np.ndarray:
    """The stored GeoJSON geometries of `read_boundaries` rows as shapely geometries."""
    return shapely.from_geojson(df["geojson"].to_numpy()) if len(df) else np.array([], dtype=object)

VIETNAM_BOUNDS = (102.1, 8.2, 117.8, 23.4)

_GC_LOCK = threading.Lock()

_GC_PAUSES = [0, True]         # builders running, whether collection was on before the first

@contextmanager
def gc_paused():
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

@gc_paused()
def map_geometry(con, level: str, year: int, area: Scope | None = None,
                 mountainous: frozenset[str] | set[str] | None = None) -> MapGeometry:
    """The boundaries of the units of `level` inside `area` in `year` (filters ignored), with the
    district outlines of a commune map, the provinces around, the archipelagos and the initial view;
    polygons simplified and rounded so that the difference stays invisible near the initial view.
    `mountainous`: the mountainous district codes when already known (read from `con` otherwise)."""
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}")
    area = area or national(default_geography(year))
    area = Scope(area.level, area.code, area.name, area.province_code, area.district_code, area.geo, area.codes)
    mountain = mountainous_districts(con) if mountainous is None else set(mountainous)
    if area.geo == "new" and level == "district":       # former districts: the new communes they became
        polys, raw = former_district_shapes(con, read_boundaries(con, "commune", year, area))
    else:
        polys = read_boundaries(con, level, year, area)
        raw = shapes_of(polys)
    arch = archipelagos()
    national_provinces = level == "province" and area.level == "national"
    view = bounds_view(_bounds(raw, arch if national_provinces else None))
    tolerance, decimals = simplification(view["zoom"], MANY_ZOOM_IN if len(raw) > MANY_UNITS else SIMPLIFY_ZOOM_IN)
    units = polys[["code", "name", "short_name", "district_code", "source", "is_schematic"]].copy()
    in_mountains = {"district": "code", "commune": "district_code"}.get(level)
    units["mountainous"] = units[in_mountains].isin(mountain) if in_mountains else False
    light = lighten(raw, tolerance, decimals)
    named = level == "province" or area.level != "national"      # a nation's districts or communes: no names
    spots, room = label_spots(light, [s if isinstance(s, str) else n for s, n in zip(units["short_name"], units["name"])],
                              view) if named else ([[] for _ in range(len(units))], [0.0] * len(units))
    # District outlines help inside a province; over the nation's communes they are a dark mesh (and
    # megabytes more to send), so a national commune map has none.
    outlines = _district_outlines(con, year, area, mountain, tolerance, decimals, polys) \
        if level == "commune" and area.level != "national" else None
    context = collection([]) if national_provinces else _provinces_around(con, year, view["zoom"], area.geo)
    sources = set(polys["source"].dropna()) | (set(outlines[1]["source"].dropna()) if outlines else set())
    schematic = bool(polys["is_schematic"].fillna(False).any()) or bool(outlines and outlines[1]["is_schematic"].any())
    return MapGeometry(level=level, year=year, area_level=area.level, units=units.reset_index(drop=True),
                       shapes=geojson_dicts(light), label_spots=spots, label_room=room,
                       areas=[float(a) for a in shapely.area(raw)] if len(raw) else [],
                       outlines=outlines[0] if outlines else None, context=context,
                       # on every national map; a province's or district's view never reaches them
                       archipelagos=archipelago_features(arch if area.level == "national" else arch.iloc[:0],
                                                         tolerance, decimals, area.geo), view=view,
                       sources=sorted(sources), schematic=schematic, geo=area.geo)


def _bounds(raw, archipelagos=None) -> tuple[float, float, float, float]:
    """The box around the units (the whole country, archipelagos included, for a national map)."""
    if not len(raw):
        return VIETNAM_BOUNDS
    bounds = tuple(shapely.total_bounds(raw))
    if archipelagos is not None:
        ab = shapely.total_bounds(np.asarray(archipelagos.geometry.to_numpy(), dtype=object))
        bounds = (min(bounds[0], ab[0]), min(bounds[1], ab[1]), max(bounds[2], ab[2]), max(bounds[3], ab[3]))
    return bounds


def _district_outlines(con, year: int, area: Scope, mountain: set[str], tolerance: float,
                       decimals: int, communes: pd.DataFrame) -> tuple[dict, pd.DataFrame]:
    """The district outlines over a commune map (mountainous ones thicker), and the rows they came from:
    on the new units the former districts drawn from the map's own communes (so they follow real
    commune edges), on the old units the districts' polygons."""
    if area.geo == "new":
        dpolys, shapes = former_district_shapes(con, communes)
    else:
        dpolys = read_boundaries(con, "district", year, district_area(area))
        shapes = shapes_of(dpolys)
    features = [{"type": "Feature",
                 "properties": {"code": code, "line": list(MOUNTAIN_LINE if code in mountain else PLAIN_OUTLINE),
                                "line_w": 3 if code in mountain else 1.5},
                 "geometry": g}
                for code, g in zip(dpolys["code"], geojson_dicts(lighten(shapes, tolerance, decimals)))]
    return collection(features), dpolys


def former_district_shapes(con, communes: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """Former districts as the union of the new communes that lie in them (`read_boundaries` rows of
    communes in, rows of the same columns and their geometries out)."""
    shapes = dict(zip(communes["code"], shapes_of(communes)))
    schematic = dict(zip(communes["code"], communes["is_schematic"].fillna(False)))
    source = dict(zip(communes["code"], communes["source"]))
    rows, geoms = [], []
    for code, g in former_districts(con, communes["code"].tolist()).groupby("code", sort=True):
        members = list(g["commune_code"])
        geoms.append(shapely.union_all([shapes[c] for c in members]))
        rows.append({"code": code, "name": g["name"].iloc[0], "short_name": g["short_name"].iloc[0],
                     "province_code": g["province_code"].iloc[0], "district_code": code,
                     "source": source[members[0]], "is_schematic": any(schematic[c] for c in members)})
    columns = ["code", "name", "short_name", "province_code", "district_code", "source", "is_schematic"]
    return pd.DataFrame(rows, columns=columns), np.array(geoms, dtype=object)


def _provinces_around(con, year: int, zoom: float, geo: str) -> dict:
    """All provinces of the geography as the background, simplified for the initial view itself (not a few
    zoom levels in)."""
    cpolys = read_boundaries(con, "province", year, national(geo))
    background = simplification(zoom - SIMPLIFY_ZOOM_IN)
    return collection([{"type": "Feature", "properties": {"code": code}, "geometry": g}
                       for code, g in zip(cpolys["code"], geojson_dicts(lighten(shapes_of(cpolys), *background)))])

def archipelago_features(arch, tolerance: float = 0.0, decimals: int = COORD_DECIMALS, geo: str = "old") -> dict:
    """The archipelagos of `ntm.read.boundaries.archipelagos()` as a FeatureCollection whose properties hold both
    names, the administering unit in the geography (a district before 1 July 2025, a special zone —
    đặc khu — after) and the label position."""
    geoms = lighten(np.asarray(arch.geometry.to_numpy(), dtype=object), tolerance, decimals)
    admin_column = "administered_as_post2025" if geo == "new" else "administered_as"
    return collection([{"type": "Feature", "geometry": g, "properties": {
        "code": row.province_code, "name_vi": row.name, "name_en": row.name_en,
        "admin": str(getattr(row, admin_column, "") or "").replace("Thành phố ", "TP ").replace("Tỉnh ", ""),
        "label": [float(row.label_lon), float(row.label_lat) - 0.9]}}
        for row, g in zip(arch.itertuples(), geojson_dicts(geoms))])

def district_area(scope: Scope) -> Scope:
    """The area whose district outlines frame a commune map."""
    if scope.level == "commune":
        return Scope("district", scope.district_code, scope.name, scope.province_code, scope.district_code, scope.geo)
    return scope
