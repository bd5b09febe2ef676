"""Tidy series for the leaders' pages: the NTM ladder, targets, movements between years, the criteria
matrix, district status, poverty flows and rates, and the commune profile.

Every function reads only the figures in force (`is_current`), runs on its own `con.cursor()` and
returns a pandas DataFrame (one row per observation). Rates keep their numerator and denominator;
`*_pct` columns are per cent, `*_pp` columns percentage points. A "reduction" in pp is positive when
the rate went down. No streamlit here: the figures in `ntm.charts` are built from these frames.
"""

from __future__ import annotations

from typing import Callable, Iterable, Sequence

import numpy as np
import pandas as pd

from ntm.read import queries
from ntm.domain.criteria import load_criteria
from ntm.text.catalogue import fmt_number, fmt_percent, status_label, t
from ntm.read.queries import Scope, at_risk_sql
from ntm.domain.rules import CRITERIA, N_CRITERIA, STATUS_LADDER, flow_tolerance, movement, status_rank
from ntm.domain.settings import flow_tolerances

RECOGNISED_SQL = "('standard', 'advanced', 'model')"
ATTR_JOIN = """
    LEFT JOIN unit_attributes ad ON ad.level = 'district' AND ad.code = f.district_code
    LEFT JOIN unit_attributes ac ON ac.level = 'commune' AND ac.code = f.commune_code"""
MOUNTAINOUS_SQL = "coalesce(ac.is_mountainous, ad.is_mountainous, FALSE)"
POOR_DISTRICT_SQL = "coalesce(ac.is_poor_district, ad.is_poor_district, FALSE)"
UNIT_NAME_SQL = """(SELECT arg_max(x.name, coalesce(x.valid_to, DATE '9999-12-31')) FROM units x
                    WHERE x.level = '{level}' AND x.code = {col})"""
FLOW_MEASURES = ("poor", "near_poor", "poor_and_near_poor")

DEMO_TAG = {"vi": "DỮ LIỆU MINH HỌA / DEMO — không phải số liệu chính thức",
            "en": "DEMO DATA — illustrative, not official figures"}
DEFAULT_SOURCE = {
    "vi": "CSDL Chương trình MTQG xây dựng NTM và Giảm nghèo bền vững (rà soát hộ nghèo, cận nghèo; "
          "đánh giá tiêu chí NTM cấp xã)",
    "en": "NTP database, New Rural Development and Sustainable Poverty Reduction (poor-household review; "
          "commune NTM criteria assessment)",
}


# ---------------------------------------------------------------------------------------------
# Small helpers

def _df(con, sql: str, params: Iterable = ()) -> pd.DataFrame:
    return con.cursor().execute(sql, list(params)).df()


def _name_sql(level: str, col: str) -> str:
    """Newest name of the unit whose code is in `col` (district names for district codes)."""
    return UNIT_NAME_SQL.format(level=level, col=col)


def _keep_years(df: pd.DataFrame, years: Sequence[int] | None) -> pd.DataFrame:
    if years is None:
        return df.reset_index(drop=True)
    return df[df["year"].isin([int(y) for y in years])].reset_index(drop=True)


def _pct(num, den):
    """100 × num / den (Series or scalars); NaN where the denominator is 0 or missing."""
    if not isinstance(num, pd.Series) and not isinstance(den, pd.Series):
        num, den = float(num) if num is not None else np.nan, float(den) if den is not None else np.nan
        return 100.0 * num / den if den > 0 and not np.isnan(num) else np.nan
    num = pd.to_numeric(num, errors="coerce").astype("float64")
    den = pd.to_numeric(den, errors="coerce").astype("float64")
    return (100.0 * num / den.where(den > 0)).astype("float64")


def _lang_col(lang: str) -> str:
    return "vi" if lang == "vi" else "en"


def last_data_year(con, scope: Scope | None = None) -> int | None:
    """Newest reporting year with figures in force (in the scope, when given)."""
    where, params = scope.predicate("f") if scope else ("TRUE", [])
    row = con.cursor().execute(f"SELECT max(year) FROM commune_year f WHERE f.is_current AND {where}",
                               params).fetchone()
    return None if not row or row[0] is None else int(row[0])


# ---------------------------------------------------------------------------------------------
# Demo flag and source line

def is_demo(con, scope: Scope, years: Sequence[int] | None = None) -> bool:
    """True when any figure in force for the scope (and years) came from a demo batch."""
    where, params = scope.predicate("f")
    year_sql = ""
    if years:
        year_sql = f"AND f.year IN ({', '.join('?' for _ in years)})"
        params = params + [int(y) for y in years]
    row = con.cursor().execute(
        f"""SELECT coalesce(bool_or(b.is_demo), FALSE) FROM commune_year f JOIN import_batches b USING (batch_id)
            WHERE f.is_current AND {where} {year_sql}""", params).fetchone()
    return bool(row and row[0])


def source_line(is_demo: bool, lang: str = "vi", source: str | None = None) -> str:
    """'Nguồn: …' (plain text), ending with the demo tag when the figures are demo data."""
    text = t("source_line", lang, source=source or DEFAULT_SOURCE[_lang_col(lang)])
    return f"{text} · {DEMO_TAG[_lang_col(lang)]}" if is_demo else text


# ---------------------------------------------------------------------------------------------
# NTM: the ladder per year

