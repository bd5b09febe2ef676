"""Build the shipped boundary layer of the units in force since 1 July 2025 (34 provinces, 3,321 communes).

Source: the public repository `thanglequoc/vietnamese-provinces-database` (MIT), folder `json/geojson/`
(one GeoJSON per province and per commune, polygons from the national merger map service
sapnhap.bando.com.vn). Fetch it first (a snapshot with or without a work tree), then:

    .venv/bin/python scripts/build_post2025_boundaries.py --source PATH

PATH is the snapshot's git directory (`…/repo`, read with `git show`) or a checkout. The script

1. reads every commune polygon and checks its code against the product's unit list (vietnamadminunits):
   a code the list does not have is matched by province and name, and the re-coding is reported;
2. repairs invalid geometries and removes the overlap between neighbours (kept by the lower code);
3. simplifies the communes as one coverage (shared edges stay shared: no gaps, no overlaps), snaps the
   coordinates to a 0.0001° grid and checks every polygon is valid and non-empty;
4. dissolves the communes into the 34 provinces (so provinces and communes agree);
5. writes `data/boundaries/communes_post2025.geojson` and `provinces_post2025.geojson` and prints a
   report (also written to `data/boundaries/post2025_build_report.txt`).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import mapping, shape

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ntm.store.geo import POST2025_SOURCE  # noqa: E402
from ntm.store.unit_list import post2025_units  # noqa: E402

OUT = ROOT / "data" / "boundaries"
FOLDER = "json/geojson"
TOLERANCE = 0.0025          # degrees (~250 m): a national commune map stays small, a province map still reads
GRID = 0.0001               # degrees (~10 m): coordinates written with 4 decimals
OVERLAP_REPORT_KM2 = 0.01   # overlaps larger than this are listed in the report
SOURCE = POST2025_SOURCE    # how maps name these boundaries (translated for the reader there)


def _blobs(source: Path) -> list[tuple[str, bytes]]:
    """(path, content) of every GeoJSON under json/geojson, from a git directory or a checkout."""
    if (source / FOLDER).is_dir():
        return [(str(p.relative_to(source)), p.read_bytes()) for p in sorted((source / FOLDER).rglob("*.geojson"))]
    names = subprocess.run(["git", f"--git-dir={source}", "ls-tree", "-r", "--name-only", "HEAD", FOLDER],
                           check=True, capture_output=True, text=True, timeout=120).stdout.split("\n")
    names = [n for n in names if n.endswith(".geojson")]
    proc = subprocess.run(["git", f"--git-dir={source}", "cat-file", "--batch"], check=True, capture_output=True,
                          input="".join(f"HEAD:{n}\n" for n in names).encode(), timeout=900)
    out, pos = [], 0
    data = proc.stdout
    for name in names:
        end = data.index(b"\n", pos)
        size = int(data[pos:end].split()[2])
        out.append((name, data[end + 1:end + 1 + size]))
        pos = end + 1 + size + 1
    return out


def _key(name: str) -> str:
    """A name without accents, case or spaces, for matching ('Đặc khu Hoàng Sa' → 'hoangsa')."""
    text = unicodedata.normalize("NFD", str(name)).replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in text if c.isalnum() and not unicodedata.combining(c)).lower()


def _polygonal(geom):
    """The polygonal part of a geometry, repaired when invalid (or None)."""
    if geom is None or geom.is_empty:
        return None
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    parts = [g for g in getattr(geom, "geoms", [geom]) if g.geom_type in ("Polygon", "MultiPolygon")]
    if not parts:
        return None
    return shapely.union_all(parts) if len(parts) > 1 else parts[0]


def read_communes(source: Path, report: list[str]) -> list[dict]:
    """Every commune feature as {code, name, province_code, area_km2, geometry}."""
    rows = []
    for path, blob in _blobs(source):
        if "/wards/" not in path:
            continue
        province = path.split("/")[2].split("_")[0]
        for f in json.loads(blob)["features"]:
            p = f.get("properties") or {}
            geom = _polygonal(shape(f["geometry"])) if f.get("geometry") else None
            if geom is None:
                report.append(f"- {p.get('code')} {p.get('fullName')}: no polygon in the source, left out")
                continue
            rows.append({"code": str(p["code"]).zfill(5), "name": p.get("fullName") or p.get("name"),
                         "province_code": province, "area_km2": p.get("areaKm2"), "geometry": geom})
    return rows


def join_codes(rows: list[dict], report: list[str]) -> list[dict]:
    """Check codes against the unit list; a code the list lacks is matched by province and name."""
    units = post2025_units()
    communes = units[units["level"] == "commune"]
    known = dict(zip(communes["code"], communes["name"]))
    have = {r["code"] for r in rows}
    missing = communes[~communes["code"].isin(have)]
    by_name = {(r.province_code, _key(r.name)): r.code for r in missing.itertuples()}
    kept = []
    for r in rows:
        if r["code"] in known:
            kept.append(r)
            continue
        new = by_name.get((r["province_code"], _key(r["name"])))
        if new:
            report.append(f"- {r['name']} (province {r['province_code']}): code {r['code']} in the source is "
                          f"{new} in the unit list; joined as {new}")
            kept.append({**r, "code": new, "name": known[new]})
        else:
            report.append(f"- {r['name']} {r['code']}: not in the unit list, left out")
    codes = [r["code"] for r in kept]
    dupes = sorted({c for c in codes if codes.count(c) > 1})
    if dupes:
        raise SystemExit(f"codes with more than one polygon: {dupes}")
    absent = sorted(set(known) - set(codes))
    for code in absent:
        report.append(f"- {known[code]} {code}: in the unit list, no polygon in the source")
    for r in kept:
        r["name"] = known[r["code"]]
    return kept


def remove_overlaps(geoms: list, codes: list[str], report: list[str]) -> list:
    """Neighbours may overlap a little at full resolution: the lower code keeps the shared area."""
    geoms = list(geoms)
    for area, i, j in overlaps(geoms):
        if area > OVERLAP_REPORT_KM2:
            report.append(f"- {codes[i]} and {codes[j]} overlap by {area:.2f} km²: kept by {codes[i]}")
        geoms[j] = _polygonal(shapely.difference(geoms[j], geoms[i])) or geoms[j]
    return geoms


def simplify(geoms: list, report: list[str]) -> list:
    """Coverage simplification (shared edges simplified once), snapped to the grid, each polygon valid."""
    coverage = shapely.set_precision(np.array(geoms, dtype=object), GRID * 0.1)
    simple = shapely.coverage_simplify(coverage, TOLERANCE, simplify_boundary=True)
    snapped = shapely.set_precision(simple, GRID)
    out = []
    for before, after in zip(coverage, snapped):
        g = _polygonal(after)
        if g is None or g.is_empty:            # a tiny island vanished on the grid: keep it unsimplified
            g = _polygonal(shapely.set_precision(before, GRID)) or before
        out.append(g)
    bad = sum(not g.is_valid for g in out)
    if bad:
        raise SystemExit(f"{bad} invalid polygons after simplification")
    pairs = overlaps(out)
    report.append(f"- {len(out)} valid polygons; {len(pairs)} neighbour pairs touch with a sliver from the grid, "
                  f"{sum(a for a, _, _ in pairs):.3f} km² in all, the largest {max((a for a, _, _ in pairs), default=0):.4f} km²")
    return out


def overlaps(geoms) -> list[tuple[float, int, int]]:
    """(km², i, j) of every pair of polygons whose interiors overlap."""
    geoms = np.array(geoms, dtype=object)
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    out = []
    for i, j in zip(left, right):
        if i < j:
            inter = shapely.intersection(geoms[i], geoms[j])
            if not inter.is_empty and inter.area > 0:
                out.append((inter.area * 111.32 ** 2 * np.cos(np.radians(inter.centroid.y)), int(i), int(j)))
    return out


def _write(path: Path, features: list[dict]) -> int:
    text = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False,
                      separators=(",", ":"))
    path.write_text(text, encoding="utf-8")
    return len(text.encode())


def _feature(props: dict, geom) -> dict:
    geo = mapping(geom)
    geo["coordinates"] = json.loads(json.dumps(geo["coordinates"]), parse_float=lambda v: round(float(v), 4))
    return {"type": "Feature", "properties": props, "geometry": geo}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--source", type=Path, required=True,
                    help="the fetched repository: its git directory or a checkout")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    report: list[str] = ["## Codes"]
    rows = join_codes(read_communes(args.source, report), report)
    rows.sort(key=lambda r: r["code"])
    codes = [r["code"] for r in rows]
    report.append("## Overlaps between neighbours (full resolution)")
    geoms = remove_overlaps([r["geometry"] for r in rows], codes, report)
    report.append("## Simplification")
    geoms = simplify(geoms, report)
    provinces = {}
    for r, g in zip(rows, geoms):
        provinces.setdefault(r["province_code"], []).append(g)
    units = post2025_units()
    province_names = dict(zip(units.loc[units.level == "province", "code"], units.loc[units.level == "province", "name"]))
    args.out.mkdir(parents=True, exist_ok=True)
    size_c = _write(args.out / "communes_post2025.geojson", [
        _feature({"code": r["code"], "name": r["name"], "province_code": r["province_code"],
                  "area_km2": r["area_km2"], "source": SOURCE}, g) for r, g in zip(rows, geoms)])
    size_p = _write(args.out / "provinces_post2025.geojson", [
        _feature({"code": code, "province_code": code, "name": province_names.get(code, code), "source": SOURCE},
                 _polygonal(shapely.set_precision(shapely.union_all(np.array(gs)), GRID)))
        for code, gs in sorted(provinces.items())])
    for name in ("communes_post2025.geojson", "provinces_post2025.geojson"):      # as written, rounded
        written = [shape(f["geometry"]) for f in json.loads((args.out / name).read_text(encoding="utf-8"))["features"]]
        if not all(g.is_valid and not g.is_empty for g in written):
            raise SystemExit(f"{name}: invalid geometry after rounding")
    report.append("## Output")
    report.append(f"- communes_post2025.geojson: {len(rows)} communes, {size_c / 1e6:.2f} MB")
    report.append(f"- provinces_post2025.geojson: {len(provinces)} provinces, {size_p / 1e6:.2f} MB")
    text = "\n".join(report) + "\n"
    (args.out / "post2025_build_report.txt").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
