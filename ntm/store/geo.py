"""Boundary layers for maps: province polygons, the real post-2025 units, archipelagos, schematic units.

Pure functions (no Streamlit).  All layers are in EPSG:4326 and keyed by GSO codes as
zero-padded strings: provinces 2 digits, districts 3, communes 5.

District and commune polygons built here are *schematic* (Voronoi cells of approximate
commune points clipped to the province), not boundaries; they carry
``source == "schematic"`` and must be labelled as such wherever they are shown.
"""
from __future__ import annotations

import functools
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import mapping

from ntm.domain.units import PRE
from ntm.paths import BOUNDARIES_DIR

# The 63 provinces before 1 July 2025, as the union of today's communes by their predecessors' province
# (scripts/build_former_provinces.py); Natural Earth's coarser outlines, which lack the small islands and
# predate the 2004–2008 boundary changes, are kept as the reference the build compares with.
PROVINCES_PATH = BOUNDARIES_DIR / "provinces_pre2025_from_communes.geojson"
NATURAL_EARTH_PATH = BOUNDARIES_DIR / "provinces_pre2025.geojson"
ARCHIPELAGOS_PATH = BOUNDARIES_DIR / "archipelagos.geojson"
# The real boundaries of the units in force since 1 July 2025 (scripts/build_post2025_boundaries.py).
POST2025_PATHS = {"province": BOUNDARIES_DIR / "provinces_post2025.geojson",
                  "commune": BOUNDARIES_DIR / "communes_post2025.geojson"}

CRS = "EPSG:4326"
SCHEMATIC = "schematic"
UPLOADED = "uploaded"       # an analyst's file: "uploaded\t<file name>\t<who>" (said in the reader's language)
POST2025_SOURCE = ("sapnhap.bando.com.vn via thanglequoc/vietnamese-provinces-database (MIT), simplified "
                   "(coverage, 0.0025°)")
PRE2025_SOURCE = ("sapnhap.bando.com.vn communes via thanglequoc/vietnamese-provinces-database (MIT), dissolved "
                  "by their predecessors' province (vietnamadminunits lineage)")
CODE_WIDTHS = {"province_code": 2, "district_code": 3, "commune_code": 5}

# Schematic placement, in degrees (0.001 deg is ~110 m).
_INSET = 0.005          # points moved into a province land at least this far inside it
_JITTER = 0.001         # spacing of the spiral that separates coincident points
_MIRROR = 0.03         # points outside a province are mirrored at most this far into it
_FAR = 0.5              # points farther than this outside the province's box are ignored
_GOLDEN_ANGLE = np.pi * (3 - np.sqrt(5))
_SPREAD_PASSES = 6


# --------------------------------------------------------------------------- loading
def uploaded_source(file_name: str, user: str) -> str:
    """The source stored with polygons from an analyst's file."""
    return "\t".join((UPLOADED, file_name, user))


def _read_layer(path: Path) -> gpd.GeoDataFrame:
    """Read a vector file as a GeoDataFrame in EPSG:4326."""
    gdf = gpd.read_file(path)
    if gdf.crs is None:
        return gdf.set_crs(CRS)
    return gdf.to_crs(CRS)


def normalise_codes(values, width: int) -> pd.Series:
    """GSO codes as zero-padded strings ('2566', 2566, 2566.0 -> '02566'); missing -> NA."""
    series = pd.Series(values)
    text = series.astype("string").str.strip().str.replace(r"\.0+$", "", regex=True)
    text = text.mask(text.isin(["", "nan", "None", "<NA>"]))
    return text.str.zfill(width)


def _province_layer(path: Path) -> gpd.GeoDataFrame:
    gdf = _read_layer(path)
    gdf["province_code"] = normalise_codes(gdf["province_code"], 2).to_numpy()
    return gdf


@functools.lru_cache(maxsize=2)
def _bundled_layer(path: Path) -> gpd.GeoDataFrame:
    """A layer shipped with the project (read once per process; callers get copies)."""
    return _province_layer(path)


def load_province_polygons(path: str | Path | None = None) -> gpd.GeoDataFrame:
    """The 63 pre-July-2025 provinces, with GSO ``province_code``, ``name``, ``name_short`` and ``source``:
    today's real communes dissolved by the old province of their predecessors (islands included;
    data/boundaries/README.md). `path` reads another layer (Natural Earth's: NATURAL_EARTH_PATH)."""
    return _province_layer(Path(path)) if path else _bundled_layer(PROVINCES_PATH).copy()


def load_archipelagos(path: str | Path | None = None) -> gpd.GeoDataFrame:
    """The Hoàng Sa and Trường Sa archipelagos, to draw on every national map."""
    return _province_layer(Path(path)) if path else _bundled_layer(ARCHIPELAGOS_PATH).copy()


@functools.lru_cache(maxsize=1)
def _land() -> shapely.STRtree:
    """The 34 provinces in force (their islands and the archipelagos included), for nearness queries."""
    return shapely.STRtree(load_post2025("province").geometry.to_numpy())


