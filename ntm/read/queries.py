"""Read-side queries over the figures in force (`is_current`), for pages, exports and the command line.

A scope is the nation, a province (2-digit code), a district (3 digits) or a commune (5 digits),
resolved against the units valid in the reporting year. Every query runs on its own cursor.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ntm.domain.criteria import criterion_names, key_criteria
from ntm.domain.rules import CRITERIA, RECOGNISED, STATUS_LADDER, Rate, change_pp, rate
from ntm.domain.settings import reform_code_year, revocation_rule
from ntm.read.units import resolve_unit

LEVEL_COLUMN = {"province": "province_code", "district": "district_code", "commune": "commune_code"}


@dataclass(frozen=True)
class Scope:
    """The unit a query is about."""

    level: str              # national / province / district / commune
    code: str | None
    name: str
    province_code: str | None = None
    district_code: str | None = None

    def predicate(self, alias: str = "f") -> tuple[str, list]:
        """SQL condition (and parameters) selecting this scope's commune rows."""
        if self.level == "national":
            return "TRUE", []
        return f"{alias}.{LEVEL_COLUMN[self.level]} = ?", [self.code]


NATIONAL = Scope("national", None, "Toàn quốc")


def resolve_scope(con, code: str | None, year: int) -> Scope | None:
    """Scope of a unit code in a reporting year ('' / 'VN' / None = national); None if unknown."""
    if not code or code.upper() in ("VN", "NATIONAL", "0"):
        return NATIONAL
    unit = resolve_unit(con, code.strip().zfill({1: 2, 2: 2, 3: 3, 4: 5, 5: 5}.get(len(code.strip()), 0)),
                        year, reform_code_year())
    if unit is None:
        return None
    return Scope(unit["level"], unit["code"], unit["name"], unit["province_code"], unit["district_code"])


# ---------------------------------------------------------------------------------------------
# SQL fragments over the 19 criterion flags

def failed_count_sql(alias: str = "f") -> str:
    """Number of criteria explicitly not met."""
    return " + ".join(f"CASE WHEN {alias}.{c} = FALSE THEN 1 ELSE 0 END" for c in CRITERIA)


def key_failed_sql(alias: str = "f") -> str:
    """True when a key criterion (Income, Environment, Defence & security) is not met."""
    return "(" + " OR ".join(f"coalesce({alias}.{c} = FALSE, FALSE)" for c in sorted(key_criteria())) + ")"


def failed_list_sql(alias: str = "f") -> str:
    """List of the criterion codes explicitly not met."""
    items = ", ".join(f"CASE WHEN {alias}.{c} = FALSE THEN '{c}' END" for c in CRITERIA)
    return f"list_filter([{items}], lambda x: x IS NOT NULL)"


def at_risk_sql(alias: str = "f") -> str:
    """QĐ 18/2022 revocation condition for a recognised commune row."""
    rule = revocation_rule()
    n = failed_count_sql(alias)
    return (f"({alias}.ntm_status IN ('standard', 'advanced', 'model') AND (({n}) >= {rule.min_failed_any} "
            f"OR (({n}) >= {rule.min_failed_with_key} AND {key_failed_sql(alias)})))")


# ---------------------------------------------------------------------------------------------
# Summary

def _demo_flag(cur, where: str, params: list, year: int | None = None) -> bool:
    year_sql = "AND f.year = ?" if year is not None else ""
    row = cur.execute(f"SELECT bool_or(b.is_demo) FROM commune_year f JOIN import_batches b USING (batch_id) "
                      f"WHERE f.is_current AND {where} {year_sql}", params + ([year] if year is not None else [])).fetchone()
    return bool(row and row[0])


def summary(con, scope: Scope, year: int) -> dict:
    """Households, poor and near-poor (count, rate), flows, EM poor, NTM communes by status, at-risk
    count and the change of the poor rate against the previous year, for one scope and year."""
    cur = con.cursor()
    where, params = scope.predicate("f")
    agg = f"""
        SELECT f.year,
               count(*) AS communes,
               sum(households) AS households, sum(population) AS population,
               sum(poor_households) AS poor, sum(near_poor_households) AS near_poor,
               sum(escaped_poverty) AS escaped, sum(fell_back_into_poverty) AS fell_back,
               sum(newly_poor) AS newly_poor,
               sum(ethnic_minority_households) AS em_households,
               sum(ethnic_minority_poor_households) AS em_poor,
               count(ntm_status) AS rural_communes,
               count(*) FILTER (WHERE ntm_status = 'none') AS status_none,
               count(*) FILTER (WHERE ntm_status = 'standard') AS status_standard,
               count(*) FILTER (WHERE ntm_status = 'advanced') AS status_advanced,
               count(*) FILTER (WHERE ntm_status = 'model') AS status_model,
               avg(criteria_met) FILTER (WHERE ntm_status IS NOT NULL) AS avg_criteria,
               count(*) FILTER (WHERE {at_risk_sql('f')}) AS at_risk
        FROM commune_year f
        WHERE f.is_current AND {where} AND f.year IN (?, ?)
        GROUP BY f.year"""
    rows = {int(r["year"]): r for r in cur.execute(agg, params + [year, year - 1]).df().to_dict("records")}
    cur_row, prev_row = rows.get(year), rows.get(year - 1)
    result = {"unit": {"level": scope.level, "code": scope.code, "name": scope.name}, "year": year,
              "has_data": cur_row is not None, "is_demo": _demo_flag(cur, where, params, year)}
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
        },
    })
    return result


