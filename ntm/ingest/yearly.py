"""The analyst's path for a yearly commune file: read → validate → preview → import (one transaction).

Nothing is written before `import_report`; an import with errors, or with warnings that were not
acknowledged, writes nothing. Imports are serialised by the database's write lock.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ntm.domain.columns import BY_NAME, FIGURE_COLUMNS
from ntm.domain.criteria import QD51
from ntm.errors import ImportRefused, ReadError
from ntm.ingest.reading import RawTable, read_table
from ntm.ingest.systems import check_set, detect_system, resolve_criteria_set, resolve_poverty_standard
from ntm.ingest.validation import (Issue, ValidationReport, check_against_last_year, check_groups, check_rows,
                                   check_units, dropped_issues, formula_issues, map_columns, missing_required,
                                   parse_rows)
from ntm.read.imports import (batch_in_force_with, communes_with_figures, covered_elsewhere, figures_in_force,
                              previous_year, unit_regions)
from ntm.read.units import attach_units
from ntm.domain.roles import FIGURES
from ntm.store.access import authorize
from ntm.store.batches import ACKNOWLEDGED_NOTE, add_batch, landed_over
from ntm.store.keys import land


def validate_table(con, table: RawTable, year: int | None = None, lang: str = "vi") -> ValidationReport:
    """Validate a table already read from a file; the report carries the rows ready to import. Cells
    whose values came from outside the workbook are warned about last."""
    issues: list[Issue] = dropped_issues(table)
    found = map_columns(table, issues)
    report = _checked(con, table, year, lang, issues, found)
    report.issues += formula_issues(table, found.values())
    return report


def _checked(con, table: RawTable, year: int | None, lang: str, issues: list[Issue],
             found: dict[str, int]) -> ValidationReport:
    """The checks of the file's columns and rows, then against the units and the year before."""
    issues += missing_required(found, year)
    header = {name: table.headers[pos] for name, pos in found.items()}
    rows, year = parse_rows(table, found, year, issues)
    report = ValidationReport(table.file_name, year, issues, None, header)
    if year is None or any(i.key in ("col.missing", "col.duplicate") for i in issues):
        return report
    rows["year"] = year
    cset = resolve_criteria_set(rows, header, year, issues)
    system, reported = detect_system(con, rows, header, year, issues)
    check_set(rows, header, cset, system, issues)
    check_rows(rows, header, issues, lang, cset)
    rows = attach_units(con, rows, system)
    check_units(rows, header, year, issues, system, reported)
    codes = rows["commune_code"].dropna().tolist()
    check_against_last_year(rows, previous_year(con, year, codes, system), header, issues, lang, cset)
    if cset.key == QD51 and "commune_group" in header:
        check_groups(rows, unit_regions(con, codes, system), header, issues)
    rows["criteria_set"] = cset.key
    rows["poverty_standard"] = resolve_poverty_standard(rows, header, year, system, issues)
    report.rows, report.system, report.criteria_set = rows, system, cset.key
    return report


def validate_bytes(con, data: bytes, file_name: str, year: int | None = None, lang: str = "vi") -> ValidationReport:
    """Read and validate an uploaded file; unreadable files give a report with one error."""
    try:
        table = read_table(data, file_name)
    except ReadError as exc:
        return ValidationReport(file_name, year, [Issue("error", exc.key, params=exc.params)])
    report = validate_table(con, table, year, lang)
    report.checksum = hashlib.sha256(data).hexdigest()
    same = batch_in_force_with(con, "commune_year", report.year, report.checksum) if report.year else None
    if same is not None:                 # the same file again: a warning, so the import asks first
        report.issues.append(Issue("warning", "import.same_file", params={"batch": same, "year": report.year}))
    return report


def validate_path(con, path: Path | str, year: int | None = None, lang: str = "vi") -> ValidationReport:
    """Read and validate a file on disk."""
    path = Path(path)
    return validate_bytes(con, path.read_bytes(), path.name, year, lang)


# ---------------------------------------------------------------------------------------------
# Preview

@dataclass
class Preview:
    """What an import would change for its year."""

    new: pd.DataFrame          # communes not in force for that year yet
    changed: pd.DataFrame      # commune_code, column, old, new
    unchanged: pd.DataFrame    # communes whose figures are identical
    missing: pd.DataFrame      # communes of the same provinces present last year, absent from the file
    replaced: pd.DataFrame     # the same year's rows on the other unit system this file takes over


