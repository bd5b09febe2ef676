"""Which unit version a code means: in a reporting year and unit system (`resolve_unit`), for each row of
a yearly file (`attach_units`, `match_systems`), and where an old unit went at the 2025 reform
(`successors`)."""

from __future__ import annotations

import pandas as pd

from ntm.domain.names import name_key
from ntm.domain.units import (POST, PRE, PRE_END, REFORM_CHANGE, REFORM_DATE, SYSTEMS, level_of_code,
                              reference_date)
from ntm.read.sql import query

_REF = {PRE: f"least(make_date(year, 12, 31), DATE '{PRE_END.isoformat()}')",
        POST: f"greatest(make_date(year, 12, 31), DATE '{REFORM_DATE.isoformat()}')"}
VALID_AT = "(u.valid_from IS NULL OR u.valid_from <= {ref}) AND (u.valid_to IS NULL OR u.valid_to >= {ref})"


def attach_units(con, rows: pd.DataFrame, system: str) -> pd.DataFrame:
    """Add `unit_id`, `district_code`, `province_code`, `unit_name`/`unit_type`/`is_rural` and the
    reference names `district_ref`/`province_ref` to rows with `year` and a normalised 5-digit
    `commune_code`, choosing the version of `system` valid at the year's reference date (31 December, or
    30 June 2025 for the pre-reform list). Codes that name no unit there get a null `unit_id`."""
    cur = con.cursor()
    cur.register("rows_in", rows[["year", "commune_code"]].drop_duplicates())
    matched = cur.execute(f"""
        WITH r AS (SELECT year, commune_code, {_REF[system]} AS ref FROM rows_in)
        SELECT r.year, r.commune_code, u.unit_id, u.district_code, u.province_code,
               u.name AS unit_name, u.unit_type, u.is_rural, d.name AS district_ref, p.name AS province_ref
        FROM r LEFT JOIN units u
          ON u.system = ? AND u.level = 'commune' AND u.code = r.commune_code AND {VALID_AT.format(ref='r.ref')}
        LEFT JOIN units d ON d.system = u.system AND d.level = 'district' AND d.code = u.district_code
        LEFT JOIN units p ON p.system = u.system AND p.level = 'province' AND p.code = u.province_code
    """, [system]).df()
    cur.unregister("rows_in")
    drop = [c for c in ("unit_id", "district_code", "province_code", "unit_name", "unit_type", "is_rural",
                        "district_ref", "province_ref") if c in rows.columns]
    return rows.drop(columns=drop).merge(matched, on=["year", "commune_code"], how="left")


def match_systems(con, rows: pd.DataFrame) -> pd.DataFrame:
    """For each row (`year`, `commune_code`, optional `commune_name`): whether its code names a commune
    in each unit system that year (`code_<system>`) and whether the name given agrees with that
    commune's name (`name_<system>`; null when no name was given)."""
    out = rows[["year", "commune_code"]].copy()
    names = rows["commune_name"] if "commune_name" in rows else pd.Series(None, index=rows.index, dtype=object)
    given = names.map(lambda v: name_key(v) if isinstance(v, str) and v.strip() else None)
    for system in SYSTEMS:
        found = attach_units(con, rows[["year", "commune_code"]], system)
        found.index = rows.index
        out[f"code_{system}"] = found["unit_id"].notna()
        expected = found["unit_name"].map(lambda v: name_key(v) if isinstance(v, str) else None)
        out[f"name_{system}"] = pd.array([None if not isinstance(g, str) else (isinstance(e, str) and _same_name(g, e))
                                          for g, e in zip(given, expected)], dtype="boolean")
    return out


def _same_name(given: str, expected: str) -> bool:
    """Names agree when their keys match, or one is the other without the unit type ("Cẩm Thành")."""
    return given == expected or expected.endswith(" " + given) or given.endswith(" " + expected)


