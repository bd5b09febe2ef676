"""Validation of a yearly commune file: every problem becomes an `Issue` that names the file, the row as
the user sees it in Excel, the column as typed, the value and what to do. Errors block the import;
warnings need an explicit acknowledgement. Value parsing is vectorised (national files have ~10,000
rows); only failing cells produce Python objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ntm.domain.columns import BY_NAME, COLUMNS, REQUIRED
from ntm.domain.criteria import QD318, CriteriaSet, criteria_set, criteria_sets, criterion_names
from ntm.domain.names import fold, name_key
from ntm.domain.periods import poverty_standards
from ntm.domain.rules import CRITERIA, RECOGNISED, flow_gap, flow_tolerance
from ntm.domain.settings import flow_tolerances, load_settings
from ntm.ingest.columns import canonical_column, is_ignored_header
from ntm.ingest.reading import RawTable
from ntm.text import fill_params, fmt_number, status_label, t

YEAR_RANGE = (2015, 2035)
MAX_COUNT = 100_000_000          # no commune has this many households or people (also fits INTEGER)
INT_COLUMNS = [c.name for c in COLUMNS if c.kind == "int"]
STATUS_WORDS = {
    "none": "none", "chua dat": "none", "chua dat chuan": "none", "khong": "none", "chua": "none", "0": "none",
    "standard": "standard", "dat chuan": "standard", "dat": "standard", "ntm": "standard",
    "nong thon moi": "standard", "dat chuan ntm": "standard", "1": "standard",
    "advanced": "advanced", "nang cao": "advanced", "ntm nang cao": "advanced", "dat chuan nang cao": "advanced",
    "dat chuan ntm nang cao": "advanced", "2": "advanced",
    "model": "model", "kieu mau": "model", "ntm kieu mau": "model", "dat chuan kieu mau": "model",
    "dat chuan ntm kieu mau": "model", "3": "model",
    "modern": "modern", "hien dai": "modern", "ntm hien dai": "modern", "dat chuan hien dai": "modern",
    "dat chuan ntm hien dai": "modern",
}
FLAG_TRUE = {"1", "x", "dat", "true", "co", "yes", "y", "v", "1.0"}
FLAG_FALSE = {"0", "chua dat", "khong dat", "false", "khong", "no", "n", "0.0", "-"}


@dataclass
class Issue:
    """One finding about a file."""

    severity: str                    # error / warning / info
    key: str                         # catalogue message key
    row: int | None = None           # Excel row (header row counted)
    column: str | None = None        # header as typed in the file
    value: str | None = None
    params: dict = field(default_factory=dict)

    def message(self, file_name: str, lang: str = "vi") -> str:
        """Full sentence: where, what, and what to do."""
        where = [t("loc.file", lang, file=file_name)]
        if self.row is not None:
            where.append(t("loc.row", lang, row=self.row))
        if self.column:
            where.append(t("loc.column", lang, column=self.column))
        if self.value not in (None, ""):
            where.append(t("loc.value", lang, value=self.value))
        return ", ".join(where) + ": " + t(self.key, lang, **{"value": self.value, **fill_params(self.params, lang)})


@dataclass
class ValidationReport:
    """Everything found in one file, plus the parsed rows ready to import."""

    file_name: str
    year: int | None
    issues: list[Issue]
    rows: pd.DataFrame | None = None          # canonical columns + excel_row + unit columns
    columns_found: dict[str, str] = field(default_factory=dict)   # canonical → header as typed
    checksum: str | None = None
    system: str | None = None                 # the unit system the file's codes are on
    criteria_set: str | None = None           # the NTM criteria set its statuses and flags follow

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings may remain)."""
        return not self.errors

    def to_frame(self, lang: str = "vi") -> pd.DataFrame:
        """The report as a table (one row per issue), in the language."""
        cols = [t(f"report.{c}", lang) for c in ("severity", "file", "row", "column", "value", "message", "code")]
        order = {"error": 0, "warning": 1, "info": 2}
        issues = sorted(self.issues, key=lambda i: (order[i.severity], i.row or 0, i.column or ""))
        return pd.DataFrame([[t(f"severity.{i.severity}", lang), self.file_name, i.row, i.column, i.value,
                              i.message(self.file_name, lang), i.key] for i in issues], columns=cols)

    def summary_frame(self, lang: str = "vi") -> pd.DataFrame:
        """One row per kind of problem: severity, how many, and the first one in full as an example."""
        first: dict[str, Issue] = {}
        count: dict[str, int] = {}
        for i in self.issues:
            first.setdefault(i.key, i)
            count[i.key] = count.get(i.key, 0) + 1
        order = {"error": 0, "warning": 1, "info": 2}
        keys = sorted(first, key=lambda k: (order[first[k].severity], -count[k]))
        cols = [t(f"report.{c}", lang) for c in ("severity", "count", "example")]
        return pd.DataFrame([[t(f"severity.{first[k].severity}", lang), count[k],
                              first[k].message(self.file_name, lang)] for k in keys], columns=cols)

    def to_dict(self, lang: str = "vi") -> dict:
        """JSON-ready form of the report."""
        return {"file": self.file_name, "year": self.year, "ok": self.ok, "unit_system": self.system,
                "criteria_set": self.criteria_set,
                "errors": len(self.errors), "warnings": len(self.warnings),
                "issues": [{"severity": i.severity, "code": i.key, "row": i.row, "column": i.column,
                            "value": i.value, "message": i.message(self.file_name, lang)} for i in self.issues]}


