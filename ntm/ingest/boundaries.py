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
import stat
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import geopandas as gpd
import pandas as pd

from ntm.domain.names import name_key
from ntm.domain.units import POST, PRE
from ntm.errors import BoundaryError
from ntm.read.imports import province_successors, units_to_match
from ntm.store.batches import add_batch
from ntm.store.connection import transaction, write_lock

MAX_BYTES = 50 * 1024 * 1024
MAX_UNZIPPED_BYTES = 300 * 1024 * 1024
MAX_ZIP_ENTRIES = 100
MAX_RATIO = 100            # uncompressed / compressed, per entry
MAX_FEATURES = 20_000
SIMPLIFY_DEGREES = 0.0005  # ≈ 50 m
LEVEL_CODE_WIDTH = {"district": 3, "commune": 5}
SHAPE_PARTS = {".shp", ".shx", ".dbf", ".prj", ".cpg"}


@dataclass
class BoundaryMatch:
    """How the features of a file were joined to units."""

    level: str
    method: str                          # "code:<column>" or "name:<column>"
    matched: pd.DataFrame                # feature, code, name_in_file
    unmatched: pd.DataFrame              # feature, name_in_file, reason
    ambiguous: pd.DataFrame              # feature, name_in_file, candidates
    gdf: gpd.GeoDataFrame = field(repr=False, default=None)
    system: str = PRE                    # the unit system the features were joined to
    names_agree: int = 0                 # matched features whose name in the file is the unit's

    def summary(self) -> dict:
        """Counts for the report."""
        return {"matched": len(self.matched), "unmatched": len(self.unmatched),
                "ambiguous": len(self.ambiguous), "method": self.method, "system": self.system}


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
    out = []
    for info in infos:
        if info.is_dir():
            continue
        target = folder / PurePosixPath(info.filename.replace("\\", "/")).name  # flatten: no sub-paths
        written = 0
        with zf.open(info) as src, open(target, "wb") as dst:
            for chunk in iter(lambda: src.read(1 << 20), b""):
                written += len(chunk)
                if written > MAX_UNZIPPED_BYTES:
                    raise BoundaryError("boundary.zip_bomb", name=info.filename)
                dst.write(chunk)
        out.append(target)
    return out


