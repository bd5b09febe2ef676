"""What an upload is checked and previewed against: last year's figures of the same places (through the
crosswalk when last year was on the other unit system), the figures in force for the file's year on
its unit system and those it would take over on the other, last year's communes of its provinces, the
current rows of a reference table, and the units a file may name."""

from __future__ import annotations

from typing import Sequence

import pandas as pd

from ntm.domain.units import POST, PRE, PRE_END, REFORM_CHANGE, geography_of
from ntm.store.figures import figures_sql, merged_sql
from ntm.read.sql import query


def previous_year(con, year: int, codes: Sequence[str], system: str) -> pd.DataFrame:
    """Last year's figures in force for these communes of a unit system — for new communes, the old
    communes that formed them summed when last year was on the old units, and for a commune formed during
    the year by a merger of its own system (Xuân Lộc, Thanh Hóa, 1/12/2024), its predecessors summed
    (approximate when one of them was split) — (commune_code, households, population, poor_households,
    income_per_capita, converted, approximate, n_sources)."""
    geo = figures_sql(geography_of(system).key)
    merged = ", ".join(merged_sql(c, weight="1") for c in ("households", "population", "poor_households",
                                                             "income_per_capita"))
    return query(con, f"""
        WITH changed AS (
            SELECT s.code AS commune_code, l.predecessor_id,
                   count(*) OVER (PARTITION BY l.predecessor_id) > 1 AS split
            FROM unit_lineage l JOIN units s ON s.unit_id = l.successor_id
            WHERE l.change_type <> '{REFORM_CHANGE}' AND s.system = ? AND s.level = 'commune'
              AND year(l.change_date) = ?),
        merged AS (
            SELECT c.commune_code, {merged},
                   TRUE AS converted, bool_or(c.split OR f.approximate) AS approximate,
                   CAST(sum(f.n_sources) AS INTEGER) AS n_sources
            FROM changed c JOIN {geo} f ON f.unit_id = c.predecessor_id AND f.year = ?
            WHERE c.commune_code IN (SELECT unnest(?))
            GROUP BY c.commune_code)
        SELECT * FROM merged
        UNION ALL BY NAME
        SELECT commune_code, households, population, poor_households, income_per_capita, converted, approximate,
               n_sources
        FROM {geo} f WHERE f.year = ? AND f.commune_code IN (SELECT unnest(?))
          AND f.commune_code NOT IN (SELECT commune_code FROM merged)""",
                 [system, year, year - 1, list(codes), year - 1, list(codes)])


def unit_regions(con, codes: Sequence[str], system: str) -> pd.DataFrame:
    """The EM region (I / II / III, or none) of these communes of a unit system, as their newest figures
    carry it — a new commune's derived from its predecessors until its own is uploaded — (commune_code,
    em_region, attributes_derived)."""
    return query(con, f"""SELECT commune_code, arg_max(em_region, year) AS em_region,
                                 arg_max(attributes_derived, year) AS attributes_derived
                          FROM {figures_sql(geography_of(system).key)} f
                          WHERE f.commune_code IN (SELECT unnest(?)) GROUP BY commune_code""", [list(codes)])


def figures_in_force(con, year: int, columns: Sequence[str], system: str) -> pd.DataFrame:
    """The figures in force for a year on a unit system: commune_code and `columns`."""
    return query(con, f"SELECT commune_code, {', '.join(columns)} FROM commune_year "
                      f"WHERE is_current AND year = ? AND unit_system = ?", [year, system])


def covered_elsewhere(con, year: int, codes: Sequence[str], system: str) -> pd.DataFrame:
    """The rows in force for a year on the *other* unit system that a file of these communes would take
    over (a year never counts the same households twice): commune_code, commune_name, households."""
    if system == POST:
        where = "f.unit_system = 'pre2025' AND f.unit_id IN (SELECT pre_unit_id FROM unit_map WHERE post_code IN (SELECT unnest(?)))"
    else:
        where = ("f.unit_system = 'post2025' AND f.commune_code IN (SELECT m.post_code FROM unit_map m JOIN units u "
                 "ON u.unit_id = m.pre_unit_id WHERE u.code IN (SELECT unnest(?)))")
    return query(con, f"""SELECT f.commune_code, u.name AS commune_name, f.households FROM commune_year f
                          JOIN units u ON u.unit_id = f.unit_id
                          WHERE f.is_current AND f.year = ? AND {where} ORDER BY f.commune_code""",
                 [year, list(codes)])


