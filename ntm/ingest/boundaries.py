"""Real district or commune boundaries uploaded by analysts (GeoJSON, zipped Shapefile, GeoPackage):
read safely, reprojected to WGS84, joined to unit codes (by a code column, or by normalised name within
the province the feature lies in), simplified for the web and stored with their source so maps use them
instead of the schematic layer.

A file's communes are the old units (before 1 July 2025) or the new ones: codes were reused, so the file
is joined to both lists and kept on the one its codes and names fit best (names decide; districts exist
only on the old units). Its polygons then belong to that system's units, never to a bare code.
"""

from __future__ import annotations

import io
import json
import re
import stat
import tempfile
import threading
import zipfile
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ntm.domain.names import fold, name_key
from ntm.domain.roles import BOUNDARIES
from ntm.domain.units import POST, PRE
from ntm.errors import BoundaryError
from ntm.read.imports import former_units, province_names, units_to_match
from ntm.store.access import authorize, provinces_of_units
from ntm.store.batches import add_batch
from ntm.store.keys import land
from ntm.text import t

MAX_BYTES = 50 * 1024 * 1024
MAX_UNZIPPED_BYTES = 300 * 1024 * 1024
MAX_ZIP_ENTRIES = 100
MAX_RATIO = 100            # uncompressed / compressed, per entry
MAX_FEATURES = 20_000
SIMPLIFY_DEGREES = 0.0005  # ≈ 50 m
LEVEL_CODE_WIDTH = {"district": 3, "commune": 5}
SHAPE_PARTS = {".shp", ".shx", ".dbf", ".prj", ".cpg"}
# What the upload box accepts: the formats read here, and a lone .shp (answered with what to send instead).
UPLOAD_SUFFIXES = ("geojson", "json", "zip", "gpkg", "shp")


# ---------------------------------------------------------------------------------------------
# Reading

def _safe_zip_members(zf: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    infos = zf.infolist()
    if len(infos) > MAX_ZIP_ENTRIES:
        raise BoundaryError("boundary.zip_entries", limit=MAX_ZIP_ENTRIES)
    total = 0
    for info in infos:
        p = PurePosixPath(info.filename.replace("\\", "/"))
        if p.is_absolute() or ".." in p.parts or (info.filename[1:2] == ":"):
            raise BoundaryError("boundary.zip_path", name=info.filename)
        if stat.S_ISLNK(info.external_attr >> 16):
            raise BoundaryError("boundary.zip_path", name=info.filename)
        total += info.file_size
        if info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
            raise BoundaryError("boundary.zip_bomb", name=info.filename)
    if total > MAX_UNZIPPED_BYTES:
        raise BoundaryError("boundary.zip_bomb", name=f"{total // (1024 * 1024)} MB")
    return infos


def _extract_safely(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], folder: Path) -> list[Path]:
    """Unpack the members into one flat folder, refusing one that unpacks past the limit; a member that
    cannot be unpacked (cut short, a forged size, corrupt data, a password) says which it is."""
    out = []
    for info in infos:
        if info.is_dir():
            continue
        target = folder / PurePosixPath(info.filename.replace("\\", "/")).name  # flatten: no sub-paths
        written = 0
        try:
            with zf.open(info) as src, open(target, "wb") as dst:
                for chunk in iter(lambda: src.read(1 << 20), b""):
                    written += len(chunk)
                    if written > MAX_UNZIPPED_BYTES:
                        raise BoundaryError("boundary.zip_bomb", name=info.filename)
                    dst.write(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError):
            raise BoundaryError("boundary.damaged_part", part=info.filename) from None
        except (RuntimeError, NotImplementedError):        # a password, or a packing method zip readers lack
            raise BoundaryError("boundary.zip_unsupported", part=info.filename) from None
        out.append(target)
    return out


