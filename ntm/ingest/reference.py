"""Uploading reference tables — unit attributes (mountainous, island, poor district, EM region) and
targets — through the same read → validate → preview → import path as yearly files. The tables and
how their rows are replaced and restored: `ntm.store.reference`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ntm.domain.names import fold, header_key, is_digits, name_key
from ntm.domain.periods import programme_years
from ntm.domain.targets import TARGET_KINDS, UNIT_LEVELS
from ntm.domain.units import CODE_WIDTH, POST, PRE, SYSTEMS
from ntm.errors import ImportRefused, ReadError
from ntm.ingest.reading import RawTable
from ntm.ingest.validation import Issue, ValidationReport, formula_issues, parse_numbers
from ntm.read.imports import known_units, newest_unit_names, reference_rows
from ntm.store.reference import ATTRIBUTES, REFERENCE_TABLES, ReferenceTable, replace_rows

_TRUE = {"true", "1", "x", "co", "yes", "dung"}
_FALSE = {"false", "0", "khong", "no", "sai"}


def _bool(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    f = series.fillna("").map(fold)
    out = pd.Series(pd.NA, index=series.index, dtype="boolean")
    out[f.isin(_TRUE)] = True
    out[f.isin(_FALSE)] = False
    return out, f.ne("") & out.isna()


def validate_reference(con, spec: ReferenceTable, table: RawTable, lang: str = "vi") -> ValidationReport:
    """Check a reference file: required columns and cells, booleans, numbers, choices, known units."""
    pos = {header_key(h): i for i, h in enumerate(table.headers)}
    found = {c: pos[header_key(c)] for c in spec.columns if header_key(c) in pos}
    report = _checked_reference(con, spec, table, found)
    report.issues += formula_issues(table, found.values())
    return report


def _checked_reference(con, spec: ReferenceTable, table: RawTable, found: dict[str, int]) -> ValidationReport:
    """Required columns and cells, booleans, numbers, choices, known units, duplicates."""
    issues: list[Issue] = []
    for c in spec.required:
        if c not in found:
            issues.append(Issue("error", "col.missing", column=c, params={"column": c, "column_vi": c}))
    if any(i.key == "col.missing" for i in issues):
        return ValidationReport(table.file_name, None, issues)
    er = table.excel_rows
    rows = pd.DataFrame({"excel_row": er})
    cells = {c: _Cells(table.frame[found[c]] if c in found else pd.Series([""] * len(table), dtype=object),
                       table.headers[found[c]] if c in found else c, er) for c in spec.columns}
    for c, cell in cells.items():
        raw = cell.raw
        if c in spec.required:
            issues += cell.issues(raw.fillna("").str.strip().eq(""), "value.required")
        if c in spec.booleans:
            values, bad = _bool(raw)
            issues += cell.issues(bad, "reference.boolean")
        elif c in spec.numbers or c in spec.integers:
            values, bad = parse_numbers(raw, table.number_locale)     # infinities are not numbers
            issues += cell.issues(bad, "value.not_number")
            if c in spec.integers:
                issues += cell.issues(values.notna() & (values != values.round()), "reference.whole_number")
        else:
            values = raw.where(raw.fillna("").str.strip().ne(""), None)
        rows[c] = values
    system_col = "system" if spec is ATTRIBUTES else "scope_system"
    rows[system_col] = _system_words(rows[system_col])
    for col, allowed in spec.choices:
        bad = rows[col].notna() & ~rows[col].isin(allowed)
        for i in np.flatnonzero(bad.to_numpy()):
            issues.append(Issue("error", "reference.choice", int(er[i]), col, str(rows[col].iloc[i]),
                                {"allowed": ", ".join(allowed)}))
    if spec is ATTRIBUTES:
        _check_units(con, rows, issues)          # pads codes first, so 2566 and 02566 are one key
    else:
        has_unit = rows["scope_level"].isin(UNIT_LEVELS)
        rows.loc[has_unit, "scope_system"] = _unit_systems(con, rows[has_unit], "scope_level", "scope_code",
                                                           "scope_name", "scope_system", issues)
        issues += _target_issues(rows, cells)
    for c in spec.integers:             # whole numbers a database integer holds; the others were reported
        whole = rows[c].notna() & (rows[c] == rows[c].round()) & (rows[c].abs() < 2 ** 31)
        rows[c] = rows[c].where(whole).astype("Int64")
    dup = rows.duplicated(list(spec.keys), keep=False)
    for i in np.flatnonzero(dup.to_numpy()):
        issues.append(Issue("error", "reference.duplicate", int(er[i]), spec.keys[-1], str(rows[spec.keys[-1]].iloc[i])))
    return ValidationReport(table.file_name, None, issues, rows)


@dataclass(frozen=True)
class _Cells:
    """One column of a reference file: its cells and its header as typed, and the Excel rows."""

    raw: pd.Series
    head: str
    excel_rows: np.ndarray

    def text(self, i: int) -> str:
        """The cell of data row `i` as typed."""
        value = self.raw.iloc[i]
        return "" if pd.isna(value) else str(value)

    def issue(self, i: int, key: str, params: dict | None = None) -> Issue:
        """An error naming the row, the column and the cell of data row `i`."""
        return Issue("error", key, int(self.excel_rows[i]), self.head, self.text(i), params or {})

    def issues(self, mask: pd.Series, key: str, params=None) -> list[Issue]:
        """`issue` for every row in `mask`; `params(i)` gives a row's message parameters."""
        return [self.issue(i, key, params(i) if params else None)
                for i in np.flatnonzero(mask.fillna(False).to_numpy(dtype=bool))]