def communes_with_figures(con, year: int, provinces: Sequence[str], system: str) -> pd.DataFrame:
    """The communes of these provinces (of a unit system) with figures for a year, in that system's
    geography (commune_code, commune_name)."""
    return query(con, f"""SELECT f.commune_code, u.name AS commune_name FROM {figures_sql(geography_of(system).key)} f
                          JOIN units u ON u.unit_id = f.unit_id
                          WHERE f.year = ? AND f.province_code IN (SELECT unnest(?))""",
                 [year, list(provinces) or [""]])


def reference_rows(con, table: str, columns: Sequence[str]) -> pd.DataFrame:
    """The current rows of a reference table (unit_attributes, targets)."""
    return query(con, f"SELECT {', '.join(columns)} FROM {table}")


def known_units(con) -> set[tuple[str, str, str]]:
    """(system, level, code) of every unit."""
    return set(con.cursor().execute("SELECT DISTINCT system, level, code FROM units").fetchall())


def newest_unit_names(con) -> dict[tuple[str, str, str], str]:
    """(system, level, code) → the newest name of every unit."""
    return {(s, lv, c): n for s, lv, c, n in con.cursor().execute("""
        SELECT system, level, code, arg_max(name, coalesce(valid_to, DATE '9999-12-31')) FROM units GROUP BY ALL""").fetchall()}


def units_to_match(con, level: str, system: str = PRE) -> pd.DataFrame:
    """The units of a level that a boundary file is joined to — the last pre-reform list, or the units in
    force now — (code, name, district_code, province_code)."""
    if system == PRE:
        return query(con, """SELECT code, name, district_code, province_code FROM units
                             WHERE system = ? AND level = ? AND valid_to = ?""", [PRE, level, PRE_END])
    return query(con, """SELECT code, name, district_code, province_code FROM units
                         WHERE system = ? AND level = ? AND valid_to IS NULL""", [system, level])


FORMER_COLUMNS = ["code", "name", "province_code", "change_type", "new_code", "new_name", "decision"]


def former_units(con, level: str, system: str = PRE) -> pd.DataFrame:
    """Units of a level that an older file may still name but the list no longer has (merged, renamed,
    changed type), with the unit they became: former districts from `data/former_districts.csv`, ended
    commune versions from the lineage. Empty for the new units (none has ended yet)."""
    if system != PRE:
        return pd.DataFrame(columns=FORMER_COLUMNS)
    if level == "district":
        from ntm.store.unit_list import read_former_districts

        df = read_former_districts()
        return df.rename(columns={"old_code": "code", "old_name": "name"})[FORMER_COLUMNS]
    return query(con, """SELECT o.code, o.name, o.province_code,
                                CASE l.change_type WHEN 'merge' THEN 'merged' ELSE l.change_type END AS change_type,
                                n.code AS new_code,
                                n.name AS new_name, l.decision
                         FROM units o JOIN unit_lineage l ON l.predecessor_id = o.unit_id
                         JOIN units n ON n.unit_id = l.successor_id AND n.system = o.system
                         WHERE o.system = ? AND o.level = ? AND o.valid_to < ?""", [PRE, level, PRE_END])


def province_names(con, system: str) -> pd.DataFrame:
    """(code, name) of the provinces of a unit system, for reading a province-name column."""
    return query(con, "SELECT code, name FROM units WHERE system = ? AND level = 'province' AND "
                      + ("valid_to = ?" if system == PRE else "valid_to IS NULL"),
                 [system, PRE_END] if system == PRE else [system])


def batch_in_force_with(con, kind: str, year: int | None, checksum: str) -> int | None:
    """The active batch of `kind` and `year` imported from a file with this checksum (the same file
    again), or None."""
    row = con.cursor().execute("""SELECT max(batch_id) FROM import_batches
                                  WHERE kind = ? AND year = ? AND checksum = ? AND status = 'active'""",
                               [kind, year, checksum]).fetchone()
    return None if not row or row[0] is None else int(row[0])
