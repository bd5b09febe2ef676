"""NTM series: the ladder per year, movements between two years, the criteria matrix, the communes at risk
of revocation (QĐ 18/2022) and the districts' status against their targets. Language-free: criteria
are codes (`ntm.present.labels` names them).

Every count follows the recognition rule of the row's criteria set (`data/criteria_sets.csv`): under a
set where recognition starts anew (QĐ 51/2025, unconfirmed), a status recognised before the set's first
year is history — counted as not (yet) recognised, never at risk (`recognised_sql`, `status_sql`).
District statuses end with 2024: districts were abolished on 1 July 2025."""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from ntm.domain.criteria import criteria_set, criteria_sets
from ntm.domain.rules import CRITERIA, STATUS_LADDER, movement, pct, status_rank
from ntm.domain.units import PRE, REFORM_YEAR
from ntm.store.figures import figures_sql
from ntm.read.registry import series
from ntm.read.scope import NATIONAL, Scope, filter_conditions
from ntm.read.sql import (RECOGNISED_SQL, at_risk_sql, failed_list_sql, keep_years, name_sql, query,
                          recognised_sql, status_sql)


@series
def ntm_status_by_year(con, scope: Scope, years: Sequence[int] | None = None) -> pd.DataFrame:
    """Rural communes per NTM status and year, every rung present.

    Columns: year, status, status_rank, communes, rural_communes (denominator), share_pct, criteria_set
    (the set the year is assessed against).
    """
    where, params = scope.predicate("f")
    raw = query(con, f"""SELECT f.year, {status_sql('f')} AS status, count(*) AS communes,
                              any_value(f.criteria_set) AS criteria_set FROM {scope.source} f
                       WHERE f.is_rural AND {where} GROUP BY ALL""", params)
    # The denominator is every rural commune of the unit list reported that year; one reported without a
    # status counts there but on no rung (it is not "not recognised", it is not known).
    rural = raw.groupby("year")["communes"].sum()
    raw = raw[raw["status"].notna()].copy()
    raw["status"] = raw["status"].where(raw["status"].isin(STATUS_LADDER), "none")
    sets = raw.groupby("year")["criteria_set"].agg(lambda v: v.mode().iloc[0])
    grid = pd.MultiIndex.from_tuples([(y, s) for y in sorted(raw["year"].unique())
                                      for s in criteria_set(sets[y], y).statuses], names=["year", "status"])
    df = raw.groupby(["year", "status"])["communes"].sum().reindex(grid, fill_value=0).reset_index()
    df["year"] = df["year"].astype(int)
    df["communes"] = df["communes"].astype(int)
    df["status_rank"] = df["status"].map(status_rank)
    df["rural_communes"] = df["year"].map(rural).astype(int)
    df["share_pct"] = pct(df["communes"], df["rural_communes"])
    df["criteria_set"] = df["year"].map(sets)
    return keep_years(df[["year", "status", "status_rank", "communes", "rural_communes", "share_pct",
                          "criteria_set"]], years)


def status_changes(con, scope: Scope, year_from: int, year_to: int | None = None) -> pd.DataFrame:
    """Each rural commune's status in two years and how it moved, on the scope's geography (in the new
    one a year before the reform is re-aggregated onto the new communes, so the same place is compared;
    a merged commune keeps a level only when all its predecessors had it, CV 5424 — re-coding is never a
    revocation).

    `movement` is up / same / down / revoked / reset (from rules.movement; `reset` when the two years
    use different criteria sets), `new` (no row the first year) or `gone` (no row the second year:
    merged or dissolved). Columns: commune_code, commune_name, district_name, from_status, to_status,
    movement, reassess (the first year's predecessors had different levels), approximate.
    """
    year_to = year_from + 1 if year_to is None else year_to
    where, params = scope.predicate("f")
    df = query(con, f"""
        WITH s AS (SELECT f.year, f.commune_code, {status_sql('f')} AS ntm_status, u.name, f.district_code, f.criteria_set,
                          f.reassess, f.approximate FROM {scope.source} f
                   JOIN units u ON u.unit_id = f.unit_id
                   WHERE f.ntm_status IS NOT NULL AND f.year IN (?, ?) AND {where}),
             a AS (SELECT * FROM s WHERE year = ?), b AS (SELECT * FROM s WHERE year = ?)
        SELECT coalesce(b.commune_code, a.commune_code) AS commune_code,
               coalesce(b.name, a.name) AS commune_name,
               {name_sql('district', 'coalesce(b.district_code, a.district_code)', PRE)} AS district_name,
               a.ntm_status AS from_status, b.ntm_status AS to_status,
               coalesce(a.criteria_set != b.criteria_set, FALSE) AS across_sets,
               coalesce(a.reassess, FALSE) AS reassess, coalesce(a.approximate OR b.approximate, FALSE) AS approximate
        FROM a FULL OUTER JOIN b USING (commune_code) ORDER BY 1""",
             [year_from, year_to] + params + [year_from, year_to])
    df["movement"] = [_movement(a, b, x) for a, b, x in zip(df["from_status"], df["to_status"], df["across_sets"])]
    df["from_status"] = df["from_status"].fillna("new")
    df["to_status"] = df["to_status"].fillna("gone")
    df["year_from"], df["year_to"] = year_from, year_to
    return df


