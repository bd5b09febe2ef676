"""Poverty series: yearly totals, the flow from last year's poor to this year's (escaped, fell back, newly
poor, unexplained gap), rates, mountainous vs other districts, ethnic-minority poverty, the reduction
against the target band, the districts ranked by reduction and fall-back relative to escapes.

Rates keep their numerator and denominator; `*_pct` columns are per cent, `*_pp` percentage points. A
"reduction" in pp is positive when the rate went down. Every series names the poverty standard(s) of each
point (`poverty_standard`: 'ND07_2021', or 'ND07_2021+QN_NQ13_2023' when a province's own standard sits
beside the national one) and whether it follows other standards than the point before it
(`standard_break`: the two do not compare, docs/domain.md §2.7)."""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from ntm.domain.periods import is_local, join_standards, period_for_year, poverty_standard_for_year, poverty_standards
from ntm.domain.targets import PP_TARGETS
from ntm.domain.rules import flow_tolerance, pct
from ntm.domain.settings import flow_tolerances
from ntm.domain.units import PRE
from ntm.read.registry import series
from ntm.read.scope import NATIONAL, Scope
from ntm.read.sql import MOUNTAINOUS_SQL, POOR_DISTRICT_SQL, TOTALS_SQL, keep_years, name_sql, query

FLOW_MEASURES = ("poor", "near_poor", "poor_and_near_poor")
STANDARDS_SQL = "list_sort(list_distinct(list(f.poverty_standard))) AS standards"
BREAK_COLUMNS = ["poverty_standard", "standard_prev", "standard_break"]


def _poverty_totals(con, scope: Scope, group: str | None = None, extra: str = "") -> pd.DataFrame:
    """Per year (and `group` expression, as column `grp`): communes, households, stocks, flows, EM and
    the poverty standard(s) the figures follow."""
    where, params = scope.predicate("f")
    grp = f", {group} AS grp" if group else ""
    df = query(con, f"""
        SELECT f.year{grp}, {TOTALS_SQL}, bool_or(f.converted) AS converted, bool_or(f.approximate) AS approximate,
               {STANDARDS_SQL}
        FROM {scope.source} f
        WHERE {where} {extra} GROUP BY ALL ORDER BY ALL""", params)
    return with_standard(df)


def with_standard(df: pd.DataFrame) -> pd.DataFrame:
    """A frame's `standards` lists (one per year) as `poverty_standard` ('ND07_2021', or joined with '+'
    when several; the year's national standard when none is stored)."""
    df["poverty_standard"] = [join_standards(list(s) if s is not None else [], y)
                              for s, y in zip(df.pop("standards"), df["year"])]
    return df


def _mark_breaks(df: pd.DataFrame, group: list[str] | None = None) -> pd.DataFrame:
    """`standard_prev` (the standard of the series' point before, in its group) and `standard_break`
    (it differs: the change between the two points compares two standards)."""
    df = df.sort_values([*(group or []), "year"])
    prev = df.groupby(group)["poverty_standard"].shift(1) if group else df["poverty_standard"].shift(1)
    df["standard_prev"] = prev
    df["standard_break"] = prev.notna() & prev.ne(df["poverty_standard"])
    return df


