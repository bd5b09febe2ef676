"""Progress against the targets table: each target evaluated on its own unit, or — for national,
poor-district and ethnic-minority targets — on the scope, in the target's year (or the newest year with
figures, when the target is not yet due). Language-free: `ntm.present.labels.name_targets` words it."""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from ntm.domain.criteria import criteria_sets
from ntm.domain.periods import period_for_year
from ntm.domain.rules import STATUS_LADDER, status_rank
from ntm.domain.targets import (CEILING_TARGETS, COUNT_TARGETS, GROUP_LEVELS, PP_TARGETS, POVERTY_TARGETS,
                                SHARE_TARGETS, UNIT_LEVELS, UNMEASURED_TARGETS)
from ntm.domain.units import PRE, REFORM_YEAR, geography_of
from ntm.store.figures import figures_sql
from ntm.read.registry import series
from ntm.read.scope import LEVEL_COLUMN, Scope, national
from ntm.read.sql import POOR_DISTRICT_SQL, query, rank_sql, recognised_sql, status_sql
from ntm.read.summary import available_years, last_data_year

# Where a target sits for the scope it is read in, in the order a reader wants them: the scope's own
# targets, then those of units within it, then national / group targets used as a benchmark.
ROLES = ("own", "within", "benchmark")
DISTRICT_TARGETS = frozenset({"district_share_at_level", "districts_at_level", "ntm_districts_per_province"})


def _unit_membership(con) -> pd.DataFrame:
    """For every unit version of both systems: system, level, code → province_code, district_code and
    the new province its area went into (`post_province_code`)."""
    return query(con, """
        SELECT DISTINCT u.system, u.level, u.code, u.province_code, u.district_code,
               CASE WHEN u.system = 'post2025' THEN u.province_code
                    ELSE (SELECT any_value(m.post_province_code) FROM unit_map m WHERE m.pre_province_code = u.province_code)
               END AS post_province_code
        FROM units u WHERE u.level IN ('province', 'district', 'commune')""")


def _system(row) -> str:
    """A unit target's unit system (targets made before the reform name old units)."""
    return row.scope_system if isinstance(row.scope_system, str) and row.scope_system else PRE


def _target_in_scope(row, scope: Scope, members: dict) -> bool:
    """A unit target belongs to a scope when its unit lies in it: in the old geography, old units by
    their province and district; in the new one, new units by province and old units (history) by the
    new province their area went into."""
    system = _system(row)
    if scope.geo == "old" and system != PRE:
        return False
    if scope.level == "national":
        return True
    prov, dist, post_prov = members.get((system, row.scope_level, row.scope_code), (None, None, None))
    if scope.level == "province":
        return (post_prov if scope.geo == "new" else prov) == scope.code
    if scope.level == "district":
        return dist == scope.code
    return row.scope_level == "commune" and row.scope_code == scope.code and system == scope.system


def _eval_where(row, scope: Scope) -> tuple[str, str, list, str | None]:
    """(figures, where, params, evaluated-on name) for a target row: its own unit in its own unit
    system, or the page's scope for national / poor-district / ethnic-minority targets (None for the
    nation: `name_targets` writes the nation and the group in the reader's language)."""
    if row.scope_level in UNIT_LEVELS:
        col = LEVEL_COLUMN[row.scope_level]
        geo = geography_of(_system(row)).key
        return figures_sql(geo), f"f.{col} = ?", [row.scope_code], row.scope_name
    where, params = scope.predicate("f")
    name = None if scope.level == "national" else scope.name
    if row.scope_level == "poor_districts":
        return scope.source, f"{where} AND {POOR_DISTRICT_SQL}", params, name
    return scope.source, where, params, name


def _district_where(row, scope: Scope) -> tuple[str, list] | None:
    """district_year rows a district-count target is read on: its own province, or the scope (the
    nation, or a province of the old geography: districts ended with the reform); None otherwise."""
    if row.scope_level == "province":
        return "province_code = ?", [row.scope_code]
    if scope.level == "national":
        return "TRUE", []
    if scope.level == "province" and scope.geo == "old":
        return "province_code = ?", [scope.code]
    return None


def _role(row, scope: Scope) -> str:
    """own (set for the scope itself), within (set for a unit inside it) or benchmark."""
    if row.scope_level in GROUP_LEVELS:
        return "own" if scope.level == "national" else "benchmark"
    return "own" if (row.scope_level == scope.level and row.scope_code == scope.code) else "within"