def read_boundary_file(data: bytes, file_name: str) -> gpd.GeoDataFrame:
    """Read a GeoJSON, zipped Shapefile or GeoPackage into WGS84 without touching the network; raises
    BoundaryError (its `file` parameter is the file's name)."""
    try:
        if len(data) > MAX_BYTES:
            raise BoundaryError("boundary.too_large", limit_mb=MAX_BYTES // (1024 * 1024))
        with tempfile.TemporaryDirectory() as tmp:
            gdf = _read_layer(_layer_file(data, file_name, Path(tmp)))
        return _to_wgs84(gdf)
    except BoundaryError as exc:
        exc.params.setdefault("file", Path(file_name).name)
        raise


def _layer_file(data: bytes, file_name: str, folder: Path) -> Path:
    """The layer to open, written to `folder`: the Shapefile (else GeoPackage or GeoJSON) of a .zip,
    with the parts a Shapefile needs; a GeoPackage; a GeoJSON."""
    suffix = Path(file_name).suffix.lower()
    if data[:4] == b"PK\x03\x04":
        try:
            zf = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, EOFError, OSError, ValueError):     # cut short: no directory at its end
            raise BoundaryError("boundary.damaged") from None
        with zf:
            files = _extract_safely(zf, _safe_zip_members(zf), folder)
        candidates = [p for p in files if p.suffix.lower() in (".shp", ".gpkg", ".geojson", ".json")]
        if not candidates:
            raise BoundaryError("boundary.no_layer")
        path = sorted(candidates, key=lambda p: (p.suffix.lower() != ".shp", p.name))[0]
        if path.suffix.lower() == ".shp":
            have = {p.suffix.lower() for p in files if p.stem == path.stem}
            if missing := [part for part in (".shx", ".dbf") if part not in have]:
                raise BoundaryError("boundary.shapefile_missing", name=path.name, parts=", ".join(missing))
        return path
    if data[:16].startswith(b"SQLite format 3"):
        path = folder / "upload.gpkg"
    elif suffix in (".geojson", ".json") or data.lstrip()[:1] == b"{":
        path = folder / "upload.geojson"
    elif suffix in SHAPE_PARTS:                     # one part of a Shapefile: the others are needed
        raise BoundaryError("boundary.shapefile_parts", name=Path(file_name).name)
    else:
        raise BoundaryError("boundary.format")
    path.write_bytes(data)
    return path


# Only these kinds of file are opened, each after its content is checked to be that kind: GDAL recognises
# formats by content (its GDAL_SKIP only acts when drivers are registered), and a VRT file could make it
# read other files on the server or fetch URLs.
_DRIVERS = {".shp": "ESRI Shapefile", ".gpkg": "GPKG", ".geojson": "GeoJSON", ".json": "GeoJSON"}


def _read_layer(path: Path) -> gpd.GeoDataFrame:
    """Open one layer with the driver its kind requires, after checking the file is that kind and that its
    coordinate system is in the file, not at an address."""
    driver = _DRIVERS[path.suffix.lower()]
    head = path.read_bytes()[:64]
    link = None
    if driver == "GeoJSON":
        try:
            text = path.read_text(encoding="utf-8-sig")
            doc = json.loads(text)
            link = _geojson_crs_link(doc)
        except UnicodeDecodeError:
            raise BoundaryError("boundary.unreadable") from None
        except ValueError:                             # begun as JSON, then broken (cut short): damaged
            raise BoundaryError("boundary.damaged" if text.lstrip()[:1] == "{" else "boundary.unreadable") from None
        except RecursionError:                         # brackets nested deeper than any geometry has
            raise BoundaryError("boundary.too_nested") from None
        if not isinstance(doc, dict) or doc.get("type") not in ("FeatureCollection", "Feature"):
            raise BoundaryError("boundary.unreadable")
    elif driver == "GPKG":
        if not head.startswith(b"SQLite format 3"):
            raise BoundaryError("boundary.unreadable")
        link = _gpkg_crs_link(path)
    else:
        if head[:4] != b"\x00\x00\x27\x0a":
            raise BoundaryError("boundary.unreadable")
        prj = [p for p in path.parent.iterdir() if p.stem == path.stem and p.suffix.lower() == ".prj"]
        link = next(filter(None, (_crs_link(_head_text(p)) for p in prj)), None)
    if link:
        raise BoundaryError("boundary.crs_link", link=link)
    return _open_with_gdal(path)


def _open_with_gdal(path: Path) -> gpd.GeoDataFrame:
    """The layer as GDAL reads it, offline (`offline`)."""
    try:
        with offline():
            return gpd.read_file(path, engine="pyogrio")
    except Exception:
        raise BoundaryError("boundary.unreadable") from None


# An address in a coordinate system's definition: a GeoJSON crs of type "link" or "url" makes GDAL fetch
# it, and PROJ or a later reader could. OGC identifiers written as addresses (…opengis.net/def/crs/EPSG/0/
# 4326) and PROJJSON's schema are names, read without fetching anything.
_ADDRESS = re.compile(r"\b[a-z][a-z0-9+.-]*://[^\s\"'<>,\[\]{}]*", re.I)
_NAME_ADDRESS = re.compile(r"https?://(www\.)?(opengis\.net/def/crs|proj\.org/schemas/)", re.I)


def _crs_link(text: str) -> str | None:
    """The first address in a coordinate system's definition that is not an OGC name (at most 200
    characters of it), if any."""
    for m in _ADDRESS.finditer(text):
        if not _NAME_ADDRESS.match(m.group(0)):
            return m.group(0)[:200]
    return None


def _geojson_crs_link(doc) -> str | None:
    """What a GeoJSON's coordinate system points to, if anything: GDAL reads a "crs" member on the
    collection and on each geometry (member names in any case; "coordRefSys" in JSON-FG, which GDAL
    also opens)."""
    stack = [doc]
    while stack:
        obj = stack.pop()
        if not isinstance(obj, dict):
            continue
        for key, value in obj.items():
            name = str(key).lower()
            if name in ("crs", "coordrefsys"):
                if link := _crs_member_link(value):
                    return link
            elif name in ("features", "geometries") and isinstance(value, list):
                stack.extend(value)
            elif name in ("geometry", "place"):
                stack.append(value)
    return None


