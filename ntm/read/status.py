"""Who has reported a year: for each province of the year's unit system, the communes (and, apart, the
wards, towns and special zones) the unit list expects and those whose figures are in force, the missing
ones by name, the files sent, warnings acknowledged, the last import (when, who) and whether the
province was complete by the deadline (`ntm.domain.settings.reporting_deadline`).

    reporting_status(con, 2024)        one row per province (`STATUS_COLUMNS`)
    missing_units(con, 2024, "62")     the units of a province (all when None) without figures

A province is complete when every unit it had at the year's reference date has figures in force, and was
complete on time when the last of them arrived by the deadline; one still incomplete after the deadline
is late, before it not yet due.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from ntm.domain.settings import reporting_deadline
from ntm.domain.units import reference_date, systems_for_year
from ntm.read.sql import query
from ntm.read.units import VALID_AT
from ntm.store.batches import ACKNOWLEDGED_NOTE

COMPLETENESS = ("complete", "partial", "none")
TIMELINESS = ("on_time", "late", "not_yet")
STATUS_COLUMNS = ("province_code", "province_name", "communes_expected", "communes_reported", "wards_expected",
                  "wards_reported", "missing", "completeness", "share_reported", "files", "rolled_back",
                  "warnings_acknowledged", "last_import_at", "last_import_by", "completed_at", "deadline",
                  "timeliness", "is_demo")

# The units a year expects on one system, each with whether its figures are in force and when they first
# came (from a batch not rolled back); `is_commune`: a rural commune (xã), else a ward, town or special zone.
_EXPECTED = f"""
    WITH expected AS (
        SELECT u.unit_id, u.code, u.name, u.unit_type, u.province_code, coalesce(u.is_rural, FALSE) AS is_commune
        FROM units u WHERE u.system = $system AND u.level = 'commune' AND {VALID_AT.format(ref='$ref')}),
    arrived AS (
        SELECT f.unit_id, bool_or(f.is_current) AS in_force, min(b.imported_at) AS first_at
        FROM commune_year f JOIN import_batches b USING (batch_id)
        WHERE f.year = $year AND f.unit_system = $system AND b.status != 'rolled_back' GROUP BY 1)
"""

_STATUS_SQL = _EXPECTED + f""",
    province_batches AS (
        SELECT DISTINCT f.province_code, f.batch_id FROM commune_year f
        WHERE f.year = $year AND f.unit_system = $system),
    sent AS (
        SELECT pb.province_code,
               count(*) FILTER (WHERE b.status != 'rolled_back') AS files,
               count(*) FILTER (WHERE b.status = 'rolled_back') AS rolled_back,
               coalesce(sum(TRY_CAST(regexp_extract(b.note, $note, 1) AS INTEGER))
                        FILTER (WHERE b.status = 'active'), 0)::INTEGER AS warnings_acknowledged,
               max(b.imported_at) FILTER (WHERE b.status != 'rolled_back') AS last_import_at,
               arg_max(b.imported_by, b.imported_at) FILTER (WHERE b.status != 'rolled_back') AS last_import_by,
               bool_or(b.is_demo) FILTER (WHERE b.status = 'active') AS is_demo
        FROM province_batches pb JOIN import_batches b USING (batch_id) GROUP BY 1),
    counted AS (
        SELECT e.province_code,
               count(*) FILTER (WHERE e.is_commune) AS communes_expected,
               count(*) FILTER (WHERE e.is_commune AND a.in_force) AS communes_reported,
               count(*) FILTER (WHERE NOT e.is_commune) AS wards_expected,
               count(*) FILTER (WHERE NOT e.is_commune AND a.in_force) AS wards_reported,
               count(*) FILTER (WHERE a.in_force IS NOT TRUE) AS missing,
               CASE WHEN count(*) FILTER (WHERE a.in_force IS NOT TRUE) = 0 THEN max(a.first_at) END AS completed_at
        FROM expected e LEFT JOIN arrived a USING (unit_id) GROUP BY 1)
    SELECT p.code AS province_code, coalesce(p.short_name, p.name) AS province_name, c.* EXCLUDE (province_code),
           coalesce(s.files, 0) AS files, coalesce(s.rolled_back, 0) AS rolled_back,
           coalesce(s.warnings_acknowledged, 0) AS warnings_acknowledged, s.last_import_at, s.last_import_by,
           coalesce(s.is_demo, FALSE) AS is_demo
    FROM units p JOIN counted c ON c.province_code = p.code
    LEFT JOIN sent s ON s.province_code = p.code
    WHERE p.system = $system AND p.level = 'province' AND {VALID_AT.format(ref='$ref').replace('u.', 'p.')}
    ORDER BY p.code"""


def year_system(year: int) -> str:
    """The unit system a year's files are expected on (the new units from the 2025 review)."""
    return systems_for_year(year)[0]


def _params(year: int) -> dict:
    system = year_system(year)
    return {"system": system, "year": year, "ref": reference_date(year, system)}


def reporting_status(con, year: int, now: datetime | None = None) -> pd.DataFrame:
    """One row per province of the year's unit system (`STATUS_COLUMNS`), in code order."""
    params = _params(year)
    df = query(con, _STATUS_SQL, {**params, "note": "^" + ACKNOWLEDGED_NOTE.replace("{n}", r"(\d+)")})
    deadline = reporting_deadline(year)
    now = now or datetime.now()
    expected = df["communes_expected"] + df["wards_expected"]
    reported = df["communes_reported"] + df["wards_reported"]
    df["share_reported"] = (reported / expected.where(expected > 0)).fillna(0.0)
    df["completeness"] = ["complete" if m == 0 else "none" if r == 0 else "partial"
                          for m, r in zip(df["missing"], reported)]
    df["deadline"] = deadline
    df["timeliness"] = [_timeliness(c, deadline, now) for c in df["completed_at"]]
    return df[list(STATUS_COLUMNS)]


def _timeliness(completed_at, deadline, now: datetime) -> str:
    """on_time / late / not_yet for a province complete at `completed_at` (NaT while incomplete)."""
    due = datetime.combine(deadline, datetime.max.time())
    if pd.notna(completed_at):
        return "on_time" if pd.Timestamp(completed_at).to_pydatetime() <= due else "late"
    return "late" if now > due else "not_yet"


def missing_units(con, year: int, province: str | None = None) -> pd.DataFrame:
    """The units of the year's system without figures in force (province_code, code, name, unit_type,
    is_commune), by province and code."""
    where = "AND e.province_code = $province" if province else ""
    params = _params(year)
    if province:
        params["province"] = province
    return query(con, _EXPECTED + f"""
        SELECT e.province_code, e.code, e.name, e.unit_type, e.is_commune FROM expected e
        LEFT JOIN arrived a USING (unit_id) WHERE a.in_force IS NOT TRUE {where}
        ORDER BY e.province_code, e.code""", params)
