"""The shipped layers a map draws besides its units (the Hoàng Sa and Trường Sa archipelagos), and what a
stored boundary source is, for the map's source line."""

from __future__ import annotations

import geopandas as gpd

from ntm.store import geo

SHIPPED = {geo.SCHEMATIC: "schematic", geo.POST2025_SOURCE: "post2025", geo.PRE2025_SOURCE: "pre2025"}


def archipelagos() -> gpd.GeoDataFrame:
    """The Hoàng Sa and Trường Sa archipelagos, drawn on every national map."""
    return geo.load_archipelagos()


def source_kind(source: str) -> tuple[str | None, dict[str, str]]:
    """What a stored boundary source is: 'schematic', 'post2025' or 'pre2025' (a shipped layer), 'uploaded'
    with the file's name and who uploaded it, or None (another source, named as stored)."""
    parts = source.split("\t")
    if len(parts) == 3 and parts[0] == geo.UPLOADED:
        return "uploaded", {"file": parts[1], "user": parts[2]}
    return SHIPPED.get(source), {}
