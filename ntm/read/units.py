"""Which unit version a code means: in a reporting year (`resolve_unit`), and for each row of a yearly
file (`attach_units`)."""

from __future__ import annotations

import pandas as pd

from ntm.domain.settings import reform_code_year
from ntm.domain.units import POST, PRE, PRE_END, level_of_code, reference_date, system_for_year


def attach_units(con, rows: pd.DataFrame) -> pd.DataFrame:
    """Add `unit_id`, `district_code`, `province_code`, `unit_name`/`unit_type`/`is_rural` and the
    reference names `district_ref`/`province_ref` to rows
    with `year` and a normalised 5-digit `commune_code`, choosing the unit version valid at the year's
    reference date (31 December, or 30 June 2025 for the pre-reform list). Codes that name no unit in
    that year get a null `unit_id`."""
    cur = con.cursor()
    cur.register("rows_in", rows[["year", "commune_code"]].drop_duplicates())
    matched = cur.execute(f"""
        WITH r AS (
            SELECT year, commune_code,
                   CASE WHEN year >= ? THEN '{POST}' ELSE '{PRE}' END AS system,
                   CASE WHEN year >= ? THEN make_date(year, 12, 31)
                        ELSE least(make_date(year, 12, 31), DATE '{PRE_END.isoformat()}') END AS ref
            FROM rows_in)
        SELECT r.year, r.commune_code, u.unit_id, u.district_code, u.province_code,
               u.name AS unit_name, u.unit_type, u.is_rural, d.name AS district_ref, p.name AS province_ref
        FROM r LEFT JOIN units u
          ON u.system = r.system AND u.level = 'commune' AND u.code = r.commune_code
         AND (u.valid_from IS NULL OR u.valid_from <= r.ref) AND (u.valid_to IS NULL OR u.valid_to >= r.ref)
        LEFT JOIN units d ON d.system = u.system AND d.level = 'district' AND d.code = u.district_code
        LEFT JOIN units p ON p.system = u.system AND p.level = 'province' AND p.code = u.province_code
    """, [reform_code_year(), reform_code_year()]).df()
    cur.unregister("rows_in")
    drop = [c for c in ("unit_id", "district_code", "province_code", "unit_name", "unit_type", "is_rural",
                        "district_ref", "province_ref") if c in rows.columns]
    return rows.drop(columns=drop).merge(matched, on=["year", "commune_code"], how="left")


UNIT_AT_SQL = """
SELECT * FROM units
WHERE system = ? AND level = ? AND code = ?
  AND (valid_from IS NULL OR valid_from <= ?) AND (valid_to IS NULL OR valid_to >= ?)
"""


def resolve_unit(con, code: str, year: int, reform_year: int = 2026) -> dict | None:
    """The unit version a code means in a reporting year (level from the code's length), or None."""
    level = level_of_code(code)
    if level is None:
        return None
    system = system_for_year(year, reform_year)
    ref = reference_date(year, system)
    cur = con.cursor()
    df = cur.execute(UNIT_AT_SQL, [system, level, code, ref, ref]).df()
    return None if df.empty else df.iloc[0].to_dict()


def communes_in(con, code: str, year: int) -> pd.DataFrame:
    """The communes of a province, district or commune `code` valid in a reporting year, with their
    district and province names (code, name, district, province), in code order."""
    system = system_for_year(year, reform_code_year())
    level_col = {"province": "province_code", "district": "district_code", "commune": "code"}[level_of_code(code)]
    ref = reference_date(year, system)
    return con.cursor().execute(f"""
        SELECT c.code, c.name, d.name AS district, p.name AS province FROM units c
        LEFT JOIN units d ON d.system = c.system AND d.level = 'district' AND d.code = c.district_code
        LEFT JOIN units p ON p.system = c.system AND p.level = 'province' AND p.code = c.province_code
        WHERE c.system = ? AND c.level = 'commune' AND c.{level_col} = ?
          AND (c.valid_from IS NULL OR c.valid_from <= ?) AND (c.valid_to IS NULL OR c.valid_to >= ?)
        ORDER BY c.code""", [system, code, ref, ref]).df()