def _rate_dict(r: Rate) -> dict:
    return {"count": int(r.numerator), "of": int(r.denominator),
            "percent": None if r.percent is None else round(r.percent, 2)}


# ---------------------------------------------------------------------------------------------
# At-risk list

def at_risk(con, scope: Scope, year: int, lang: str = "vi") -> pd.DataFrame:
    """Recognised communes at risk of revocation in a year, with the criteria they no longer meet."""
    return name_failed_criteria(at_risk_codes(con, scope, year), lang)


def at_risk_codes(con, scope: Scope, year: int) -> pd.DataFrame:
    """The at-risk list without labels: the failed criteria as a list of codes (column `failed`), so
    the same result serves every language (see `name_failed_criteria`)."""
    cur = con.cursor()
    where, params = scope.predicate("f")
    return cur.execute(f"""
        SELECT f.commune_code, u.name AS commune_name, d.name AS district_name, p.name AS province_name,
               f.ntm_status, f.ntm_recognition_year, f.criteria_met, {failed_list_sql('f')} AS failed
        FROM commune_year f
        JOIN units u ON u.unit_id = f.unit_id
        LEFT JOIN units d ON d.system = u.system AND d.level = 'district' AND d.code = f.district_code
        LEFT JOIN units p ON p.system = u.system AND p.level = 'province' AND p.code = f.province_code
        WHERE f.is_current AND f.year = ? AND {where} AND {at_risk_sql('f')}
        ORDER BY f.criteria_met, f.commune_code""", [year] + params).df()


def name_failed_criteria(df: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """`at_risk_codes` with the failed criteria named in `lang` (all, and the key ones); no query."""
    names = criterion_names(lang)
    keys = key_criteria()
    failed = [list(f) for f in df["failed"]]
    out = df.copy()
    out["criteria_failed"] = [len(f) for f in failed]
    out["failed_criteria"] = ["; ".join(names[c] for c in f) for f in failed]
    out["failed_key_criteria"] = ["; ".join(names[c] for c in f if c in keys) for f in failed]
    return out.drop(columns=["failed"]).reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# Core series used by pages and benchmarks

def ntm_counts_by_status(con, scope: Scope = NATIONAL, group_by: str | None = None) -> pd.DataFrame:
    """Rural communes per NTM status and year (optionally per province/district): long format."""
    cur = con.cursor()
    where, params = scope.predicate("f")
    group = f", f.{group_by}" if group_by else ""
    return cur.execute(f"""
        SELECT f.year{group}, f.ntm_status, count(*) AS communes
        FROM commune_year f
        WHERE f.is_current AND f.ntm_status IS NOT NULL AND {where}
        GROUP BY ALL ORDER BY ALL""", params).df()


def poverty_flows_by_district(con, scope: Scope = NATIONAL) -> pd.DataFrame:
    """Per district and year: households, poor at the end of the year, poor the year before, escaped,
    fell back, newly poor and the flow gap (end − (prev − escaped + fell back + newly))."""
    cur = con.cursor()
    where, params = scope.predicate("f")
    return cur.execute(f"""
        WITH d AS (
            SELECT f.district_code, f.year, sum(households) AS households, sum(poor_households) AS poor,
                   sum(near_poor_households) AS near_poor, sum(escaped_poverty) AS escaped,
                   sum(fell_back_into_poverty) AS fell_back, sum(newly_poor) AS newly_poor
            FROM commune_year f WHERE f.is_current AND {where} GROUP BY ALL)
        SELECT d.*, lag(poor) OVER (PARTITION BY district_code ORDER BY year) AS poor_prev,
               poor - (lag(poor) OVER (PARTITION BY district_code ORDER BY year) - escaped + fell_back + newly_poor)
                   AS flow_gap
        FROM d ORDER BY district_code, year""", params).df()


def available_years(con) -> list[int]:
    """Reporting years that have figures in force."""
    cur = con.cursor()
    return [r[0] for r in cur.execute("SELECT DISTINCT year FROM commune_year WHERE is_current ORDER BY 1").fetchall()]


def provinces_with_data(con) -> pd.DataFrame:
    """Provinces (code, name) that have commune figures in force."""
    cur = con.cursor()
    return cur.execute("""
        SELECT DISTINCT p.code, p.name FROM commune_year f
        JOIN units p ON p.system = 'pre2025' AND p.level = 'province' AND p.code = f.province_code
        WHERE f.is_current ORDER BY p.code""").df()