def _ntm_year_totals(con, source: str, where: str, params: list, year: int, memo: dict | None = None) -> dict:
    """Rural communes, and those at each level or above (`rank<k>`) or maintaining all criteria of their
    set, in one year (kept in `memo`: several targets of one scope ask for the same year)."""
    key = (source, where, tuple(tuple(p) if isinstance(p, list) else p for p in params), year)
    if memo is not None and key in memo:
        return memo[key]
    levels = ", ".join(f"count(*) FILTER (WHERE {rank_sql(status_sql('f'))} >= {k}) AS rank{k}"
                       for k in range(1, len(STATUS_LADDER)))
    full = "CASE f.criteria_set " + " ".join(f"WHEN '{s.key}' THEN {s.n_criteria}" for s in criteria_sets().values()) + " END"
    row = query(con, f"""
        SELECT count(*) AS rural, {levels},
               count(*) FILTER (WHERE {recognised_sql('f')} AND f.criteria_met = {full}) AS maintained
        FROM {source} f
        WHERE f.is_rural AND f.year = ? AND {where}""", [year] + params)
    totals = {k: int(v) for k, v in row.iloc[0].items()}
    if memo is not None:
        memo[key] = totals
    return totals


def _evaluate_poverty(con, row, source: str, where: str, params: list, year: int) -> dict:
    """Poverty targets: poor + near-poor households against the first year of the period, the poor rate
    of ethnic-minority areas (a ceiling) and yearly reductions in percentage points."""
    m, goal = row.metric, float(row.value_min)
    out = {"actual_value": np.nan, "numerator": np.nan, "denominator": np.nan, "progress_pct": np.nan}
    if m == "poor_near_poor_reduction_share":
        base = period_for_year(year).first_year
        df = query(con, f"""SELECT f.year, sum(f.poor_households) + sum(f.near_poor_households) AS n FROM {source} f
                          WHERE f.year IN (?, ?) AND {where} GROUP BY f.year""", [base, year] + params).set_index("year")
        if base not in df.index or year not in df.index or not df.at[base, "n"]:
            return out
        now, before = float(df.at[year, "n"]), float(df.at[base, "n"])
        value = 1 - now / before
        return dict(actual_value=value, numerator=now, denominator=before, progress_pct=100 * value / goal)
    if m in CEILING_TARGETS:
        r = query(con, f"""SELECT sum(f.poor_households) AS n, sum(f.households) AS d,
                                  coalesce(bool_or(f.attributes_derived), FALSE) AS derived FROM {source} f
                         WHERE f.year = ? AND f.em_region IS NOT NULL AND {where}""", [year] + params).iloc[0]
        if not r["d"]:
            return out
        value = 100 * float(r["n"]) / float(r["d"])
        return dict(actual_value=value, numerator=float(r["n"]), denominator=float(r["d"]),
                    progress_pct=100.0 if value <= goal else 100 * goal / value, attributes_derived=bool(r["derived"]))
    if m in PP_TARGETS:
        red, n, d = _rate_pair(con, source, where, params, year, em=m.startswith("em_"))
        out.update(numerator=n, denominator=d)
        if red is not None:
            out.update(actual_value=red, progress_pct=100 * red / goal if goal else np.nan)
        return out
    return out


def _evaluate_districts(con, row, scope: Scope, year: int) -> dict:
    """District counts: the share or number of districts at a level, or the fewest NTM districts of any
    province (every province to have at least the target; numerator: provinces that have)."""
    out = {"actual_value": np.nan, "numerator": np.nan, "denominator": np.nan, "progress_pct": np.nan}
    place = _district_where(row, scope)
    if place is None:
        return out
    where, params = place
    df = query(con, f"""SELECT province_code, count(*) AS n,
                               count(*) FILTER (WHERE {rank_sql('ntm_status')} >= ?) AS at_level
                        FROM district_year WHERE is_current AND year = ? AND year < {REFORM_YEAR} AND {where}
                        GROUP BY province_code""",
               [max(status_rank(row.level or "standard"), 1), year] + params)
    if df.empty:
        return out
    goal = float(row.value_min)
    if row.metric == "district_share_at_level":
        num, den = float(df["at_level"].sum()), float(df["n"].sum())
        value = num / den
    elif row.metric == "districts_at_level":
        num, den = float(df["at_level"].sum()), np.nan
        value = num
    else:
        value = float(df["at_level"].min())
        num, den = float((df["at_level"] >= goal).sum()), float(len(df))
    return dict(actual_value=value, numerator=num, denominator=den, progress_pct=100 * value / goal if goal else np.nan)