def _movement(before, after, across_sets: bool = False) -> str:
    if before is None or (isinstance(before, float) and np.isnan(before)):
        return "new"
    if after is None or (isinstance(after, float) and np.isnan(after)):
        return "gone"
    return movement(before, after, across_sets)


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
    """`criteria_matrix` without the criteria's names, groups and departments (language-free); each
    commune has the criteria of its set (`criteria_set`)."""
    where, params = scope.predicate("f")
    wide = query(con, f"""
        SELECT f.commune_code, u.name AS commune_name, {name_sql('district', 'f.district_code', PRE)} AS district_name,
               {status_sql('f')} AS ntm_status, f.criteria_met, f.criteria_set,
               {at_risk_sql('f')} AS at_risk,
               {', '.join('f.' + c for c in CRITERIA)}
        FROM {scope.source} f JOIN units u ON u.unit_id = f.unit_id
        WHERE f.year = ? AND f.ntm_status IS NOT NULL AND {where}
        ORDER BY f.commune_code""", [year] + params)
    ids = ["commune_code", "commune_name", "district_name", "ntm_status", "criteria_met", "criteria_set", "at_risk"]
    long = wide.melt(id_vars=ids, value_vars=list(CRITERIA), var_name="criterion", value_name="met")
    n = long["criteria_set"].map(lambda k: criteria_set(k, year).n_criteria)
    long = long[long["criterion"].str[1:].astype(int) <= n].reset_index(drop=True)
    long["met"] = long["met"].astype("boolean")
    long["year"] = year
    return long


@series
def at_risk_codes(con, scope: Scope, year: int) -> pd.DataFrame:
    """The at-risk list without labels: the failed criteria as a list of codes (column `failed`), so
    the same result serves every language (see `name_failed_criteria`). Only a recognition the commune
    holds under the year's set can be at risk."""
    where, params = scope.predicate("f")
    return query(con, f"""
        SELECT f.commune_code, u.name AS commune_name,
               {name_sql('district', 'f.district_code', PRE)} AS district_name,
               {name_sql('province', 'f.province_code', scope.system)} AS province_name,
               f.ntm_status, f.ntm_recognition_year, f.criteria_met, f.criteria_set, f.approximate,
               {failed_list_sql('f')} AS failed
        FROM {scope.source} f JOIN units u ON u.unit_id = f.unit_id
        WHERE f.year = ? AND {where} AND {at_risk_sql('f')}
        ORDER BY f.criteria_met, f.commune_code""", [year] + params)


def ntm_counts_by_status(con, scope: Scope = NATIONAL, group_by: str | None = None) -> pd.DataFrame:
    """Rural communes per NTM status and year (optionally per province/district): long format."""
    where, params = scope.predicate("f")
    group = f", f.{group_by}" if group_by else ""
    return query(con, f"""
        SELECT f.year{group}, {status_sql('f')} AS ntm_status, count(*) AS communes
        FROM {scope.source} f
        WHERE f.ntm_status IS NOT NULL AND {where}
        GROUP BY ALL ORDER BY ALL""", params)


def _district_predicate(scope: Scope, alias: str = "d") -> tuple[str, list]:
    """The old districts of a scope: by code, or — for a scope of the new geography — the districts whose
    communes went into its province (a former district for a district scope)."""
    if scope.level == "national":
        return "TRUE", []
    if scope.level == "district":
        return f"{alias}.district_code = ?", [scope.code]
    if scope.geo == "new" and scope.level == "province":
        return (f"{alias}.district_code IN (SELECT pre_district_code FROM unit_map WHERE post_province_code = ?)",
                [scope.code])
    if scope.level == "province":
        return f"{alias}.province_code = ?", [scope.code]
    return f"{alias}.district_code = ?", [scope.district_code]