def dropped_issues(table: RawTable) -> list[Issue]:
    """The rows reading left out (notes: a totals row, column numbers, rows outside the table)."""
    return [Issue("info", key, row=n) for n, key in table.dropped]


def formula_issues(table: RawTable, columns) -> list[Issue]:
    """A warning per column (of `columns`, the positions the import reads) and source whose cells are
    formulas taking their value from another workbook, program or the web (the value stored may be stale):
    the first row, how many cells and which rows."""
    wanted, rows_of = set(columns), {}
    data_rows = set(int(n) for n in table.excel_rows)
    for f in table.outside_formulas:
        if f.column in wanted and f.row in data_rows:
            rows_of.setdefault((f.column, f.source, f.detail), []).append(f.row)
    return [Issue("warning", f"read.formula_{source}", row=min(rows), column=table.headers[column],
                  params={"source": detail, "n_number": len(rows), "rows": _row_ranges(rows)})
            for (column, source, detail), rows in sorted(rows_of.items(), key=lambda kv: min(kv[1]))]


def _row_ranges(rows: list[int]) -> str:
    """[3, 4, 5, 9] → '3–5, 9'."""
    rows, out = sorted(set(rows)), []
    start = prev = rows[0]
    for r in rows[1:] + [None]:
        if r is not None and r == prev + 1:
            prev = r
            continue
        out.append(str(start) if start == prev else f"{start}–{prev}")
        if r is not None:
            start = prev = r
    return ", ".join(out)


# ---------------------------------------------------------------------------------------------
# Column mapping

def map_columns(table: RawTable, issues: list[Issue]) -> dict[str, int]:
    """Canonical column → position in the file; reports unknown and duplicated headers."""
    found: dict[str, int] = {}
    for pos, header in enumerate(table.headers):
        if is_ignored_header(header):
            continue
        name = canonical_column(header)
        if name is None:
            issues.append(Issue("info", "col.unknown", column=header))
        elif name in found:
            issues.append(Issue("error", "col.duplicate", column=header,
                                params={"column": header, "other": found[name] + 1}))
        else:
            found[name] = pos
    return found


# ---------------------------------------------------------------------------------------------
# Vectorised value parsing

def fold_series(text: pd.Series) -> pd.Series:
    """`fold` applied once per distinct value (columns repeat the same few marks many times)."""
    text = text.fillna("")
    mapping = {u: fold(u) for u in text.unique()}
    return text.map(mapping)


def _clean_numbers(s: pd.Series, locale: str) -> pd.Series:
    """Numbers written with thousands separators, spaces or a decimal comma → float (NaN if not a number)."""
    s = s.str.replace("\u00a0", "", regex=False).str.replace(" ", "", regex=False)
    s = s.mask(s.isin(["-", "–"]), "")
    if locale == "vi":
        cleaned = s.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
        values = pd.to_numeric(cleaned, errors="coerce")
        # A plain decimal point ("45.5") is read as written when it cannot be a thousands separator.
        plain = s.str.fullmatch(r"-?\d+\.\d{1,2}|-?\d+\.\d{4,}").fillna(False)
        return values.mask(plain, pd.to_numeric(s.where(plain), errors="coerce"))
    return pd.to_numeric(s.str.replace(",", "", regex=False), errors="coerce")