def _crs_member_link(value) -> str | None:
    """The address one "crs" member points to: any address in it, or all of it when its type is "link" or
    "url" (GDAL fetches those whatever they hold)."""
    text = json.dumps(value, ensure_ascii=False)
    kind = next((str(v) for k, v in value.items() if str(k).lower() == "type"), "") if isinstance(value, dict) else ""
    return _crs_link(text) or (text[:200] if kind.lower().startswith(("link", "url")) else None)


def _gpkg_crs_link(path: Path) -> str | None:
    """The first address among a GeoPackage's coordinate system definitions, read with SQLite before GDAL
    opens the file; a file SQLite cannot read is damaged."""
    import sqlite3

    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
        try:
            if not con.execute("SELECT 1 FROM sqlite_master WHERE lower(name) = 'gpkg_spatial_ref_sys'").fetchone():
                return None                             # not a GeoPackage: GDAL says so
            columns = [f'"{r[1]}"' for r in con.execute("PRAGMA table_info(gpkg_spatial_ref_sys)")
                       if str(r[1]).lower() in ("definition", "definition_12_063")]
            rows = con.execute(f"SELECT {', '.join(columns)} FROM gpkg_spatial_ref_sys") if columns else []
            texts = (v for row in rows for v in row if isinstance(v, str))
            return next(filter(None, map(_crs_link, texts)), None)
        finally:
            con.close()
    except sqlite3.Error:
        raise BoundaryError("boundary.damaged") from None


def _head_text(path: Path, limit: int = 1 << 20) -> str:
    """The start of a small text file (a .prj), whatever its encoding."""
    with open(path, "rb") as f:
        return f.read(limit).decode("utf-8", errors="replace")


# GDAL options while an upload is read. GDAL has no switch for "no network": /vsicurl/ serves no file,
# and an HTTP request GDAL would still make goes to a proxy on a closed port of this machine and gives up
# within a second. A host the server's no_proxy lists would bypass that proxy: the checks before GDAL
# (`_read_layer`) keep addresses out of its way.
_OFFLINE = {"CPL_VSIL_CURL_ALLOWED_EXTENSIONS": "none", "GDAL_HTTP_PROXY": "127.0.0.1:1",
            "GDAL_HTTPS_PROXY": "127.0.0.1:1", "GDAL_HTTP_TIMEOUT": "1", "GDAL_HTTP_CONNECTTIMEOUT": "1",
            "GDAL_HTTP_MAX_RETRY": "0"}
_OFFLINE_LOCK = threading.Lock()


@contextmanager
def offline():
    """GDAL and PROJ without network for the duration of a read: the options above (global to GDAL, so
    one read at a time; restored after it), and PROJ's downloads of transformation grids off, in GDAL's
    PROJ and in pyproj's (left off: nothing here uses them)."""
    import pyogrio
    from pyproj.network import set_network_enabled

    with _OFFLINE_LOCK:
        before = {k: pyogrio.get_gdal_config_option(k) for k in _OFFLINE}
        pyogrio.set_gdal_config_options(_OFFLINE)
        set_network_enabled(False)
        _gdal_proj_network_off()
        try:
            yield
        finally:
            pyogrio.set_gdal_config_options(before)


def _gdal_proj_network_off() -> None:
    """Turn off the network of the PROJ inside GDAL (OSRSetPROJEnableNetwork: pyogrio does not expose it,
    its module links GDAL)."""
    import ctypes

    import pyogrio._ogr

    ctypes.CDLL(pyogrio._ogr.__file__).OSRSetPROJEnableNetwork(0)