def _target_issues(rows: pd.DataFrame, cells: dict[str, _Cells]) -> list[Issue]:
    """Target years within the programme periods (`data/programme_periods.csv`); values in the range of
    their kind of target (`ntm.domain.targets.Shape`); a maximum not below the minimum."""
    low, high = programme_years()
    year = rows["year"]
    issues = cells["year"].issues((year == year.round()) & ~year.between(low, high), "target.year",
                                  lambda i: {"low": low, "high": high})
    shape = rows["metric"].map(lambda m: TARGET_KINDS[m].shape if m in TARGET_KINDS else None)
    fits = {c: pd.Series([s is None or pd.isna(v) or s.allows(float(v)) for s, v in zip(shape, rows[c])],
                         index=rows.index) for c in ("value_min", "value_max")}
    for c, ok in fits.items():
        for i in np.flatnonzero(~ok.to_numpy()):
            s = shape.iloc[i]
            issues.append(cells[c].issue(i, f"target.value.{s.key}", {"low_number": s.low, "high_number": s.high}))
    below = fits["value_min"] & fits["value_max"] & (rows["value_max"] < rows["value_min"])
    return issues + cells["value_max"].issues(below, "target.max_below_min",
                                              lambda i: {"min": cells["value_min"].text(i)})


_SYSTEM_WORDS = {"pre2025": PRE, "old": PRE, "cu": PRE, "don vi cu": PRE, "truoc 2025": PRE,
                 "post2025": POST, "new": POST, "moi": POST, "don vi moi": POST, "sau 2025": POST}


def _system_words(values: pd.Series) -> pd.Series:
    """Unit-system cells as typed ('cũ', 'mới', 'old', 'post2025' …) → pre2025 / post2025 (others kept)."""
    folded = values.map(lambda v: " ".join(fold(v).split()) if isinstance(v, str) else None)
    return folded.map(_SYSTEM_WORDS).where(folded.isin(list(_SYSTEM_WORDS)), values)


def _unit_systems(con, rows: pd.DataFrame, level_col: str, code_col: str, name_col: str, system_col: str,
                  issues: list[Issue]) -> pd.Series:
    """The unit system of each row's unit: as given; districts are old units; otherwise the system whose
    unit of that code has the name given; else the old units, said in an info line."""
    names = {unit: name_key(name) for unit, name in newest_unit_names(con).items()}
    out = []
    for _, r in rows.iterrows():
        given, level, code = r[system_col], r[level_col], r[code_col]
        if isinstance(given, str) and given in SYSTEMS:
            out.append(given)
            continue
        if level == "district":
            out.append(PRE)
            continue
        name = name_key(r[name_col]) if isinstance(r[name_col], str) else None
        fits = [s for s in SYSTEMS if name and names.get((s, level, code)) and
                (names[(s, level, code)] == name or names[(s, level, code)].endswith(" " + name))]
        if len(fits) == 1:
            out.append(fits[0])
        else:
            out.append(PRE)
            issues.append(Issue("info", "reference.system_assumed", int(r["excel_row"]), system_col, code))
    return pd.Series(out, index=rows.index, dtype=object)