UNIT_AT_SQL = """
SELECT * FROM units u
WHERE u.system = ? AND u.level = ? AND u.code = ? AND (u.valid_from IS NULL OR u.valid_from <= ?)
  AND (u.valid_to IS NULL OR u.valid_to >= ?)
"""


def resolve_unit(con, code: str, year: int, system: str) -> dict | None:
    """The unit version a code means in a reporting year on one unit system (level from the code's
    length), or None."""
    level = level_of_code(code)
    if level is None:
        return None
    ref = reference_date(year, system)
    df = query(con, UNIT_AT_SQL, [system, level, code, ref, ref])
    return None if df.empty else df.iloc[0].to_dict()


def communes_in(con, code: str | None, year: int, system: str) -> pd.DataFrame:
    """The communes of a province, district or commune `code` (all when None) valid in a reporting year on
    one system, with their district and province names (code, name, district, province), in code order."""
    ref = reference_date(year, system)
    where, params = "TRUE", []
    if code:
        level_col = {"province": "province_code", "district": "district_code", "commune": "code"}[level_of_code(code)]
        where, params = f"u.{level_col} = ?", [code]
    return query(con, f"""
        SELECT u.code, u.name, d.name AS district, p.name AS province FROM units u
        LEFT JOIN units d ON d.system = u.system AND d.level = 'district' AND d.code = u.district_code
        LEFT JOIN units p ON p.system = u.system AND p.level = 'province' AND p.code = u.province_code
        WHERE u.system = ? AND u.level = 'commune' AND {where} AND {VALID_AT.format(ref='?')}
        ORDER BY u.code""", [system] + params + [ref, ref])


def successors(con, code: str) -> dict | None:
    """Where an old (pre-reform) province, district or commune went on 1 July 2025: its name, the new
    communes that took in any of its area (codes and names), their province(s), and whether those new
    communes cover exactly the old unit (`exact`: none of them took in any area from outside it). None
    when the code names no old unit."""
    level = level_of_code(code)
    old = resolve_unit(con, code, 2024, PRE) if level else None
    if old is None:
        return None
    col = {"province": "province_code", "district": "district_code", "commune": "code"}[level]
    df = query(con, f"""
        WITH reform AS (
            SELECT o.{col} AS old_unit, split_part(l.successor_id, ':', 3) AS post_code
            FROM unit_lineage l JOIN units o ON o.unit_id = l.predecessor_id
            WHERE l.change_type = '{REFORM_CHANGE}'),
        mine AS (SELECT DISTINCT post_code FROM reform WHERE old_unit = ?),
        inside AS (SELECT post_code, bool_and(old_unit = ?) AS only_mine FROM reform
                   WHERE post_code IN (SELECT post_code FROM mine) GROUP BY post_code)
        SELECT i.post_code AS code, u.name, u.province_code, p.name AS province_name, i.only_mine
        FROM inside i JOIN units u ON u.system = ? AND u.level = 'commune' AND u.code = i.post_code
        LEFT JOIN units p ON p.system = u.system AND p.level = 'province' AND p.code = u.province_code
        ORDER BY i.post_code""", [code, code, POST])
    provinces = df.drop_duplicates("province_code")
    return {"level": level, "code": code, "name": old["name"], "communes": list(zip(df["code"], df["name"])),
            "provinces": list(zip(provinces["province_code"], provinces["province_name"])),
            "exact": bool(len(df)) and bool(df["only_mine"].all())}


def new_communes_of(con, codes) -> dict[str, tuple[str, str]]:
    """Old commune code → (code, name) of the new commune its figures go to (its default successor)."""
    if not codes:
        return {}
    rows = con.cursor().execute(f"""
        SELECT m.pre_code, arg_max(m.post_code, m.weight), arg_max(u.name, m.weight)
        FROM unit_map m JOIN units u ON u.system = '{POST}' AND u.level = 'commune' AND u.code = m.post_code
        WHERE m.pre_code IN (SELECT unnest(?)) GROUP BY m.pre_code""", [list(codes)]).fetchall()
    return {pre: (post, name) for pre, post, name in rows}
