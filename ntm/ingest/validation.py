"""Validation of a yearly commune file: every problem becomes an `Issue` that names the file, the row as
the user sees it in Excel, the column as typed, the value and what to do. Errors block the import;
warnings need an explicit acknowledgement. Value parsing is vectorised (national files have ~10,000
rows); only failing cells produce Python objects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ntm.domain.columns import BY_NAME, COLUMNS, RATIOS, REQUIRED, Column
from ntm.domain.criteria import QD318, CriteriaSet, criteria_set, criteria_sets, criterion_names, set_decision
from ntm.domain.names import fold, name_key
from ntm.domain.periods import poverty_standards, standard_decision
from ntm.domain.rules import CRITERIA, RECOGNISED, flow_gap, flow_tolerance
from ntm.domain.settings import flow_tolerances, load_settings
from ntm.ingest.columns import canonical_column, is_ignored_header
from ntm.ingest.reading import NumberFormat, RawTable, column_number_format, number_shapes, number_values
from ntm.text import LANGS, fill_params, fmt_number, status_label, t

YEAR_RANGE = (2015, 2035)
MAX_COUNT = 100_000_000          # no commune has this many households or people (also fits INTEGER)
STATUS_WORDS = {
    "none": "none", "chua dat": "none", "chua dat chuan": "none", "khong": "none", "chua": "none", "0": "none",
    "not yet ntm": "none", "not yet": "none",
    "standard": "standard", "dat chuan": "standard", "dat": "standard", "ntm": "standard", "ntm standard": "standard",
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
    params: dict = field(default_factory=dict)   # `<name>_figure`: a number shown in the reader's language

    def message(self, file_name: str, lang: str = "vi") -> str:
        """Full sentence: where, what, and what to do."""
        where = [t("loc.file", lang, file=file_name)]
        if self.row is not None:
            where.append(t("loc.row", lang, row=self.row))
        if self.column:
            where.append(t("loc.column", lang, column=self.column))
        if self.value not in (None, ""):
            where.append(t("loc.value", lang, value=self.value))
        params = {(k[:-7] if k.endswith("_figure") else k): (_shown(v, lang) if k.endswith("_figure") else v)
                  for k, v in self.params.items()}
        return ", ".join(where) + ": " + t(self.key, lang, **{"value": self.value, **fill_params(params, lang)})


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


def parse_numbers(text: pd.Series, fmt: NumberFormat | str,
                  typed: np.ndarray | None = None) -> tuple[pd.Series, pd.Series]:
    """Text → float (NaN for empty) under a column's number format (or a file's way, "vi" / "en"); second
    result marks non-empty cells that are not numbers. Only finite numbers count: "inf", "-inf", "nan" or
    1e400 (too large for any figure) are not numbers. Cells `typed` as numbers by a workbook are read as
    they are.

    Plain numbers take one vectorised pass; only cells with separators, spaces or dashes are cleaned."""
    fmt = fmt if isinstance(fmt, NumberFormat) else NumberFormat.of_locale(fmt)
    s = text.fillna("").str.strip()
    values = pd.to_numeric(s, errors="coerce").astype(float)
    special = s.str.contains(r"[.,\s\u00a0–-]", regex=True) | (values.isna() & s.ne(""))
    if typed is not None and typed.any():
        typed = pd.Series(typed, index=s.index)
        values = values.where(~typed, pd.to_numeric(s.str.replace(",", ".", regex=False), errors="coerce"))
        special &= ~typed
    if special.any():
        cells = s[special].mask(s[special].isin(["-", "–"]), "")
        values = values.where(~special, number_values(cells, fmt).astype(float))
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
              .str.replace(r" (thi diem|pilot)$", "", regex=True)          # "NTM hiện đại (thí điểm)" as labelled
              .str.strip())
    out = folded.map(STATUS_WORDS).fillna(folded.str.replace(r" ntm$", "", regex=True).map(STATUS_WORDS))
    bad = folded.ne("") & out.isna()
    return out.where(out.notna(), None), bad


def parse_choice(text: pd.Series, col: Column) -> tuple[pd.Series, pd.Series]:
    """A choice column's cells → its codes, each read by its code or its words in either language (case
    and diacritics aside); second result marks values it does not list."""
    words = {fold(w): code for code in col.values for w in (code, *(col.value_words(code, lang) for lang in LANGS))}
    out = fold_series(text).map(words)
    bad = text.fillna("").str.strip().ne("") & out.isna()
    return out.where(out.notna(), None), bad


def parse_criteria_set(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Criteria-set names as typed or offered by the template ("QĐ 51/2025/QĐ-TTg (10 tiêu chí)", "QĐ
    51/2025", "QD51_2025", "51", the set's full name) → the set's key; second result marks names that are
    no known set."""
    folded = fold_series(text).str.strip()
    numbers = {key.split("_")[0].lower().removeprefix("qd"): key for key in criteria_sets()}
    digits = folded.str.extract(r"(?:^|\bqd\W*)(\d+)")[0]
    out = digits.map(numbers)
    bad = folded.ne("") & out.isna()
    return out.where(out.notna(), None), bad


