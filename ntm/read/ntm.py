"""NTM series: the ladder per year, movements between two years, the criteria matrix, the communes at risk
of revocation (QĐ 18/2022) and the districts' status against their targets. Language-free: criteria
are codes (`ntm.present.labels` names them)."""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from ntm.domain.rules import CRITERIA, STATUS_LADDER, movement, pct, status_rank
from ntm.read.registry import series
from ntm.read.scope import NATIONAL, Scope
from ntm.read.sql import RECOGNISED_SQL, at_risk_sql, failed_list_sql, keep_years, name_sql, query


@series
def ntm_status_by_year(con, scope: Scope, years: Sequence[int] | None = None) -> pd.DataFrame:
    """Rural communes per NTM status and year, every rung present.

    Columns: year, status, status_rank, communes, rural_communes (denominator), share_pct.
    """
    where, params = scope.predicate("f")
    raw = query(con, f"""SELECT f.year, f.ntm_status AS status, count(*) AS communes FROM commune_year f
                       WHERE f.is_current AND f.ntm_status IS NOT NULL AND {where} GROUP BY ALL""", params)
    raw["status"] = raw["status"].where(raw["status"].isin(STATUS_LADDER), "none")
    grid = pd.MultiIndex.from_product([sorted(raw["year"].unique()), STATUS_LADDER], names=["year", "status"])
    df = raw.groupby(["year", "status"])["communes"].sum().reindex(grid, fill_value=0).reset_index()
    df["year"] = df["year"].astype(int)
    df["communes"] = df["communes"].astype(int)
    df["status_rank"] = df["status"].map(status_rank)
    df["rural_communes"] = df.groupby("year")["communes"].transform("sum").astype(int)
    df["share_pct"] = pct(df["communes"], df["rural_communes"])
    return keep_years(df[["year", "status", "status_rank", "communes", "rural_communes", "share_pct"]], years)


def status_changes(con, scope: Scope, year_from: int, year_to: int | None = None) -> pd.DataFrame:
    """Each rural commune's status in two years (matched by commune code) and how it moved.

    `movement` is up / same / down / revoked (from rules.movement), `new` (no row the first year) or
    `gone` (no row the second year: merged or dissolved). Columns: commune_code, commune_name,
    district_name, from_status, to_status, movement.
    """
    year_to = year_from + 1 if year_to is None else year_to
    where, params = scope.predicate("f")
    df = query(con, f"""
        WITH s AS (SELECT f.year, f.commune_code, f.ntm_status, u.name, f.district_code FROM commune_year f
                   JOIN units u ON u.unit_id = f.unit_id
                   WHERE f.is_current AND f.ntm_status IS NOT NULL AND f.year IN (?, ?) AND {where}),
             a AS (SELECT * FROM s WHERE year = ?), b AS (SELECT * FROM s WHERE year = ?)
        SELECT coalesce(b.commune_code, a.commune_code) AS commune_code,
               coalesce(b.name, a.name) AS commune_name,
               {name_sql('district', 'coalesce(b.district_code, a.district_code)')} AS district_name,
               a.ntm_status AS from_status, b.ntm_status AS to_status
        FROM a FULL OUTER JOIN b USING (commune_code) ORDER BY 1""",
             [year_from, year_to] + params + [year_from, year_to])
    df["movement"] = [_movement(a, b) for a, b in zip(df["from_status"], df["to_status"])]
    df["from_status"] = df["from_status"].fillna("new")
    df["to_status"] = df["to_status"].fillna("gone")
    df["year_from"], df["year_to"] = year_from, year_to
    return df


def _movement(before, after) -> str:
    if before is None or (isinstance(before, float) and np.isnan(before)):
        return "new"
    if after is None or (isinstance(after, float) and np.isnan(after)):
        return "gone"
    return movement(before, after)


@series
def status_flows(con, scope: Scope, year_from: int, year_to: int | None = None, max_names: int = 8) -> pd.DataFrame:
    """Communes per (from status → to status) between two years, for a Sankey diagram.

    Columns: year_from, year_to, from_status, to_status, movement, communes, names (up to
    `max_names` commune names, '; '-joined, '…' when there are more).
    """
    ch = status_changes(con, scope, year_from, year_to)
    order = {s: i for i, s in enumerate(("new",) + STATUS_LADDER + ("gone",))}
    rows = []
    for (a, b, m), g in ch.groupby(["from_status", "to_status", "movement"]):
        names = list(g["commune_name"])
        text = "; ".join(names[:max_names]) + ("; …" if len(names) > max_names else "")
        rows.append({"from_status": a, "to_status": b, "movement": m, "communes": len(g), "names": text})
    df = pd.DataFrame(rows, columns=["from_status", "to_status", "movement", "communes", "names"])
    df = df.sort_values(["from_status", "to_status"], key=lambda s: s.map(order)).reset_index(drop=True)
    df.insert(0, "year_to", ch["year_to"].iloc[0] if len(ch) else year_to or year_from + 1)
    df.insert(0, "year_from", year_from)
    return df