def _check_units(con, rows: pd.DataFrame, issues: list[Issue]) -> None:
    for i, r in rows.iterrows():
        width = CODE_WIDTH.get(r["level"])
        code = str(r["code"]).strip()
        if width and is_digits(code):
            rows.at[i, "code"] = code.zfill(width)
    rows["system"] = _unit_systems(con, rows, "level", "code", "name", "system", issues)
    have = known_units(con)
    for _, r in rows.iterrows():
        if CODE_WIDTH.get(r["level"]) and (r["system"], r["level"], r["code"]) not in have:
            issues.append(Issue("error", "reference.unknown_unit", int(r["excel_row"]), "code", r["code"],
                                {"level_key": f"level.{r['level']}", "system_key": f"system.{r['system']}"}))


def validate_reference_bytes(con, kind: str, data: bytes, file_name: str, lang: str = "vi") -> ValidationReport:
    """Read and validate an attributes or targets file."""
    spec = REFERENCE_TABLES[kind]
    try:
        table = read_reference_table(data, file_name, spec)
    except ReadError as exc:
        return ValidationReport(file_name, None, [Issue("error", exc.key, params=exc.params)])
    return validate_reference(con, spec, table, lang)


def read_reference_table(data: bytes, file_name: str, spec: ReferenceTable) -> RawTable:
    """Reference files (CSV or XLSX) have their header on the first row; blank lines keep their
    numbers and a row with extra cells is kept as it is (its extra cells are ignored)."""
    import unicodedata

    from ntm.ingest.reading import csv_grid, decode, is_xlsx_upload, xlsx_grid

    if is_xlsx_upload(data, file_name):
        grid, enc, d, locale = xlsx_grid(data), None, None, "vi"
    else:
        text, enc = decode(data)
        text = unicodedata.normalize("NFC", text)
        if not text.strip():
            raise ReadError("read.empty")
        grid, d = csv_grid(text)                       # the same limits as a yearly file
        locale = "vi" if d == ";" else "en"
    if len(grid) < 2:
        raise ReadError("read.no_rows")
    headers = [" ".join(str(h).split()) for h in grid.iloc[0]]
    body = grid.iloc[1:].reset_index(drop=True)
    numbers = np.arange(2, len(body) + 2)
    keep = (body != "").any(axis=1).to_numpy()
    body, numbers = body[keep].reset_index(drop=True), numbers[keep]
    if body.empty:
        raise ReadError("read.no_rows")
    body.columns = range(len(headers))
    return RawTable(file_name, headers, body.apply(lambda c: c.str.strip()), numbers, enc, d, locale,
                    outside_formulas=grid.attrs.get("outside_formulas", []))


def preview_reference(con, kind: str, report: ValidationReport) -> pd.DataFrame:
    """Rows that are new, changed (with old values) or unchanged against the table."""
    spec = REFERENCE_TABLES[kind]
    current = reference_rows(con, spec.name, spec.columns)
    incoming = report.rows[list(spec.columns)]
    merged = incoming.merge(current, on=list(spec.keys), how="left", suffixes=("", "_old"), indicator=True)
    status = []
    for _, r in merged.iterrows():
        if r["_merge"] == "left_only":
            status.append("new")
            continue
        same = all((pd.isna(r[c]) and pd.isna(r[c + "_old"])) or str(r[c]) == str(r[c + "_old"])
                   for c in spec.columns if c not in spec.keys)
        status.append("unchanged" if same else "changed")
    return merged.assign(change=status).drop(columns=["_merge"])


def import_reference(con, kind: str, report: ValidationReport, *, user: str, checksum: str | None,
                     db_path=None) -> int:
    """Import a validated reference file as one batch (refused when it has errors)."""
    if report.errors or report.rows is None:
        raise ImportRefused("import.has_errors", report, n=len(report.errors))
    return replace_rows(con, REFERENCE_TABLES[kind], report.rows, file_name=report.file_name, checksum=checksum,
                        user=user, db_path=db_path)
