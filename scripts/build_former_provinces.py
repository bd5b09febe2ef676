"""Build the outlines of the 63 provinces before 1 July 2025 from the real communes of today.

Each commune in force since 1 July 2025 (`data/boundaries/communes_post2025.geojson`, the national merger
map's polygons, islands and special zones included) goes to the old province its predecessors belonged
to (the lineage of the reform in the unit list, `vietnamadminunits`); the communes of each old province
are dissolved into its outline. So the old provinces have their islands (Bạch Long Vĩ, Cồn Cỏ, Lý Sơn,
Côn Đảo, Kiên Hải, Phú Quốc…), the borders of the official units (the 2004–2008 changes included), and
nest exactly in the 34 new provinces and their communes.

    .venv/bin/python scripts/build_former_provinces.py

Rules (every case is listed in `data/boundaries/pre2025_build_report.txt`):

1. A new commune goes whole to the old province of its principal predecessors (the lineage rows marked
   default; all its rows when none is). Predecessors in two old provinces: the province of most of
   them, on a tie the one whose commune gave the new commune its code.
2. A special zone without predecessors (an island district that had no communes: Bạch Long Vĩ, Cồn Cỏ,
   Hoàng Sa, Lý Sơn, Côn Đảo) goes to the province of the old district of the same name.
3. Checks: 63 valid outlines; the old provinces of each new province make up exactly that province; the
   area of each outline against the official areas of its communes (the unit list's, from the merger
   map) and against the Natural Earth outline the product used before; the share of the old districts'
   and communes' reference points that fall in their own province, here and in Natural Earth.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ntm.domain.names import name_key  # noqa: E402
from ntm.domain.units import POST, PRE  # noqa: E402
from ntm.store import geo  # noqa: E402
from ntm.store.unit_list import build_units, province_crosswalk  # noqa: E402

OUT = geo.PROVINCES_PATH
REPORT = ROOT / "data" / "boundaries" / "pre2025_build_report.txt"
OFFICIAL_AREAS = ROOT / "data" / "boundaries" / "official_areas.csv"
GRID = 0.0001               # degrees (~10 m), the grid of the communes
EQUAL_AREA = "EPSG:6933"
KM_PER_DEGREE = 111.32


def predecessors(units: pd.DataFrame, lineage: pd.DataFrame) -> pd.DataFrame:
    """One row per (new commune, old commune) of the 2025 reform: `new`, `old`, `province`, `district`,
    `principal` (the lineage's default row), and the old commune's reference point."""
    rows = lineage[lineage.change_type == "reform2025"]
    old = units[(units.system == PRE) & (units.level == "commune")].set_index("unit_id")
    return pd.DataFrame({
        "new": rows.successor_id.str.rsplit(":", n=1).str[-1].to_numpy(),
        "old": rows.predecessor_id.map(old.code).to_numpy(),
        "province": rows.predecessor_id.map(old.province_code).to_numpy(),
        "district": rows.predecessor_id.map(old.district_code).to_numpy(),
        "principal": rows.is_default.astype(bool).to_numpy(),
        "lon": pd.to_numeric(rows.predecessor_id.map(old.lon)).to_numpy(),
        "lat": pd.to_numeric(rows.predecessor_id.map(old.lat)).to_numpy()})


def province_of_commune(code: str, preds: pd.DataFrame) -> str:
    """Rule 1: the old province of most of the principal predecessors; a tie goes to the province of the
    predecessor whose code the new commune kept."""
    principal = preds[preds.principal] if preds.principal.any() else preds
    counts = principal.province.value_counts()
    tied = sorted(counts[counts == counts.max()].index)
    kept = principal.province[principal.old == code]
    return kept.iloc[0] if len(tied) > 1 and len(kept) and kept.iloc[0] in tied else tied[0]


def zone_provinces(communes: gpd.GeoDataFrame, units: pd.DataFrame, done: set[str]) -> dict[str, tuple[str, str]]:
    """Rule 2: new communes without predecessors → (old province, old district name) of the district of
    the same short name that had no communes, in an old province of the commune's new province."""
    old_to_new = province_crosswalk()
    districts = units[(units.system == PRE) & (units.level == "district")]
    with_communes = set(units.loc[(units.system == PRE) & (units.level == "commune"), "district_code"])
    empty = districts[~districts.code.isin(with_communes)]
    by_key = {(name_key(r.short_name), old_to_new[r.province_code]): (r.province_code, r.name)
              for r in empty.itertuples()}
    names = units[(units.system == POST) & (units.level == "commune")].set_index("code").short_name
    out = {}
    for r in communes[~communes.code.isin(done)].itertuples():
        hit = by_key.get((name_key(names[r.code]), r.province_code))
        if hit is None:
            raise SystemExit(f"{r.code} {r.name}: no predecessors and no old district of that name")
        out[r.code] = hit
    return out


def assign(communes: gpd.GeoDataFrame, preds: pd.DataFrame, units: pd.DataFrame, report: list[str]) -> pd.Series:
    """The old province of every new commune (rules 1 and 2), with every case that needed a rule
    reported: predecessors in two old provinces, special zones without predecessors."""
    geom = communes.set_index("code").geometry
    name = communes.set_index("code")["name"]
    out = {}
    report.append("## New communes whose predecessors lie in two old provinces (rule 1)")
    for code, group in preds.groupby("new", sort=True):
        out[code] = province_of_commune(code, group)
        if group.province.nunique() > 1:
            others = group[group.province != out[code]]
            km = shapely.distance(geom[code], shapely.points(others[["lon", "lat"]].to_numpy())) * KM_PER_DEGREE
            parts = ", ".join(f"{o} ({p}, {'principal' if d else 'part'}, point {k:.0f} km away)"
                              for o, p, d, k in zip(others.old, others.province, others.principal, km))
            report.append(f"- {code} {name[code]} → province {out[code]}; predecessors elsewhere: {parts}")
    report.append("## Special zones without predecessors (rule 2)")
    for code, (province, district) in zone_provinces(communes, units, set(out)).items():
        out[code] = province
        report.append(f"- {code} {name[code]} → province {province} ({district}, a district without communes)")
    return pd.Series(out).reindex(communes.code)


def dissolve(communes: gpd.GeoDataFrame, province: pd.Series, units: pd.DataFrame) -> gpd.GeoDataFrame:
    """The old provinces as the union of their new communes, on the communes' grid, with their names (and,
    for the report only, the sum of their communes' areas in the unit list)."""
    new = units[(units.system == POST) & (units.level == "commune")].set_index("code")
    old = units[(units.system == PRE) & (units.level == "province")].set_index("code")
    frame = gpd.GeoDataFrame({"province_code": province.to_numpy(),
                              "km2": pd.to_numeric(new.area_km2.reindex(communes.code)).to_numpy()},
                             geometry=communes.geometry.to_numpy(), crs=geo.CRS)
    rows = []
    for code, group in frame.groupby("province_code", sort=True):
        outline = geo.polygonal(shapely.set_precision(shapely.union_all(group.geometry.to_numpy()), GRID))
        rows.append({"province_code": code, "name": old.name[code], "name_short": old.short_name[code],
                     "communes_km2": float(group.km2.sum()), "source": geo.PRE2025_SOURCE,
                     "geometry": outline})
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=geo.CRS)


