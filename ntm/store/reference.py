"""Reference tables — unit attributes (mountainous, island, poor district, EM region) and targets — and
how an upload replaces their rows: the rows with the same key are replaced and kept in
`<table>_history` under the batch that replaced them, so a rollback restores them exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ntm.domain.rules import STATUS_LADDER
from ntm.domain.targets import TARGET_KINDS
from ntm.domain.units import EM_REGIONS, LEVELS, SYSTEMS
from ntm.errors import NotPermitted, RollbackBlocked
from ntm.store.access import batch_provinces, provinces_of_units, refusal
from ntm.store.figures import refresh_figures
from ntm.store.keys import land, next_batch_id


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
    "unit_attributes", "unit_attributes", ("system", "level", "code"),
    ("system", "level", "code", "name", "is_mountainous", "is_island", "is_poor_district", "em_region", "decision",
     "verified", "note"),
    required=("level", "code"),
    booleans=("is_mountainous", "is_island", "is_poor_district", "verified"),
    choices=(("system", SYSTEMS), ("level", LEVELS), ("em_region", EM_REGIONS)),
)
TARGETS = ReferenceTable(
    "targets", "targets", ("target_id",),
    ("target_id", "scope_level", "scope_code", "scope_name", "year", "metric", "level", "value_min", "value_max",
     "unit", "source_document", "verified", "note", "scope_system"),
    required=("target_id", "scope_level", "year", "metric", "value_min"),
    booleans=("verified",), numbers=("value_min", "value_max"), integers=("year",),
    choices=(("scope_level", ("national", "province", "district", "commune", "poor_districts", "ethnic_minority")),
             ("metric", tuple(TARGET_KINDS)), ("level", STATUS_LADDER[1:]), ("scope_system", SYSTEMS)),
)
REFERENCE_TABLES = {t.kind: t for t in (ATTRIBUTES, TARGETS)}


def history_ddl(spec: ReferenceTable) -> str:
    """The table that keeps replaced rows of a reference table (made with the schema; migration 2)."""
    return (f"CREATE TABLE IF NOT EXISTS {spec.name}_history AS SELECT *, 0 AS replaced_by_batch "
            f"FROM {spec.name} WHERE FALSE")


def replace_rows(con, spec: ReferenceTable, rows: pd.DataFrame, *, file_name: str, checksum: str | None,
                 user: str, db_path=None) -> int:
    """Replace the rows with the same keys as one batch (in one transaction, under the write lock),
    keeping the replaced rows for rollback. Returns the batch id."""
    rows = rows[list(spec.columns)]
    keys = " AND ".join(f"t.{k} = i.{k}" for k in spec.keys)

    def write(cur) -> int:
        authorize_rows(cur, spec, rows, user)
        batch = next_batch_id(cur)
        cur.register("incoming_ref", rows)
        cur.execute(f"INSERT INTO {spec.name}_history BY NAME SELECT t.*, {batch} AS replaced_by_batch FROM {spec.name} t "
                    f"WHERE EXISTS (SELECT 1 FROM incoming_ref i WHERE {keys})")
        cur.execute(f"DELETE FROM {spec.name} t WHERE EXISTS (SELECT 1 FROM incoming_ref i WHERE {keys})")
        cur.execute(f"INSERT INTO {spec.name} ({', '.join(spec.columns)}, batch_id) "
                    f"SELECT {', '.join(spec.columns)}, {batch} FROM incoming_ref")
        cur.unregister("incoming_ref")
        system, provinces = batch_provinces(cur, batch, spec.kind)
        cur.execute("INSERT INTO import_batches (batch_id, kind, file_name, checksum, imported_by, n_rows, "
                    "status, replaced_batch_ids, unit_system, provinces) VALUES (?, ?, ?, ?, ?, ?, 'active', [], ?, ?)",
                    [batch, spec.kind, file_name, checksum, user, len(rows), system, provinces])
        if spec.name == "unit_attributes":
            refresh_figures(cur)
        return batch

    return int(land(con, write, db_path))


def rows_refusal(cur, spec: ReferenceTable, rows: pd.DataFrame, user: str) -> NotPermitted | None:
    """Why `user` may not replace these rows, or None: targets are a coordinator's; unit attributes the
    analyst's of every province they touch (on each unit system)."""
    if spec.name != "unit_attributes":
        return refusal(cur, user, spec.kind)
    for (system, level), group in rows.groupby(["system", "level"], dropna=False):
        refused = refusal(cur, user, spec.kind, system, provinces_of_units(cur, system, level, group["code"]))
        if refused is not None:
            return refused
    return None


def authorize_rows(cur, spec: ReferenceTable, rows: pd.DataFrame, user: str) -> None:
    """NotPermitted unless `user` may replace these rows (`rows_refusal`)."""
    refused = rows_refusal(cur, spec, rows, user)
    if refused is not None:
        raise refused


def rollback_reference(cur, kind: str, batch_id: int) -> None:
    """Restore the rows a reference batch replaced (inside the caller's transaction)."""
    spec = REFERENCE_TABLES[kind]
    later = cur.execute(f"SELECT count(*) FROM {spec.name}_history WHERE batch_id = ?", [batch_id]).fetchone()[0]
    if later:
        raise RollbackBlocked(batch_id)
    cur.execute(f"DELETE FROM {spec.name} WHERE batch_id = ?", [batch_id])
    cur.execute(f"INSERT INTO {spec.name} BY NAME SELECT * EXCLUDE (replaced_by_batch) FROM {spec.name}_history "
                f"WHERE replaced_by_batch = ?", [batch_id])
    cur.execute(f"DELETE FROM {spec.name}_history WHERE replaced_by_batch = ?", [batch_id])
    cur.execute("UPDATE import_batches SET status = 'rolled_back' WHERE batch_id = ?", [batch_id])