def _to_wgs84(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if len(gdf) == 0:
        raise BoundaryError("boundary.empty")
    if len(gdf) > MAX_FEATURES:
        raise BoundaryError("boundary.too_many", limit=MAX_FEATURES)
    gdf = gdf[gdf.geometry.notna() & ~gdf.geometry.is_empty]
    gdf = gdf[gdf.geometry.geom_type.isin(["Polygon", "MultiPolygon"])]
    if gdf.empty:
        raise BoundaryError("boundary.no_polygons")
    raw, declared = _centres(gdf), gdf.crs
    if declared is None:
        if max(_in_degrees(raw).mean(), _in_degrees(raw[:, ::-1]).mean()) < INSIDE_SHARE:
            raise BoundaryError("boundary.no_crs", **_where(raw), hint_key="boundary.hint_metres_no_crs")
        gdf = gdf.set_crs(4326)
        crs_key = "boundary.crs_assumed"
    else:
        crs_key = None
    crs = _crs_label(gdf.crs)
    try:
        gdf = gdf.to_crs(4326)
    except Exception:
        raise BoundaryError("boundary.crs_unusable", crs=crs) from None
    _check_in_vietnam(gdf, raw, declared, crs, crs_key)
    invalid = ~gdf.geometry.is_valid
    gdf.loc[invalid, "geometry"] = gdf.geometry[invalid].make_valid().map(_polygons_only)
    gdf = gdf.reset_index(drop=True)
    gdf.attrs["repaired"] = int(invalid.sum())
    return gdf


INSIDE_SHARE = 0.5      # a file is drawn in Vietnam when at least this share of its features lie inside it


def _centres(gdf: gpd.GeoDataFrame):
    """The centre of each feature's bounding box, as an (n, 2) array of x, y in the file's own units."""
    b = gdf.geometry.bounds.to_numpy()
    return np.column_stack([(b[:, 0] + b[:, 2]) / 2, (b[:, 1] + b[:, 3]) / 2])


def _in_degrees(xy) -> "np.ndarray":
    return (np.abs(xy[:, 0]) <= 180) & (np.abs(xy[:, 1]) <= 90)


def _in_vietnam(xy) -> "np.ndarray":
    """Whether each (lon, lat) lies in a province of Vietnam or within NEAREST_DEGREES of one."""
    from ntm.store.geo import near_vietnam

    return near_vietnam(xy, NEAREST_DEGREES)


def _crs_label(crs) -> str:
    """"WGS 84 / UTM zone 48N (EPSG:32648)": the coordinate system as the file declares it."""
    epsg = crs.to_epsg()
    return f"{crs.name} (EPSG:{epsg})" if epsg else crs.name


def _where(xy) -> dict:
    """Where the file's features lie, in its own coordinates (message parameters, numbers written the
    reader's way)."""
    return {"x_number": float(np.nanmedian(xy[:, 0])), "y_number": float(np.nanmedian(xy[:, 1]))}


def _hint(raw, declared) -> str:
    """What the file's own numbers suggest: with no declared system they were read as lon/lat and lie
    elsewhere; lon/lat in Vietnam under a declared projected system (that system is wrong); lon/lat
    elsewhere; metres (a projected system such as VN-2000 or UTM: declared as lon/lat, or the wrong one)."""
    if declared is None:
        return "boundary.hint_elsewhere"
    if _in_degrees(raw).mean() >= INSIDE_SHARE:
        return "boundary.hint_degrees" if _in_vietnam(raw).mean() >= INSIDE_SHARE else "boundary.hint_check_crs"
    return "boundary.hint_metres_declared_degrees" if declared.is_geographic else "boundary.hint_metres"


def _check_in_vietnam(gdf: gpd.GeoDataFrame, raw, declared, crs: str, crs_key: str | None) -> None:
    """Refuse a file whose features mostly fall outside Vietnam once read in its coordinate system: say
    which system was read, where the features landed and what the numbers suggest (swapped lon/lat,
    degrees under a projected system, metres under no or a geographic system). The few features of a
    file drawn in Vietnam that lie elsewhere are reported with the join."""
    xy = _centres(gdf)
    if _in_vietnam(xy).mean() >= INSIDE_SHARE:
        return
    params = {"crs_key": crs_key} if crs_key else {"crs": crs}
    if _in_vietnam(xy[:, ::-1]).mean() >= INSIDE_SHARE:
        raise BoundaryError("boundary.swapped_axes", **params)
    raise BoundaryError("boundary.outside_vietnam", **params, **_where(raw), hint_key=_hint(raw, declared))


def _polygons_only(geom):
    """The polygonal part of a repaired geometry (repair may leave stray lines or points)."""
    from shapely.geometry import GeometryCollection, MultiPolygon

    if isinstance(geom, GeometryCollection) and not isinstance(geom, MultiPolygon):
        polys = [g for g in geom.geoms if g.geom_type in ("Polygon", "MultiPolygon")]
        return shapely.union_all(polys) if polys else geom
    return geom


# ---------------------------------------------------------------------------------------------
# Joining to units

MATCHED, RENAMED, ASSEMBLED = "matched", "renamed", "assembled"           # features stored on a unit
DISSOLVED, INCOMPLETE, UNMATCHED, AMBIGUOUS = "dissolved", "incomplete", "unmatched", "ambiguous"
MISPLACED = "misplaced"                   # joined to a unit whose province lies far from the polygon
OUTCOMES = (MATCHED, RENAMED, ASSEMBLED, DISSOLVED, INCOMPLETE, UNMATCHED, AMBIGUOUS, MISPLACED)
OVERLAP_KM2 = 0.05          # overlaps between stored polygons larger than this are reported
EQUAL_AREA = "EPSG:6933"    # for areas in km²
NEAREST_DEGREES = 0.1       # a feature outside every province outline belongs to one this close (~11 km)
# A feature is placed in its unit's province when it lies within this distance of the province's outline
# (the official units, islands included: ntm.store.geo.province_outlines): another survey's borders and
# islets lie a few km off ours, a code of another province lies tens to hundreds of km away.
PLACEMENT_DEGREES = 0.1     # ~11 km


@dataclass
class BoundaryMatch:
    """How the features of a file were joined to units: one report row per feature, the polygon per unit
    that would be stored, and what the geometry checks found."""

    level: str
    system: str                          # the unit system the features were joined to
    method: str                          # "code:<column>" or "name:<column>" (+ province column)
    report: pd.DataFrame                 # feature, name_in_file, code_in_file, outcome, code, unit_name,
                                         # change, decision, former_code
    units: gpd.GeoDataFrame = field(repr=False, default=None)   # code, name, geometry: what is stored
    overlaps: pd.DataFrame = field(default_factory=pd.DataFrame)  # code_a, name_a, code_b, name_b, km2
    repaired: int = 0                    # invalid geometries repaired on reading
    names_agree: int = 0                 # features whose name in the file is their unit's

    def rows(self, outcome: str) -> pd.DataFrame:
        """The report rows of one outcome."""
        return self.report[self.report.outcome == outcome]

    def summary(self) -> dict:
        """Counts for the report: features per outcome, units stored, overlaps and repairs."""
        counts = self.report.outcome.value_counts()
        return {**{o: int(counts.get(o, 0)) for o in OUTCOMES}, "units": len(self.units), "method": self.method,
                "system": self.system, "overlaps": len(self.overlaps), "repaired": self.repaired}


def _as_codes(values: pd.Series, width: int) -> pd.Series:
    text = values.astype(str).str.strip().str.replace(r"\.0$", "", regex=True)
    return text.where(text.str.fullmatch(r"\d{1,%d}" % width)).str.zfill(width)


def _text_columns(gdf: gpd.GeoDataFrame) -> list[str]:
    return [c for c in gdf.columns if c != "geometry"
            and (pd.api.types.is_object_dtype(gdf[c]) or pd.api.types.is_string_dtype(gdf[c]))]


def _keys(values: pd.Series) -> pd.Series:
    return values.where(values.notna(), "").astype(str).map(name_key)


def detect_code_column(gdf: gpd.GeoDataFrame, codes: pd.DataFrame, width: int,
                       feature_province: pd.Series) -> str | None:
    """The attribute column whose values are codes of units (current or former) lying where the features
    lie: a known code whose province contains the feature, for ≥ 80% of features."""
    province_of = dict(zip(codes.code, codes.province_code))
    best, best_share = None, 0.0
    for col in gdf.columns:
        if col == "geometry":
            continue
        share = (_as_codes(gdf[col], width).map(province_of) == feature_province).mean()
        if share > best_share:
            best, best_share = col, share
    return best if best_share >= 0.8 else None


def detect_province_column(gdf: gpd.GeoDataFrame, provinces: pd.DataFrame) -> str | None:
    """A text column naming provinces (≥ 80% of its values are province names) — it says which province
    each feature's name is looked up in."""
    known = set(provinces.name.map(name_key))
    for col in _text_columns(gdf):
        keys = _keys(gdf[col])
        given = keys[keys.ne("")]
        repeats = keys.nunique() < len(gdf) or len(gdf) == 1      # a province holds several features
        if len(given) and given.isin(known).mean() >= 0.8 and repeats:
            return col
    return None


def detect_name_column(gdf: gpd.GeoDataFrame, names: pd.DataFrame, province: pd.Series,
                       skip: str | None = None) -> str | None:
    """The text column whose values name the most distinct units of the level within each feature's
    province (a province-name column names one unit per province at most, so it loses)."""
    known = set(zip(names.name.map(name_key), names.province_code))
    best, best_n = None, 0
    for col in _text_columns(gdf):
        if col == skip:
            continue
        pairs = set(zip(_keys(gdf[col]), province)) & known
        if len(pairs) > best_n:
            best, best_n = col, len(pairs)
    return best if best_n >= max(1, 0.3 * len(gdf)) else None


def _province_of(gdf: gpd.GeoDataFrame, system: str) -> pd.Series:
    """The province (of `system`) each feature lies in: the one containing a point of it, else the nearest
    within NEAREST_DEGREES (islets and coast another survey draws beyond our outline)."""
    import warnings

    from ntm.store.geo import province_outlines

    points = gpd.GeoDataFrame(geometry=gdf.geometry.representative_point(), crs=4326)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)          # distances in degrees are enough to pick one
        joined = gpd.sjoin_nearest(points, province_outlines(system), how="left", max_distance=NEAREST_DEGREES)
    return joined.groupby(level=0)["province_code"].first().reindex(gdf.index)