def km2(gdf: gpd.GeoDataFrame) -> pd.Series:
    return gdf.to_crs(EQUAL_AREA).area / 1e6


def check_nesting(provinces: gpd.GeoDataFrame, report: list[str]) -> None:
    """Rule 3: the old provinces of each new province make it up exactly, and do not overlap."""
    new = geo.load_post2025("province").set_index("code").geometry
    to_new = province_crosswalk()
    worst = 0.0
    for code, group in provinces.groupby(provinces.province_code.map(to_new)):
        diff = shapely.symmetric_difference(shapely.union_all(group.geometry.to_numpy()), new[code]).area
        worst = max(worst, diff / new[code].area)
    geoms = provinces.geometry.to_numpy()
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    overlap = sum(shapely.intersection(geoms[i], geoms[j]).area for i, j in zip(left, right) if i < j)
    overlap_km2 = overlap * KM_PER_DEGREE ** 2
    report.append("## Nesting")
    report.append(f"- the old provinces of each new province make it up to {worst:.1e} of its area; "
                  f"overlaps between old provinces: {overlap_km2:.3f} km² in all")
    if worst > 1e-6 or overlap_km2 > 1:
        raise SystemExit("the old provinces do not make up the new ones")


def compare_areas(provinces: gpd.GeoDataFrame, report: list[str]) -> None:
    """Rule 3: each outline's area against the official figures in `data/boundaries/official_areas.csv`
    (the old province's statistical-yearbook area where known; else the area of the new province it
    went into, per NQ 202/2025/QH15, against its old provinces together), the sum of its communes' areas
    in the unit list, and Natural Earth."""
    official = pd.read_csv(OFFICIAL_AREAS, dtype={"province_code": str})
    old_official = official[official.system == PRE].set_index("province_code").area_km2
    new_official = official[official.system == POST].set_index("province_code").area_km2
    ne = geo.load_province_polygons(geo.NATURAL_EARTH_PATH).set_index("province_code")
    table = pd.DataFrame({"name": provinces.name_short.to_numpy(), "communes": provinces.communes_km2.to_numpy(),
                          "outline": km2(provinces).to_numpy(),
                          "natural_earth": km2(ne).reindex(provinces.province_code).to_numpy()},
                         index=provinces.province_code)
    table["official"] = old_official.reindex(table.index)
    pct = lambda a, b: 100 * (a / b - 1)                                    # noqa: E731
    known = table.official.notna()
    report.append("## Areas (km²) of the old provinces: official (statistical yearbook 2023), this outline, "
                  "the sum of the communes' areas in the unit list, Natural Earth")
    report.append(f"- {known.sum()} provinces with an official area: this outline differs by a median "
                  f"{pct(table.outline, table.official)[known].abs().median():.1f} % "
                  f"({(pct(table.outline, table.official)[known].abs() > 5).sum()} by more than 5 %), Natural Earth "
                  f"by {pct(table.natural_earth, table.official)[known].abs().median():.1f} % "
                  f"({(pct(table.natural_earth, table.official)[known].abs() > 5).sum()} by more than 5 %), the unit "
                  f"list's commune areas by {pct(table.communes, table.official)[known].abs().median():.1f} % "
                  f"({(pct(table.communes, table.official)[known].abs() > 5).sum()} by more than 5 %)")
    for code, r in table.iterrows():
        official_text = f"official {r.official:,.1f}, " if pd.notna(r.official) else "official –, "
        base = r.official if pd.notna(r.official) else r.communes
        report.append(f"- {code} {r['name']}: {official_text}outline {r.outline:,.1f} ({pct(r.outline, base):+.1f} %), "
                      f"communes {r.communes:,.1f} ({pct(r.communes, base):+.1f} %), Natural Earth "
                      f"{r.natural_earth:,.1f} ({pct(r.natural_earth, base):+.1f} %)")
    to_new = provinces.province_code.map(province_crosswalk())
    grouped = table.groupby(to_new.to_numpy())[["outline", "communes", "natural_earth"]].sum()
    grouped["official"] = new_official.reindex(grouped.index)
    merged = grouped[grouped.official.notna()]
    report.append("## Areas (km²) of the merged provinces (NQ 202/2025/QH15) against their old provinces together")
    for code, r in merged.iterrows():
        members = ", ".join(table.name[to_new.to_numpy() == code])
        report.append(f"- {code} ({members}): official {r.official:,.1f}, outlines {r.outline:,.1f} "
                      f"({pct(r.outline, r.official):+.1f} %), communes {r.communes:,.1f} "
                      f"({pct(r.communes, r.official):+.1f} %), Natural Earth {r.natural_earth:,.1f} "
                      f"({pct(r.natural_earth, r.official):+.1f} %)")
    unchecked = [f"{c} {table.name[c]}" for c in table.index[~known] if to_new[provinces.province_code == c].iloc[0]
                 not in set(merged.index)]
    report.append(f"- no official area found for: {', '.join(unchecked) or 'none'}")


