"""The boundaries shipped with the product, written into the database at build time and by migrations 6 and
9: the old provinces (today's real communes dissolved by their predecessors' province), schematic old
districts and communes for the demo provinces, and the real provinces and communes of the units in force
since 1 July 2025. Uploaded boundaries (rows with a batch) are never touched here."""

from __future__ import annotations

import json

from shapely.geometry import mapping

from ntm.domain.units import POST, PRE
from ntm.store import demo, geo


def load_boundaries(con, schematic_provinces: tuple[str, ...] | None = None) -> int:
    """The shipped boundaries (uploaded ones are kept): the old provinces (from today's communes) with schematic
    districts and communes of the demo provinces, and the real provinces and communes of the new units
    (data/boundaries/README.md). `schematic_provinces`: the old provinces to draw schematic districts and
    communes for (default: the demo's)."""
    schematic_provinces = tuple(demo.province_plans()) if schematic_provinces is None else schematic_provinces
    provinces = geo.load_province_polygons()
    communes = con.execute("""
        SELECT code AS commune_code, district_code, province_code, lat, lon FROM units
        WHERE system = ? AND level = 'commune' AND valid_to = DATE '2025-06-30' AND province_code IN ?""",
                           [PRE, list(schematic_provinces)]).df()
    commune_gdf, district_gdf = geo.schematic_polygons(communes, provinces)
    rows = []
    for system, level, gdf, code_col in ((PRE, "province", provinces, "province_code"),
                                         (PRE, "district", district_gdf, "district_code"),
                                         (PRE, "commune", commune_gdf, "commune_code"),
                                         (POST, "province", geo.load_post2025("province"), "code"),
                                         (POST, "commune", geo.load_post2025("commune"), "code")):
        schematic = system == PRE and level in ("district", "commune")
        for code, geom, source in zip(gdf[code_col], gdf.geometry, gdf["source"]):
            rows.append((system, level, code, geom_to_geojson(geom), source, schematic))
    con.execute("DELETE FROM boundaries WHERE batch_id IS NULL")          # shipped rows; uploads stay
    con.executemany("INSERT INTO boundaries (system, level, code, geojson, source, is_schematic) "
                    "VALUES (?, ?, ?, ?, ?, ?)", rows)
    return len(rows)


def geom_to_geojson(geom) -> str:
    """A shapely geometry as a compact GeoJSON geometry string."""
    return json.dumps(mapping(geom), separators=(",", ":"))