def match_boundaries(con, gdf: gpd.GeoDataFrame, level: str, code_column: str | None = None,
                     system: str | None = None) -> BoundaryMatch:
    """Join features to units of `level` of the unit system they fit best (or of `system`): by a code
    column (given or detected), else by names within the province a province-name column (or the
    feature's location) gives. Nothing is stored."""
    if code_column and code_column not in gdf.columns:
        raise BoundaryError("boundary.no_column", column=code_column, columns=", ".join(map(str, gdf.columns[:20])))
    systems = (PRE,) if level == "district" else ((system,) if system else (POST, PRE))
    tries, failure = [], None
    for s in systems:
        located = _province_of(gdf, s)
        try:
            tries.append(_match(con, gdf, level, code_column, s, located))
        except BoundaryError as exc:
            failure = exc
    if not tries:
        raise failure
    # Names decide between the systems (codes alone are ambiguous: the new ones reuse old numbers); then
    # the number of units joined; then the new units.
    return max(tries, key=lambda m: (m.names_agree, len(m.units), m.system == POST))


def _match(con, gdf: gpd.GeoDataFrame, level: str, code_column: str | None, system: str,
           located: pd.Series) -> BoundaryMatch:
    """The join of the features to the units of one system."""
    units = units_to_match(con, level, system)
    former = former_units(con, level, system)
    width = LEVEL_CODE_WIDTH[level]
    provinces = province_names(con, system)
    province, province_col = located, detect_province_column(gdf, provinces)
    if province_col:
        province = _keys(gdf[province_col]).map(dict(zip(provinces.name.map(name_key), provinces.code))).fillna(located)
    every = pd.concat([units[["code", "name", "province_code"]], former[["code", "name", "province_code"]]])
    code_column = code_column or detect_code_column(gdf, every, width, province)
    name_col = detect_name_column(gdf, every, province, skip=province_col)
    if not code_column and not name_col:
        columns = [str(c) for c in gdf.columns[:20] if c != "geometry"]
        raise BoundaryError("boundary.no_join", columns=", ".join(columns) or "–")
    names = gdf[name_col].astype(str).where(gdf[name_col].notna(), "") if name_col else pd.Series("", index=gdf.index)
    codes = _as_codes(gdf[code_column], width) if code_column else pd.Series(None, index=gdf.index, dtype=object)
    raw_codes = gdf[code_column].astype(str) if code_column else pd.Series("", index=gdf.index)
    unit_name = dict(zip(units.code, units.name))
    rows = []
    if code_column:
        current, gone = set(units.code), {r.code: r for r in former.itertuples()}
        for i, (code, name, raw) in enumerate(zip(codes, names, raw_codes)):
            if code in current:
                rows.append(_row(i, name, raw, MATCHED, code, unit_name[code]))
            elif code in gone:
                rows.append(_former_row(i, name, raw, gone[code]))
            else:
                rows.append(_row(i, name, raw, UNMATCHED, None, None, change="code"))
    else:
        by_name: dict[tuple[str, str], list[str]] = {}
        for code, name, prov in zip(units.code, units.name, units.province_code):
            by_name.setdefault((name_key(name), prov), []).append(code)
        gone_by_name = {(name_key(r.name), r.province_code): r for r in former.itertuples()}
        for i, (name, prov) in enumerate(zip(names, province)):
            key = (name_key(name), prov)
            cands = by_name.get(key, [])
            if len(cands) == 1:
                rows.append(_row(i, name, "", MATCHED, cands[0], unit_name[cands[0]]))
            elif cands:
                rows.append(_row(i, name, "", AMBIGUOUS, None, None, change=", ".join(cands)))
            elif key in gone_by_name:
                rows.append(_former_row(i, name, "", gone_by_name[key]))
            else:
                rows.append(_row(i, name, "", UNMATCHED, None, None, change="name"))
    report = _type_changes(pd.DataFrame(rows, columns=REPORT_COLUMNS), former)
    report = _misplaced(report, gdf, units, system, located, provinces)
    report, stored = _assemble(report, gdf, former)
    method = f"code:{code_column}" if code_column else f"name:{name_col}"
    if province_col and not code_column:
        method += f" + {province_col}"
    agree = int(sum(name_key(n) == name_key(unit_name.get(c, "")) or name_key(unit_name.get(c, "")).endswith(name_key(n))
                    for n, c in zip(report.name_in_file, report.code) if c and n))
    return BoundaryMatch(level, system, method, report, stored, _overlaps(stored), gdf.attrs.get("repaired", 0), agree)