@series
def criteria_matrix_codes(con, scope: Scope, year: int) -> pd.DataFrame:
    """`criteria_matrix` without the criteria's names, groups and departments (language-free)."""
    where, params = scope.predicate("f")
    wide = query(con, f"""
        SELECT f.commune_code, u.name AS commune_name, {name_sql('district', 'f.district_code')} AS district_name,
               f.ntm_status, f.criteria_met, {at_risk_sql('f')} AS at_risk, {', '.join('f.' + c for c in CRITERIA)}
        FROM commune_year f JOIN units u ON u.unit_id = f.unit_id
        WHERE f.is_current AND f.year = ? AND f.ntm_status IS NOT NULL AND {where}
        ORDER BY f.commune_code""", [year] + params)
    ids = ["commune_code", "commune_name", "district_name", "ntm_status", "criteria_met", "at_risk"]
    long = wide.melt(id_vars=ids, value_vars=list(CRITERIA), var_name="criterion", value_name="met")
    long["met"] = long["met"].astype("boolean")
    long["year"] = year
    return long


@series
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


def _district_predicate(scope: Scope, alias: str = "d") -> tuple[str, list]:
    if scope.level == "national":
        return "TRUE", []
    if scope.level == "province":
        return f"{alias}.province_code = ?", [scope.code]
    if scope.level == "district":
        return f"{alias}.district_code = ?", [scope.code]
    return f"{alias}.district_code = ?", [scope.district_code]


@series
def district_status_by_year(con, scope: Scope, years: Sequence[int] | None = None) -> pd.DataFrame:
    """District NTM status per year (district_year), with its rural communes recognised and its target.

    Columns: year, district_code, district_name, is_mountainous, ntm_status, ntm_recognition_year,
    rural_communes, recognised_communes, recognised_share_pct, target_year, target_level,
    target_source, target_status (met / not_met / pending, on every row of the district; None when
    the district has no target).
    """
    where, params = _district_predicate(scope)
    # Communes counted: the scope's, with its mountainous / ethnic-minority filters (then only districts
    # that have such communes are shown); a commune's scope counts its whole district.
    unfiltered = Scope(scope.level, scope.code, scope.name, scope.province_code, scope.district_code)
    commune_where, commune_params = scope.predicate("f") if scope.level != "commune" else \
        _district_predicate(scope, "f")
    join = "LEFT JOIN" if (commune_where, commune_params) == unfiltered.predicate("f") \
        or scope.level == "commune" else "JOIN"
    df = query(con, f"""
        WITH c AS (SELECT f.year, f.district_code, count(*) AS rural_communes,
                          count(*) FILTER (WHERE f.ntm_status IN {RECOGNISED_SQL}) AS recognised_communes
                   FROM commune_year f
                   WHERE f.is_current AND f.ntm_status IS NOT NULL AND {commune_where} GROUP BY ALL)
        SELECT d.year, d.district_code, {name_sql('district', 'd.district_code')} AS district_name,
               coalesce(a.is_mountainous, FALSE) AS is_mountainous, d.ntm_status, d.ntm_recognition_year,
               coalesce(c.rural_communes, 0) AS rural_communes, coalesce(c.recognised_communes, 0) AS recognised_communes
        FROM district_year d {join} c USING (year, district_code)
        LEFT JOIN unit_attributes a ON a.level = 'district' AND a.code = d.district_code
        WHERE d.is_current AND {where} ORDER BY d.district_code, d.year""", commune_params + params)
    df["recognised_share_pct"] = pct(df["recognised_communes"], df["rural_communes"])
    targets = query(con, """SELECT scope_code AS district_code, year AS target_year, level AS target_level,
                                 source_document AS target_source
                          FROM targets WHERE scope_level = 'district' AND metric = 'district_status'""")
    targets = targets.sort_values("target_year").drop_duplicates("district_code")
    df = df.merge(targets, on="district_code", how="left")
    last = int(df["year"].max()) if len(df) else None
    status = {}
    for code, g in df.dropna(subset=["target_year"]).groupby("district_code"):
        ty, level = int(g["target_year"].iloc[0]), g["target_level"].iloc[0]
        row = g[g["year"] == ty]
        if last is None or ty > last or row.empty:
            status[code] = "pending"
        else:
            status[code] = "met" if status_rank(row["ntm_status"].iloc[0]) >= status_rank(level) else "not_met"
    df["target_status"] = df["district_code"].map(status)
    df["target_year"] = df["target_year"].astype("Int64")
    return keep_years(df, years)
