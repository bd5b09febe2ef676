"""A commune's profile: its NTM status and criteria per year (met, not met, lost), and its poverty
rates next to its district and its peers."""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from ntm.domain.criteria import criteria_set
from ntm.domain.rules import CRITERIA, movement, pct, status_rank
from ntm.domain.units import PRE, geography_of
from ntm.store.figures import figures_sql
from ntm.read.registry import series
from ntm.read.scope import Scope
from ntm.read.sql import (MOUNTAINOUS_SQL, RECOGNISED_SQL, at_risk_sql, failed_count_sql, keep_years, name_sql,
                          query, status_sql)


@series
def commune_status_history(con, scope: Scope, years: Sequence[int] | None = None) -> pd.DataFrame:
    """A commune's status per year, in the scope's geography (a new commune's years before the reform are
    its predecessors' merged, `converted`). Columns: year, commune_name, ntm_status, status_rank,
    ntm_recognition_year, criteria_met, n_criteria, criteria_set, criteria_failed, at_risk, converted,
    reassess, approximate, movement (vs the year before), recognised_before (the last year of an earlier
    criteria set in which it was recognised, when its set starts recognition anew and it is not yet
    recognised again; else NaN). `ntm_status` is the status as the year's set counts it (`status_sql`)."""
    where, params = scope.predicate("f")
    df = query(con, f"""
        SELECT f.year, u.name AS commune_name, {status_sql('f')} AS ntm_status, f.ntm_recognition_year,
               f.ntm_status IN {RECOGNISED_SQL} AS stated_recognised, f.criteria_met,
               f.criteria_set, ({failed_count_sql('f')}) AS criteria_failed, {at_risk_sql('f')} AS at_risk,
               f.converted, f.reassess, f.approximate
        FROM {scope.source} f JOIN units u ON u.unit_id = f.unit_id
        WHERE {where} ORDER BY f.year""", params)
    df["n_criteria"] = [criteria_set(k, y).n_criteria for k, y in zip(df["criteria_set"], df["year"])]
    df["status_rank"] = df["ntm_status"].map(lambda s: status_rank(s) if isinstance(s, str) else np.nan)
    prev = [None] + list(df["ntm_status"].iloc[:-1])
    prev = [p if i and df["year"].iloc[i] - df["year"].iloc[i - 1] == 1 else None for i, p in enumerate(prev)]
    sets = list(df["criteria_set"])
    df["movement"] = [movement(p, c, i > 0 and sets[i - 1] != sets[i]) if isinstance(c, str) else None
                      for i, (p, c) in enumerate(zip(prev, df["ntm_status"]))]
    df["recognised_before"] = _recognised_before(df)
    return keep_years(df.drop(columns="stated_recognised"), years)


def _recognised_before(df: pd.DataFrame) -> list[float]:
    """Per row: under a set where recognition starts anew and not recognised under it, the last year of an
    earlier set in which the commune was recognised (its own statement of an old recognition counts)."""
    def rank(status) -> int:
        return status_rank(status) if isinstance(status, str) else 0

    out = []
    for i, r in enumerate(df.itertuples()):
        cset = criteria_set(r.criteria_set, r.year) if isinstance(r.criteria_set, str) else None
        if cset is None or cset.recognition_carries_over or not isinstance(r.ntm_status, str) or rank(r.ntm_status):
            out.append(np.nan)
            continue
        held = [e.year for e in df.iloc[:i].itertuples() if e.criteria_set != r.criteria_set and rank(e.ntm_status)]
        out.append(float(max(held)) if held else (float(r.year) if r.stated_recognised else np.nan))
    return out


@series
def commune_scorecard_codes(con, scope: Scope, years: Sequence[int] | None = None) -> pd.DataFrame:
    """`commune_scorecard` without the criteria's names (language-free): each year's criteria of its set
    (`criteria_set`); a criterion is `lost` only against the year before under the same set."""
    where, params = scope.predicate("f")
    wide = query(con, f"""SELECT f.year, f.criteria_set, {', '.join('f.' + c for c in CRITERIA)} FROM {scope.source} f
                        WHERE {where} ORDER BY f.year""", params)
    long = wide.melt(id_vars=["year", "criteria_set"], var_name="criterion", value_name="met")
    n = [criteria_set(k, y).n_criteria for k, y in zip(long["criteria_set"], long["year"])]
    long = long[long["criterion"].str[1:].astype(int) <= pd.Series(n, index=long.index)]
    long = long.sort_values(["criterion", "year"]).reset_index(drop=True)
    long["met"] = long["met"].astype("boolean")
    prev = long.groupby("criterion")["met"].shift(1)
    consecutive = (long.groupby("criterion")["year"].diff() == 1) & \
        (long.groupby("criterion")["criteria_set"].shift(1) == long["criteria_set"])
    long["state"] = np.select(
        [long["met"].isna(), long["met"].fillna(False).astype(bool),
         consecutive & prev.fillna(False).astype(bool)],
        ["no_data", "met", "lost"], "not_met")
    return keep_years(long, years)


