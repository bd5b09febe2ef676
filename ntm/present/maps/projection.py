"""The deck's Web-Mercator screen: degrees per pixel at a zoom, and canvas pixels of a longitude and
latitude in an initial view (from the canvas centre, x to the east, y down)."""

from __future__ import annotations

import math

import numpy as np
import shapely


def mercator_degrees(lat: float) -> float:
    """Web-Mercator y of a latitude, in degrees-of-longitude units (so one scale serves x and y)."""
    lat = max(min(lat, 85.0), -85.0)
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


def degrees_per_pixel(zoom: float) -> float:
    """Degrees of longitude one screen pixel spans at a deck.gl zoom (a 512-pixel world at zoom 0)."""
    return 360.0 / (512.0 * 2.0 ** zoom)


def to_px(lon: float, lat: float, view: dict) -> tuple[float, float]:
    """Canvas pixels (from the centre, y down) of a longitude and latitude in `view`."""
    per_px = degrees_per_pixel(view["zoom"])
    return (lon - view["longitude"]) / per_px, (mercator_degrees(view["latitude"]) - mercator_degrees(lat)) / per_px


def from_px(x: float, y: float, view: dict) -> tuple[float, float]:
    """Longitude and latitude of canvas pixels (from the centre, y down) in `view`."""
    per_px = degrees_per_pixel(view["zoom"])
    merc = math.radians(mercator_degrees(view["latitude"]) - y * per_px)
    return view["longitude"] + x * per_px, math.degrees(2 * math.atan(math.exp(merc)) - math.pi / 2)


def in_pixels(geom, view: dict):
    """A lon/lat geometry in canvas pixels of `view`."""
    per_px = degrees_per_pixel(view["zoom"])
    lon0, y0 = view["longitude"], mercator_degrees(view["latitude"])

    def project(xy):
        lat = np.clip(xy[:, 1], -85.0, 85.0)
        merc = np.degrees(np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)))
        return np.column_stack([(xy[:, 0] - lon0) / per_px, (y0 - merc) / per_px])

    return shapely.transform(geom, project)