def _rate_pair(con, source: str, where: str, params: list, year: int, em: bool) -> tuple[float | None, float, float]:
    """(reduction in pp from year−1 to year, numerator, denominator of the year's rate)."""
    num, den = ("ethnic_minority_poor_households", "ethnic_minority_households") if em else ("poor_households", "households")
    df = query(con, f"""SELECT f.year, sum({num}) AS n, sum({den}) AS d FROM {source} f
                      WHERE f.year IN (?, ?) AND {where} GROUP BY f.year""",
             [year - 1, year] + params).set_index("year")
    if year not in df.index:
        return None, np.nan, np.nan
    n, d = float(df.at[year, "n"] or 0), float(df.at[year, "d"] or 0)
    if year - 1 not in df.index or not d or not df.at[year - 1, "d"]:
        return None, n, d
    before = 100 * float(df.at[year - 1, "n"]) / float(df.at[year - 1, "d"])
    return before - 100 * n / d, n, d


def _evaluate(con, row, scope: Scope, source: str, where: str, params: list, year: int,
              memo: dict | None = None) -> dict:
    """actual value, numerator, denominator and progress (% of target) of one target in one year
    (`memo` keeps yearly totals shared by the targets of one call)."""
    m, level, goal = row.metric, row.level, float(row.value_min)
    rank = status_rank(level)
    out = {"actual_value": np.nan, "numerator": np.nan, "denominator": np.nan, "progress_pct": np.nan}
    if m in UNMEASURED_TARGETS:
        return out
    if m in DISTRICT_TARGETS:
        return _evaluate_districts(con, row, scope, year)
    if m == "min_criteria_met":
        r = query(con, f"""SELECT min(f.criteria_met) AS low, count(*) FILTER (WHERE f.criteria_met < ?) AS below
                          FROM {source} f WHERE f.is_rural AND f.year = ? AND {where}""", [goal, year] + params).iloc[0]
        if pd.isna(r["low"]):
            return out
        return dict(actual_value=float(r["low"]), numerator=float(r["below"]), denominator=np.nan,
                    progress_pct=100 * float(r["low"]) / goal if goal else np.nan)
    if m in POVERTY_TARGETS:
        return _evaluate_poverty(con, row, source, where, params, year)
    if m == "district_status":
        d = query(con, f"SELECT ntm_status FROM district_year WHERE is_current AND year = ? AND year < {REFORM_YEAR} "
                       "AND district_code = ?",
                [year, row.scope_code])
        tot = _ntm_year_totals(con, source, where, params, year, memo)
        if d.empty:
            return out
        reached = float(status_rank(d["ntm_status"].iloc[0]) >= rank)
        share = 100 * tot["rank1"] / tot["rural"] if tot["rural"] else np.nan
        return dict(actual_value=reached, numerator=tot["rank1"], denominator=tot["rural"],
                    progress_pct=100.0 if reached else share)
    if m == "commune_status":
        d = query(con, f"SELECT {status_sql('f')} AS ntm_status FROM {source} f WHERE f.year = ? AND {where}",
                  [year] + params)
        if d.empty:
            return out
        got = status_rank(d["ntm_status"].iloc[0])
        return dict(actual_value=float(got >= rank), numerator=got, denominator=rank,
                    progress_pct=100 * min(got, rank) / rank if rank else np.nan, actual_status=d["ntm_status"].iloc[0])
    if m == "communes_reaching_level":
        n = query(con, f"""
            WITH s AS (SELECT * FROM {source} f WHERE f.year IN (?, ?) AND {where})
            SELECT count(*) AS n FROM s f JOIN s p ON p.commune_code = f.commune_code AND p.year = f.year - 1
            WHERE f.year = ? AND {rank_sql(status_sql('f'))} >= ? AND {rank_sql(status_sql('p'))} < ?""",
                [year - 1, year] + params + [year, rank, rank])["n"].iloc[0]
        return dict(actual_value=float(n), numerator=n, denominator=np.nan, progress_pct=100 * n / goal)
    tot = _ntm_year_totals(con, source, where, params, year, memo)
    if not tot["rural"]:
        return out
    at_level = tot.get(f"rank{max(rank, 1)}", 0)
    num, den = {
        "commune_share_at_level": (at_level, tot["rural"]),
        "share_of_ntm_at_level": (at_level, tot["rank1"]),
        "ntm_maintained_share": (tot["maintained"], tot["rank1"]),
        "communes_at_level": (at_level, np.nan),
    }.get(m, (np.nan, np.nan))
    actual = num / den if m in SHARE_TARGETS and den else (float(num) if m in COUNT_TARGETS else np.nan)
    return dict(actual_value=actual, numerator=num, denominator=den,
                progress_pct=100 * actual / goal if goal and not pd.isna(actual) else np.nan)


