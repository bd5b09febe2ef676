"""What a map reads: the boundaries of one level inside an area for a year (an uploaded boundary wins over
a schematic one), and the commune figures summed per unit of that level for the year and the year
before, with the mountainous districts and each district's own NTM status. Which figures are summed, and
which are read the year before, follows from the map indicators (`ntm.domain.metrics.METRICS`)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ntm.domain.columns import BY_NAME
from ntm.domain.metrics import METRICS
from ntm.domain.units import PRE, PRE_END, REFORM_YEAR, default_geography
from ntm.read.scope import LEVEL_COLUMN, Scope, national
from ntm.read.sql import TOTALS, query, recognised_sql, status_sql

# What a map sums per unit besides the totals (name → SQL): rural communes (the NTM denominator), those
# recognised under their criteria set, and the criteria they meet on average.
UNIT_SUMS = {"rural": "count(*) FILTER (WHERE f.is_rural)",
             "recognised": f"count(*) FILTER (WHERE {recognised_sql('f')})",
             "criteria_avg": "avg(f.criteria_met) FILTER (WHERE f.is_rural)"}


def boundary_system(level: str, scope: Scope) -> str:
    """The unit system of a map's polygons: the scope's, except districts, which exist only on the old
    units (in the new geography they are former districts, drawn as history)."""
    return PRE if level == "district" else scope.system


def _reference_date(year: int, system: str) -> str:
    if system == PRE:
        return min(f"{year}-12-31", PRE_END.isoformat())
    return f"{year}-12-31"


def former_districts(con, commune_codes) -> pd.DataFrame:
    """The former district of each new commune (most of its predecessors' district, `former_areas`) and
    that district's name. Columns: commune_code, code, name, short_name, province_code (old)."""
    return con.cursor().execute("""
        SELECT fa.post_code AS commune_code, fa.former_district_code AS code, d.name,
               coalesce(d.short_name, d.name) AS short_name, fa.former_province_code AS province_code
        FROM former_areas fa LEFT JOIN (
            SELECT code, arg_max(name, coalesce(valid_to, DATE '9999-12-31')) AS name,
                   arg_max(short_name, coalesce(valid_to, DATE '9999-12-31')) AS short_name
            FROM units WHERE system = ? AND level = 'district' GROUP BY code) d ON d.code = fa.former_district_code
        WHERE fa.post_code IN (SELECT unnest(?)) AND fa.former_district_code IS NOT NULL
        ORDER BY code, commune_code""", [PRE, list(commune_codes)]).df()


def read_boundaries(con, level: str, year: int, scope: Scope | None = None) -> pd.DataFrame:
    """Polygons of one level inside a scope, one per code: an uploaded boundary in force wins over a
    shipped one, a real one over a schematic one, then the newest. Columns: code, name, short_name, province_code,
    district_code, geojson (text), source, is_schematic. In the new geography, former districts are
    the old districts whose communes went into the scope's province."""
    scope = scope or national(default_geography(year))
    system = boundary_system(level, scope)
    where, params = "TRUE", []
    if scope.level == "province" and system != scope.system:
        where, params = "u.code IN (SELECT pre_district_code FROM unit_map WHERE post_province_code = ?)", [scope.code]
    elif scope.level == "province":
        where, params = "u.province_code = ?", [scope.code]
    elif scope.level == "district" and scope.former and level == "commune":
        where, params = "u.code IN (SELECT post_code FROM former_areas WHERE former_district_code = ?)", [scope.code]
    elif scope.level == "district":
        where, params = ("u.code = ?" if level == "district" else "u.district_code = ?"), [scope.code]
    elif scope.level == "commune":
        where, params = "u.code = ?", [scope.code]
    elif scope.level == "area":
        where, params = "u.code IN (SELECT unnest(?))", [list(scope.codes)]
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
            WHERE system = ? AND level = ? AND is_current
            QUALIFY row_number() OVER (PARTITION BY code ORDER BY batch_id IS NULL, is_schematic,
                                                                 loaded_at DESC) = 1)
        SELECT b.code, coalesce(u.name, b.code) AS name, coalesce(u.short_name, u.name, b.code) AS short_name,
               u.province_code, u.district_code, b.geojson, b.source, b.is_schematic
        FROM b LEFT JOIN u USING (code)
        WHERE {where}
        ORDER BY b.code""",
                       [system, level, _reference_date(year, system), _reference_date(year, system),
                        system, level] + params).df()


def _figure_sql(name: str, metric: str) -> str:
    """The SQL of a figure an indicator divides that the totals do not hold: a count column of the
    yearly file, summed."""
    column = BY_NAME.get(name)
    if column is None or column.kind != "int":
        raise ValueError(f"map indicator {metric!r}: {name!r} is neither a map figure nor a count column")
    return f"sum(f.{name})"


def map_sums() -> dict[str, str]:
    """name → SQL of every figure a map sums per unit: the totals, `UNIT_SUMS` and each figure a map
    indicator divides."""
    sums = {**TOTALS, **UNIT_SUMS}
    for m in METRICS.values():
        for name in (n for n in m.figures if n not in sums):
            sums[name] = _figure_sql(name, m.key)
    return sums


def previous_year_figures() -> list[str]:
    """The figures a map reads for the year before too (as `<name>_prev`): those of the change indicators."""
    return list(dict.fromkeys(name for m in METRICS.values() if m.change for name in m.figures))


def unit_figures(con, level: str, year: int, scope: Scope | None = None) -> pd.DataFrame:
    """Commune figures in force summed per unit of `level` for `year` and the year before.

    One row per code with: every figure of `map_sums` (households, poor, near_poor, escaped, fell_back,
    newly_poor, rural, recognised, criteria_avg …), status, criteria_met, is_mountainous and
    mountainous_derived (communes only: the flag the filters read, and whether a new commune's follows the
    old communes that formed it), is_demo, and `<name>_prev` for each of `previous_year_figures`
    (households_prev, poor_prev)."""
    scope = scope or national(default_geography(year))
    where, params = scope.predicate("f")
    sums = ", ".join(f"{sql} AS {name}" for name, sql in map_sums().items())
    df = query(con, f"""
        SELECT f.{LEVEL_COLUMN[level]} AS code, f.year, {sums},
               any_value({status_sql('f')}) AS status, any_value(f.criteria_met) AS criteria_met,
               bool_or(f.is_mountainous) AS is_mountainous,
               bool_or(f.is_mountainous AND f.attributes_derived) AS mountainous_derived,
               bool_or(f.is_demo) AS is_demo, bool_or(f.converted) AS converted,
               bool_or(f.approximate) AS approximate
        FROM {scope.source} f
        WHERE f.year IN (?, ?) AND {where}
        GROUP BY ALL""", [year, year - 1] + params)
    now = df[df["year"] == year].drop(columns="year").set_index("code")
    prev = df[df["year"] == year - 1].set_index("code")[previous_year_figures()].add_suffix("_prev")
    out = now.join(prev, how="left").reset_index()
    if level != "commune":
        out["status"] = None
        out["criteria_met"] = np.nan
        out["is_mountainous"] = out["mountainous_derived"] = None
    return out


def mountainous_districts(con) -> set[str]:
    """Codes of districts flagged mountainous in the unit attributes."""
    cur = con.cursor()
    return {r[0] for r in cur.execute(
        "SELECT code FROM unit_attributes WHERE system = ? AND level = 'district' AND is_mountainous", [PRE]).fetchall()}


def district_ntm(con, year: int) -> dict[str, str]:
    """District code -> district NTM status in force for `year` (none from 2025: districts were abolished on
    1 July 2025)."""
    cur = con.cursor()
    return dict(cur.execute("SELECT district_code, ntm_status FROM district_year WHERE is_current AND year = ? "
                            "AND year < ?", [year, REFORM_YEAR]).fetchall())


def map_figures(con, level: str, year: int, scope: Scope | None = None) -> pd.DataFrame:
    """`unit_figures` of a map's units (a `FilteredScope` restricts the communes counted), with each
    district's own NTM status (`district_ntm`) on a district map."""
    scope = scope or national(default_geography(year))
    figures = unit_figures(con, level, year, scope)
    statuses = district_ntm(con, year) if level == "district" else {}
    figures["district_ntm"] = figures["code"].map(statuses).astype(object) if len(figures) else None
    return figures