def near_vietnam(xy: np.ndarray, degrees: float) -> np.ndarray:
    """For each (lon, lat) row of `xy`: whether it lies within `degrees` of a province of Vietnam."""
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    near = np.zeros(len(xy), dtype=bool)
    finite = np.flatnonzero(np.isfinite(xy).all(axis=1))
    hits = _land().query(shapely.points(xy[finite]), predicate="dwithin", distance=degrees)[0]
    near[finite[np.unique(hits)]] = True
    return near


@functools.lru_cache(maxsize=2)
def _outlines(system: str) -> gpd.GeoDataFrame:
    if system == PRE:                       # the archipelagos are districts of Đà Nẵng and Khánh Hòa
        parts = pd.concat([load_province_polygons()[["province_code", "geometry"]],
                           load_archipelagos()[["province_code", "geometry"]]], ignore_index=True)
        return parts.dissolve("province_code", as_index=False)[["province_code", "geometry"]]
    return load_post2025("province")[["code", "geometry"]].rename(columns={"code": "province_code"})


def province_outlines(system: str) -> gpd.GeoDataFrame:
    """`province_code`, geometry of the provinces of a unit system ("pre2025": 63, "post2025": 34), each
    with its islands and archipelagos."""
    return _outlines(system).copy()


def load_post2025(level: str) -> gpd.GeoDataFrame:
    """The real polygons of the 34 provinces or 3,321 communes in force since 1 July 2025, with GSO
    ``code``, ``province_code``, ``name`` and ``source`` (provinces are dissolved from the communes)."""
    return _post2025_layer(POST2025_PATHS[level]).copy()


@functools.lru_cache(maxsize=2)
def _post2025_layer(path: Path) -> gpd.GeoDataFrame:
    gdf = _province_layer(path)
    gdf["code"] = normalise_codes(gdf["code"], 2 if path == POST2025_PATHS["province"] else 5).to_numpy()
    return gdf


# --------------------------------------------------------------------------- schematic
def _prepare_communes(communes: pd.DataFrame) -> pd.DataFrame:
    """Normalised codes and float lat/lon; rows without a commune code or repeating one dropped."""
    df = pd.DataFrame({
        column: normalise_codes(communes[column], width).to_numpy()
        for column, width in CODE_WIDTHS.items()
    })
    df["lat"] = pd.to_numeric(communes["lat"], errors="coerce").to_numpy(dtype=float)
    df["lon"] = pd.to_numeric(communes["lon"], errors="coerce").to_numpy(dtype=float)
    df = df.dropna(subset=["commune_code"]).drop_duplicates("commune_code")
    return df.sort_values(["province_code", "commune_code"], ignore_index=True)