REPORT_COLUMNS = ["feature", "name_in_file", "code_in_file", "outcome", "code", "unit_name", "change", "decision",
                  "former_code"]


def _row(i, name, raw, outcome, code, unit, change="", decision="", former_code=None) -> tuple:
    return (i, name, raw, outcome, code, unit, change, decision, former_code)


def _former_row(i, name, raw, r) -> tuple:
    """A feature naming a unit the list no longer has: renamed or changed type → stored on the unit it
    became; merged → part of its successor (stored only when the file has every part)."""
    outcome = RENAMED if r.change_type in ("renamed", "type_changed") else DISSOLVED
    return _row(i, name, raw, outcome, r.new_code or None, r.new_name or None, r.change_type, r.decision, r.code)


def _type_changes(report: pd.DataFrame, former: pd.DataFrame) -> pd.DataFrame:
    """A feature matched by name or code whose full name is a former one of its unit ("Thị xã Đông Triều",
    now a city) is reported as renamed / changed type, with the decision."""
    full = {(fold(r.name), r.new_code): r for r in former.itertuples()}
    report = report.copy()
    for i, r in report[report.outcome == MATCHED].iterrows():
        was = full.get((fold(r.name_in_file), r.code))
        if was is not None and was.change_type in ("renamed", "type_changed"):
            report.loc[i, ["outcome", "change", "decision", "former_code"]] = [
                RENAMED, was.change_type, was.decision, was.code]
    return report