def ntm_status_by_year(con, scope: Scope, years: Sequence[int] | None = None) -> pd.DataFrame:
    """Rural communes per NTM status and year, every rung present.

    Columns: year, status, status_rank, communes, rural_communes (denominator), share_pct.
    """
    where, params = scope.predicate("f")
    raw = _df(con, f"""SELECT f.year, f.ntm_status AS status, count(*) AS communes FROM commune_year f
                       WHERE f.is_current AND f.ntm_status IS NOT NULL AND {where} GROUP BY ALL""", params)
    raw["status"] = raw["status"].where(raw["status"].isin(STATUS_LADDER), "none")
    grid = pd.MultiIndex.from_product([sorted(raw["year"].unique()), STATUS_LADDER], names=["year", "status"])
    df = raw.groupby(["year", "status"])["communes"].sum().reindex(grid, fill_value=0).reset_index()
    df["year"] = df["year"].astype(int)
    df["communes"] = df["communes"].astype(int)
    df["status_rank"] = df["status"].map(status_rank)
    df["rural_communes"] = df.groupby("year")["communes"].transform("sum").astype(int)
    df["share_pct"] = _pct(df["communes"], df["rural_communes"])
    return _keep_years(df[["year", "status", "status_rank", "communes", "rural_communes", "share_pct"]], years)


# ---------------------------------------------------------------------------------------------
# NTM: movements between two years

