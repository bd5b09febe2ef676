"""Choropleth maps of the programme figures (pure: no Streamlit).

`build_map()` reads boundaries and figures from the database and returns a `MapView`: plain data
(GeoJSON dicts with per-feature colours and tooltip text, legend, view, provenance), cheap to cache
and to pickle. `to_deck()` turns a `MapView` into a `pydeck.Deck` with no basemap (offline-safe);
basemap tiles are an option (`NTM_BASEMAP_TILES`).

Shape of a unit feature's properties (everything the tooltip and the click handler need):

    {"code": "610", "level": "district", "name": "Huyện Đắk Glei", "value": 12.3,
     "fill": [r, g, b, a], "line": [r, g, b, a], "line_w": 3, "tooltip": "Huyện Đắk Glei (610)\\n…"}

Rules: boundaries uploaded by users (non-schematic) win over schematic ones for the same
system/level/code; the Hoàng Sa and Trường Sa archipelagos are drawn and labelled on every map that
shows the country; tooltips are plain text (`{"text": …}`), never HTML.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field
from urllib.parse import quote

import numpy as np
import pandas as pd
import pydeck as pdk
import shapely
from pydeck.bindings.json_tools import default_serialize
from shapely.geometry import mapping, shape

from . import geo
from .i18n import fmt_number, status_label, t
from .queries import NATIONAL, Scope
from .rules import STATUS_LADDER
from .settings import reform_code_year
from .state import LEVELS, METRICS
from .units import POST, PRE, PRE_END

RGB = tuple[int, int, int]

NO_DATA_COLOUR: RGB = (190, 190, 190)
CONTEXT_FILL = (244, 244, 242, 255)
CONTEXT_LINE = (150, 150, 150, 255)
MOUNTAIN_LINE = (110, 60, 20, 255)
SELECTED_LINE = (20, 20, 20, 255)
UNIT_LINE = (255, 255, 255, 230)
ARCHIPELAGO_FILL = (120, 120, 120, 255)

# ColorBrewer palettes (colour-blind safe sequential / diverging schemes).
YL_OR_RD_6: tuple[RGB, ...] = ((255, 255, 178), (254, 217, 118), (254, 178, 76), (253, 141, 60),
                               (240, 59, 32), (189, 0, 38))
GREENS_5: tuple[RGB, ...] = ((237, 248, 233), (186, 228, 179), (116, 196, 118), (49, 163, 84), (0, 109, 44))
ORANGES_5: tuple[RGB, ...] = ((254, 237, 222), (253, 190, 133), (253, 141, 60), (230, 85, 13), (166, 54, 3))
PURPLES_5: tuple[RGB, ...] = ((242, 240, 247), (203, 201, 226), (158, 154, 200), (117, 107, 177), (84, 39, 143))
RD_YL_GN_6: tuple[RGB, ...] = ((26, 152, 80), (145, 207, 96), (217, 239, 139), (255, 255, 191),
                               (252, 141, 89), (215, 48, 39))   # big fall … big rise
STATUS_COLOURS: dict[str, RGB] = {"none": (253, 212, 158), "standard": (161, 217, 155),
                                  "advanced": (65, 171, 93), "model": (0, 90, 50)}


@dataclass(frozen=True)
class MetricSpec:
    """How one map indicator is computed, classed and coloured.

    `breaks` are the inner class limits (a value v is in class i when breaks[i-1] <= v < breaks[i]);
    None means quintiles of the values shown. Communes are categorical for `ntm_status`; above the
    commune level that indicator becomes the share of rural communes recognised NTM.
    """

    key: str
    unit: str                       # i18n key of the unit: unit.percent / unit.pp / …
    palette: tuple[RGB, ...]
    breaks: tuple[float, ...] | None = None
    decimals: int = 1
    higher_is_better: bool = False


SPECS: dict[str, MetricSpec] = {
    "ntm_status": MetricSpec("ntm_status", "unit.percent", GREENS_5, (20, 40, 60, 80), 1, True),
    "criteria_met": MetricSpec("criteria_met", "unit.criteria", GREENS_5, (10, 13, 16, 19), 1, True),
    "poor_rate": MetricSpec("poor_rate", "unit.percent", YL_OR_RD_6, (2, 5, 10, 20, 30), 2),
    "poor_near_rate": MetricSpec("poor_near_rate", "unit.percent", YL_OR_RD_6, (5, 10, 20, 30, 50), 2),
    "escaped_per100": MetricSpec("escaped_per100", "unit.per100", GREENS_5, None, 2, True),
    "fell_back_per100": MetricSpec("fell_back_per100", "unit.per100", ORANGES_5, None, 2),
    "newly_poor_per100": MetricSpec("newly_poor_per100", "unit.per100", PURPLES_5, None, 2),
    "poor_rate_change": MetricSpec("poor_rate_change", "unit.pp", RD_YL_GN_6, (-3, -1.5, -0.5, 0.5, 1.5), 2),
}
assert set(SPECS) == set(METRICS)


@dataclass(frozen=True)
class LegendItem:
    label: str
    colour: RGB
    count: int


@dataclass
class MapView:
    """Everything needed to draw one map and explain it (plain data, picklable)."""

    level: str
    metric: str
    year: int
    lang: str
    title: str
    metric_label: str
    unit_label: str
    categorical: bool
    units: dict                          # FeatureCollection of the coloured units
    context: dict                        # FeatureCollection of all provinces (background)
    outlines: dict | None                # district outlines over a commune map
    archipelagos: dict
    labels: list[dict]
    legend: list[LegendItem]
    legend_note: str
    view: dict                           # latitude, longitude, zoom
    sources: list[str]
    schematic: bool
    is_demo: bool
    table: pd.DataFrame = field(default_factory=pd.DataFrame)
    n_units: int = 0
    n_with_data: int = 0


# ---------------------------------------------------------------------------------------------
# Reading

def boundary_system(year: int) -> str:
    """Unit system of a reporting year's codes (pre-reform codes before `reform_code_year`)."""
    return POST if year >= reform_code_year() else PRE