def parse_numbers(text: pd.Series, locale: str) -> tuple[pd.Series, pd.Series]:
    """Text → float (NaN for empty); second result marks non-empty cells that are not numbers. Only
    finite numbers count: "inf", "-inf", "nan" or 1e400 (too large for any figure) are not numbers.

    Plain numbers take one vectorised pass; only cells with separators, spaces or dashes are cleaned."""
    s = text.fillna("").str.strip()
    values = pd.to_numeric(s, errors="coerce").astype(float)
    special = s.str.contains(r"[.,\s\u00a0–-]" if locale == "vi" else r"[,\s\u00a0–-]", regex=True)
    special |= values.isna() & s.ne("")
    if special.any():
        values = values.where(~special, _clean_numbers(s[special], locale).astype(float))
    values = values.where(np.isfinite(values))
    bad = s.ne("") & values.isna() & ~s.isin(["-", "–"])
    return values, bad


def parse_flags(text: pd.Series, blank_means_false: bool) -> tuple[pd.Series, pd.Series]:
    """Met flags → True/False/None; second result marks cells that are not a recognised mark."""
    folded = fold_series(text)
    out = pd.Series(pd.NA, index=text.index, dtype="boolean")
    out[folded.isin(FLAG_TRUE)] = True
    out[folded.isin(FLAG_FALSE)] = False
    if blank_means_false:
        out[folded.eq("")] = False
    bad = folded.ne("") & out.isna()
    return out, bad