@series
def poverty_flows(con, scope: Scope, years: Sequence[int] | None = None) -> pd.DataFrame:
    """The year's poor-household flow: start (= previous year's end) − escaped + fell back + newly poor
    + near-poor become poor (when reported) (+ unexplained gap) = end.

    Columns: year, households, poor_start, escaped, fell_back, newly_poor, near_to_poor, expected_end, gap, poor_end,
    gap_tolerance, balanced, poor_rate_start_pct, poor_rate_end_pct, near_poor, start_converted (the start
    is the previous year re-aggregated onto the new units), approximate, poverty_standard (the end's),
    standard_start (the start's), standard_break (they differ: the year's review is the first under a new
    standard, its flows include households reclassified by it).
    The first year (no previous year) has no start, flows or gap.
    """
    df = _poverty_totals(con, scope).sort_values("year").reset_index(drop=True)
    prev = df.set_index("year")
    df["poor_start"] = [prev.at[y - 1, "poor"] if y - 1 in prev.index else np.nan for y in df["year"]]
    hh_start = [prev.at[y - 1, "households"] if y - 1 in prev.index else np.nan for y in df["year"]]
    df["poor_end"] = df["poor"]
    df["near_to_poor"] = df["near_to_poor"].astype("Float64")
    df["expected_end"] = (df["poor_start"] - df["escaped"] + df["fell_back"] + df["newly_poor"]
                          + df["near_to_poor"].fillna(0))
    df["gap"] = df["poor_end"] - df["expected_end"]
    tol_h, tol_s = flow_tolerances()
    df["gap_tolerance"] = [np.nan if pd.isna(p) else flow_tolerance(int(p), tol_h, tol_s) for p in df["poor_start"]]
    df["balanced"] = (df["gap"].abs() <= df["gap_tolerance"]).where(df["gap"].notna())
    df["poor_rate_start_pct"] = pct(df["poor_start"], pd.Series(hh_start, index=df.index))
    df["poor_rate_end_pct"] = pct(df["poor_end"], df["households"])
    df["start_converted"] = [bool(prev.at[y - 1, "converted"]) if y - 1 in prev.index else False for y in df["year"]]
    df["approximate"] = df["approximate"].fillna(False).astype(bool)
    df["standard_start"] = [prev.at[y - 1, "poverty_standard"] if y - 1 in prev.index else None for y in df["year"]]
    df["standard_break"] = df["standard_start"].notna() & df["standard_start"].ne(df["poverty_standard"])
    cols = ["year", "households", "poor_start", "escaped", "fell_back", "newly_poor", "near_to_poor", "expected_end", "gap",
            "poor_end", "gap_tolerance", "balanced", "poor_rate_start_pct", "poor_rate_end_pct", "near_poor",
            "start_converted", "approximate", "poverty_standard", "standard_start", "standard_break"]
    return keep_years(df[cols], years)