def _reference_date(year: int, system: str) -> str:
    if system == PRE:
        return min(f"{year}-12-31", PRE_END.isoformat())
    return f"{year}-12-31"


def read_boundaries(con, level: str, year: int, scope: Scope = NATIONAL) -> pd.DataFrame:
    """Polygons of one level inside a scope, one per code: a non-schematic (uploaded) boundary wins
    over a schematic one, then the newest. Columns: code, name, short_name, province_code,
    district_code, geojson (text), source, is_schematic."""
    system = boundary_system(year)
    where, params = "TRUE", []
    if scope.level == "province":
        where, params = "u.province_code = ?", [scope.code]
    elif scope.level == "district":
        where, params = "u.district_code = ?", [scope.code]
    elif scope.level == "commune":
        where, params = "u.code = ?", [scope.code]
    cur = con.cursor()
    return cur.execute(f"""
        WITH u AS (
            SELECT code, name, short_name, province_code, district_code FROM units
            WHERE system = ? AND level = ?
            QUALIFY row_number() OVER (
                PARTITION BY code
                ORDER BY (coalesce(valid_from, DATE '1900-01-01') <= CAST(? AS DATE)
                          AND coalesce(valid_to, DATE '9999-12-31') >= CAST(? AS DATE)) DESC,
                         valid_to DESC NULLS FIRST) = 1),
        b AS (
            SELECT code, geojson, source, is_schematic FROM boundaries
            WHERE system = ? AND level = ?
            QUALIFY row_number() OVER (PARTITION BY code ORDER BY is_schematic, loaded_at DESC) = 1)
        SELECT b.code, coalesce(u.name, b.code) AS name, coalesce(u.short_name, u.name, b.code) AS short_name,
               u.province_code, u.district_code, b.geojson, b.source, b.is_schematic
        FROM b LEFT JOIN u USING (code)
        WHERE {where}
        ORDER BY b.code""",
                       [system, level, _reference_date(year, system), _reference_date(year, system),
                        system, level] + params).df()