def _misplaced(report: pd.DataFrame, gdf: gpd.GeoDataFrame, units: pd.DataFrame, system: str,
               located: pd.Series, provinces: pd.DataFrame) -> pd.DataFrame:
    """A feature joined to a unit (by its code, or by a name looked up in a province column's province)
    whose polygon lies farther than PLACEMENT_DEGREES from that unit's province is misplaced: reported with
    the province it lies in (`change`) and the unit's own (`decision`), never stored. A feature whose name
    matched nothing and that lies in no province says so (its name may be right: its place is not)."""
    import warnings

    from ntm.store.geo import province_outlines

    report = report.copy()
    outside = located.iloc[report.feature].isna().to_numpy() & report.outcome.eq(UNMATCHED) & report.change.eq("name")
    report.loc[outside, "change"] = "outside"
    joined = report[report.outcome.isin([MATCHED, RENAMED, DISSOLVED]) & report.code.notna()]
    if joined.empty:
        return report
    outline = province_outlines(system).set_index("province_code").geometry
    own = joined.code.map(dict(zip(units.code, units.province_code)))
    drawn = gpd.GeoSeries(gdf.geometry.iloc[joined.feature].to_numpy(), index=joined.index, crs=4326)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)              # degrees: a threshold, not a measurement
        far = drawn.distance(gpd.GeoSeries(outline.reindex(own).to_numpy(), index=joined.index, crs=4326))
    far = far.gt(PLACEMENT_DEGREES) & own.notna()
    name = dict(zip(provinces.code, provinces.name))
    for i in far[far].index:
        report.loc[i, ["outcome", "change", "decision"]] = [
            MISPLACED, name.get(located.iloc[report.feature[i]], ""), name.get(own[i], own[i])]
    return report


def _assemble(report: pd.DataFrame, gdf: gpd.GeoDataFrame, former: pd.DataFrame):
    """The polygon of each unit: one matched or renamed feature as it is; a unit that several features
    go into through a merger is their union when every merged part is in the file (by code or name),
    otherwise it is reported incomplete (with the missing parts) and not stored; two features claiming one
    unit with no merger between them are ambiguous."""
    report = report.copy()
    parts_of: dict[str, list] = {}
    for r in former.itertuples():
        if r.change_type == "merged" and r.new_code:
            parts_of.setdefault(r.new_code, []).append(r)
    stored = []
    candidates = report[report.outcome.isin([MATCHED, RENAMED, DISSOLVED]) & report.code.notna()]
    for code, group in candidates.groupby("code", sort=True):
        via_merger = (group.outcome == DISSOLVED).any()
        if len(group) == 1 and not via_merger:
            stored.append((code, group.unit_name.iloc[0], gdf.geometry.iloc[group.feature.iloc[0]]))
            continue
        if not via_merger:
            report.loc[group.index, ["outcome", "change"]] = [AMBIGUOUS, f"{len(group)} × {code}"]
            continue
        keys, codes = set(group.name_in_file.map(name_key)), set(group.former_code.dropna())
        missing = [p.name for p in parts_of.get(code, []) if p.code not in codes and name_key(p.name) not in keys]
        itself = group.outcome.isin([MATCHED, RENAMED])
        if missing or not itself.any():
            report.loc[group.index[itself], "outcome"] = INCOMPLETE
            report.loc[group.index[itself], "change"] = ", ".join(missing) or group.unit_name.iloc[0]
            continue
        report.loc[group.index[group.outcome == MATCHED], "outcome"] = ASSEMBLED
        stored.append((code, group.unit_name.iloc[0], gdf.geometry.iloc[group.feature.to_numpy()].union_all()))
    units = gpd.GeoDataFrame(stored, columns=["code", "name", "geometry"], geometry="geometry", crs=4326)
    return report, units