@series
def targets_progress_values(con, scope: Scope, years: Sequence[int] | None = None,
                            benchmarks: bool = True, as_of: int | None = None, _memo: dict | None = None) -> pd.DataFrame:
    """Progress against the `targets` table for a scope.

    Unit targets (province / district / commune) are included when the unit lies in the scope and are
    evaluated on that unit. National, poor-district and ethnic-minority targets (when `benchmarks`) are
    evaluated on the scope itself (poor-district targets on the scope's poor districts; dropped when it
    has none). A target whose year is after the newest data (or after `as_of`, for a report on an
    earlier year) is `pending` and shows the value of that year (`actual_year`); a yearly
    reduction target is left out until its year has figures. Levels count "at or
    above" (a model commune is also advanced). With `as_of`, only the targets of that year's programme
    period; at national scope, no single district's or commune's target (they are read on their
    province); district counts only on the nation or an old province.

    Columns: target_id, kind (ntm / poverty), role (own / within / benchmark, `ROLES`), metric, level,
    scope_level, scope_code, scope_name, evaluated_on, year, target_value, target_max, actual_year, actual_value, actual_status (a commune
    target's status), numerator, denominator, progress_pct, status (met / not_met / pending /
    no_data / standard_break: a change across two poverty standards, not judged), source_document,
    verified, attributes_derived (the area it is read on — ethnic-minority communes — was taken from the
    old communes that formed new ones). Language-free: `name_targets` adds the labels.
    """
    memo = {} if _memo is None else _memo          # lookups and evaluations shared by calls for several years
    if "targets" not in memo:
        memo["targets"] = query(con, "SELECT * FROM targets ORDER BY year, target_id")
        memo["members"] = {(r.system, r.level, r.code): (r.province_code, r.district_code, r.post_province_code)
                           for r in _unit_membership(con).itertuples()}
        memo["last"] = last_data_year(con, national("new"))
    targets, members, last = memo["targets"], memo["members"], memo["last"]
    if years is not None:
        targets = targets[targets["year"].isin(list(years))]
    if last is not None and as_of is not None:
        last = min(last, as_of)
    period = period_for_year(as_of) if as_of is not None else None
    rows = []
    for row in targets.itertuples():
        if not _shown(row, scope, members, period, benchmarks, last):
            continue
        source, where, params, evaluated_on = _eval_where(row, scope)
        actual_year = min(int(row.year), last) if last else int(row.year)
        if row.scope_level in UNIT_LEVELS and _system(row) == PRE:
            actual_year = min(actual_year, REFORM_YEAR)       # an old unit has no figures after the reform
        key = ("target", row.target_id, actual_year)
        if key not in memo:
            memo[key] = _evaluate(con, row, scope, source, where, params, actual_year, memo) if last else {}
        ev = memo[key]
        if row.scope_level == "poor_districts" and not (ev.get("denominator") or 0) > 0:
            continue
        rows.append(_result(row, scope, ev, evaluated_on, actual_year, last))
    df = _not_judged_across_standards(con, scope, pd.DataFrame(rows, columns=TARGET_VALUE_COLUMNS))
    levels = {lvl: i for i, lvl in enumerate(GROUP_LEVELS + UNIT_LEVELS)}
    df["_k"] = (df["role"].map({r: i for i, r in enumerate(ROLES)}) * 1000
                + (df["kind"] == "poverty").astype(int) * 100 + df["scope_level"].map(levels))
    return df.sort_values(["_k", "year", "target_id"]).drop(columns="_k").reset_index(drop=True)