def unit_figures(con, level: str, year: int, scope: Scope = NATIONAL) -> pd.DataFrame:
    """Commune figures in force summed per unit of `level` for `year` and the year before.

    One row per code with: households, poor, near_poor, escaped, fell_back, newly_poor, rural,
    recognised, criteria_avg, status (communes only), criteria_met (communes only), households_prev,
    poor_prev, is_demo."""
    col = {"province": "province_code", "district": "district_code", "commune": "commune_code"}[level]
    where, params = scope.predicate("f")
    cur = con.cursor()
    df = cur.execute(f"""
        SELECT f.{col} AS code, f.year,
               sum(f.households) AS households, sum(f.poor_households) AS poor,
               sum(f.near_poor_households) AS near_poor, sum(f.escaped_poverty) AS escaped,
               sum(f.fell_back_into_poverty) AS fell_back, sum(f.newly_poor) AS newly_poor,
               count(f.ntm_status) AS rural,
               count(*) FILTER (WHERE f.ntm_status IN ('standard', 'advanced', 'model')) AS recognised,
               avg(f.criteria_met) FILTER (WHERE f.ntm_status IS NOT NULL) AS criteria_avg,
               any_value(f.ntm_status) AS status, any_value(f.criteria_met) AS criteria_met,
               bool_or(b.is_demo) AS is_demo
        FROM commune_year f JOIN import_batches b USING (batch_id)
        WHERE f.is_current AND f.year IN (?, ?) AND {where}
        GROUP BY ALL""", [year, year - 1] + params).df()
    now = df[df["year"] == year].drop(columns="year").set_index("code")
    prev = (df[df["year"] == year - 1].set_index("code")[["households", "poor"]]
            .rename(columns={"households": "households_prev", "poor": "poor_prev"}))
    out = now.join(prev, how="left").reset_index()
    if level != "commune":
        out["status"] = None
        out["criteria_met"] = np.nan
    return out


def mountainous_districts(con) -> set[str]:
    """Codes of districts flagged mountainous in the unit attributes."""
    cur = con.cursor()
    return {r[0] for r in cur.execute(
        "SELECT code FROM unit_attributes WHERE level = 'district' AND is_mountainous").fetchall()}


def district_ntm(con, year: int) -> dict[str, str]:
    """District code -> district NTM status in force for `year`."""
    cur = con.cursor()
    return dict(cur.execute("SELECT district_code, ntm_status FROM district_year WHERE is_current AND year = ?",
                            [year]).fetchall())


# ---------------------------------------------------------------------------------------------
# Indicators and classes (pure)

def _ratio(num, den, scale: float = 100.0) -> pd.Series:
    num = pd.to_numeric(num, errors="coerce").astype(float)
    den = pd.to_numeric(den, errors="coerce").astype(float)
    return (scale * num / den.where(den > 0)).astype(float)


def metric_values(figures: pd.DataFrame, metric: str, level: str) -> pd.Series:
    """The indicator for each row of `unit_figures` (float; object of statuses for commune NTM status)."""
    f = figures
    if metric == "ntm_status":
        if level == "commune":
            return f["status"].astype(object).where(f["status"].notna(), None)
        return _ratio(f["recognised"], f["rural"].where(f["rural"] > 0))
    if metric == "criteria_met":
        src = f["criteria_met"] if level == "commune" else f["criteria_avg"]
        return pd.to_numeric(src, errors="coerce").astype(float)
    if metric == "poor_rate":
        return _ratio(f["poor"], f["households"])
    if metric == "poor_near_rate":
        return _ratio(pd.to_numeric(f["poor"]) + pd.to_numeric(f["near_poor"]), f["households"])
    if metric == "escaped_per100":
        return _ratio(f["escaped"], f["households"])
    if metric == "fell_back_per100":
        return _ratio(f["fell_back"], f["households"])
    if metric == "newly_poor_per100":
        return _ratio(f["newly_poor"], f["households"])
    if metric == "poor_rate_change":
        return _ratio(f["poor"], f["households"]) - _ratio(f["poor_prev"], f["households_prev"])
    raise ValueError(f"unknown metric {metric!r}")


def is_categorical(metric: str, level: str) -> bool:
    return metric == "ntm_status" and level == "commune"


ZERO_BREAK = 1e-9   # class limit that puts exact zeros in a class of their own