def known_standards() -> str:
    """Every poverty standard by the document that issued it, for a message ('QĐ 59/2015/QĐ-TTg, NĐ
    07/2021/NĐ-CP, …')."""
    return ", ".join(map(standard_decision, poverty_standards()["poverty_standard"]))


def _letters(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(text))


def parse_poverty_standard(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Poverty standards as typed or offered by the template: the issuing document ("NĐ 351/2025/NĐ-CP"),
    its short name ("NĐ 351/2025"), its full name or its code ("ND351_2025") → the standard's code;
    second result marks names that are no known standard."""
    specs = poverty_standards()
    known = {_letters(str(v)): k for col in ("poverty_standard", "decision", "short_name", "name_vi", "name_en")
             for k, v in zip(specs["poverty_standard"], specs[col])}
    values = text.fillna("").str.strip()
    out = values.map(lambda v: known.get(_letters(v)) if v else None)
    return out.where(out.notna(), None), values.ne("") & out.isna()


def _issues_for(mask: pd.Series, excel_rows: np.ndarray, raw: pd.Series, header: str, key: str,
                severity: str = "error", params=None) -> list[Issue]:
    idx = np.flatnonzero(mask.to_numpy(dtype=bool))
    return [Issue(severity, key, int(excel_rows[i]), header, str(raw.iloc[i]),
                  params(i) if callable(params) else dict(params or {})) for i in idx]


# ---------------------------------------------------------------------------------------------
# The whole file

def parse_rows(table: RawTable, found: dict[str, int], year: int | None,
               issues: list[Issue]) -> tuple[pd.DataFrame, int | None]:
    """Typed canonical columns for every data row (numbers under each column's own format); appends
    value, number-format and year issues."""
    f = table.frame
    rows = pd.DataFrame({"excel_row": table.excel_rows})
    header = {name: table.headers[pos] for name, pos in found.items()}
    flags = [found[c.name] for c in COLUMNS if c.kind == "flag" and c.name in found]
    x_style = bool(flags and f[flags].isin(["x", "X"]).to_numpy().any())      # marked with x: a blank is not met
    for col in COLUMNS:
        if col.name not in found:
            rows[col.name] = None
            continue
        raw = f[found[col.name]]
        h = header[col.name]
        if col.kind in ("int", "decimal"):
            rows[col.name] = _number_column(table, found[col.name], col, issues)
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
            values, bad = parse_poverty_standard(raw)
            issues += _issues_for(bad, table.excel_rows, raw, h, "poverty_standard.invalid",
                                  params={"standards": known_standards()})
            rows[col.name] = values
        elif col.kind == "choice":
            values, bad = parse_choice(raw, col)
            issues += _issues_for(bad, table.excel_rows, raw, h, "value.not_accepted",
                                  params={"values_keys": [f"choice.{col.name}.{v}" for v in col.values]})
            rows[col.name] = values
        elif col.kind == "set":
            values, bad = parse_criteria_set(raw)
            issues += _issues_for(bad, table.excel_rows, raw, h, "criteria_set.invalid",
                                  params={"sets": ", ".join(map(set_decision, criteria_sets()))})
            rows[col.name] = values
        else:
            text = raw.fillna("").str.strip()
            rows[col.name] = text.where(text.ne(""), None)
    return rows, _resolve_year(rows, header.get("year"), year, table, issues)


def _number_column(table: RawTable, pos: int, col: Column, issues: list[Issue]) -> pd.Series:
    """One number column read under its own format (`column_number_format`): its values (a decimal
    column's rounded to its places), with the cells that are not numbers, not whole, negative, too large,
    not among the column's values or missing when required reported."""
    raw, h, er = table.frame[pos], table.headers[pos], table.excel_rows
    typed = table.typed_numbers[:, pos] if table.typed_numbers is not None else None
    fmt = column_number_format(raw if typed is None else raw[~typed], table.number_locale, col.kind == "int",
                               col.plausible)
    values, bad = parse_numbers(raw, fmt, typed)
    issues += ambiguous_numbers(raw, typed, fmt, col, h, er)
    issues += _issues_for(bad, er, raw, h, "value.not_number")
    if col.kind == "int":
        issues += _issues_for(values.notna() & (values != np.floor(values)), er, raw, h, "value.not_integer")
    issues += _issues_for(values < 0, er, raw, h, "value.negative")
    huge = values.abs() > MAX_COUNT
    issues += _issues_for(huge, er, raw, h, "value.too_large", params={"limit_number": MAX_COUNT})
    values = values.mask(huge)
    if col.values:
        other = values.notna() & ~values.isin(col.values)
        issues += _issues_for(other, er, raw, h, "value.not_accepted", params={"values": ", ".join(map(str, col.values))})
        values = values.mask(other)
    if col.decimals is not None:
        values = values.round(col.decimals)
    if col.required and col.name != "year":
        issues += _issues_for(values.isna() & ~bad, er, raw, h, "value.required")
    return values.where(~bad)


def ambiguous_numbers(raw: pd.Series, typed: np.ndarray | None, fmt: NumberFormat, col: Column, header: str,
                      excel_rows: np.ndarray) -> list[Issue]:
    """One line for a column whose cells like "36.828" nothing in the column itself decided: how they were
    read and why (the only reading inside the column's plausible range: info; the file's way: a warning),
    at the first such cell."""
    if fmt.decided_by == "cells" or fmt.ambiguous == 0:
        return []
    text = raw if typed is None else raw.where(~pd.Series(typed, index=raw.index), "")
    first = int(np.flatnonzero(number_shapes(text).isin(["?.", "?,"]).to_numpy())[0])
    cell = raw.iloc[[first]]
    read = number_values(cell, fmt).iloc[0]
    other = number_values(cell, NumberFormat("," if fmt.decimal == "." else ".")).iloc[0]
    params = {"n_number": fmt.ambiguous, "read_figure": read, "alt_figure": other,
              "decimal_key": "number.decimal_point" if fmt.decimal == "." else "number.decimal_comma"}
    if fmt.decided_by == "range":
        low, high = col.plausible
        return [Issue("info", "number.ambiguous_range", int(excel_rows[first]), header, str(cell.iloc[0]),
                      {**params, "low_figure": low, "high_figure": high})]
    return [Issue("warning", "number.ambiguous_file", int(excel_rows[first]), header, str(cell.iloc[0]), params)]


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
    check_ranges(rows, header, issues)
    codes = rows["commune_code"]
    dup = codes.notna() & codes.duplicated(keep=False)
    if dup.any():
        first = rows[dup].groupby("commune_code")["excel_row"].transform("min")
        others = rows[dup].groupby("commune_code")["excel_row"].transform("max")
        for i in np.flatnonzero(dup.to_numpy()):
            other = int(first.loc[rows.index[i]]) if er[i] != first.loc[rows.index[i]] else int(others.loc[rows.index[i]])
            issues.append(Issue("error", "code.duplicate", int(er[i]), h("commune_code"), codes.iloc[i],
                                {"other": other}))


def _shown(value, lang: str) -> str:
    """A figure in a message, in the reader's language: whole numbers as such, others with up to three
    decimals."""
    v = float(value)
    return fmt_number(v, lang, next((d for d in (0, 1, 2) if abs(round(v, d) - v) < 1e-9), 3))


def _plain(value) -> str | None:
    """A count as the cell's value, without separators (read the same in every language); None for a
    number with decimals, which a message gives in the reader's language instead."""
    v = float(value)
    return str(int(v)) if v.is_integer() else None


def check_ranges(rows: pd.DataFrame, header: dict[str, str], issues: list[Issue]) -> None:
    """A warning for each value outside its measure's plausible range (`Column.plausible`), and each
    ratio of two columns outside its own (`RATIOS`: people per household), naming row and column."""
    er = rows["excel_row"].to_numpy()
    for col in COLUMNS:
        if col.plausible is None or col.name not in header:
            continue
        low, high = col.plausible
        v = rows[col.name].astype(float)
        for i in np.flatnonzero(((v < low) | (v > high)).to_numpy()):
            issues.append(Issue("warning", f"range.{col.name}", int(er[i]), header[col.name], _plain(v.iloc[i]),
                                {"amount_figure": float(v.iloc[i]), "low_figure": low, "high_figure": high}))
    for r in RATIOS:
        if r.numerator not in header or r.denominator not in header:
            continue
        num, den = rows[r.numerator].astype(float), rows[r.denominator].astype(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = num / den.where(den > 0)
        for i in np.flatnonzero(((ratio < r.low) | (ratio > r.high)).to_numpy()):
            issues.append(Issue("warning", f"range.{r.key}", int(er[i]), header[r.numerator], _plain(num.iloc[i]),
                                {"numerator_figure": float(num.iloc[i]), "denominator_figure": float(den.iloc[i]),
                                 "ratio_figure": round(float(ratio.iloc[i]), 1), "low_figure": r.low,
                                 "high_figure": r.high, "denominator_column": header[r.denominator]}))


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
        issues.append(Issue("error", "status.on_ward", int(er[i]), header.get("ntm_status"), None,
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
    """The flows against last year's poor households, and the measures against last year's values, of the
    same places (through the crosswalk; a comparison with a split old commune says it is approximate);
    revocation risk."""
    m = rows.merge(previous, on="commune_code", how="left", suffixes=("", "_prev"))
    approx = m["approximate"].fillna(False).astype(bool).to_numpy() if "approximate" in m else np.zeros(len(m), bool)
    check_flows(m, approx, header, issues, lang)
    check_jumps(m, approx, header, issues)
    check_revocation_risk(rows, header, issues, lang, cset or criteria_set(QD318))


def _commune(m: pd.DataFrame, i: int) -> dict:
    """The commune of row `i` for a message: its code and name (the unit list's, else as typed)."""
    name = m["unit_name"].iloc[i] if "unit_name" in m and isinstance(m["unit_name"].iloc[i], str) else None
    typed = m["commune_name"].iloc[i] if isinstance(m["commune_name"].iloc[i], str) else None
    return {"code": m["commune_code"].iloc[i], "name": name or typed or m["commune_code"].iloc[i]}


def check_flows(m: pd.DataFrame, approx: np.ndarray, header: dict[str, str], issues: list[Issue],
                lang: str = "vi") -> None:
    """The poverty flows of each row (last year's columns merged in, `_prev`), docs/domain.md §2.4:
    escaped ≤ poor at the start (last year's end), an error — a warning when last year is approximate;
    inflows (fell back, newly poor, near-poor become poor) ≤ poor at the end, an error; and the balance
    poor_end ≈ start − escaped + inflows within the tolerance, a warning."""
    tol_h, tol_s = flow_tolerances()
    n = lambda c: m[c].astype(float).to_numpy() if c in m else np.full(len(m), np.nan)
    start, end = n("poor_households_prev"), n("poor_households")
    esc, fb, new, near = n("escaped_poverty"), n("fell_back_into_poverty"), n("newly_poor"), n("near_poor_to_poor")
    # A row that reports some flows counts its blank flow cells as 0 (a blank must not hide a gap).
    reported = ~(np.isnan(esc) & np.isnan(fb) & np.isnan(new) & np.isnan(near))
    esc, fb, new, near = (np.where(reported & np.isnan(v), 0.0, v) for v in (esc, fb, new, near))
    h = lambda c: header.get(c, BY_NAME[c].header(lang))
    row = lambda i: int(m["excel_row"].iloc[i])
    over = reported & ~np.isnan(start) & (esc > start)
    for i in np.flatnonzero(over):
        issues.append(Issue("warning" if approx[i] else "error",
                            "flow.escaped_gt_start_approx" if approx[i] else "flow.escaped_gt_start", row(i),
                            h("escaped_poverty"), _plain(esc[i]),
                            {**_commune(m, i), "escaped_figure": esc[i], "start_figure": start[i],
                             "prev_year": int(m["year"].iloc[i]) - 1, "escaped_column": h("escaped_poverty")}))
    inflow = fb + new + near
    short = reported & ~np.isnan(end) & (inflow > end)
    inflow_columns = ", ".join(f"“{header[c]}”" for c in ("fell_back_into_poverty", "newly_poor", "near_poor_to_poor")
                               if c in header)
    for i in np.flatnonzero(short):
        issues.append(Issue("error", "flow.inflows_gt_end", row(i), h("poor_households"), _plain(end[i]),
                            {**_commune(m, i), "end_figure": end[i], "inflow_figure": inflow[i], "fell_back_figure": fb[i],
                             "newly_figure": new[i], "near_to_poor_figure": near[i], "poor_column": h("poor_households"),
                             "inflow_columns": inflow_columns}))
    gap = flow_gap(start, esc, fb, new, end, np.nan_to_num(near, nan=0.0))
    # Last year summed over several old communes allows each of them its own tolerance.
    sources = m["n_sources"].fillna(1).astype(float).to_numpy() if "n_sources" in m else 1.0
    tol = flow_tolerance(start, tol_h * sources, tol_s)
    off = (np.abs(np.nan_to_num(gap, nan=0.0)) > tol) & ~over & ~short
    for i in np.flatnonzero(off):
        issues.append(Issue("warning", "flow.imbalance_approx" if approx[i] else "flow.imbalance", row(i),
                            header.get("poor_households"), _plain(end[i]),
                            {**_commune(m, i), "prev_figure": start[i], "escaped_figure": esc[i], "fell_back_figure": fb[i],
                             "newly_figure": new[i], "near_to_poor_figure": np.nan_to_num(near[i]),
                             "expected_figure": end[i] - gap[i], "actual_figure": end[i], "gap_figure": gap[i],
                             "tolerance_figure": round(float(tol[i]))}))


def check_jumps(m: pd.DataFrame, approx: np.ndarray, header: dict[str, str], issues: list[Issue]) -> None:
    """Each measure with a plausible range (`Column.plausible`) that is `value_jump_factor` times last
    year's value or less than its reciprocal — a separator or unit mistake, named with both values — and
    households changing by more than `household_jump_share` otherwise."""
    settings = load_settings()
    factor, share = settings["value_jump_factor"], settings["household_jump_share"]
    row = lambda i: int(m["excel_row"].iloc[i])
    flagged = np.zeros(len(m), bool)
    for col in COLUMNS:
        if col.plausible is None or col.name not in header or f"{col.name}_prev" not in m:
            continue
        now, before = m[col.name].astype(float).to_numpy(), m[f"{col.name}_prev"].astype(float).to_numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where((now > 0) & (before > 0), now / before, np.nan)
        big = np.nan_to_num(ratio, nan=1.0)
        jump = (big >= factor) | (big <= 1 / factor)
        for i in np.flatnonzero(jump):
            up = ratio[i] >= 1
            issues.append(Issue("warning", "jump.factor_approx" if approx[i] else "jump.factor", row(i),
                                header[col.name], _plain(now[i]),
                                {"prev_figure": before[i], "actual_figure": now[i],
                                 "times_figure": round(ratio[i] if up else 1 / ratio[i]),
                                 "direction_key": "jump.more" if up else "jump.less",
                                 "prev_year": int(m["year"].iloc[i]) - 1}))
        if col.name == "households":
            flagged = jump
    if "households_prev" not in m:
        return
    hh, hh_prev = m["households"].astype(float).to_numpy(), m["households_prev"].astype(float).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        change = (hh - hh_prev) / hh_prev
    moved = np.abs(np.nan_to_num(change, nan=0.0, posinf=0.0, neginf=0.0)) > share
    for i in np.flatnonzero(moved & ~flagged):
        issues.append(Issue("warning", "jump.households_approx" if approx[i] else "jump.households", row(i),
                            header.get("households"), _plain(hh[i]),
                            {"change_share": float(change[i]), "prev_figure": hh_prev[i], "actual_figure": hh[i]}))


def check_groups(rows: pd.DataFrame, regions: pd.DataFrame, header: dict[str, str], issues: list[Issue]) -> None:
    """A QĐ 51/2025 commune group that disagrees with the commune's EM region (`regions`: commune_code,
    em_region, attributes_derived): group 3 is for region II and III communes, 1 or 2 for the others
    (docs/domain.md §1.9, §5). A warning naming the group given, the region and where it comes from;
    communes whose region is not known are not judged."""
    if "commune_group" not in header or regions.empty:
        return
    m = rows[["excel_row", "commune_code", "commune_name", "commune_group",
              *(["unit_name"] if "unit_name" in rows else [])]].merge(regions, on="commune_code", how="left")
    group, region = m["commune_group"].astype(float), m["em_region"]
    hard = region.isin(["II", "III"])
    wrong = group.isin([1, 2, 3]) & region.isin(["I", "II", "III"]) & (hard != group.eq(3))
    derived = m["attributes_derived"].fillna(False).astype(bool)
    for i in np.flatnonzero(wrong.to_numpy()):
        issues.append(Issue("warning", "group.should_be_3" if hard.iloc[i] else "group.not_3", int(m["excel_row"].iloc[i]),
                            header["commune_group"], f"{group.iloc[i]:g}",
                            {**_commune(m, i), "group": f"{group.iloc[i]:g}", "region": region.iloc[i],
                             "source_key": "group.region_derived" if derived.iloc[i] else "group.region_listed"}))


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