def read_boundary_file(data: bytes, file_name: str) -> gpd.GeoDataFrame:
    """Read a GeoJSON, zipped Shapefile or GeoPackage into WGS84; raises BoundaryError."""
    if len(data) > MAX_BYTES:
        raise BoundaryError("boundary.too_large", limit_mb=MAX_BYTES // (1024 * 1024))
    suffix = Path(file_name).suffix.lower()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if data[:4] == b"PK\x03\x04":
            try:
                zf = zipfile.ZipFile(io.BytesIO(data))
            except zipfile.BadZipFile:
                raise BoundaryError("boundary.unreadable") from None
            with zf:
                files = _extract_safely(zf, _safe_zip_members(zf), folder)
            candidates = [p for p in files if p.suffix.lower() in (".shp", ".gpkg", ".geojson", ".json")]
            if not candidates:
                raise BoundaryError("boundary.no_layer")
            path = sorted(candidates, key=lambda p: (p.suffix.lower() != ".shp", p.name))[0]
        elif data[:16].startswith(b"SQLite format 3"):
            path = folder / "upload.gpkg"
            path.write_bytes(data)
        elif suffix in (".geojson", ".json") or data.lstrip()[:1] == b"{":
            path = folder / "upload.geojson"
            path.write_bytes(data)
        else:
            raise BoundaryError("boundary.format")
        gdf = _read_layer(path)
    return _to_wgs84(gdf)


# Only these drivers ever open an upload: GDAL otherwise recognises formats by content, and a VRT
# file could make it read other files on the server or fetch URLs.
_DRIVERS = {".shp": "ESRI Shapefile", ".gpkg": "GPKG", ".geojson": "GeoJSON", ".json": "GeoJSON"}


def _read_layer(path: Path) -> gpd.GeoDataFrame:
    """Open one layer with the driver its kind requires, after checking the file is that kind."""
    driver = _DRIVERS[path.suffix.lower()]
    head = path.read_bytes()[:64]
    if driver == "GeoJSON":
        try:
            doc = json.loads(path.read_text(encoding="utf-8-sig"))
        except (UnicodeDecodeError, ValueError):
            raise BoundaryError("boundary.unreadable") from None
        if not isinstance(doc, dict) or doc.get("type") not in ("FeatureCollection", "Feature"):
            raise BoundaryError("boundary.unreadable")
    elif driver == "GPKG" and not head.startswith(b"SQLite format 3"):
        raise BoundaryError("boundary.unreadable")
    elif driver == "ESRI Shapefile" and head[:4] != b"\x00\x00\x27\x0a":
        raise BoundaryError("boundary.unreadable")
    try:
        with pyogrio_config({"GDAL_SKIP": "VRT", "CPL_VSIL_CURL_ALLOWED_EXTENSIONS": "none",
                             "GDAL_HTTP_TIMEOUT": "1"}):
            return gpd.read_file(path, engine="pyogrio")      # content checked above; VRT skipped
    except BoundaryError:
        raise
    except Exception:
        raise BoundaryError("boundary.unreadable") from None


class pyogrio_config:
    """Set GDAL configuration options for the duration of a read."""

    def __init__(self, options: dict[str, str]):
        self.options = options

    def __enter__(self):
        import pyogrio
        self.before = {k: pyogrio.get_gdal_config_option(k) for k in self.options}
        pyogrio.set_gdal_config_options(self.options)

    def __exit__(self, *exc):
        import pyogrio
        pyogrio.set_gdal_config_options(self.before)


def _to_wgs84(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if len(gdf) == 0:
        raise BoundaryError("boundary.empty")
    if len(gdf) > MAX_FEATURES:
        raise BoundaryError("boundary.too_many", limit=MAX_FEATURES)
    gdf = gdf[gdf.geometry.notna() & ~gdf.geometry.is_empty]
    gdf = gdf[gdf.geometry.geom_type.isin(["Polygon", "MultiPolygon"])]
    if gdf.empty:
        raise BoundaryError("boundary.no_polygons")
    if gdf.crs is None:
        minx, miny, maxx, maxy = gdf.total_bounds
        if -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90:
            gdf = gdf.set_crs(4326)
        else:
            raise BoundaryError("boundary.no_crs")
    gdf = gdf.to_crs(4326)
    gdf["geometry"] = gdf.geometry.make_valid()
    return gdf.reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# Joining to units

def _as_codes(values: pd.Series, width: int) -> pd.Series:
    text = values.astype(str).str.strip().str.replace(r"\.0$", "", regex=True)
    return text.where(text.str.fullmatch(r"\d{1,%d}" % width)).str.zfill(width)


def detect_code_column(gdf: gpd.GeoDataFrame, units: pd.DataFrame, width: int,
                       feature_province: pd.Series) -> str | None:
    """The attribute column whose values are codes of units lying where the features lie (≥ 80% of
    features: a known code whose province contains the feature)."""
    province_of = dict(zip(units.code, units.province_code))
    best, best_share = None, 0.0
    for col in gdf.columns:
        if col == "geometry":
            continue
        codes = _as_codes(gdf[col], width)
        share = (codes.map(province_of) == feature_province).mean()
        if share > best_share:
            best, best_share = col, share
    return best if best_share >= 0.8 else None


def detect_name_column(gdf: gpd.GeoDataFrame, names: set[str]) -> str | None:
    """The text column whose normalised values best match unit names."""
    best, best_share = None, 0.0
    for col in gdf.columns:
        if col == "geometry" or not pd.api.types.is_object_dtype(gdf[col]) and not pd.api.types.is_string_dtype(gdf[col]):
            continue
        share = gdf[col].dropna().astype(str).map(name_key).isin(names).mean() if gdf[col].notna().any() else 0
        if share > best_share:
            best, best_share = col, share
    return best if best_share >= 0.3 else None


def _province_of(gdf: gpd.GeoDataFrame) -> pd.Series:
    from ntm.store.geo import load_province_polygons

    provinces = load_province_polygons()[["province_code", "geometry"]]
    points = gpd.GeoDataFrame(geometry=gdf.geometry.representative_point(), crs=4326)
    joined = gpd.sjoin(points, provinces, how="left", predicate="within")
    return joined.groupby(level=0)["province_code"].first().reindex(gdf.index)


def match_boundaries(con, gdf: gpd.GeoDataFrame, level: str, code_column: str | None = None,
                     system: str | None = None) -> BoundaryMatch:
    """Join features to units of `level` of the unit system they fit best (or of `system`): by a code
    column (given or detected), else by normalised name within the province each feature lies in."""
    if code_column and code_column not in gdf.columns:
        raise BoundaryError("boundary.no_column", column=code_column, columns=", ".join(map(str, gdf.columns[:20])))
    systems = (PRE,) if level == "district" else ((system,) if system else (POST, PRE))
    old_province = _province_of(gdf)
    tries, failure = [], None
    for s in systems:
        province = old_province if s == PRE else old_province.map(province_successors(con))
        try:
            tries.append(_match(con, gdf, level, code_column, s, province))
        except BoundaryError as exc:
            failure = exc
    if not tries:
        raise failure
    # Names decide between the systems (codes alone are ambiguous: the new ones reuse old numbers); then
    # the number of features joined; then the new units.
    return max(tries, key=lambda m: (m.names_agree, len(m.matched), m.system == POST))


def _names_agree(gdf: gpd.GeoDataFrame, matched: pd.DataFrame, units: pd.DataFrame) -> int:
    """How many matched features carry, in some text column, their unit's name."""
    if matched.empty:
        return 0
    expected = matched["code"].map(dict(zip(units.code, units.name.map(name_key)))).to_numpy()
    best = 0
    for col in gdf.columns:
        if col == "geometry" or not (pd.api.types.is_object_dtype(gdf[col]) or pd.api.types.is_string_dtype(gdf[col])):
            continue
        given = gdf[col].iloc[matched["feature"].to_numpy()].astype(str).map(name_key).to_numpy()
        best = max(best, int(sum(g == e or (isinstance(e, str) and e.endswith(" " + g)) for g, e in zip(given, expected))))
    return best


def _match(con, gdf: gpd.GeoDataFrame, level: str, code_column: str | None, system: str,
           province: pd.Series) -> BoundaryMatch:
    """The join of the features to the units of one system."""
    units = units_to_match(con, level, system)
    width = LEVEL_CODE_WIDTH[level]
    code_column = code_column or detect_code_column(gdf, units, width, province)
    feature = pd.Series(range(len(gdf)), index=gdf.index)
    if code_column:
        codes = _as_codes(gdf[code_column], width)
        known = codes.isin(set(units.code))
        matched = pd.DataFrame({"feature": feature[known], "code": codes[known], "name_in_file": codes[known]})
        unmatched = pd.DataFrame({"feature": feature[~known], "name_in_file": gdf[code_column][~known].astype(str),
                                  "reason": "code"})
        dup = matched.duplicated("code", keep=False)
        ambiguous = matched[dup].assign(candidates=matched[dup]["code"])[["feature", "name_in_file", "candidates"]]
        matched = matched[~dup]
        return BoundaryMatch(level, f"code:{code_column}", matched, unmatched, ambiguous, gdf, system,
                             _names_agree(gdf, matched, units))
    name_col = detect_name_column(gdf, set(units.name.map(name_key)))
    if name_col is None:
        raise BoundaryError("boundary.no_join")
    by_name: dict[tuple[str, str], list[str]] = {}        # (name key, province) -> unit codes, built once
    for code, name, prov in zip(units.code, units.name, units.province_code):
        by_name.setdefault((name_key(name), prov), []).append(code)
    rows_m, rows_u, rows_a = [], [], []
    for i, (name, prov) in enumerate(zip(gdf[name_col].astype(str), province)):
        cands = by_name.get((name_key(name), prov), [])
        if len(cands) == 1:
            rows_m.append((i, cands[0], name))
        elif len(cands) > 1:
            rows_a.append((i, name, ", ".join(cands)))
        else:
            rows_u.append((i, name, "name"))
    matched = pd.DataFrame(rows_m, columns=["feature", "code", "name_in_file"])
    dup = matched.duplicated("code", keep=False)
    ambiguous = pd.concat([pd.DataFrame(rows_a, columns=["feature", "name_in_file", "candidates"]),
                           matched[dup].rename(columns={"code": "candidates"})], ignore_index=True)
    return BoundaryMatch(level, f"name:{name_col}", matched[~dup],
                         pd.DataFrame(rows_u, columns=["feature", "name_in_file", "reason"]), ambiguous, gdf, system,
                         int((~dup).sum()))


# ---------------------------------------------------------------------------------------------
# Storing

def boundary_rows(match: BoundaryMatch, source: str) -> pd.DataFrame:
    """Simplified matched polygons, one row per code, ready for the boundaries table."""
    from ntm.store.boundaries import geom_to_geojson

    geoms = match.gdf.geometry.iloc[match.matched["feature"].to_numpy()]
    simplified = geoms.simplify(SIMPLIFY_DEGREES, preserve_topology=True)
    return pd.DataFrame({"system": match.system, "level": match.level, "code": match.matched["code"].to_numpy(),
                         "geojson": [geom_to_geojson(g) for g in simplified], "source": source,
                         "is_schematic": False})


def import_boundaries(con, match: BoundaryMatch, *, file_name: str, checksum: str, user: str,
                      source: str | None = None, db_path=None) -> int:
    """Store the matched polygons as one batch (earlier uploads for the same units are kept, not in
    force); returns the batch id."""
    if match.matched.empty:
        raise BoundaryError("boundary.nothing_matched")
    rows = boundary_rows(match, source or f"{file_name} (uploaded by {user})")
    with write_lock(db_path):
        with transaction(con) as cur:
            return add_batch(cur, "boundaries", rows, kind=f"boundaries_{match.level}", year=None,
                             file_name=file_name, checksum=checksum, imported_by=user)
