"""Uploading reference tables — unit attributes (mountainous, island, poor district, EM region) and
targets — through the same read → validate → preview → import path as yearly files.

An import replaces the rows with the same key (attributes: level + code; targets: target_id) and
keeps the replaced rows in `<table>_history` under the batch that replaced them, so `rollback`
restores them exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ntm.store.connection import transaction, write_lock
from ntm.domain.names import fold, header_key
from ntm.ingest.reading import RawTable, ReadError
from ntm.ingest.validation import Issue, ValidationReport, parse_numbers


@dataclass(frozen=True)
class ReferenceTable:
    """How one reference table is uploaded."""

    name: str                     # table in the database
    kind: str                     # batch kind
    keys: tuple[str, ...]
    columns: tuple[str, ...]      # in table order (without batch_id)
    required: tuple[str, ...]
    booleans: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()
    integers: tuple[str, ...] = ()
    choices: tuple[tuple[str, tuple[str, ...]], ...] = ()


ATTRIBUTES = ReferenceTable(
    "unit_attributes", "unit_attributes", ("level", "code"),
    ("level", "code", "name", "is_mountainous", "is_island", "is_poor_district", "em_region", "decision",
     "verified", "note"),
    required=("level", "code"),
    booleans=("is_mountainous", "is_island", "is_poor_district", "verified"),
    choices=(("level", ("province", "district", "commune")), ("em_region", ("I", "II", "III"))),
)
TARGETS = ReferenceTable(
    "targets", "targets", ("target_id",),
    ("target_id", "scope_level", "scope_code", "scope_name", "year", "metric", "level", "value_min", "value_max",
     "unit", "source_document", "verified", "note"),
    required=("target_id", "scope_level", "year", "metric", "value_min"),
    booleans=("verified",), numbers=("value_min", "value_max"), integers=("year",),
    choices=(("scope_level", ("national", "province", "district", "commune", "poor_districts", "ethnic_minority")),
             ("level", ("standard", "advanced", "model"))),
)
REFERENCE_TABLES = {t.kind: t for t in (ATTRIBUTES, TARGETS)}
_TRUE = {"true", "1", "x", "co", "yes", "dung"}
_FALSE = {"false", "0", "khong", "no", "sai"}
CODE_WIDTH = {"province": 2, "district": 3, "commune": 5}


def history_ddl(spec: ReferenceTable) -> str:
    """The table that keeps replaced rows of a reference table."""
    return (f"CREATE TABLE IF NOT EXISTS {spec.name}_history AS SELECT *, 0 AS replaced_by_batch "
            f"FROM {spec.name} WHERE FALSE")


def _bool(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    f = series.fillna("").map(fold)
    out = pd.Series(pd.NA, index=series.index, dtype="boolean")
    out[f.isin(_TRUE)] = True
    out[f.isin(_FALSE)] = False
    return out, f.ne("") & out.isna()


def validate_reference(con, spec: ReferenceTable, table: RawTable, lang: str = "vi") -> ValidationReport:
    """Check a reference file: required columns and cells, booleans, numbers, choices, known units."""
    issues: list[Issue] = []
    pos = {header_key(h): i for i, h in enumerate(table.headers)}
    found = {c: pos[header_key(c)] for c in spec.columns if header_key(c) in pos}
    for c in spec.required:
        if c not in found:
            issues.append(Issue("error", "col.missing", column=c, params={"column": c, "column_vi": c}))
    if any(i.key == "col.missing" for i in issues):
        return ValidationReport(table.file_name, None, issues)
    er = table.excel_rows
    rows = pd.DataFrame({"excel_row": er})
    for c in spec.columns:
        raw = table.frame[found[c]] if c in found else pd.Series([""] * len(table), dtype=object)
        head = table.headers[found[c]] if c in found else c
        if c in spec.required:
            for i in np.flatnonzero(raw.fillna("").str.strip().eq("").to_numpy()):
                issues.append(Issue("error", "value.required", int(er[i]), head, ""))
        if c in spec.booleans:
            values, bad = _bool(raw)
            issues += [Issue("error", "reference.boolean", int(er[i]), head, str(raw.iloc[i])) for i in np.flatnonzero(bad.to_numpy())]
        elif c in spec.numbers or c in spec.integers:
            values, bad = parse_numbers(raw, table.number_locale)
            issues += [Issue("error", "value.not_number", int(er[i]), head, str(raw.iloc[i])) for i in np.flatnonzero(bad.to_numpy())]
            if c in spec.integers:
                values = values.round().astype("Int64")
        else:
            values = raw.where(raw.fillna("").str.strip().ne(""), None)
        rows[c] = values
    for col, allowed in spec.choices:
        bad = rows[col].notna() & ~rows[col].isin(allowed)
        for i in np.flatnonzero(bad.to_numpy()):
            issues.append(Issue("error", "reference.choice", int(er[i]), col, str(rows[col].iloc[i]),
                                {"allowed": ", ".join(allowed)}))
    if spec is ATTRIBUTES:
        _check_units(con, rows, issues)          # pads codes first, so 2566 and 02566 are one key
    dup = rows.duplicated(list(spec.keys), keep=False)
    for i in np.flatnonzero(dup.to_numpy()):
        issues.append(Issue("error", "reference.duplicate", int(er[i]), spec.keys[-1], str(rows[spec.keys[-1]].iloc[i])))
    return ValidationReport(table.file_name, None, issues, rows)


def _check_units(con, rows: pd.DataFrame, issues: list[Issue]) -> None:
    known = con.cursor().execute("SELECT DISTINCT level, code FROM units").df()
    have = set(zip(known.level, known.code))
    for i, r in rows.iterrows():
        width = CODE_WIDTH.get(r["level"])
        code = str(r["code"]).strip()
        if width and code.isdigit():
            rows.at[i, "code"] = code = code.zfill(width)
        if width and (r["level"], code) not in have:
            issues.append(Issue("error", "reference.unknown_unit", int(r["excel_row"]), "code", code,
                                {"level_key": f"level.{r['level']}"}))


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

    from ntm.ingest.reading import _parse_csv_text, _trim_empty_columns, decode, is_xlsx_upload, sniff_delimiter, xlsx_grid

    if is_xlsx_upload(data, file_name):
        grid, enc, d, locale = xlsx_grid(data), None, None, "vi"
    else:
        text, enc = decode(data)
        text = unicodedata.normalize("NFC", text)
        if not text.strip():
            raise ReadError("read.empty")
        d = sniff_delimiter(text)
        grid, locale = _trim_empty_columns(_parse_csv_text(text, d).fillna("")), "vi" if d == ";" else "en"
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
    return RawTable(file_name, headers, body.apply(lambda c: c.str.strip()), numbers, enc, d, locale)


def preview_reference(con, kind: str, report: ValidationReport) -> pd.DataFrame:
    """Rows that are new, changed (with old values) or unchanged against the table."""
    spec = REFERENCE_TABLES[kind]
    cur = con.cursor()
    current = cur.execute(f"SELECT {', '.join(spec.columns)} FROM {spec.name}").df()
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
    """Replace the rows with the same keys as one batch, keeping the replaced rows for rollback."""
    from ntm.ingest.yearly import ImportRefused

    if report.errors or report.rows is None:
        raise ImportRefused("import.has_errors", report, n=len(report.errors))
    spec = REFERENCE_TABLES[kind]
    rows = report.rows[list(spec.columns)]
    keys = " AND ".join(f"t.{k} = i.{k}" for k in spec.keys)
    with write_lock(db_path):
        with transaction(con) as cur:
            cur.execute(history_ddl(spec))
            batch = cur.execute("SELECT nextval('batch_seq')").fetchall()[0][0]
            cur.register("incoming_ref", rows)
            cur.execute(f"INSERT INTO {spec.name}_history SELECT t.*, {batch} FROM {spec.name} t "
                        f"WHERE EXISTS (SELECT 1 FROM incoming_ref i WHERE {keys})")
            cur.execute(f"DELETE FROM {spec.name} t WHERE EXISTS (SELECT 1 FROM incoming_ref i WHERE {keys})")
            cur.execute(f"INSERT INTO {spec.name} ({', '.join(spec.columns)}, batch_id) "
                        f"SELECT {', '.join(spec.columns)}, {batch} FROM incoming_ref")
            cur.unregister("incoming_ref")
            cur.execute("INSERT INTO import_batches (batch_id, kind, file_name, checksum, imported_by, n_rows, "
                        "status, replaced_batch_ids) VALUES (?, ?, ?, ?, ?, ?, 'active', [])",
                        [batch, kind, report.file_name, checksum, user, len(rows)])
    return int(batch)


class RollbackBlocked(Exception):
    """A later batch replaced rows of this one: roll that one back first."""


def rollback_reference(cur, kind: str, batch_id: int) -> None:
    """Restore the rows a reference batch replaced (inside the caller's transaction)."""
    spec = REFERENCE_TABLES[kind]
    cur.execute(history_ddl(spec))
    later = cur.execute(f"SELECT count(*) FROM {spec.name}_history WHERE batch_id = ?", [batch_id]).fetchone()[0]
    if later:
        raise RollbackBlocked(batch_id)
    cur.execute(f"DELETE FROM {spec.name} WHERE batch_id = ?", [batch_id])
    cur.execute(f"INSERT INTO {spec.name} SELECT * EXCLUDE (replaced_by_batch) FROM {spec.name}_history "
                f"WHERE replaced_by_batch = ?", [batch_id])
    cur.execute(f"DELETE FROM {spec.name}_history WHERE replaced_by_batch = ?", [batch_id])
    cur.execute("UPDATE import_batches SET status = 'rolled_back' WHERE batch_id = ?", [batch_id])