def _overlaps(units: gpd.GeoDataFrame) -> pd.DataFrame:
    """Pairs of stored polygons that overlap by more than OVERLAP_KM2 (reported, not changed)."""
    cols = ["code_a", "name_a", "code_b", "name_b", "km2"]
    if len(units) < 2:
        return pd.DataFrame(columns=cols)
    projected = units.to_crs(EQUAL_AREA).reset_index(drop=True)
    left, right = projected.sindex.query(projected.geometry, predicate="intersects")
    rows = []
    for a, b in zip(left, right):
        if a < b:
            km2 = projected.geometry.iloc[a].intersection(projected.geometry.iloc[b]).area / 1e6
            if km2 > OVERLAP_KM2:
                rows.append((units.code.iloc[a], units.name.iloc[a], units.code.iloc[b], units.name.iloc[b],
                             round(km2, 2)))
    return pd.DataFrame(rows, columns=cols)


# ---------------------------------------------------------------------------------------------
# Storing

def boundary_rows(match: BoundaryMatch, source: str) -> pd.DataFrame:
    """Simplified polygons of the joined units, one row per code, ready for the boundaries table."""
    from ntm.store.boundaries import geom_to_geojson

    simplified = match.units.geometry.simplify(SIMPLIFY_DEGREES, preserve_topology=True)
    return pd.DataFrame({"system": match.system, "level": match.level, "code": match.units["code"].to_numpy(),
                         "geojson": [geom_to_geojson(g) for g in simplified], "source": source,
                         "is_schematic": False})


def import_boundaries(con, match: BoundaryMatch, *, file_name: str, checksum: str, user: str,
                      source: str | None = None, db_path=None) -> int:
    """Store the matched polygons as one batch (earlier uploads for the same units are kept, not in
    force); NotPermitted when `user` may not change their provinces (nothing is stored). Returns the
    batch id."""
    if match.units.empty:
        raise BoundaryError("boundary.nothing_matched")
    from ntm.store.geo import uploaded_source

    rows = boundary_rows(match, source or uploaded_source(file_name, user))

    def write(cur) -> int:
        authorize(cur, user, BOUNDARIES, match.system, provinces_of_units(cur, match.system, match.level, rows["code"]))
        return add_batch(cur, "boundaries", rows, kind=f"boundaries_{match.level}", year=None, file_name=file_name,
                         checksum=checksum, imported_by=user)

    return land(con, write, db_path)


# ---------------------------------------------------------------------------------------------
# Report

def report_table(match: BoundaryMatch, lang: str, problems_only: bool = False) -> pd.DataFrame:
    """The dry-run report in the reader's language: one row per feature (problems first; with
    `problems_only`, every feature that did not simply match) — its number, its own name and code, what
    happened, the unit it lands on and why."""
    order = {o: i for i, o in enumerate((MISPLACED, INCOMPLETE, DISSOLVED, UNMATCHED, AMBIGUOUS, RENAMED, ASSEMBLED, MATCHED))}
    report = match.report[match.report.outcome != MATCHED] if problems_only else match.report
    rows = []
    for r in report.sort_values("outcome", key=lambda s: s.map(order), kind="stable").itertuples():
        unit = f"{r.unit_name} ({r.code})" if pd.notna(r.code) and pd.notna(r.unit_name) else ""
        rows.append({t("boundary.col_feature", lang): r.feature + 1,
                     t("boundary.col_name", lang): r.name_in_file,
                     t("boundary.col_code", lang): r.code_in_file,
                     t("boundary.col_outcome", lang): t(f"boundary.outcome_{r.outcome}", lang),
                     t("boundary.col_unit", lang): unit,
                     t("boundary.col_note", lang): _note(r, lang)})
    table = pd.DataFrame(rows)
    code_col = t("boundary.col_code", lang)
    if len(table) and not table[code_col].astype(bool).any():     # a file joined by names has no codes
        table = table.drop(columns=[code_col])
    return table


def _note(r, lang: str) -> str:
    """Why a feature landed where it did (decision, missing parts, candidates)."""
    decision = f" ({r.decision})" if r.decision else ""
    if pd.notna(r.former_code) and r.outcome in (RENAMED, DISSOLVED):
        decision = t("boundary.note_former_code", lang, code=r.former_code) + decision
    if r.outcome in (RENAMED, DISSOLVED) and pd.notna(r.code):
        return t(f"boundary.note_{r.change}", lang) + decision
    if r.outcome == DISSOLVED:
        return t("boundary.note_dissolved", lang) + decision
    if r.outcome == INCOMPLETE:
        return t("boundary.note_missing", lang, parts=r.change)
    if r.outcome == UNMATCHED:
        return t(f"boundary.note_unmatched_{r.change}", lang)
    if r.outcome == MISPLACED:
        where = r.change or t("boundary.no_province", lang)
        return t("boundary.note_misplaced", lang, where=where, province=r.decision)
    if r.outcome == AMBIGUOUS:
        return t("boundary.note_ambiguous", lang, candidates=r.change)
    return ""