def _rates_long(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Wide per-year poverty totals → long rows per measure (poor / near_poor / poor_and_near_poor)."""
    df = df.assign(poor_and_near_poor=df["poor"] + df["near_poor"])
    long = df.melt(id_vars=keys + ["households", "poverty_standard"], value_vars=list(FLOW_MEASURES),
                   var_name="measure", value_name="households_in_class")
    long["rate_pct"] = pct(long["households_in_class"], long["households"])
    long = long.sort_values(["measure"] + keys).reset_index(drop=True)
    group = ["measure"] + [k for k in keys if k not in ("year", "communes")]
    long["change_pp"] = long.groupby(group)["rate_pct"].diff().where(long.groupby(group)["year"].diff() == 1)
    return _mark_breaks(long, group).reset_index(drop=True)


@series
def poverty_rates(con, scope: Scope, years: Sequence[int] | None = None) -> pd.DataFrame:
    """Poor, near-poor and poor + near-poor rates per year (long).

    Columns: year, households (denominator), measure, households_in_class (numerator), rate_pct,
    change_pp (against the previous year; negative = reduction), poverty_standard, standard_prev,
    standard_break.
    """
    long = _rates_long(_poverty_totals(con, scope), ["year"])
    return keep_years(long[["year", "measure", "households_in_class", "households", "rate_pct", "change_pp",
                            *BREAK_COLUMNS]], years)


@series
def poverty_by_terrain(con, scope: Scope, years: Sequence[int] | None = None) -> pd.DataFrame:
    """Rates per year for mountainous communes vs the others (a commune's own flag, else its district's;
    a new commune without its own flag takes the one derived from its predecessors).

    Columns: year, terrain (mountainous / other), terrain_of (what a reader calls mountainous: the
    'district' on the old units, the 'commune' on the new ones), communes, measure, households_in_class,
    households, rate_pct, change_pp, poverty_standard, standard_prev, standard_break.
    """
    df = _poverty_totals(con, scope, group=f"CASE WHEN {MOUNTAINOUS_SQL} THEN 'mountainous' ELSE 'other' END")
    df = df.rename(columns={"grp": "terrain"})
    long = _rates_long(df, ["year", "terrain", "communes"])
    long["terrain_of"] = "commune" if scope.geo == "new" else "district"
    cols = ["year", "terrain", "terrain_of", "communes", "measure", "households_in_class", "households", "rate_pct",
            "change_pp", *BREAK_COLUMNS]
    return keep_years(long[cols].sort_values(["measure", "terrain", "year"]), years)


@series
def ethnic_minority_poverty(con, scope: Scope, years: Sequence[int] | None = None) -> pd.DataFrame:
    """Ethnic-minority poor households and their rate per year.

    Columns: year, em_poor, em_households, em_poor_rate_pct, change_pp, poor, em_share_of_poor_pct,
    poverty_standard, standard_prev, standard_break.
    """
    df = _mark_breaks(_poverty_totals(con, scope))
    df["em_poor_rate_pct"] = pct(df["em_poor"], df["em_households"])
    df["change_pp"] = df["em_poor_rate_pct"].diff().where(df["year"].diff() == 1)
    df["em_share_of_poor_pct"] = pct(df["em_poor"], df["poor"])
    cols = ["year", "em_poor", "em_households", "em_poor_rate_pct", "change_pp", "poor", "em_share_of_poor_pct",
            *BREAK_COLUMNS]
    return keep_years(df[cols], years)


def _reduction_targets(con, scope: Scope, subset: str | None, em: bool) -> pd.DataFrame:
    """The target band per year that applies: the unit's own target, else the poor-district band (for
    poor districts), else the national band."""
    metric = "em_poor_rate_reduction_pp" if em else "poor_rate_reduction_pp"
    t_all = query(con, "SELECT * FROM targets WHERE metric = ?", [metric])
    is_poor = subset == "poor_districts"
    if scope.level == "district" and not is_poor:
        row = con.cursor().execute("SELECT is_poor_district FROM unit_attributes WHERE system = ? "
                                   "AND level = 'district' AND code = ?", [PRE, scope.code]).fetchone()
        is_poor = bool(row and row[0])
    own = t_all[(t_all.scope_level == scope.level) & (t_all.scope_code == scope.code)]
    fallbacks = [own, t_all[t_all.scope_level == "poor_districts"] if is_poor else own.iloc[0:0],
                 t_all[t_all.scope_level.isin(["national", "ethnic_minority"])]]
    out = pd.concat(fallbacks).drop_duplicates("year")
    return out.rename(columns={"value_min": "target_min", "value_max": "target_max",
                               "scope_name": "target_scope", "scope_level": "target_scope_level",
                               "source_document": "target_source"})[
        ["year", "target_id", "target_min", "target_max", "target_scope", "target_scope_level", "target_source"]]


@series
def poverty_reduction(con, scope: Scope, years: Sequence[int] | None = None, subset: str | None = None,
                      ethnic_minority: bool = False) -> pd.DataFrame:
    """Yearly reduction of the poor rate (pp, positive = down) against the target band.

    `subset='poor_districts'` restricts to the scope's poor districts (band 4–5 pp);
    `ethnic_minority=True` uses the EM poor rate (target > 3 pp).
    Columns: year, numerator, denominator, rate_pct, rate_prev_pct, reduction_pp, target_id, target_min,
    target_max, target_scope, target_scope_level, target_source, status (met / not_met / no_target /
    no_data / standard_break: the two years follow different poverty standards, so the change is not
    held against the target), measure (poor / em_poor), subset (all / poor_districts), poverty_standard,
    standard_prev, standard_break.
    """
    extra = f"AND {POOR_DISTRICT_SQL}" if subset == "poor_districts" else ""
    df = _poverty_totals(con, scope, extra=extra)
    num, den = ("em_poor", "em_households") if ethnic_minority else ("poor", "households")
    df = df.rename(columns={num: "numerator", den: "denominator"})[["year", "numerator", "denominator",
                                                                      "poverty_standard"]]
    df = _mark_breaks(df).reset_index(drop=True)
    df["rate_pct"] = pct(df["numerator"], df["denominator"])
    df["rate_prev_pct"] = df["rate_pct"].shift(1).where(df["year"].diff() == 1)
    df["reduction_pp"] = df["rate_prev_pct"] - df["rate_pct"]
    df = df.merge(_reduction_targets(con, scope, subset, ethnic_minority), on="year", how="left")
    df["status"] = np.select(
        [df["reduction_pp"].isna(), df["standard_break"], df["target_min"].isna(),
         df["reduction_pp"] >= df["target_min"] - 1e-9],
        ["no_data", "standard_break", "no_target", "met"], "not_met")
    df["measure"] = "em_poor" if ethnic_minority else "poor"
    df["subset"] = subset or "all"
    return keep_years(df, years)


@series
def district_ranking(con, scope: Scope, year_from: int, year_to: int) -> pd.DataFrame:
    """Districts of the scope ranked by poor-rate reduction between two years and by rank improvement
    (`_ranked`). Columns: district_code, district_name, is_mountainous, is_poor_district and the
    `RANKED_COLUMNS`."""
    where, params = scope.predicate("f")
    df = query(con, f"""
        WITH d AS (
            SELECT f.district_code, f.year, sum(f.poor_households) AS poor, sum(f.households) AS households,
                   {STANDARDS_SQL}
            FROM {scope.source} f WHERE f.district_code IS NOT NULL AND f.year IN (?, ?) AND {where}
            GROUP BY ALL)
        SELECT d.*, {name_sql('district', 'd.district_code', PRE)} AS district_name,
               coalesce(a.is_mountainous, FALSE) AS is_mountainous,
               coalesce(a.is_poor_district, FALSE) AS is_poor_district
        FROM d LEFT JOIN unit_attributes a ON a.system = '{PRE}' AND a.level = 'district' AND a.code = d.district_code""",
             [year_from, year_to] + params)
    attrs = df.drop_duplicates("district_code")[["district_code", "district_name", "is_mountainous",
                                                 "is_poor_district"]]
    return _ranked(df, "district_code", attrs, year_from, year_to)


@series
def unit_ranking(con, scope: Scope, year_from: int, year_to: int) -> pd.DataFrame:
    """The units a leader compares on the new units, ranked like `district_ranking`: the provinces of the
    nation, the communes of a province (or of a former district, a former area). Columns: unit_code,
    unit_name, level (province / commune), is_mountainous (a commune's flag in `year_to`, its own or derived
    from the communes that formed it; empty for a province), and the `RANKED_COLUMNS`."""
    level = "province" if scope.level == "national" else "commune"
    where, params = scope.predicate("f")
    mountainous = f"bool_or({MOUNTAINOUS_SQL})" if level == "commune" else "NULL::BOOLEAN"
    df = query(con, f"""
        WITH u AS (
            SELECT f.{level}_code AS unit_code, f.year, sum(f.poor_households) AS poor, sum(f.households) AS households,
                   {mountainous} AS is_mountainous, {STANDARDS_SQL}
            FROM {scope.source} f WHERE f.year IN (?, ?) AND {where} GROUP BY ALL)
        SELECT u.*, {name_sql(level, 'u.unit_code', scope.system)} AS unit_name, '{level}' AS level
        FROM u""", [year_from, year_to] + params)
    attrs = df.sort_values("year").drop_duplicates("unit_code", keep="last")[["unit_code", "unit_name", "level",
                                                                               "is_mountainous"]]
    return _ranked(df, "unit_code", attrs, year_from, year_to)


RANKED_COLUMNS = ["year_from", "year_to", "poor_from", "households_from", "rate_from_pct", "poor_to", "households_to",
                  "rate_to_pct", "reduction_pp", "reduction_pp_per_year", "rank_from", "rank_to", "rank_change",
                  "reduction_rank", "standard_from", "standard_to"]


def _ranked(df: pd.DataFrame, key: str, attrs: pd.DataFrame, year_from: int, year_to: int) -> pd.DataFrame:
    """Units (`key`; rows: year, poor, households, standards) with figures in both years, ranked.

    rank_* = position by poor rate in that year (1 = lowest rate); rank_change = rank_from − rank_to
    (positive = moved up); reduction_rank 1 = largest reduction; standard_from, standard_to: each unit's
    poverty standards in the two years. Columns: those of `attrs`, then `RANKED_COLUMNS`."""
    columns = list(attrs.columns) + RANKED_COLUMNS
    df = with_standard(df)
    wide = df.pivot(index=key, columns="year", values=["poor", "households"])
    standards = df.pivot(index=key, columns="year", values="poverty_standard")
    if wide.empty or year_from not in wide["poor"].columns or year_to not in wide["poor"].columns:
        return pd.DataFrame(columns=columns)
    out = pd.DataFrame({"poor_from": wide["poor"][year_from], "households_from": wide["households"][year_from],
                        "poor_to": wide["poor"][year_to], "households_to": wide["households"][year_to],
                        "standard_from": standards[year_from], "standard_to": standards[year_to]}).dropna()
    out = out.reset_index()
    out["rate_from_pct"] = pct(out["poor_from"], out["households_from"])
    out["rate_to_pct"] = pct(out["poor_to"], out["households_to"])
    out["reduction_pp"] = out["rate_from_pct"] - out["rate_to_pct"]
    out["reduction_pp_per_year"] = out["reduction_pp"] / max(year_to - year_from, 1)
    out["rank_from"] = out["rate_from_pct"].rank(method="min").astype(int)
    out["rank_to"] = out["rate_to_pct"].rank(method="min").astype(int)
    out["rank_change"] = out["rank_from"] - out["rank_to"]
    out["reduction_rank"] = out["reduction_pp"].rank(method="min", ascending=False).astype(int)
    out = out.merge(attrs, on=key, how="left")
    out["year_from"], out["year_to"] = year_from, year_to
    return out.sort_values(["reduction_rank", key])[columns].reset_index(drop=True)


@series
def fallback_share(con, scope: Scope, years: Sequence[int] | None = None) -> pd.DataFrame:
    """Households that fell back into poverty as a share of those that escaped, per year.

    Columns: year, fell_back, escaped, newly_poor, fallback_share_pct (100 × fell_back / escaped),
    poverty_standard, standard_prev, standard_break.
    """
    df = _mark_breaks(_poverty_totals(con, scope).dropna(subset=["escaped"]))
    df["fallback_share_pct"] = pct(df["fell_back"], df["escaped"])
    return keep_years(df[["year", "fell_back", "escaped", "newly_poor", "fallback_share_pct", *BREAK_COLUMNS]], years)


def poverty_flows_by_district(con, scope: Scope = NATIONAL) -> pd.DataFrame:
    """Per district and year: households, poor at the end of the year, poor the year before, escaped,
    fell back, newly poor and the flow gap (end − (prev − escaped + fell back + newly))."""
    where, params = scope.predicate("f")
    return query(con, f"""
        WITH d AS (
            SELECT f.district_code, f.year, {TOTALS_SQL}
            FROM {scope.source} f WHERE {where} GROUP BY ALL)
        SELECT d.*, lag(poor) OVER (PARTITION BY district_code ORDER BY year) AS poor_prev,
               poor - (lag(poor) OVER (PARTITION BY district_code ORDER BY year) - escaped + fell_back + newly_poor)
                   AS flow_gap
        FROM d ORDER BY district_code, year""", params)


@series
def local_standards_used(con, scope: Scope, years: Sequence[int] | None = None) -> pd.DataFrame:
    """Provinces of the scope whose figures follow the province's own poverty standard (DOMAIN §2.6), by
    year: province_code, province_name, year, poverty_standard. Empty when every figure follows the
    national standard."""
    local = [r["poverty_standard"] for _, r in poverty_standards().iterrows() if is_local(r)]
    if not local:
        return pd.DataFrame(columns=["province_code", "province_name", "year", "poverty_standard"])
    where, params = scope.predicate("f")
    df = query(con, f"""
        SELECT DISTINCT f.province_code, {name_sql('province', 'f.province_code', scope.system)} AS province_name,
               f.year, f.poverty_standard
        FROM {scope.source} f WHERE {where} AND f.poverty_standard IN (SELECT unnest(?))
        ORDER BY f.province_code, f.year""", params + [local])
    return keep_years(df, years)


def standards_by_year(con, scope: Scope) -> dict[int, str]:
    """The poverty standard(s) of the scope's figures in each year that has figures ('A+B' when a
    province's own standard sits beside the national one)."""
    where, params = scope.predicate("f")
    df = with_standard(query(con, f"SELECT f.year, {STANDARDS_SQL} FROM {scope.source} f WHERE {where} GROUP BY f.year",
                             params))
    return {int(y): s for y, s in zip(df["year"], df["poverty_standard"])}


def target_standard_breaks(con, scope: Scope, targets: pd.DataFrame) -> pd.DataFrame:
    """Targets (rows of `targets_progress`) with `compared_year`, `standard_before` and `standard_after`
    filled where the target compares two years under different poverty standards: a yearly reduction
    (the year before → the year) or a reduction since the period's first year. Other rows: empty."""
    known = standards_by_year(con, scope)
    out = targets.assign(compared_year=pd.NA, standard_before=None, standard_after=None)
    for i, r in targets.iterrows():
        year = int(r["actual_year"]) if not pd.isna(r.get("actual_year")) else int(r["year"])
        if r["metric"] in PP_TARGETS:
            before = year - 1
        elif r["metric"] == "poor_near_poor_reduction_share":
            before = period_for_year(year).first_year
        else:
            continue
        a, b = (known.get(y, poverty_standard_for_year(y)) for y in (before, year))
        if a != b:
            out.loc[i, ["compared_year", "standard_before", "standard_after"]] = [before, a, b]
    return out