def _typed(rows: pd.DataFrame, number: str) -> pd.DataFrame:
    """The figure columns as their kind stores them: flags as booleans, words as text, numbers as `number`
    (`Int64` for whole numbers where a frame is written, float where two are compared)."""
    out = rows.copy()
    for c in FIGURE_COLUMNS:
        kind = BY_NAME[c].kind
        if kind == "flag":
            out[c] = out[c].astype("boolean")
        elif kind in ("status", "choice", "set"):
            out[c] = out[c].astype("string")
        elif kind == "int" and number == "Int64":
            out[c] = pd.to_numeric(out[c], errors="coerce").round().astype("Int64")
        else:
            out[c] = pd.to_numeric(out[c], errors="coerce").astype(float)
    return out


def _comparable(df: pd.DataFrame) -> pd.DataFrame:
    return _typed(df[["commune_code", *FIGURE_COLUMNS]], "float").set_index("commune_code")


def preview(con, report: ValidationReport) -> Preview:
    """Compare a validated file with the figures in force for its year."""
    rows = report.rows
    current = figures_in_force(con, report.year, FIGURE_COLUMNS, report.system)
    last = communes_with_figures(con, report.year - 1, rows["province_code"].dropna().unique().tolist(),
                                 report.system)
    incoming = _comparable(rows.dropna(subset=["commune_code"]))
    existing = _comparable(current) if len(current) else incoming.iloc[0:0]
    both = incoming.index.intersection(existing.index)
    new = rows[~rows["commune_code"].isin(existing.index)][["excel_row", "commune_code", "unit_name"]]
    a, b = existing.loc[both], incoming.loc[both]
    diff = ~((a == b) | (a.isna() & b.isna())).fillna(False)
    changes = []
    for code, col in zip(*[diff.index[diff.to_numpy().nonzero()[0]], diff.columns[diff.to_numpy().nonzero()[1]]]):
        changes.append((code, col, a.at[code, col], b.at[code, col]))
    changed = pd.DataFrame(changes, columns=["commune_code", "column", "old", "new"])
    unchanged_codes = diff.index[~diff.any(axis=1)]
    missing = last[~last["commune_code"].isin(rows["commune_code"])]
    replaced = covered_elsewhere(con, report.year, rows["commune_code"].dropna().tolist(), report.system)
    return Preview(new.reset_index(drop=True), changed, pd.DataFrame({"commune_code": unchanged_codes}),
                   missing.reset_index(drop=True), replaced)


# ---------------------------------------------------------------------------------------------
# Import

def import_report(con, report: ValidationReport, *, user: str, accept_warnings: bool = False,
                  db_path: Path | str | None = None) -> int:
    """Write a validated file as one batch in one transaction; refuses on errors or unacknowledged
    warnings, and NotPermitted when `user` may not change the file's provinces (nothing is written).
    Returns the batch id."""
    if report.errors or report.rows is None:
        raise ImportRefused("import.has_errors", report, n=len(report.errors))
    if report.warnings and not accept_warnings:
        raise ImportRefused("import.needs_ack", report, n=len(report.warnings))
    rows = _typed(report.rows, "Int64")
    codes = sorted(rows["commune_code"].astype(str).unique())

    def clash(cur, since: int) -> None:
        other = landed_over(cur, since, "commune_year", report.year, codes)
        if other is not None:
            raise ImportRefused("import.clash", report, year=report.year, batch=other[0], other_file=other[1],
                                user=other[2])

    def write(cur) -> int:
        authorize(cur, user, FIGURES, report.system, report_provinces(report))
        return add_batch(cur, "commune_year", rows, kind="commune_year", year=report.year, file_name=report.file_name,
                         checksum=report.checksum, imported_by=user,
                         note=ACKNOWLEDGED_NOTE.format(n=len(report.warnings)) if report.warnings else None)

    return land(con, write, db_path, clash)


def report_provinces(report: ValidationReport) -> list[str]:
    """The provinces (of the file's unit system) whose communes a validated file reports."""
    return sorted(report.rows["province_code"].dropna().astype(str).unique()) if report.rows is not None else []