def parse_status(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Status words (VI/EN) → none/standard/advanced/model; second result marks unknown words."""
    folded = fold_series(text).str.replace(r"[^a-z0-9 ]", " ", regex=True).str.split().str.join(" ")
    folded = (folded.str.replace("nong thon moi", "ntm", regex=False)
              .str.replace(r"^(xa|da) ", "", regex=True).str.replace(r"^(dat chuan|dat) (ntm )?", r"\1 ", regex=True)
              .str.strip())
    out = folded.map(STATUS_WORDS).fillna(folded.str.replace(r" ntm$", "", regex=True).map(STATUS_WORDS))
    bad = folded.ne("") & out.isna()
    return out.where(out.notna(), None), bad


def parse_criteria_set(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Criteria-set names as typed ("QĐ 51/2025", "QD51_2025", "51") → the set's key; second result marks
    names that are no known set."""
    folded = fold_series(text).str.strip()
    numbers = {key.split("_")[0].lower().removeprefix("qd"): key for key in criteria_sets()}
    digits = folded.str.extract(r"^(?:qd\W*)?(\d+)")[0]
    out = digits.map(numbers)
    bad = folded.ne("") & out.isna()
    return out.where(out.notna(), None), bad


def _issues_for(mask: pd.Series, excel_rows: np.ndarray, raw: pd.Series, header: str, key: str,
                severity: str = "error", params=None) -> list[Issue]:
    idx = np.flatnonzero(mask.to_numpy(dtype=bool))
    return [Issue(severity, key, int(excel_rows[i]), header, str(raw.iloc[i]),
                  params(i) if callable(params) else dict(params or {})) for i in idx]


# ---------------------------------------------------------------------------------------------
# The whole file

def parse_rows(table: RawTable, found: dict[str, int], year: int | None, issues: list[Issue]) -> tuple[pd.DataFrame, int | None]:
    """Typed canonical columns for every data row; appends value and year issues."""
    f = table.frame
    rows = pd.DataFrame({"excel_row": table.excel_rows})
    header = {name: table.headers[pos] for name, pos in found.items()}
    flag_cells = pd.concat([f[found[c]] for c in CRITERIA if c in found], axis=1) if any(c in found for c in CRITERIA) else None
    x_style = bool(flag_cells is not None and flag_cells.isin(["x", "X"]).to_numpy().any())
    for col in COLUMNS:
        if col.name not in found:
            rows[col.name] = None
            continue
        raw = f[found[col.name]]
        h = header[col.name]
        if col.kind in ("int", "decimal"):
            values, bad = parse_numbers(raw, table.number_locale)
            issues += _issues_for(bad, table.excel_rows, raw, h, "value.not_number")
            if col.kind == "int":
                frac = values.notna() & (values != np.floor(values))
                issues += _issues_for(frac, table.excel_rows, raw, h, "value.not_integer")
            issues += _issues_for(values < 0, table.excel_rows, raw, h, "value.negative")
            huge = values.abs() > MAX_COUNT
            issues += _issues_for(huge, table.excel_rows, raw, h, "value.too_large", params={"limit_number": MAX_COUNT})
            values = values.mask(huge)
            if col.required and col.name != "year":
                issues += _issues_for(values.isna() & ~bad, table.excel_rows, raw, h, "value.required")
            rows[col.name] = values.where(~bad)
        elif col.kind == "code":
            codes = raw.str.strip().str.replace(r"\.0$", "", regex=True)
            ok = codes.str.fullmatch(r"\d{1,5}")
            issues += _issues_for(~ok, table.excel_rows, raw, h, "code.invalid")
            rows[col.name] = codes.where(ok).str.zfill(5)
        elif col.kind == "status":
            values, bad = parse_status(raw)
            issues += _issues_for(bad, table.excel_rows, raw, h, "status.invalid")
            rows[col.name] = values
        elif col.kind == "flag":
            values, bad = parse_flags(raw, x_style)
            issues += _issues_for(bad, table.excel_rows, raw, h, "flag.invalid")
            rows[col.name] = values
        elif col.kind == "standard":
            known = {fold(k).lower(): k for k in poverty_standards()["poverty_standard"]}
            values = raw.fillna("").str.strip()
            mapped = values.map(lambda v: known.get(fold(v).lower()))
            issues += _issues_for(values.ne("") & mapped.isna(), table.excel_rows, raw, h, "poverty_standard.invalid",
                                  params={"standards": ", ".join(known.values())})
            rows[col.name] = mapped.where(mapped.notna(), None)
        elif col.kind == "choice":
            values, bad = parse_criteria_set(raw)
            issues += _issues_for(bad, table.excel_rows, raw, h, "criteria_set.invalid",
                                  params={"sets": ", ".join(criteria_sets())})
            rows[col.name] = values
        else:
            text = raw.fillna("").str.strip()
            rows[col.name] = text.where(text.ne(""), None)
    return rows, _resolve_year(rows, header.get("year"), year, table, issues)


def _resolve_year(rows: pd.DataFrame, header: str | None, year: int | None, table: RawTable,
                  issues: list[Issue]) -> int | None:
    low, high = YEAR_RANGE
    if year is not None and not low <= year <= high:
        issues.append(Issue("error", "year.range", value=str(year), params={"low": low, "high": high}))
        return None
    if header is None:
        if year is None:
            issues.append(Issue("error", "year.missing"))
        return year
    years = rows["year"]
    out_of_range = years.notna() & ((years < low) | (years > high))
    if out_of_range.any():
        issues += _issues_for(out_of_range, table.excel_rows, years.map(lambda v: f"{v:g}"), header, "year.range",
                              params={"low": low, "high": high})
    common = year if year is not None else (int(years.mode().iloc[0]) if years.notna().any() else None)
    if common is None:
        issues.append(Issue("error", "year.missing"))
        return None
    diff = years.notna() & (years != common)
    if diff.any():
        issues += _issues_for(diff, table.excel_rows, years.map(lambda v: f"{v:g}"), header,
                              "year.mismatch", params={"year": common})
    return int(common)


def check_rows(rows: pd.DataFrame, header: dict[str, str], issues: list[Issue], lang: str = "vi",
               cset: CriteriaSet | None = None) -> None:
    """Checks within a row and across rows of the same file (criteria against the file's set)."""
    cset = cset or criteria_set(QD318)
    n_max = cset.n_criteria
    er = rows["excel_row"].to_numpy()
    h = lambda name: header.get(name, name)
    hh, poor, near = rows["households"], rows["poor_households"], rows["near_poor_households"]
    fmt = lambda v: fmt_number(v, lang)

    def add(mask, column, key, params):
        issues.extend(_issues_for(mask.fillna(False), er, rows[column].map(fmt), h(column), key,
                                  params=lambda i: {k: fmt(v.iloc[i]) for k, v in params.items()})
                      if mask.fillna(False).any() else [])

    add(poor > hh, "poor_households", "check.poor_gt_households", {"poor": poor, "households": hh})
    add((poor <= hh) & (poor + near.fillna(0) > hh), "near_poor_households", "check.poor_near_gt_households",
        {"total": poor + near.fillna(0), "households": hh})
    em, em_poor = rows["ethnic_minority_households"], rows["ethnic_minority_poor_households"]
    add(em > hh, "ethnic_minority_households", "check.em_gt_households", {"em": em, "households": hh})
    add(em_poor > poor, "ethnic_minority_poor_households", "check.em_poor_gt_poor", {"em_poor": em_poor, "poor": poor})
    cm = rows["criteria_met"]
    n_series = pd.Series(n_max, index=rows.index)
    add((cm < 0) | (cm > n_max), "criteria_met", "criteria.range", {"n": n_series})
    flags = rows[list(cset.criteria)]
    complete = flags.notna().all(axis=1)
    n_met = flags.fillna(False).astype(bool).sum(axis=1)
    add(complete & cm.notna() & (cm != n_met) & (cm >= 0) & (cm <= n_max), "criteria_met", "criteria.mismatch",
        {"count": cm, "flags": n_met, "n": n_series})
    rows.loc[complete & cm.isna(), "criteria_met"] = n_met[complete & cm.isna()]
    codes = rows["commune_code"]
    dup = codes.notna() & codes.duplicated(keep=False)
    if dup.any():
        first = rows[dup].groupby("commune_code")["excel_row"].transform("min")
        others = rows[dup].groupby("commune_code")["excel_row"].transform("max")
        for i in np.flatnonzero(dup.to_numpy()):
            other = int(first.loc[rows.index[i]]) if er[i] != first.loc[rows.index[i]] else int(others.loc[rows.index[i]])
            issues.append(Issue("error", "code.duplicate", int(er[i]), h("commune_code"), codes.iloc[i],
                                {"other": other}))


def check_units(rows: pd.DataFrame, header: dict[str, str], year: int, issues: list[Issue], system: str,
                reported: set[int] = frozenset()) -> None:
    """Codes must name a commune of the file's unit system that existed in the year (rows already
    reported by the unit-system check are skipped); names are cross-checked; wards hold no status."""
    er = rows["excel_row"].to_numpy()
    known = rows["unit_id"].notna() | rows["commune_code"].isna()
    for i in np.flatnonzero(~known.to_numpy()):
        if int(er[i]) not in reported:
            issues.append(Issue("error", "code.unknown", int(er[i]), header.get("commune_code"),
                                str(rows["commune_code"].iloc[i]), {"year": year, "system_key": f"system.{system}"}))
    ward = rows["unit_id"].notna() & ~rows["is_rural"].fillna(True).astype(bool)
    status = rows["ntm_status"]
    bad_status = ward & status.notna() & status.ne("none")
    for i in np.flatnonzero(bad_status.to_numpy()):
        issues.append(Issue("error", "status.on_ward", int(er[i]), header.get("ntm_status"), str(status.iloc[i]),
                            {"unit_type": rows["unit_type"].iloc[i]}))
    rows.loc[ward, "ntm_status"] = None
    ry = rows["ntm_recognition_year"]
    for i in np.flatnonzero((ry.notna() & (ry > year)).to_numpy()):
        issues.append(Issue("error", "recognition.after_year", int(er[i]), header.get("ntm_recognition_year"),
                            str(int(ry.iloc[i])), {"year": year}))
    for col, ref in (("commune_name", "unit_name"), ("district_name", "district_ref"), ("province_name", "province_ref")):
        if col not in header or ref not in rows:
            continue
        given, expected = rows[col], rows[ref]
        differ = given.notna() & expected.notna() & given.ne(expected)
        keys = lambda s: s[differ].fillna("").map(name_key)
        mismatch = differ.copy()
        mismatch[differ] = keys(given).ne(keys(expected))
        for i in np.flatnonzero(mismatch.to_numpy()):
            issues.append(Issue("warning", "name.mismatch", int(er[i]), header[col], str(given.iloc[i]),
                                {"code": rows["commune_code"].iloc[i], "expected": expected.iloc[i]}))


def check_against_last_year(rows: pd.DataFrame, previous: pd.DataFrame, header: dict[str, str],
                            issues: list[Issue], lang: str = "vi", cset: CriteriaSet | None = None) -> None:
    """Flow balance and household jumps against last year's figures of the same places (through the
    crosswalk; a comparison with a split old commune says it is approximate); revocation risk."""
    tol_h, tol_s = flow_tolerances()
    jump = load_settings()["household_jump_share"]
    m = rows.merge(previous, on="commune_code", how="left", suffixes=("", "_prev"))
    n = lambda c: m[c].astype(float).to_numpy()
    prev, end, hh, hh_prev = n("poor_households_prev"), n("poor_households"), n("households"), n("households_prev")
    esc, fb, new = n("escaped_poverty"), n("fell_back_into_poverty"), n("newly_poor")
    near = n("near_poor_to_poor") if "near_poor_to_poor" in m else np.full(len(m), np.nan)
    approx = m["approximate"].fillna(False).astype(bool).to_numpy() if "approximate" in m else np.zeros(len(m), bool)
    # A row that reports some flows counts its blank flow cells as 0 (a blank must not hide a gap).
    reported = ~(np.isnan(esc) & np.isnan(fb) & np.isnan(new))
    esc, fb, new = (np.where(reported & np.isnan(v), 0.0, v) for v in (esc, fb, new))
    gap = flow_gap(prev, esc, fb, new, end, np.nan_to_num(near, nan=0.0))
    # Last year summed over several old communes allows each of them its own tolerance.
    sources = m["n_sources"].fillna(1).astype(float).to_numpy() if "n_sources" in m else 1.0
    tol = flow_tolerance(prev, tol_h * sources, tol_s)
    fmt = lambda v: fmt_number(v, lang)
    for i in np.flatnonzero(np.abs(np.nan_to_num(gap, nan=0.0)) > tol):
        issues.append(Issue("warning", "flow.imbalance_approx" if approx[i] else "flow.imbalance",
                            int(m["excel_row"].iloc[i]), header.get("poor_households"),
                            fmt(end[i]), {"prev": fmt(prev[i]), "escaped": fmt(esc[i]), "fell_back": fmt(fb[i]),
                                          "newly": fmt(new[i]), "near_to_poor": fmt(np.nan_to_num(near[i])),
                                          "expected": fmt(end[i] - gap[i]),
                                          "actual": fmt(end[i]), "gap": fmt(gap[i]), "tolerance": fmt(tol[i])}))
    with np.errstate(divide="ignore", invalid="ignore"):
        change = (hh - hh_prev) / hh_prev
    for i in np.flatnonzero(np.abs(np.nan_to_num(change, nan=0.0, posinf=0.0, neginf=0.0)) > jump):
        issues.append(Issue("warning", "jump.households_approx" if approx[i] else "jump.households",
                            int(m["excel_row"].iloc[i]), header.get("households"),
                            fmt(hh[i]), {"change_share": float(change[i]), "prev": fmt(hh_prev[i]), "actual": fmt(hh[i])}))
    check_revocation_risk(rows, header, issues, lang, cset or criteria_set(QD318))


def check_revocation_risk(rows: pd.DataFrame, header: dict[str, str], issues: list[Issue], lang: str,
                          cset: CriteriaSet) -> None:
    """Warn about recognised communes below all criteria of their set (at risk of revocation under the
    set's rule: QĐ 18/2022/QĐ-TTg, or its shares applied to QĐ 51/2025 until a rule is confirmed)."""
    from ntm.domain.rules import assess_revocation

    rule, n_all = cset.revocation_rule(), cset.n_criteria
    names = criterion_names(lang, cset.key)
    recognised = rows["ntm_status"].isin(list(RECOGNISED)) & (rows["criteria_met"] < n_all)
    rule_key = "risk.rule_confirmed" if cset.revocation_verified else "risk.rule_default"
    for i in np.flatnonzero(recognised.fillna(False).to_numpy()):
        r = rows.iloc[i]
        flags = {c: (None if pd.isna(r[c]) else bool(r[c])) for c in cset.criteria}
        a = assess_revocation(r["ntm_status"], flags, rule)
        failed = "; ".join(names[c] for c in a.failed) or "–"
        key = "risk.revocation" if a.at_risk or r["criteria_met"] <= n_all - rule.min_failed_any else "risk.below_all"
        issues.append(Issue("warning", key, int(r["excel_row"]), header.get("criteria_met", "criteria_met"),
                            str(int(r["criteria_met"])), {"status": status_label(r["ntm_status"], lang),
                                                          "count": int(r["criteria_met"]), "n": n_all,
                                                          "failed": failed, "rule_key": rule_key}))


def missing_required(found: dict[str, int], year: int | None) -> list[Issue]:
    """Errors for required columns the file lacks (year only when no year was given)."""
    out = []
    for name in REQUIRED:
        if name in found or (name == "year" and year is not None):
            continue
        if name == "year":
            continue  # reported once as year.missing
        out.append(Issue("error", "col.missing", column=BY_NAME[name].header_vi,
                         params={"column": name, "column_vi": BY_NAME[name].header_vi}))
    return out
