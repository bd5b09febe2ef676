"""What an upload is checked and previewed against: last year's figures of the same communes, the
figures in force for the file's year, last year's communes of its provinces, the current rows of a
reference table, and the units a file may name."""

from __future__ import annotations

from typing import Sequence

import pandas as pd

from ntm.domain.units import PRE, PRE_END
from ntm.read.sql import query


def previous_year(con, year: int, codes: Sequence[str]) -> pd.DataFrame:
    """Last year's figures in force for these communes (commune_code, households, poor_households)."""
    cur = con.cursor()
    cur.register("codes_in", pd.DataFrame({"commune_code": list(codes)}))
    df = cur.execute("""SELECT commune_code, households, poor_households FROM commune_year
                        WHERE is_current AND year = ? AND commune_code IN (SELECT commune_code FROM codes_in)""",
                     [year - 1]).df()
    cur.unregister("codes_in")
    return df


def figures_in_force(con, year: int, columns: Sequence[str]) -> pd.DataFrame:
    """The figures in force for a year: commune_code and `columns`."""
    return query(con, f"SELECT commune_code, {', '.join(columns)} FROM commune_year WHERE is_current AND year = ?",
                 [year])


def communes_with_figures(con, year: int, provinces: Sequence[str]) -> pd.DataFrame:
    """The communes of these provinces with figures in force for a year (commune_code, commune_name)."""
    return query(con, """SELECT f.commune_code, u.name AS commune_name FROM commune_year f JOIN units u USING (unit_id)
                         WHERE f.is_current AND f.year = ? AND f.province_code IN ?""",
                 [year, list(provinces) or [""]])


def reference_rows(con, table: str, columns: Sequence[str]) -> pd.DataFrame:
    """The current rows of a reference table (unit_attributes, targets)."""
    return query(con, f"SELECT {', '.join(columns)} FROM {table}")


def known_units(con) -> set[tuple[str, str]]:
    """(level, code) of every unit of either system."""
    return set(con.cursor().execute("SELECT DISTINCT level, code FROM units").fetchall())


def units_to_match(con, level: str) -> pd.DataFrame:
    """The units of a level in the last pre-reform list that a boundary file is joined to (code, name,
    district_code, province_code)."""
    return query(con, """SELECT code, name, district_code, province_code FROM units
                         WHERE system = ? AND level = ? AND valid_to = ?""", [PRE, level, PRE_END])