def quantile_breaks(values: np.ndarray, n: int = 5, decimals: int = 2) -> tuple[float, ...]:
    """Inner class limits splitting `values` into about `n` equal-count classes, rounded to the
    displayed decimals (duplicates dropped). When some values are exactly 0 (common for household
    flows), zeros get a class of their own and the positive values share the other n − 1."""
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    if len(values) == 0:
        return ()
    zero = bool((values == 0).any()) and values.min() >= 0
    pool = values[values > 0] if zero else values
    k = n - 1 if zero else n
    breaks: set[float] = set()
    if len(pool) and k > 1:
        qs = np.quantile(pool, np.linspace(0, 1, k + 1)[1:-1])
        breaks = {round(float(q), decimals) for q in qs}
        breaks = {b for b in breaks if b > round(float(pool.min()), decimals) and b > 0}
    if zero and len(pool):
        breaks.add(ZERO_BREAK)
    return tuple(sorted(breaks))


def classify(values: np.ndarray, breaks: tuple[float, ...]) -> np.ndarray:
    """Class index of each value (0 … len(breaks)); -1 for missing values."""
    values = np.asarray(values, dtype=float)
    idx = np.searchsorted(np.asarray(breaks, dtype=float), values, side="right")
    return np.where(np.isfinite(values), idx, -1)