@series
def targets_progress_by_year(con, scope: Scope, benchmarks: bool = True) -> pd.DataFrame:
    """`targets_progress_values` as known at the end of every year with figures in the scope's
    geography (column `as_of`), evaluated once per target and year: a page switching years filters it
    and runs no query."""
    memo: dict = {}
    frames = [targets_progress_values(con, scope, None, benchmarks, as_of=y, _memo=memo).assign(as_of=y)
              for y in available_years(con, scope.geo)]
    return pd.concat(frames, ignore_index=True) if frames else \
        pd.DataFrame(columns=TARGET_VALUE_COLUMNS + ["as_of"])


def _result(row, scope: Scope, ev: dict, evaluated_on, actual_year: int, last: int | None) -> dict:
    """One row of `targets_progress_values`."""
    actual = ev.get("actual_value", np.nan)
    return {
        "target_id": row.target_id, "kind": "poverty" if row.metric in POVERTY_TARGETS else "ntm",
        "role": _role(row, scope), "metric": row.metric, "level": row.level, "scope_level": row.scope_level,
        "scope_code": row.scope_code, "scope_name": row.scope_name, "evaluated_on": evaluated_on,
        "year": int(row.year), "target_value": float(row.value_min), "target_max": row.value_max,
        "actual_year": actual_year, "actual_value": actual, "actual_status": ev.get("actual_status"),
        "numerator": ev.get("numerator", np.nan), "denominator": ev.get("denominator", np.nan),
        "progress_pct": ev.get("progress_pct", np.nan) if np.isfinite(float(row.value_min)) else np.nan,
        "status": _target_status(row, actual, last),
        "source_document": row.source_document, "verified": bool(row.verified),
        "attributes_derived": bool(ev.get("attributes_derived", False)),
    }


def _shown(row, scope: Scope, members: dict, period, benchmarks: bool, last: int | None) -> bool:
    """Whether a target belongs in the view of `scope`: in the report's programme period, its unit in
    the scope, not a single district's or commune's target at national scope (read on its province),
    district counts only where districts are counted, an unmeasured target only nationally, and a
    year's reduction only once that year has figures."""
    if period and not period.first_year <= row.year <= period.last_year:
        return False
    if row.scope_level in UNIT_LEVELS and not _target_in_scope(row, scope, members):
        return False
    if scope.level == "national" and row.scope_level in ("district", "commune"):
        return False
    if row.scope_level in GROUP_LEVELS and not benchmarks:
        return False
    if row.metric in DISTRICT_TARGETS and _district_where(row, scope) is None:
        return False
    if row.metric in UNMEASURED_TARGETS and scope.level != "national":
        return False
    return not (row.metric in PP_TARGETS and last is not None and row.year > last)


def _not_judged_across_standards(con, scope: Scope, df: pd.DataFrame) -> pd.DataFrame:
    """A poverty target whose change spans two poverty standards (`ntm.read.poverty.target_standard_breaks`)
    is shown, never judged: status `standard_break`, no progress."""
    from ntm.read.poverty import target_standard_breaks

    if df.empty:
        return df
    broken = (target_standard_breaks(con, scope, df)["standard_before"].notna() & df["status"].isin(["met", "not_met"]))
    return df.assign(status=df["status"].where(~broken, "standard_break"), progress_pct=df["progress_pct"].where(~broken))


def _target_status(row, actual: float, last: int | None) -> str:
    """pending (its year has no figures yet), no_data, met or not_met (a ceiling is met at or below)."""
    if row.metric in UNMEASURED_TARGETS:
        return "no_data"
    if last is None or row.year > last:
        return "pending"
    if pd.isna(actual) or not np.isfinite(float(row.value_min)):   # no figure, or a goal no file can state
        return "no_data"
    if row.metric in CEILING_TARGETS:
        return "met" if actual <= float(row.value_min) + 1e-9 else "not_met"
    return "met" if actual >= float(row.value_min) - 1e-9 else "not_met"


TARGET_COLUMNS = ["target_id", "kind", "role", "metric", "level", "target", "scope_level", "scope_code", "scope_name",
                  "evaluated_on", "year", "target_value", "target_max", "target_display", "actual_year",
                  "actual_value", "actual_display", "numerator", "denominator", "progress_pct", "status",
                  "source_document", "verified", "attributes_derived"]

TARGET_VALUE_COLUMNS = [c for c in TARGET_COLUMNS if c not in ("target", "target_display", "actual_display")] \
    + ["actual_status"]