def compare_points(provinces: gpd.GeoDataFrame, units: pd.DataFrame, report: list[str]) -> None:
    """Rule 3: the share of old districts' and communes' reference points (geocoded, approximate) inside
    their own province, here and in Natural Earth; the districts outside either, with the distance."""
    layers = {"outline": provinces.set_index("province_code").geometry,
              "Natural Earth": geo.load_province_polygons(geo.NATURAL_EARTH_PATH).set_index("province_code").geometry}
    report.append("## Reference points inside their own province")
    for level in ("district", "commune"):
        pts = units[(units.system == PRE) & (units.level == level) & units.lat.notna()]
        points = shapely.points(pts[["lon", "lat"]].astype(float).to_numpy())
        shares, far = [], {}
        for label, layer in layers.items():
            km = shapely.distance(layer.reindex(pts.province_code).to_numpy(), points) * KM_PER_DEGREE
            shares.append(f"{label} {100 * (km == 0).mean():.1f} %")
            far[label] = km
        report.append(f"- {level}s ({len(pts)}): " + ", ".join(shares))
        if level == "district":
            for i, r in enumerate(pts.itertuples()):
                if far["outline"][i] > 1 or far["Natural Earth"][i] > 1:
                    report.append(f"  - {r.code} {r.name} ({r.province_code}): {far['outline'][i]:.1f} km outside "
                                  f"this outline, {far['Natural Earth'][i]:.1f} km outside Natural Earth")


def write(provinces: gpd.GeoDataFrame, path: Path) -> int:
    """The outlines as GeoJSON (4 decimals, the communes' grid), checked valid as written."""
    props = ["province_code", "name", "name_short", "source"]
    text = json.dumps(geo.to_geojson_dict(provinces, props, precision=4), ensure_ascii=False, separators=(",", ":"))
    path.write_text(text, encoding="utf-8")
    written = gpd.read_file(path)
    if len(written) != 63 or not (written.is_valid & ~written.is_empty).all():
        raise SystemExit(f"{path.name}: 63 valid outlines expected as written")
    return len(text.encode())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--report", type=Path, default=REPORT)
    args = ap.parse_args(argv)
    units, lineage = build_units()
    communes = geo.load_post2025("commune")
    report: list[str] = []
    province = assign(communes, predecessors(units, lineage), units, report)
    provinces = dissolve(communes, province, units)
    check_nesting(provinces, report)
    compare_areas(provinces, report)
    compare_points(provinces, units, report)
    size = write(provinces, args.out)
    report.append("## Output")
    report.append(f"- {args.out.name}: {len(provinces)} provinces, {size / 1e6:.2f} MB")
    text = "\n".join(report) + "\n"
    args.report.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