PEER_MEASURES = {"poor_rate": ("poor_households", "households"),
                 "poor_and_near_poor_rate": ("poor_near", "households"),
                 "criteria_met": ("criteria_met", None)}


@series
def commune_vs_peers(con, scope: Scope, years: Sequence[int] | None = None, peers: str = "district",
                     measure: str = "poor_rate") -> pd.DataFrame:
    """A commune's measure per year next to its district and its peers.

    peers='district': the other communes of its district; peers='terrain': the other communes of its
    province in the same class (mountainous district or not). measure: poor_rate,
    poor_and_near_poor_rate (per cent) or criteria_met (rural communes only).
    Columns (long): year, series (commune / district / peers), name, value, numerator, denominator,
    n_units, p25, p75 (p25/p75/n for peers).
    """
    code = scope.code
    rows = query(con, f"""
        SELECT f.year, f.commune_code, f.district_code, u.name, {MOUNTAINOUS_SQL} AS mountainous,
               f.households, f.poor_households, f.poor_households + f.near_poor_households AS poor_near,
               f.criteria_met, {name_sql('district', 'f.district_code', PRE)} AS district_name
        FROM {scope.source} f JOIN units u ON u.unit_id = f.unit_id
        WHERE f.province_code = ?""", [scope.province_code])
    num, den = PEER_MEASURES[measure]
    rows["value"] = pct(rows[num], rows[den]) if den else pd.to_numeric(rows[num], errors="coerce").astype(float)
    me = rows[rows.commune_code == code]
    if me.empty:
        return pd.DataFrame(columns=PEER_COLUMNS + ["measure"])
    out = []
    for year, me_y in me.groupby("year"):
        r = me_y.iloc[0]
        yr = rows[rows.year == year]
        dist = yr[yr.district_code == r.district_code]
        pool = dist if peers == "district" else yr[yr.mountainous == r.mountainous]
        pool = pool[(pool.commune_code != code)].dropna(subset=["value"])
        out.append(_peer_row(year, "commune", r["name"], r[num], r[den] if den else np.nan, r["value"], 1))
        agg_val = pct(dist[num].sum(), dist[den].sum()) if den else dist[num].mean()
        out.append(_peer_row(year, "district", r.district_name, dist[num].sum() if den else np.nan,
                             dist[den].sum() if den else np.nan, agg_val, dist["value"].notna().sum()))
        if len(pool):
            out.append(_peer_row(year, "peers", peers, np.nan, np.nan, pool["value"].median(), len(pool),
                                 pool["value"].quantile(0.25), pool["value"].quantile(0.75)))
    return keep_years(pd.DataFrame(out, columns=PEER_COLUMNS).assign(measure=measure), years)


PEER_COLUMNS = ["year", "series", "name", "numerator", "denominator", "value", "n_units", "p25", "p75"]


def _peer_row(year, series, name, num, den, value, n, p25=np.nan, p75=np.nan) -> dict:
    return {"year": int(year), "series": series, "name": name, "numerator": num, "denominator": den,
            "value": float(value) if value is not None and not pd.isna(value) else np.nan,
            "n_units": int(n), "p25": p25, "p75": p75}


def commune_info(con, code: str, system: str = PRE) -> dict:
    """Names and flags of one commune of a unit system (its newest version): name, district (for a new
    commune, its former district), province, mountainous, poor district, EM region, and whether the
    flags were derived from its predecessors; {} when the code names no commune."""
    geo = geography_of(system).key
    row = con.cursor().execute(f"""
        SELECT u.name, {name_sql('district', 'coalesce(f.district_code, u.district_code)', PRE)}, p.name, f.is_mountainous,
               f.is_poor_district, f.em_region, f.attributes_derived
        FROM (SELECT * FROM units WHERE system = ? AND level = 'commune' AND code = ?
              ORDER BY valid_to DESC NULLS FIRST LIMIT 1) u
        LEFT JOIN units p ON p.system = u.system AND p.level = 'province' AND p.code = u.province_code
        LEFT JOIN (SELECT * FROM {figures_sql(geo)} f WHERE f.commune_code = ? ORDER BY f.year DESC LIMIT 1) f
               ON TRUE
        LIMIT 1""", [system, code, code]).fetchone()
    if row is None:
        return {}
    keys = ("name", "district", "province", "mountainous", "poor_district", "em_region", "attributes_derived")
    return dict(zip(keys, row))
