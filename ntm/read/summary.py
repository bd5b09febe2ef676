"""The headline figures of a scope and year (households, poor and near-poor, flows, ethnic-minority poor,
NTM communes by status, communes at risk), and which years and provinces have figures."""

from __future__ import annotations

from typing import Sequence

import pandas as pd

from ntm.domain.periods import describe_standards, join_standards, years_confirmed
from ntm.domain.rules import RECOGNISED, STATUS_LADDER, Rate, change_pp, rate
from ntm.domain.units import GEOGRAPHIES
from ntm.store.figures import figures_sql
from ntm.read.poverty import STANDARDS_SQL
from ntm.read.scope import NATIONAL, Scope
from ntm.read.sql import TOTALS_SQL, at_risk_sql, placeholders, query, status_sql


def summary(con, scope: Scope, year: int) -> dict:
    """Households, poor and near-poor (count, rate), flows, EM poor, NTM communes by status, at-risk
    count, the change of the poor rate against the previous year, and the poverty standard(s) of the
    year and — when they differ — of the year before (`poverty_standard`, `break`), for one scope and year."""
    cur = con.cursor()
    where, params = scope.predicate("f")
    by_status = ", ".join(f"count(*) FILTER (WHERE {status_sql('f')} = '{s}') AS status_{s}" for s in STATUS_LADDER)
    agg = f"""
        SELECT f.year, {TOTALS_SQL},
               count(*) FILTER (WHERE f.is_rural) AS rural_communes, {by_status},
               avg(f.criteria_met) FILTER (WHERE f.is_rural) AS avg_criteria,
               count(*) FILTER (WHERE {at_risk_sql('f')}) AS at_risk,
               mode(f.criteria_set) AS criteria_set, bool_or(f.converted) AS converted,
               bool_or(f.approximate) AS approximate, count(*) FILTER (WHERE f.reassess) AS reassess,
               {STANDARDS_SQL}
        FROM {scope.source} f
        WHERE {where} AND f.year IN (?, ?)
        GROUP BY f.year"""
    rows = {int(r["year"]): r for r in cur.execute(agg, params + [year, year - 1]).df().to_dict("records")}
    cur_row, prev_row = rows.get(year), rows.get(year - 1)
    result = {"unit": {"level": scope.level, "code": scope.code, "name": scope.name}, "year": year,
              "geography": scope.geo, "has_data": cur_row is not None, "is_demo": is_demo(con, scope, [year])}
    if cur_row is None:
        return result

    def num(row, key):
        v = row.get(key) if row else None
        return None if v is None or pd.isna(v) else int(v)

    hh = num(cur_row, "households")
    poor_rate, near_rate = rate(num(cur_row, "poor"), hh), rate(num(cur_row, "near_poor"), hh)
    both = rate((num(cur_row, "poor") or 0) + (num(cur_row, "near_poor") or 0), hh)
    prev_rate = rate(num(prev_row, "poor"), num(prev_row, "households")) if prev_row else None
    result.update({
        "communes": num(cur_row, "communes"),
        "households": hh,
        "population": num(cur_row, "population"),
        "poor": _rate_dict(poor_rate),
        "near_poor": _rate_dict(near_rate),
        "poor_and_near_poor": _rate_dict(both),
        "poor_rate_change_pp": change_pp(prev_rate, poor_rate) if prev_rate else None,
        "comparison": {"converted": bool(cur_row["converted"]),
                       "previous_converted": bool(prev_row and prev_row["converted"]),
                       "approximate": bool(prev_row and prev_row["approximate"]) or bool(cur_row["approximate"])},
        "poverty_standard": _standards(cur_row, prev_row, year),
        "criteria_set": cur_row["criteria_set"],
        "escaped": num(cur_row, "escaped"),
        "fell_back": num(cur_row, "fell_back"),
        "newly_poor": num(cur_row, "newly_poor"),
        "ethnic_minority_poor": _rate_dict(rate(num(cur_row, "em_poor"), num(cur_row, "em_households"))),
        "ntm": {
            "rural_communes": num(cur_row, "rural_communes"),
            "by_status": {s: num(cur_row, f"status_{s}") or 0 for s in STATUS_LADDER},
            "recognised": sum(num(cur_row, f"status_{s}") or 0 for s in RECOGNISED),
            "avg_criteria": None if pd.isna(cur_row["avg_criteria"]) else round(float(cur_row["avg_criteria"]), 2),
            "at_risk": num(cur_row, "at_risk"),
            "reassess": num(cur_row, "reassess"),
        },
    })
    return result


def _standards(cur_row: dict, prev_row: dict | None, year: int) -> dict:
    """The year's poverty standard(s) and, when the year before follows others, those too, with the
    break flag: the change on the year before then compares two standards (docs/domain.md §2.7)."""
    key = join_standards(cur_row["standards"], year)
    prev = join_standards(prev_row["standards"], year - 1) if prev_row else None
    broken = prev is not None and prev != key
    return {"key": key, "standards": describe_standards(key), "review_years_confirmed": years_confirmed(key),
            "compared_year": year - 1 if prev else None, "compared_key": prev if broken else None,
            "compared_standards": describe_standards(prev) if broken else None, "break": broken}


def _rate_dict(r: Rate) -> dict:
    return {"count": int(r.numerator), "of": int(r.denominator),
            "percent": None if r.percent is None else round(r.percent, 2)}


def available_years(con, geo: str = "new") -> list[int]:
    """Reporting years that have figures in force in a geography (every year in the new one; the years
    held on the old units in the old one)."""
    system = "" if geo == "new" else f"AND unit_system = '{GEOGRAPHIES[geo].system}'"
    return [r[0] for r in con.cursor().execute(
        f"SELECT DISTINCT year FROM commune_year WHERE is_current {system} ORDER BY 1").fetchall()]


def provinces_with_data(con, geo: str = "new") -> pd.DataFrame:
    """Provinces (code, name) of a geography that have commune figures in force."""
    return query(con, f"""
        SELECT DISTINCT p.code, p.name FROM (SELECT DISTINCT province_code FROM {figures_sql(geo)}) f
        JOIN units p ON p.system = ? AND p.level = 'province' AND p.code = f.province_code
        ORDER BY p.code""", [GEOGRAPHIES[geo].system])


def last_data_year(con, scope: Scope = NATIONAL) -> int | None:
    """Newest reporting year with figures in force in the scope."""
    where, params = scope.predicate("f")
    row = con.cursor().execute(f"SELECT max(year) FROM {scope.source} f WHERE {where}", params).fetchone()
    return None if not row or row[0] is None else int(row[0])


def is_demo(con, scope: Scope, years: Sequence[int] | None = None) -> bool:
    """True when any figure in force for the scope (and years) came from a demo batch."""
    where, params = scope.predicate("f")
    year_sql = ""
    if years:
        year_sql = f"AND f.year IN ({placeholders(years)})"
        params = params + [int(y) for y in years]
    row = con.cursor().execute(
        f"""SELECT coalesce(bool_or(f.is_demo), FALSE) FROM {scope.source} f
            WHERE {where} {year_sql}""", params).fetchone()
    return bool(row and row[0])