def pick_colours(palette: tuple[RGB, ...], n: int) -> list[RGB]:
    """`n` colours spread over a palette (light to dark)."""
    if n <= 0:
        return []
    if n >= len(palette):
        return list(palette[:n])
    if n == 1:
        return [palette[len(palette) // 2]]
    return [palette[round(i * (len(palette) - 1) / (n - 1))] for i in range(n)]


def _decimals_needed(breaks, max_decimals: int) -> int:
    for d in range(max_decimals + 1):
        if all(abs(round(b, d) - b) < 1e-9 for b in breaks):
            return d
    return max_decimals


def class_labels(breaks: tuple[float, ...], decimals: int, lang: str) -> list[str]:
    """'< 2', '2 – < 5', …, '≥ 30' with the language's number format ('0' and '> 0 – < x' when
    zeros have their own class)."""
    if not breaks:
        return [t("ui.legend_all", lang)]
    zero = breaks[0] == ZERO_BREAK
    inner = breaks[1:] if zero else breaks
    d = _decimals_needed(inner, decimals)
    f = [fmt_number(b, lang, d) for b in inner]
    if zero:
        if not f:
            return ["0", "> 0"]
        return ["0", f"> 0 – < {f[0]}"] + [f"{a} – < {b}" for a, b in zip(f[:-1], f[1:])] + [f"≥ {f[-1]}"]
    return [f"< {f[0]}"] + [f"{a} – < {b}" for a, b in zip(f[:-1], f[1:])] + [f"≥ {f[-1]}"]


@dataclass(frozen=True)
class Classes:
    index: np.ndarray                  # class of each unit, -1 = no data
    colours: list[RGB]
    labels: list[str]
    note: str


def make_classes(values: pd.Series, metric: str, level: str, lang: str) -> Classes:
    """Legend classes for the values of one indicator (fixed breaks, quintiles or NTM statuses)."""
    spec = SPECS[metric]
    if is_categorical(metric, level):
        order = list(STATUS_LADDER)
        lookup = {s: i for i, s in enumerate(order)}
        index = np.array([lookup.get(v, -1) if isinstance(v, str) else -1 for v in values], dtype=int)
        return Classes(index, [STATUS_COLOURS[s] for s in order], [status_label(s, lang) for s in order], "")
    numeric = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    if spec.breaks is not None:
        breaks, note = spec.breaks, t("ui.legend_fixed", lang)
    else:
        breaks, note = quantile_breaks(numeric, 5, spec.decimals), t("ui.legend_quantile", lang)
    colours = pick_colours(spec.palette, len(breaks) + 1)
    if spec.key == "poor_rate_change" and len(breaks) + 1 == len(spec.palette):
        colours = list(spec.palette)
    return Classes(classify(numeric, breaks), colours, class_labels(breaks, spec.decimals, lang), note)


def format_value(value, metric: str, level: str, lang: str) -> str:
    """An indicator value as text with its unit ('12,34%', '+1,20 điểm %', 'Đạt chuẩn NTM')."""
    if is_categorical(metric, level):
        return status_label(value, lang) if isinstance(value, str) else t("ui.not_rural", lang)
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return t("ui.no_data", lang)
    spec = SPECS[metric]
    if spec.unit == "unit.percent":
        return fmt_number(value, lang, spec.decimals) + "%"
    if spec.unit == "unit.pp":
        sign = "+" if value > 0 else ""
        return sign + fmt_number(value, lang, spec.decimals) + " " + t("unit.pp", lang)
    return fmt_number(value, lang, spec.decimals) + " " + t(spec.unit, lang)


def metric_label(metric: str, level: str, lang: str) -> str:
    """Display name of an indicator at a level (NTM status above communes is a share)."""
    if metric == "ntm_status" and level != "commune":
        return t("metric.ntm_share", lang)
    if metric == "criteria_met" and level != "commune":
        return t("metric.criteria_avg", lang)
    return t(f"metric.{metric}", lang)


def unit_label(metric: str, level: str, lang: str) -> str:
    return t("unit.category", lang) if is_categorical(metric, level) else t(SPECS[metric].unit, lang)


# ---------------------------------------------------------------------------------------------
# Geometry helpers

def _bounds_view(bounds: tuple[float, float, float, float], width: int = 760, height: int = 600) -> dict:
    """Centre and zoom that fit lon/lat bounds in a canvas of about width × height pixels."""
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
    return {"latitude": round(cy, 5), "longitude": round((minx + maxx) / 2, 5), "zoom": round(zoom, 2)}


def _collection(features: list[dict]) -> dict:
    return {"type": "FeatureCollection", "features": features}


def _rgba(rgb, alpha: int = 235) -> list[int]:
    return [int(rgb[0]), int(rgb[1]), int(rgb[2]), alpha] if len(rgb) == 3 else [int(c) for c in rgb]


def archipelago_layer_data(lang: str) -> tuple[dict, list[dict]]:
    """The Hoàng Sa and Trường Sa archipelagos (FeatureCollection) and their labels."""
    arch = geo.load_archipelagos()
    features, labels = [], []
    for row in arch.itertuples():
        name = row.name if lang == "vi" else row.name_en
        admin = str(getattr(row, "administered_as", "") or "")
        text = t("ui.archipelago_label", lang, name=name, admin=admin.replace("Thành phố ", "TP ")
                 .replace("Tỉnh ", ""))
        features.append({"type": "Feature", "properties": {"name": name, "code": row.province_code},
                         "geometry": _geojson(row.geometry)})
        labels.append({"position": [float(row.label_lon), float(row.label_lat) - 0.9], "text": text,
                       "size": 12})
    return _collection(features), labels


COORD_DECIMALS = 4   # ~11 m: plenty for a choropleth, and keeps the page light


def _geometry(text: str):
    """A stored GeoJSON geometry as shapely, coordinates rounded to COORD_DECIMALS."""
    return shapely.transform(shape(json.loads(text)), lambda xy: np.round(xy, COORD_DECIMALS))


def _geojson(geom) -> dict:
    return mapping(geom)


# ---------------------------------------------------------------------------------------------
# Building the map

def build_map(con, *, level: str, year: int, scope: Scope = NATIONAL, metric: str = "poor_rate",
              lang: str = "vi", selected: str | None = None, filtered: bool = False) -> MapView:
    """The map of `metric` for the units of `level` inside `scope` (a `FilteredScope` restricts the
    communes counted) in `year`. `selected` is outlined; `filtered` says filters are active."""
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}")
    if metric not in SPECS:
        raise ValueError(f"unknown metric {metric!r}")
    area_scope = Scope(scope.level, scope.code, scope.name, scope.province_code, scope.district_code)
    polys = read_boundaries(con, level, year, area_scope)
    figures = unit_figures(con, level, year, scope)
    mountain = mountainous_districts(con)
    districts_ntm = district_ntm(con, year) if level == "district" else {}

    values = metric_values(figures, metric, level)
    figures = figures.assign(value=values.to_numpy())
    data = polys.merge(figures, on="code", how="left")
    if is_categorical(metric, level):
        vals = data["value"].astype(object).where(data["value"].notna(), None)
    else:
        vals = pd.to_numeric(data["value"], errors="coerce")
    classes = make_classes(vals, metric, level, lang)

    label = metric_label(metric, level, lang)
    ulabel = unit_label(metric, level, lang)
    prev_label = t("ui.no_prev_year", lang, year=year - 1)
    features, table_rows = [], []
    geoms = []
    for i, row in enumerate(data.itertuples(index=False)):
        cls = int(classes.index[i])
        colour = classes.colours[cls] if cls >= 0 else NO_DATA_COLOUR
        is_mountain = (level == "district" and row.code in mountain) or \
                      (level == "commune" and row.district_code in mountain)
        line, line_w = UNIT_LINE, 1
        if level == "district" and is_mountain:
            line, line_w = MOUNTAIN_LINE, 3
        if selected and row.code == selected:
            line, line_w = SELECTED_LINE, 4
        value = vals.iloc[i]
        value = None if not isinstance(value, str) and pd.isna(value) else value
        value_text = format_value(value, metric, level, lang)
        if metric == "poor_rate_change" and value is None and not pd.isna(row.households):
            value_text = prev_label
        lines = [f"{row.name} ({row.code})", f"{label} {year}: {value_text}"]
        hh = None if pd.isna(row.households) else int(row.households)
        if hh is not None:
            lines.append(f"{t('ui.tt_households', lang)}: {fmt_number(hh, lang)}")
            if not pd.isna(row.poor):
                lines.append(f"{t('ui.tt_poor', lang)}: {fmt_number(row.poor, lang)}")
        if level != "commune" and not pd.isna(getattr(row, "rural", np.nan)) and row.rural:
            lines.append(f"{t('ui.tt_recognised', lang)}: {fmt_number(row.recognised, lang)}/"
                         f"{fmt_number(row.rural, lang)}")
        if level == "district" and row.code in districts_ntm:
            yes = districts_ntm[row.code] not in (None, "none")
            lines.append(f"{t('ui.tt_district_ntm', lang)}: {t('ui.yes' if yes else 'ui.no', lang)}")
        if is_mountain:
            lines.append(t("ui.tt_mountainous", lang))
        if row.is_schematic:
            lines.append(t("ui.tt_schematic", lang))
        geom = _geometry(row.geojson)
        geoms.append(geom)
        features.append({
            "type": "Feature",
            "properties": {
                "code": row.code, "level": level, "name": row.name,
                "value": None if value is None or isinstance(value, str) else round(float(value), 4),
                "fill": _rgba(colour, 235 if cls >= 0 else 200), "line": list(line), "line_w": line_w,
                "tooltip": "\n".join(lines),
            },
            "geometry": _geojson(geom),
        })
        table_rows.append({
            "code": row.code, "name": row.name,
            "value": None if value is None or isinstance(value, str) else float(value),
            "value_text": value_text,
            "households": hh,
            "mountainous": bool(is_mountain),
            "class": classes.labels[cls] if cls >= 0 else t("ui.no_data", lang),
        })

    # District outlines over a commune map (mountainous districts thicker).
    outlines, outline_schematic, outline_sources = None, False, set()
    if level == "commune":
        dpolys = read_boundaries(con, "district", year, _district_area(area_scope))
        outline_schematic = bool(dpolys["is_schematic"].any())
        outline_sources = set(dpolys["source"].dropna())
        outlines = _collection([{
            "type": "Feature",
            "properties": {"code": r.code,
                           "line": list(MOUNTAIN_LINE if r.code in mountain else (90, 90, 90, 255)),
                           "line_w": 3 if r.code in mountain else 1.5},
            "geometry": _geojson(_geometry(r.geojson))} for r in dpolys.itertuples()])

    context: dict = _collection([])
    if not (level == "province" and area_scope.level == "national"):   # else the units cover it all
        context_df = read_boundaries(con, "province", year, NATIONAL)
        context = _collection([{"type": "Feature", "properties": {"code": r.code},
                                "geometry": _geojson(_geometry(r.geojson))} for r in context_df.itertuples()])
    arch, arch_labels = archipelago_layer_data(lang)

    # Labels: provinces with data on the national map, district names on district maps.
    labels: list[dict] = list(arch_labels)
    with_data = data["households"].notna() if "households" in data else pd.Series(False, index=data.index)
    if level in ("province", "district") and len(data) <= 80:
        for geom, row, has in zip(geoms, data.itertuples(index=False), with_data):
            if level == "province" and not has:
                continue
            p = geom.representative_point()
            name = row.short_name if isinstance(row.short_name, str) else row.name
            labels.append({"position": [round(p.x, 4), round(p.y, 4)], "text": name, "size": 11})

    # View: the units shown (and, on a national province map, the archipelagos too).
    if geoms:
        bounds = shapely.union_all([g.envelope for g in geoms]).bounds
        if level == "province" and area_scope.level == "national":
            ab = shapely.union_all([shape(f["geometry"]) for f in arch["features"]]).bounds
            bounds = (min(bounds[0], ab[0]), min(bounds[1], ab[1]), max(bounds[2], ab[2]),
                      max(bounds[3], ab[3]))
    else:
        bounds = (102.1, 8.2, 117.8, 23.4)
    view = _bounds_view(bounds)

    legend = [LegendItem(lbl, col, int((classes.index == k).sum()))
              for k, (lbl, col) in enumerate(zip(classes.labels, classes.colours))]
    n_missing = int((classes.index < 0).sum())
    no_data_key = "ui.not_rural" if is_categorical(metric, level) else \
        ("ui.no_data_filtered" if filtered else "ui.no_data")
    legend.append(LegendItem(t(no_data_key, lang), NO_DATA_COLOUR, n_missing))

    sources = sorted(set(data["source"].dropna()) | outline_sources)
    schematic = bool(data["is_schematic"].fillna(False).any()) or outline_schematic
    is_demo = bool(figures["is_demo"].fillna(False).any()) if len(figures) else False
    title_key = "ui.map_title_cat" if is_categorical(metric, level) else "ui.map_title"
    title = t(title_key, lang, metric=label, unit=ulabel, level=t(f"ui.by_level.{level}", lang), year=year)

    table = pd.DataFrame(table_rows, columns=["code", "name", "value", "value_text", "households",
                                              "mountainous", "class"])
    return MapView(level=level, metric=metric, year=year, lang=lang, title=title, metric_label=label,
                   unit_label=ulabel, categorical=is_categorical(metric, level),
                   units=_collection(features), context=context, outlines=outlines, archipelagos=arch,
                   labels=labels, legend=legend, legend_note=classes.note, view=view, sources=sources,
                   schematic=schematic, is_demo=is_demo, table=table, n_units=len(data),
                   n_with_data=int((classes.index >= 0).sum()))


def _district_area(scope: Scope) -> Scope:
    """The area whose district outlines frame a commune map."""
    if scope.level == "commune":
        return Scope("district", scope.district_code, scope.name, scope.province_code, scope.district_code)
    return scope


# ---------------------------------------------------------------------------------------------
# Deck

def basemap_setting(value: str | None = None) -> dict:
    """Deck arguments for the basemap chosen by `NTM_BASEMAP_TILES` (default: none, offline-safe).

    '' / 0 / off: no basemap.  carto / 1 / on: Carto's light basemap.  An http(s) URL ending in
    .json: a MapLibre style.  Another http(s) URL with {z}/{x}/{y}: raster tiles.
    """
    value = (os.environ.get("NTM_BASEMAP_TILES", "") if value is None else value).strip()
    if value.lower() in ("", "0", "off", "false", "no", "none"):
        return {"map_provider": None}
    if value.lower() in ("1", "on", "true", "yes", "carto"):
        return {"map_provider": "carto", "map_style": "light"}
    if value.startswith(("http://", "https://")):
        if value.split("?")[0].endswith(".json"):
            return {"map_provider": "carto", "map_style": value}
        if "{z}" in value:
            # Streamlit accepts only a style URL (a string): hand MapLibre the style as a data: URL.
            style = {"version": 8,
                     "sources": {"tiles": {"type": "raster", "tiles": [value], "tileSize": 256}},
                     "layers": [{"id": "tiles", "type": "raster", "source": "tiles"}]}
            url = "data:application/json," + quote(json.dumps(style, separators=(",", ":")), safe="")
            return {"map_provider": "carto", "map_style": url}
    return {"map_provider": None}


UNITS_LAYER_ID = "units"
# Above this many units (a national commune map: ~10,000) each unit's own border is not stroked: the
# district outlines frame them, and only emphasised units (selected: line_w > 1) keep a border, in a
# small layer of their own. Stroking 10,000 polygons costs several seconds of drawing in a browser
# without a GPU (measured with SwiftShader: benchmarks/bench_pages.py) and is invisible at that zoom.
MAX_STROKED_UNITS = 2000
# pydeck turns plain strings into JavaScript expressions; a quoted string stays a literal.
PIXELS = '"pixels"'


class CompactDeck(pdk.Deck):
    """A Deck whose JSON has no indentation (pydeck pretty-prints, which triples polygon payloads)."""

    def to_json(self):
        return json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"))


def to_deck(view: MapView, basemap: dict | None = None, height: int = 600):
    """A `pydeck.Deck` for a `MapView`: provinces as background, the coloured units (pickable, id
    `units`), district outlines, the archipelagos, and text labels. Tooltips are plain text."""
    basemap = basemap_setting() if basemap is None else basemap
    has_tiles = basemap.get("map_provider") is not None
    stroke_units = len(view.units.get("features", ())) <= MAX_STROKED_UNITS
    layers = [
        pdk.Layer("GeoJsonLayer", id="context", data=view.context, stroked=True, filled=True,
                  get_fill_color=list(CONTEXT_FILL if not has_tiles else (244, 244, 242, 90)),
                  get_line_color=list(CONTEXT_LINE), line_width_units=PIXELS, get_line_width=1,
                  pickable=False),
        pdk.Layer("GeoJsonLayer", id=UNITS_LAYER_ID, data=view.units, stroked=stroke_units, filled=True,
                  get_fill_color="properties.fill", get_line_color="properties.line",
                  get_line_width="properties.line_w", line_width_units=PIXELS, pickable=True,
                  auto_highlight=True, highlight_color=[0, 0, 0, 60]),
    ]
    emphasised = [] if stroke_units else [f for f in view.units["features"] if f["properties"]["line_w"] > 1]
    if emphasised:
        layers.append(pdk.Layer("GeoJsonLayer", id="emphasised", data=_collection(emphasised), stroked=True,
                                filled=False, get_line_color="properties.line",
                                get_line_width="properties.line_w", line_width_units=PIXELS, pickable=False))
    if view.outlines:
        layers.append(pdk.Layer("GeoJsonLayer", id="district-outlines", data=view.outlines, stroked=True,
                                filled=False, get_line_color="properties.line",
                                get_line_width="properties.line_w", line_width_units=PIXELS,
                                pickable=False))
    layers.append(pdk.Layer("GeoJsonLayer", id="archipelagos", data=view.archipelagos, stroked=True,
                            filled=True, get_fill_color=list(ARCHIPELAGO_FILL),
                            get_line_color=[60, 60, 60, 255], line_width_units=PIXELS, get_line_width=2,
                            line_width_min_pixels=2, pickable=False))
    layers.append(pdk.Layer("TextLayer", id="labels", data=view.labels, get_position="position",
                            get_text="text", get_size="size", size_units=PIXELS,
                            get_color=[30, 30, 30, 255], character_set='"auto"',
                            font_family='"Noto Sans, DejaVu Sans, Arial, sans-serif"',
                            background=True, get_background_color=[255, 255, 255, 200],
                            background_padding=[3, 1], pickable=False))
    return CompactDeck(layers=layers,
                    initial_view_state=pdk.ViewState(**view.view, pitch=0, bearing=0),
                    tooltip={"text": "{tooltip}"}, height=height, **basemap)