def status_changes(con, scope: Scope, year_from: int, year_to: int | None = None) -> pd.DataFrame:
    """Each rural commune's status in two years (matched by commune code) and how it moved.

    `movement` is up / same / down / revoked (from rules.movement), `new` (no row the first year) or
    `gone` (no row the second year: merged or dissolved). Columns: commune_code, commune_name,
    district_name, from_status, to_status, movement.
    """
    year_to = year_from + 1 if year_to is None else year_to
    where, params = scope.predicate("f")
    df = _df(con, f"""
        WITH s AS (SELECT f.year, f.commune_code, f.ntm_status, u.name, f.district_code FROM commune_year f
                   JOIN units u ON u.unit_id = f.unit_id
                   WHERE f.is_current AND f.ntm_status IS NOT NULL AND f.year IN (?, ?) AND {where}),
             a AS (SELECT * FROM s WHERE year = ?), b AS (SELECT * FROM s WHERE year = ?)
        SELECT coalesce(b.commune_code, a.commune_code) AS commune_code,
               coalesce(b.name, a.name) AS commune_name,
               {_name_sql('district', 'coalesce(b.district_code, a.district_code)')} AS district_name,
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


# ---------------------------------------------------------------------------------------------
# NTM: criteria matrix, at-risk list

def criteria_catalogue(lang: str = "vi") -> pd.DataFrame:
    """criterion, number, criterion_name ('TC10 Thu nhập'), group, department, is_key — in `lang`."""
    c = load_criteria()
    col = _lang_col(lang)
    prefix = "TC" if lang == "vi" else "C"
    return pd.DataFrame({
        "criterion": c["criterion"], "number": c["number"],
        "criterion_name": [f"{prefix}{n} {name}" for n, name in zip(c["number"], c[f"name_{col}"])],
        "group": c[f"group_{col}"], "department": c[f"department_{col}"], "is_key": c["is_key"],
    })


def criteria_matrix(con, scope: Scope, year: int, lang: str = "vi") -> pd.DataFrame:
    """Rural communes × 19 criteria (long): met True/False/None per cell, with the responsible department.

    Columns: commune_code, commune_name, district_name, ntm_status, criteria_met, at_risk, criterion,
    number, criterion_name, group, department, is_key, met.
    """
    return name_criteria(criteria_matrix_codes(con, scope, year), lang)


def criteria_matrix_codes(con, scope: Scope, year: int) -> pd.DataFrame:
    """`criteria_matrix` without the criteria's names, groups and departments (language-free)."""
    where, params = scope.predicate("f")
    wide = _df(con, f"""
        SELECT f.commune_code, u.name AS commune_name, {_name_sql('district', 'f.district_code')} AS district_name,
               f.ntm_status, f.criteria_met, {at_risk_sql('f')} AS at_risk, {', '.join('f.' + c for c in CRITERIA)}
        FROM commune_year f JOIN units u ON u.unit_id = f.unit_id
        WHERE f.is_current AND f.year = ? AND f.ntm_status IS NOT NULL AND {where}
        ORDER BY f.commune_code""", [year] + params)
    ids = ["commune_code", "commune_name", "district_name", "ntm_status", "criteria_met", "at_risk"]
    long = wide.melt(id_vars=ids, value_vars=list(CRITERIA), var_name="criterion", value_name="met")
    long["met"] = long["met"].astype("boolean")
    long["year"] = year
    return long


def name_criteria(df: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """A long frame with a `criterion` column, plus number, name, group, department and key flag in
    `lang`, ordered by commune (or year) and criterion number; no query."""
    order = [c for c in ("commune_code", "year") if c in df.columns][:1] + ["number"]
    out = df.merge(criteria_catalogue(lang), on="criterion", how="left")
    return out.sort_values(order, kind="stable").reset_index(drop=True)


def at_risk_list(con, scope: Scope, year: int, lang: str = "vi") -> pd.DataFrame:
    """Recognised communes at risk of revocation (QĐ 18/2022): `ntm.queries.at_risk`."""
    return queries.at_risk(con, scope, year, lang)


def at_risk_codes(con, scope: Scope, year: int) -> pd.DataFrame:
    """`at_risk_list` with the failed criteria as codes (language-free): `ntm.queries.at_risk_codes`."""
    return queries.at_risk_codes(con, scope, year)


# ---------------------------------------------------------------------------------------------
# NTM: districts

def _district_predicate(scope: Scope, alias: str = "d") -> tuple[str, list]:
    if scope.level == "national":
        return "TRUE", []
    if scope.level == "province":
        return f"{alias}.province_code = ?", [scope.code]
    if scope.level == "district":
        return f"{alias}.district_code = ?", [scope.code]
    return f"{alias}.district_code = ?", [scope.district_code]


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
    df = _df(con, f"""
        WITH c AS (SELECT f.year, f.district_code, count(*) AS rural_communes,
                          count(*) FILTER (WHERE f.ntm_status IN {RECOGNISED_SQL}) AS recognised_communes
                   FROM commune_year f
                   WHERE f.is_current AND f.ntm_status IS NOT NULL AND {commune_where} GROUP BY ALL)
        SELECT d.year, d.district_code, {_name_sql('district', 'd.district_code')} AS district_name,
               coalesce(a.is_mountainous, FALSE) AS is_mountainous, d.ntm_status, d.ntm_recognition_year,
               coalesce(c.rural_communes, 0) AS rural_communes, coalesce(c.recognised_communes, 0) AS recognised_communes
        FROM district_year d {join} c USING (year, district_code)
        LEFT JOIN unit_attributes a ON a.level = 'district' AND a.code = d.district_code
        WHERE d.is_current AND {where} ORDER BY d.district_code, d.year""", commune_params + params)
    df["recognised_share_pct"] = _pct(df["recognised_communes"], df["rural_communes"])
    targets = _df(con, """SELECT scope_code AS district_code, year AS target_year, level AS target_level,
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
    return _keep_years(df, years)


# ---------------------------------------------------------------------------------------------
# Targets

TARGET_TEXT = {
    "commune_share_at_level": {"vi": "Tỷ lệ xã {level} trở lên", "en": "Share of communes at {level} or above"},
    "share_of_ntm_at_level": {"vi": "Tỷ lệ xã {level} trở lên / số xã đạt chuẩn NTM",
                              "en": "Communes at {level} or above, share of NTM communes"},
    "communes_at_level": {"vi": "Số xã {level} trở lên", "en": "Communes at {level} or above"},
    "ntm_maintained_share": {"vi": "Tỷ lệ xã NTM duy trì đủ 19 tiêu chí",
                             "en": "NTM communes maintaining all 19 criteria"},
    "district_status": {"vi": "Huyện {level}", "en": "District reaches {level}"},
    "communes_reaching_level": {"vi": "Số xã đạt {level} mới trong năm", "en": "Communes newly reaching {level}"},
    "commune_status": {"vi": "Xã {level}", "en": "Commune reaches {level}"},
    "poor_rate_reduction_pp": {"vi": "Giảm tỷ lệ hộ nghèo", "en": "Reduction of the poor-household rate"},
    "em_poor_rate_reduction_pp": {"vi": "Giảm tỷ lệ hộ nghèo DTTS", "en": "Reduction of the EM poor-household rate"},
}
SHARE_METRICS = {"commune_share_at_level", "share_of_ntm_at_level", "ntm_maintained_share"}
COUNT_METRICS = {"communes_at_level", "communes_reaching_level"}
BINARY_METRICS = {"district_status", "commune_status"}
PP_METRICS = {"poor_rate_reduction_pp", "em_poor_rate_reduction_pp"}
GROUP_LEVELS = ("national", "poor_districts", "ethnic_minority")
UNIT_LEVELS = ("province", "district", "commune")


def _level_phrase(level: str | None, lang: str) -> str:
    text = status_label(level or "standard", lang)
    return text[0].lower() + text[1:] if len(text) > 1 and text[1].islower() else text


def target_label(metric: str, level: str | None, lang: str = "vi") -> str:
    """What a target measures, in words ('Tỷ lệ xã đạt chuẩn NTM trở lên')."""
    entry = TARGET_TEXT.get(metric)
    if entry is None:
        return metric
    return entry[_lang_col(lang)].format(level=_level_phrase(level, lang))


def format_target_value(metric: str, value: float | None, lang: str = "vi", value_max: float | None = None,
                        level: str | None = None) -> str:
    """A target or actual value in the target's unit ('80%', '8 xã', '1–1,5 điểm %', 'Đạt chuẩn NTM')."""
    if value is None or pd.isna(value):
        return "–"
    if metric in SHARE_METRICS:
        return fmt_percent(100 * value, lang, 1)
    if metric in COUNT_METRICS:
        return f"{fmt_number(value, lang)} {'xã' if lang == 'vi' else 'communes'}"
    if metric in BINARY_METRICS:
        return status_label(level, lang) if value >= 1 else ("Chưa đạt" if lang == "vi" else "Not reached")
    if metric in PP_METRICS:
        unit = " điểm %" if lang == "vi" else " pp"
        hi = "" if value_max is None or pd.isna(value_max) else "–" + fmt_number(value_max, lang, 1)
        return ("≥ " if not hi else "") + fmt_number(value, lang, 1) + hi + unit
    return fmt_number(value, lang, 2)


def _unit_membership(con) -> pd.DataFrame:
    """code, level → province_code, district_code for every pre-reform unit version."""
    return _df(con, """SELECT DISTINCT level, code, province_code, district_code FROM units
                       WHERE system = 'pre2025' AND level IN ('province', 'district', 'commune')""")


def _target_in_scope(row, scope: Scope, members: dict) -> bool:
    if scope.level == "national":
        return True
    prov, dist = members.get((row.scope_level, row.scope_code), (None, None))
    if scope.level == "province":
        return prov == scope.code
    if scope.level == "district":
        return dist == scope.code
    return row.scope_level == "commune" and row.scope_code == scope.code


def _eval_where(row, scope: Scope) -> tuple[str, list, str | None]:
    """(where, params, evaluated-on name) for a target row: its own unit, or the page's scope for
    national / poor-district / ethnic-minority targets (None for the nation: `name_targets` writes
    the nation and the group in the reader's language)."""
    if row.scope_level in UNIT_LEVELS:
        col = queries.LEVEL_COLUMN[row.scope_level]
        return f"f.{col} = ?", [row.scope_code], row.scope_name
    where, params = scope.predicate("f")
    name = None if scope.level == "national" else scope.name
    if row.scope_level == "poor_districts":
        return f"{where} AND {POOR_DISTRICT_SQL}", params, name
    return where, params, name


def group_name(scope_level: str, name, lang: str = "vi") -> str:
    """A target's scope in `lang`: the nation, poor districts and ethnic-minority households from the
    catalogue; a unit's own name otherwise."""
    return t(f"target_group.{scope_level}", lang) if scope_level in GROUP_LEVELS else name


def _evaluated_on(row, lang: str) -> str:
    if row.scope_level in UNIT_LEVELS:
        return row.evaluated_on
    base = row.evaluated_on if isinstance(row.evaluated_on, str) else t("level.national", lang)
    return base if row.scope_level == "national" else f"{base} – {group_name(row.scope_level, None, lang)}"


def _ntm_year_totals(con, where: str, params: list, year: int, memo: dict | None = None) -> dict:
    """Rural communes, and those at each level or maintaining all criteria, in one year (kept in `memo`:
    several targets of one scope ask for the same year)."""
    key = (where, tuple(params), year)
    if memo is not None and key in memo:
        return memo[key]
    row = _df(con, f"""
        SELECT count(*) AS rural,
               count(*) FILTER (WHERE f.ntm_status IN {RECOGNISED_SQL}) AS rank1,
               count(*) FILTER (WHERE f.ntm_status IN ('advanced', 'model')) AS rank2,
               count(*) FILTER (WHERE f.ntm_status = 'model') AS rank3,
               count(*) FILTER (WHERE f.ntm_status IN {RECOGNISED_SQL} AND f.criteria_met = {N_CRITERIA}) AS maintained
        FROM commune_year f {ATTR_JOIN}
        WHERE f.is_current AND f.ntm_status IS NOT NULL AND f.year = ? AND {where}""", [year] + params)
    totals = {k: int(v) for k, v in row.iloc[0].items()}
    if memo is not None:
        memo[key] = totals
    return totals


def _rate_pair(con, where: str, params: list, year: int, em: bool) -> tuple[float | None, float, float]:
    """(reduction in pp from year−1 to year, numerator, denominator of the year's rate)."""
    num, den = ("ethnic_minority_poor_households", "ethnic_minority_households") if em else ("poor_households", "households")
    df = _df(con, f"""SELECT f.year, sum({num}) AS n, sum({den}) AS d FROM commune_year f {ATTR_JOIN}
                      WHERE f.is_current AND f.year IN (?, ?) AND {where} GROUP BY f.year""",
             [year - 1, year] + params).set_index("year")
    if year not in df.index:
        return None, np.nan, np.nan
    n, d = float(df.at[year, "n"] or 0), float(df.at[year, "d"] or 0)
    if year - 1 not in df.index or not d or not df.at[year - 1, "d"]:
        return None, n, d
    before = 100 * float(df.at[year - 1, "n"]) / float(df.at[year - 1, "d"])
    return before - 100 * n / d, n, d


def _evaluate(con, row, where: str, params: list, year: int, memo: dict | None = None) -> dict:
    """actual value, numerator, denominator and progress (% of target) of one target in one year
    (`memo` keeps yearly totals shared by the targets of one call)."""
    m, level, goal = row.metric, row.level, float(row.value_min)
    rank = status_rank(level)
    out = {"actual_value": np.nan, "numerator": np.nan, "denominator": np.nan, "progress_pct": np.nan}
    if m in PP_METRICS:
        red, n, d = _rate_pair(con, where, params, year, em=m.startswith("em_"))
        out.update(numerator=n, denominator=d)
        if red is not None:
            out.update(actual_value=red, progress_pct=100 * red / goal if goal else np.nan)
        return out
    if m == "district_status":
        d = _df(con, "SELECT ntm_status FROM district_year WHERE is_current AND year = ? AND district_code = ?",
                [year, row.scope_code])
        tot = _ntm_year_totals(con, where, params, year, memo)
        if d.empty:
            return out
        reached = float(status_rank(d["ntm_status"].iloc[0]) >= rank)
        share = 100 * tot["rank1"] / tot["rural"] if tot["rural"] else np.nan
        return dict(actual_value=reached, numerator=tot["rank1"], denominator=tot["rural"],
                    progress_pct=100.0 if reached else share)
    if m == "commune_status":
        d = _df(con, f"SELECT f.ntm_status FROM commune_year f WHERE f.is_current AND f.year = ? AND {where}",
                [year] + params)
        if d.empty:
            return out
        got = status_rank(d["ntm_status"].iloc[0])
        return dict(actual_value=float(got >= rank), numerator=got, denominator=rank,
                    progress_pct=100 * min(got, rank) / rank if rank else np.nan, actual_status=d["ntm_status"].iloc[0])
    if m == "communes_reaching_level":
        n = _df(con, f"""
            SELECT count(*) AS n FROM commune_year f JOIN commune_year p
              ON p.commune_code = f.commune_code AND p.year = f.year - 1 AND p.is_current
            WHERE f.is_current AND f.year = ? AND {where}
              AND list_position(['none', 'standard', 'advanced', 'model'], f.ntm_status) - 1 >= ?
              AND list_position(['none', 'standard', 'advanced', 'model'], coalesce(p.ntm_status, 'none')) - 1 < ?""",
                [year] + params + [rank, rank])["n"].iloc[0]
        return dict(actual_value=float(n), numerator=n, denominator=np.nan, progress_pct=100 * n / goal)
    tot = _ntm_year_totals(con, where, params, year, memo)
    if not tot["rural"]:
        return out
    at_level = tot.get(f"rank{max(rank, 1)}", 0)
    num, den = {
        "commune_share_at_level": (at_level, tot["rural"]),
        "share_of_ntm_at_level": (at_level, tot["rank1"]),
        "ntm_maintained_share": (tot["maintained"], tot["rank1"]),
        "communes_at_level": (at_level, np.nan),
    }.get(m, (np.nan, np.nan))
    actual = num / den if m in SHARE_METRICS and den else (float(num) if m in COUNT_METRICS else np.nan)
    return dict(actual_value=actual, numerator=num, denominator=den,
                progress_pct=100 * actual / goal if goal and not pd.isna(actual) else np.nan)


def targets_progress(con, scope: Scope, lang: str = "vi", years: Sequence[int] | None = None,
                     benchmarks: bool = True, as_of: int | None = None) -> pd.DataFrame:
    """`targets_progress_values` with the targets and values written out in `lang` (columns target,
    target_display, actual_display)."""
    return name_targets(targets_progress_values(con, scope, years, benchmarks, as_of), lang)


def targets_progress_values(con, scope: Scope, years: Sequence[int] | None = None,
                            benchmarks: bool = True, as_of: int | None = None) -> pd.DataFrame:
    """Progress against the `targets` table for a scope.

    Unit targets (province / district / commune) are included when the unit lies in the scope and are
    evaluated on that unit. National, poor-district and ethnic-minority targets (when `benchmarks`) are
    evaluated on the scope itself (poor-district targets on the scope's poor districts; dropped when it
    has none). A target whose year is after the newest data (or after `as_of`, for a report on an
    earlier year) is `pending` and shows the value of that year (`actual_year`). Levels count "at or
    above" (a model commune is also advanced).

    Columns: target_id, kind (ntm / poverty), metric, level, scope_level, scope_code, scope_name,
    evaluated_on, year, target_value, target_max, actual_year, actual_value, actual_status (a commune
    target's status), numerator, denominator, progress_pct, status (met / not_met / pending /
    no_data), source_document, verified. Language-free: `name_targets` adds the labels.
    """
    targets = _df(con, "SELECT * FROM targets ORDER BY year, target_id")
    if years is not None:
        targets = targets[targets["year"].isin(list(years))]
    members = {(r.level, r.code): (r.province_code, r.district_code) for r in _unit_membership(con).itertuples()}
    last = last_data_year(con)
    if last is not None and as_of is not None:
        last = min(last, as_of)
    rows, memo = [], {}
    for row in targets.itertuples():
        if row.scope_level in UNIT_LEVELS and not _target_in_scope(row, scope, members):
            continue
        if row.scope_level in GROUP_LEVELS and not benchmarks:
            continue
        where, params, evaluated_on = _eval_where(row, scope)
        actual_year = min(int(row.year), last) if last else int(row.year)
        ev = _evaluate(con, row, where, params, actual_year, memo) if last else {}
        if row.scope_level == "poor_districts" and not (ev.get("denominator") or 0) > 0:
            continue
        actual = ev.get("actual_value", np.nan)
        if last is None or row.year > last:
            status = "pending"
        elif pd.isna(actual):
            status = "no_data"
        else:
            status = "met" if actual >= float(row.value_min) - 1e-9 else "not_met"
        rows.append({
            "target_id": row.target_id, "kind": "poverty" if row.metric in PP_METRICS else "ntm",
            "metric": row.metric, "level": row.level, "scope_level": row.scope_level, "scope_code": row.scope_code, "scope_name": row.scope_name,
            "evaluated_on": evaluated_on, "year": int(row.year), "target_value": float(row.value_min),
            "target_max": row.value_max, "actual_year": actual_year, "actual_value": actual,
            "actual_status": ev.get("actual_status"),
            "numerator": ev.get("numerator", np.nan), "denominator": ev.get("denominator", np.nan),
            "progress_pct": ev.get("progress_pct", np.nan), "status": status,
            "source_document": row.source_document, "verified": bool(row.verified),
        })
    df = pd.DataFrame(rows, columns=TARGET_VALUE_COLUMNS)
    order = {lvl: i for i, lvl in enumerate(GROUP_LEVELS + UNIT_LEVELS)}
    df["_k"] = (df["kind"] == "poverty").astype(int) * 100 + df["scope_level"].map(order)
    return df.sort_values(["_k", "year", "target_id"]).drop(columns="_k").reset_index(drop=True)


TARGET_COLUMNS = ["target_id", "kind", "metric", "level", "target", "scope_level", "scope_code", "scope_name",
                  "evaluated_on", "year", "target_value", "target_max", "target_display", "actual_year",
                  "actual_value", "actual_display", "numerator", "denominator", "progress_pct", "status",
                  "source_document", "verified"]
TARGET_VALUE_COLUMNS = [c for c in TARGET_COLUMNS if c not in ("target", "target_display", "actual_display")] \
    + ["actual_status"]


def name_targets(df: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """`targets_progress_values` with the target's label, the target and the actual value written out
    in `lang`; no query."""
    rows = list(df.itertuples(index=False))
    out = df.assign(
        scope_name=[group_name(r.scope_level, r.scope_name, lang) for r in rows],
        evaluated_on=[_evaluated_on(r, lang) for r in rows],
        target=[target_label(r.metric, r.level, lang) for r in rows],
        target_display=[format_target_value(r.metric, r.target_value, lang, r.target_max, r.level) for r in rows],
        actual_display=[_actual_display(r, lang) for r in rows])
    return out[TARGET_COLUMNS]


def _actual_display(row, lang: str) -> str:
    if row.metric == "commune_status" and isinstance(row.actual_status, str):
        return status_label(row.actual_status, lang)
    value = row.actual_value
    if row.metric in PP_METRICS and not pd.isna(value):
        return fmt_number(value, lang, 2) + (" điểm %" if lang == "vi" else " pp")
    return format_target_value(row.metric, value, lang, level=row.level)


# Series whose text depends on the language, built from a language-free series (cached on its own, so
# a language switch re-labels without querying): name → (language-free series, labelling function).
LOCALISED: dict[str, tuple[str, Callable[[pd.DataFrame, str], pd.DataFrame]]] = {
    "criteria_matrix": ("criteria_matrix_codes", name_criteria),
    "commune_scorecard": ("commune_scorecard_codes", name_criteria),
    "at_risk_list": ("at_risk_codes", queries.name_failed_criteria),
    "targets_progress": ("targets_progress_values", name_targets),
}


# ---------------------------------------------------------------------------------------------
# Poverty

def _poverty_totals(con, scope: Scope, group: str | None = None, extra: str = "") -> pd.DataFrame:
    """Per year (and `group` expression, as column `grp`): communes, households, stocks, flows, EM."""
    where, params = scope.predicate("f")
    grp = f", {group} AS grp" if group else ""
    return _df(con, f"""
        SELECT f.year{grp}, count(*) AS communes, sum(f.households) AS households,
               sum(f.poor_households) AS poor, sum(f.near_poor_households) AS near_poor,
               sum(f.escaped_poverty) AS escaped, sum(f.fell_back_into_poverty) AS fell_back,
               sum(f.newly_poor) AS newly_poor, sum(f.ethnic_minority_households) AS em_households,
               sum(f.ethnic_minority_poor_households) AS em_poor
        FROM commune_year f {ATTR_JOIN}
        WHERE f.is_current AND {where} {extra} GROUP BY ALL ORDER BY ALL""", params)


def poverty_flows(con, scope: Scope, years: Sequence[int] | None = None) -> pd.DataFrame:
    """The year's poor-household flow: start (= previous year's end) − escaped + fell back + newly poor
    (+ unexplained gap) = end.

    Columns: year, households, poor_start, escaped, fell_back, newly_poor, expected_end, gap, poor_end,
    gap_tolerance, balanced, poor_rate_start_pct, poor_rate_end_pct, near_poor.
    The first year (no previous year) has no start, flows or gap.
    """
    df = _poverty_totals(con, scope).sort_values("year").reset_index(drop=True)
    prev = df.set_index("year")
    df["poor_start"] = [prev.at[y - 1, "poor"] if y - 1 in prev.index else np.nan for y in df["year"]]
    hh_start = [prev.at[y - 1, "households"] if y - 1 in prev.index else np.nan for y in df["year"]]
    df["poor_end"] = df["poor"]
    df["expected_end"] = df["poor_start"] - df["escaped"] + df["fell_back"] + df["newly_poor"]
    df["gap"] = df["poor_end"] - df["expected_end"]
    tol_h, tol_s = flow_tolerances()
    df["gap_tolerance"] = [np.nan if pd.isna(p) else flow_tolerance(int(p), tol_h, tol_s) for p in df["poor_start"]]
    df["balanced"] = (df["gap"].abs() <= df["gap_tolerance"]).where(df["gap"].notna())
    df["poor_rate_start_pct"] = _pct(df["poor_start"], pd.Series(hh_start, index=df.index))
    df["poor_rate_end_pct"] = _pct(df["poor_end"], df["households"])
    cols = ["year", "households", "poor_start", "escaped", "fell_back", "newly_poor", "expected_end", "gap",
            "poor_end", "gap_tolerance", "balanced", "poor_rate_start_pct", "poor_rate_end_pct", "near_poor"]
    return _keep_years(df[cols], years)


def _rates_long(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Wide per-year poverty totals → long rows per measure (poor / near_poor / poor_and_near_poor)."""
    df = df.assign(poor_and_near_poor=df["poor"] + df["near_poor"])
    long = df.melt(id_vars=keys + ["households"], value_vars=list(FLOW_MEASURES), var_name="measure",
                   value_name="households_in_class")
    long["rate_pct"] = _pct(long["households_in_class"], long["households"])
    long = long.sort_values(["measure"] + keys).reset_index(drop=True)
    group = ["measure"] + [k for k in keys if k not in ("year", "communes")]
    long["change_pp"] = long.groupby(group)["rate_pct"].diff().where(long.groupby(group)["year"].diff() == 1)
    return long


def poverty_rates(con, scope: Scope, years: Sequence[int] | None = None) -> pd.DataFrame:
    """Poor, near-poor and poor + near-poor rates per year (long).

    Columns: year, households (denominator), measure, households_in_class (numerator), rate_pct,
    change_pp (against the previous year; negative = reduction).
    """
    long = _rates_long(_poverty_totals(con, scope), ["year"])
    return _keep_years(long[["year", "measure", "households_in_class", "households", "rate_pct", "change_pp"]], years)


def poverty_by_terrain(con, scope: Scope, years: Sequence[int] | None = None) -> pd.DataFrame:
    """Rates per year for communes in mountainous districts vs the others (communes inherit the flag
    of their district in unit_attributes).

    Columns: year, terrain (mountainous / other), communes, measure, households_in_class, households,
    rate_pct, change_pp.
    """
    df = _poverty_totals(con, scope, group=f"CASE WHEN {MOUNTAINOUS_SQL} THEN 'mountainous' ELSE 'other' END")
    df = df.rename(columns={"grp": "terrain"})
    long = _rates_long(df, ["year", "terrain", "communes"])
    cols = ["year", "terrain", "communes", "measure", "households_in_class", "households", "rate_pct", "change_pp"]
    return _keep_years(long[cols].sort_values(["measure", "terrain", "year"]), years)


def ethnic_minority_poverty(con, scope: Scope, years: Sequence[int] | None = None) -> pd.DataFrame:
    """Ethnic-minority poor households and their rate per year.

    Columns: year, em_poor, em_households, em_poor_rate_pct, change_pp, poor, em_share_of_poor_pct.
    """
    df = _poverty_totals(con, scope)
    df["em_poor_rate_pct"] = _pct(df["em_poor"], df["em_households"])
    df["change_pp"] = df["em_poor_rate_pct"].diff().where(df["year"].diff() == 1)
    df["em_share_of_poor_pct"] = _pct(df["em_poor"], df["poor"])
    cols = ["year", "em_poor", "em_households", "em_poor_rate_pct", "change_pp", "poor", "em_share_of_poor_pct"]
    return _keep_years(df[cols], years)


def _reduction_targets(con, scope: Scope, subset: str | None, em: bool) -> pd.DataFrame:
    """The target band per year that applies: the unit's own target, else the poor-district band (for
    poor districts), else the national band."""
    metric = "em_poor_rate_reduction_pp" if em else "poor_rate_reduction_pp"
    t_all = _df(con, "SELECT * FROM targets WHERE metric = ?", [metric])
    is_poor = subset == "poor_districts"
    if scope.level == "district" and not is_poor:
        row = con.cursor().execute("SELECT is_poor_district FROM unit_attributes WHERE level = 'district' AND code = ?",
                                   [scope.code]).fetchone()
        is_poor = bool(row and row[0])
    own = t_all[(t_all.scope_level == scope.level) & (t_all.scope_code == scope.code)]
    fallbacks = [own, t_all[t_all.scope_level == "poor_districts"] if is_poor else own.iloc[0:0],
                 t_all[t_all.scope_level.isin(["national", "ethnic_minority"])]]
    out = pd.concat(fallbacks).drop_duplicates("year")
    return out.rename(columns={"value_min": "target_min", "value_max": "target_max",
                               "scope_name": "target_scope", "scope_level": "target_scope_level",
                               "source_document": "target_source"})[
        ["year", "target_id", "target_min", "target_max", "target_scope", "target_scope_level", "target_source"]]


def poverty_reduction(con, scope: Scope, years: Sequence[int] | None = None, subset: str | None = None,
                      ethnic_minority: bool = False) -> pd.DataFrame:
    """Yearly reduction of the poor rate (pp, positive = down) against the target band.

    `subset='poor_districts'` restricts to the scope's poor districts (band 4–5 pp);
    `ethnic_minority=True` uses the EM poor rate (target > 3 pp).
    Columns: year, numerator, denominator, rate_pct, rate_prev_pct, reduction_pp, target_id, target_min,
    target_max, target_scope, target_scope_level, target_source, status (met / not_met / no_target /
    no_data), measure (poor / em_poor), subset (all / poor_districts).
    """
    extra = f"AND {POOR_DISTRICT_SQL}" if subset == "poor_districts" else ""
    df = _poverty_totals(con, scope, extra=extra)
    num, den = ("em_poor", "em_households") if ethnic_minority else ("poor", "households")
    df = df.rename(columns={num: "numerator", den: "denominator"})[["year", "numerator", "denominator"]]
    df["rate_pct"] = _pct(df["numerator"], df["denominator"])
    df["rate_prev_pct"] = df["rate_pct"].shift(1).where(df["year"].diff() == 1)
    df["reduction_pp"] = df["rate_prev_pct"] - df["rate_pct"]
    df = df.merge(_reduction_targets(con, scope, subset, ethnic_minority), on="year", how="left")
    df["status"] = np.select(
        [df["reduction_pp"].isna(), df["target_min"].isna(), df["reduction_pp"] >= df["target_min"] - 1e-9],
        ["no_data", "no_target", "met"], "not_met")
    df["measure"] = "em_poor" if ethnic_minority else "poor"
    df["subset"] = subset or "all"
    return _keep_years(df, years)


def district_ranking(con, scope: Scope, year_from: int, year_to: int) -> pd.DataFrame:
    """Districts of the scope ranked by poor-rate reduction between two years and by rank improvement.

    rank_* = position by poor rate in that year (1 = lowest rate); rank_change = rank_from − rank_to
    (positive = moved up); reduction_rank 1 = largest reduction. Columns: district_code, district_name,
    is_mountainous, is_poor_district, poor_from, households_from, rate_from_pct, poor_to, households_to,
    rate_to_pct, reduction_pp, reduction_pp_per_year, rank_from, rank_to, rank_change, reduction_rank.
    """
    where, params = scope.predicate("f")
    df = _df(con, f"""
        WITH d AS (
            SELECT f.district_code, f.year, sum(f.poor_households) AS poor, sum(f.households) AS households
            FROM commune_year f WHERE f.is_current AND f.district_code IS NOT NULL AND f.year IN (?, ?) AND {where}
            GROUP BY ALL)
        SELECT d.*, {_name_sql('district', 'd.district_code')} AS district_name,
               coalesce(a.is_mountainous, FALSE) AS is_mountainous,
               coalesce(a.is_poor_district, FALSE) AS is_poor_district
        FROM d LEFT JOIN unit_attributes a ON a.level = 'district' AND a.code = d.district_code""",
             [year_from, year_to] + params)
    attrs = df.drop_duplicates("district_code")[["district_code", "district_name", "is_mountainous",
                                                 "is_poor_district"]]
    wide = df.pivot(index="district_code", columns="year", values=["poor", "households"])
    if wide.empty or year_from not in wide["poor"].columns or year_to not in wide["poor"].columns:
        return pd.DataFrame(columns=RANKING_COLUMNS)
    out = pd.DataFrame({"poor_from": wide["poor"][year_from], "households_from": wide["households"][year_from],
                        "poor_to": wide["poor"][year_to], "households_to": wide["households"][year_to]}).dropna()
    out = out.reset_index()
    out["rate_from_pct"] = _pct(out["poor_from"], out["households_from"])
    out["rate_to_pct"] = _pct(out["poor_to"], out["households_to"])
    out["reduction_pp"] = out["rate_from_pct"] - out["rate_to_pct"]
    out["reduction_pp_per_year"] = out["reduction_pp"] / max(year_to - year_from, 1)
    out["rank_from"] = out["rate_from_pct"].rank(method="min").astype(int)
    out["rank_to"] = out["rate_to_pct"].rank(method="min").astype(int)
    out["rank_change"] = out["rank_from"] - out["rank_to"]
    out["reduction_rank"] = out["reduction_pp"].rank(method="min", ascending=False).astype(int)
    out = out.merge(attrs, on="district_code", how="left")
    out["year_from"], out["year_to"] = year_from, year_to
    return out.sort_values(["reduction_rank", "district_code"])[RANKING_COLUMNS].reset_index(drop=True)


RANKING_COLUMNS = ["district_code", "district_name", "is_mountainous", "is_poor_district", "year_from", "year_to",
                   "poor_from", "households_from", "rate_from_pct", "poor_to", "households_to", "rate_to_pct",
                   "reduction_pp", "reduction_pp_per_year", "rank_from", "rank_to", "rank_change", "reduction_rank"]


def fallback_share(con, scope: Scope, years: Sequence[int] | None = None) -> pd.DataFrame:
    """Households that fell back into poverty as a share of those that escaped, per year.

    Columns: year, fell_back, escaped, newly_poor, fallback_share_pct (100 × fell_back / escaped).
    """
    df = _poverty_totals(con, scope).dropna(subset=["escaped"])
    df["fallback_share_pct"] = _pct(df["fell_back"], df["escaped"])
    return _keep_years(df[["year", "fell_back", "escaped", "newly_poor", "fallback_share_pct"]], years)


# ---------------------------------------------------------------------------------------------
# Commune profile (scope.level == 'commune'; its poverty series are poverty_flows / poverty_rates)

def commune_status_history(con, scope: Scope, years: Sequence[int] | None = None) -> pd.DataFrame:
    """A commune's status per year. Columns: year, commune_name, ntm_status, status_rank,
    ntm_recognition_year, criteria_met, criteria_failed, at_risk, movement (vs the year before)."""
    where, params = scope.predicate("f")
    df = _df(con, f"""
        SELECT f.year, u.name AS commune_name, f.ntm_status, f.ntm_recognition_year, f.criteria_met,
               ({queries.failed_count_sql('f')}) AS criteria_failed, {at_risk_sql('f')} AS at_risk
        FROM commune_year f JOIN units u ON u.unit_id = f.unit_id
        WHERE f.is_current AND {where} ORDER BY f.year""", params)
    df["status_rank"] = df["ntm_status"].map(lambda s: status_rank(s) if isinstance(s, str) else np.nan)
    prev = [None] + list(df["ntm_status"].iloc[:-1])
    prev = [p if i and df["year"].iloc[i] - df["year"].iloc[i - 1] == 1 else None for i, p in enumerate(prev)]
    df["movement"] = [movement(p, c) if isinstance(c, str) else None for p, c in zip(prev, df["ntm_status"])]
    return _keep_years(df, years)


def commune_scorecard(con, scope: Scope, lang: str = "vi", years: Sequence[int] | None = None) -> pd.DataFrame:
    """A commune's 19 criteria per year: state met / not_met / lost (met the year before, not now) /
    no_data. Columns: year, criterion, number, criterion_name, group, department, is_key, met, state."""
    return name_criteria(commune_scorecard_codes(con, scope, years), lang)


def commune_scorecard_codes(con, scope: Scope, years: Sequence[int] | None = None) -> pd.DataFrame:
    """`commune_scorecard` without the criteria's names (language-free)."""
    where, params = scope.predicate("f")
    wide = _df(con, f"""SELECT f.year, {', '.join('f.' + c for c in CRITERIA)} FROM commune_year f
                        WHERE f.is_current AND {where} ORDER BY f.year""", params)
    long = wide.melt(id_vars=["year"], var_name="criterion", value_name="met").sort_values(["criterion", "year"])
    long["met"] = long["met"].astype("boolean")
    prev = long.groupby("criterion")["met"].shift(1)
    consecutive = long.groupby("criterion")["year"].diff() == 1
    long["state"] = np.select(
        [long["met"].isna(), long["met"].fillna(False).astype(bool),
         consecutive & prev.fillna(False).astype(bool)],
        ["no_data", "met", "lost"], "not_met")
    return _keep_years(long, years)


PEER_MEASURES = {"poor_rate": ("poor_households", "households"),
                 "poor_and_near_poor_rate": ("poor_near", "households"),
                 "criteria_met": ("criteria_met", None)}


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
    rows = _df(con, f"""
        SELECT f.year, f.commune_code, f.district_code, u.name, {MOUNTAINOUS_SQL} AS mountainous,
               f.households, f.poor_households, f.poor_households + f.near_poor_households AS poor_near,
               f.criteria_met, {_name_sql('district', 'f.district_code')} AS district_name
        FROM commune_year f JOIN units u ON u.unit_id = f.unit_id {ATTR_JOIN}
        WHERE f.is_current AND f.province_code = ?""", [scope.province_code])
    num, den = PEER_MEASURES[measure]
    rows["value"] = _pct(rows[num], rows[den]) if den else pd.to_numeric(rows[num], errors="coerce").astype(float)
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
        agg_val = _pct(dist[num].sum(), dist[den].sum()) if den else dist[num].mean()
        out.append(_peer_row(year, "district", r.district_name, dist[num].sum() if den else np.nan,
                             dist[den].sum() if den else np.nan, agg_val, dist["value"].notna().sum()))
        if len(pool):
            out.append(_peer_row(year, "peers", peers, np.nan, np.nan, pool["value"].median(), len(pool),
                                 pool["value"].quantile(0.25), pool["value"].quantile(0.75)))
    return _keep_years(pd.DataFrame(out, columns=PEER_COLUMNS).assign(measure=measure), years)


PEER_COLUMNS = ["year", "series", "name", "numerator", "denominator", "value", "n_units", "p25", "p75"]


def _peer_row(year, series, name, num, den, value, n, p25=np.nan, p75=np.nan) -> dict:
    return {"year": int(year), "series": series, "name": name, "numerator": num, "denominator": den,
            "value": float(value) if value is not None and not pd.isna(value) else np.nan,
            "n_units": int(n), "p25": p25, "p75": p75}