def polygonal(geom):
    """The polygon parts of a geometry (clipping may add stray lines or points)."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def _fill_missing(xy: np.ndarray, districts: np.ndarray, area) -> np.ndarray:
    """Missing or far-away points -> their district's mean point, else the province's."""
    xmin, ymin, xmax, ymax = area.bounds
    x, y = xy[:, 0], xy[:, 1]
    usable = (np.isfinite(xy).all(axis=1)
              & (x > xmin - _FAR) & (x < xmax + _FAR) & (y > ymin - _FAR) & (y < ymax + _FAR))
    xy = np.where(usable[:, None], xy, np.nan)
    district_mean = pd.DataFrame(xy).groupby(districts).transform("mean").to_numpy()
    xy = np.where(np.isnan(xy), district_mean, xy)
    fallback = area.representative_point()
    return np.where(np.isnan(xy), [fallback.x, fallback.y], xy)


def _move_inside(xy: np.ndarray, area, inner) -> np.ndarray:
    """Points outside ``area`` -> mirrored across the nearest point of ``inner``.

    ``inner`` is the area shrunk by _INSET.  The mirror distance is capped at _MIRROR, and
    a mirrored point that leaves the area falls back to the nearest point itself; mirroring
    rather than snapping keeps points that sit outside one side apart (no sliver cells).
    """
    outside = ~shapely.contains_xy(area, xy[:, 0], xy[:, 1])
    if not outside.any():
        return xy
    lines = shapely.shortest_line(inner, shapely.points(xy[outside]))
    nearest = shapely.get_coordinates(lines)[::2]
    step = nearest - xy[outside]
    length = np.hypot(step[:, 0], step[:, 1])[:, None]
    mirrored = nearest + step * np.minimum(1.0, _MIRROR / np.maximum(length, 1e-12))
    ok = shapely.contains_xy(area, mirrored[:, 0], mirrored[:, 1])
    xy = xy.copy()
    xy[outside] = np.where(ok[:, None], mirrored, nearest)
    return xy


def _spread_duplicates(xy: np.ndarray, area, inner) -> np.ndarray:
    """Separate coincident points along a small deterministic spiral, keeping them inside."""
    for attempt in range(_SPREAD_PASSES):
        rank = pd.DataFrame(np.round(xy, 9)).groupby([0, 1]).cumcount().to_numpy()
        moved = rank > 0
        if not moved.any():
            return xy
        k = rank[moved] + attempt
        offset = _JITTER * np.sqrt(k)[:, None] * np.column_stack(
            [np.cos(k * _GOLDEN_ANGLE), np.sin(k * _GOLDEN_ANGLE)])
        xy = xy.copy()
        xy[moved] += offset
        xy = _move_inside(xy, area, inner)
    raise ValueError("could not separate coincident commune points")


def _place_points(group: pd.DataFrame, area) -> np.ndarray:
    """One distinct point inside ``area`` for each commune row of one province."""
    inner = area.buffer(-_INSET)
    if inner.is_empty:
        inner = area
    xy = _fill_missing(group[["lon", "lat"]].to_numpy(float), group["district_code"].to_numpy(),
                       area)
    return _spread_duplicates(_move_inside(xy, area, inner), area, inner)


def voronoi_cells(xy: np.ndarray, area) -> np.ndarray:
    """Voronoi cells of distinct points, clipped to ``area``, in point order (a point outside it gets the
    part of it nearest the point, if any)."""
    if len(xy) == 1:
        return np.array([area], dtype=object)
    frame = shapely.box(*area.bounds).buffer(1.0)
    diagram = shapely.voronoi_polygons(shapely.multipoints(xy), extend_to=frame, ordered=True)
    cells = shapely.get_parts(diagram)
    if len(cells) != len(xy):
        raise ValueError(f"Voronoi diagram has {len(cells)} cells for {len(xy)} points")
    return np.array([polygonal(g) for g in shapely.intersection(cells, area)], dtype=object)


def _province_geometries(provinces: gpd.GeoDataFrame) -> dict[str, object]:
    """GSO province code -> one (multi)polygon, in EPSG:4326."""
    gdf = provinces.to_crs(CRS) if provinces.crs else provinces
    codes = normalise_codes(gdf["province_code"], 2)
    return {code: shapely.union_all(list(geoms)) for code, geoms
            in pd.Series(gdf.geometry.to_numpy()).groupby(codes.to_numpy())}


def schematic_polygons(
    communes: pd.DataFrame, provinces: gpd.GeoDataFrame
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Schematic commune and district polygons from commune points.

    ``communes`` needs columns commune_code, district_code, province_code, lat, lon.
    Each commune becomes the Voronoi cell of its point, clipped to its own province
    polygon; points outside their province are moved just inside it, missing points
    take their district's mean point, and coincident points are spread apart
    deterministically.  Districts are the union of their communes' cells.  Rows without
    a commune code are ignored, a repeated commune code keeps its first row.
    Raises ValueError for province codes that ``provinces`` lacks.

    Returns (communes_gdf, districts_gdf), sorted by code, with ``source == "schematic"``.
    """
    df = _prepare_communes(communes)
    areas = _province_geometries(provinces)
    unknown = sorted(set(df["province_code"].dropna()) - set(areas))
    if unknown or df["province_code"].isna().any():
        raise ValueError(f"communes with unknown or missing province codes: {unknown}")
    cells = np.empty(len(df), dtype=object)
    for code, group in df.groupby("province_code", sort=True):
        cells[group.index] = voronoi_cells(_place_points(group, areas[code]), areas[code])
    commune_gdf = gpd.GeoDataFrame(
        df[["commune_code", "district_code", "province_code"]], geometry=cells, crs=CRS)
    commune_gdf["source"] = SCHEMATIC
    districts = commune_gdf.dissolve(by=["province_code", "district_code"], as_index=False)
    districts["source"] = SCHEMATIC
    return (commune_gdf[["commune_code", "district_code", "province_code", "geometry", "source"]],
            districts[["district_code", "province_code", "geometry", "source"]])


# --------------------------------------------------------------------------- web output
def _json_value(value):
    """A property value as plain JSON (numpy scalars unwrapped, NaN/NA -> None)."""
    if value is None or (np.ndim(value) == 0 and pd.isna(value)):
        return None
    return value.item() if isinstance(value, np.generic) else value


def to_geojson_dict(
    gdf: gpd.GeoDataFrame, properties: list[str], precision: int | None = 5
) -> dict:
    """GeoJSON FeatureCollection (EPSG:4326) with only ``properties``, coordinates rounded."""
    if gdf.crs is not None:
        gdf = gdf.to_crs(CRS)
    geoms = gdf.geometry.to_numpy()
    if precision is not None:
        geoms = shapely.transform(geoms, lambda xy: np.round(xy, precision))
    records = gdf[properties].to_dict("records")
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {k: _json_value(v) for k, v in record.items()},
                "geometry": mapping(geom) if geom is not None and not geom.is_empty else None,
            }
            for record, geom in zip(records, geoms)
        ],
    }