@series
def district_status_by_year(con, scope: Scope, years: Sequence[int] | None = None) -> pd.DataFrame:
    """District NTM status per year (district_year, to 2024: districts were abolished on 1 July 2025),
    with its rural communes recognised and its target (`no_data` for a target of 2025 or later: no
    district was assessed then).

    Columns: year, district_code, district_name, is_mountainous, ntm_status, ntm_recognition_year,
    rural_communes, recognised_communes, recognised_share_pct, target_year, target_level,
    target_source, target_status (met / not_met / pending, on every row of the district; None when
    the district has no target).
    """
    where, params = _district_predicate(scope)
    # Communes counted: those of the scope's old districts, on the old units, with the scope's mountainous /
    # ethnic-minority filters (then only districts that have such communes are shown).
    commune_where, commune_params = _district_predicate(scope, "f")
    extra, extra_params = filter_conditions(scope, "f")
    join = "JOIN" if extra else "LEFT JOIN"
    df = query(con, f"""
        WITH c AS (SELECT f.year, f.district_code, count(*) AS rural_communes,
                          count(*) FILTER (WHERE f.ntm_status IN {RECOGNISED_SQL}) AS recognised_communes
                   FROM {figures_sql("old")} f
                   WHERE f.is_rural AND {" AND ".join([commune_where, *extra])} GROUP BY ALL)
        SELECT d.year, d.district_code, {name_sql('district', 'd.district_code', PRE)} AS district_name,
               coalesce(a.is_mountainous, FALSE) AS is_mountainous, d.ntm_status, d.ntm_recognition_year,
               coalesce(c.rural_communes, 0) AS rural_communes, coalesce(c.recognised_communes, 0) AS recognised_communes
        FROM district_year d {join} c USING (year, district_code)
        LEFT JOIN unit_attributes a ON a.system = '{PRE}' AND a.level = 'district' AND a.code = d.district_code
        WHERE d.is_current AND d.year < {REFORM_YEAR} AND {where} ORDER BY d.district_code, d.year""",
               commune_params + extra_params + params)
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
        if ty >= REFORM_YEAR:
            status[code] = "no_data"
        elif last is None or ty > last or row.empty:
            status[code] = "pending"
        else:
            status[code] = "met" if status_rank(row["ntm_status"].iloc[0]) >= status_rank(level) else "not_met"
    df["target_status"] = df["district_code"].map(status)
    df["target_year"] = df["target_year"].astype("Int64")
    return keep_years(df, years)


@series
def recognition_restart(con, scope: Scope, year: int) -> pd.DataFrame:
    """How the year's criteria set treats earlier recognitions, for the scope: one row with year,
    criteria_set, carries_over and verified (the set's rule, `data/criteria_sets.csv`), rural_communes,
    recognised (held under the set) and earlier_only (not recognised under the set but recognised under
    an earlier one: stated so in the year's row, or recognised in the year before the set began)."""
    cset = criteria_set(None, year)
    where, params = scope.predicate("f")
    df = query(con, f"""
        WITH now AS (SELECT f.commune_code, {recognised_sql('f')} AS held, f.ntm_status IN {RECOGNISED_SQL} AS stated
                     FROM {scope.source} f WHERE f.is_rural AND f.year = ? AND {where}),
             before AS (SELECT f.commune_code, bool_or(f.ntm_status IN {RECOGNISED_SQL}) AS was
                        FROM {scope.source} f WHERE f.year = ? AND {where} GROUP BY ALL)
        SELECT count(*) AS rural_communes, count(*) FILTER (WHERE held) AS recognised,
               count(*) FILTER (WHERE NOT held AND (stated OR coalesce(b.was, FALSE))) AS earlier_only
        FROM now LEFT JOIN before b USING (commune_code)""", [year] + params + [cset.first_year - 1] + params)
    df.insert(0, "verified", cset.recognition_verified)
    df.insert(0, "carries_over", cset.recognition_carries_over)
    df.insert(0, "criteria_set", cset.key)
    df.insert(0, "year", year)
    return df.astype({"rural_communes": int, "recognised": int, "earlier_only": int})
