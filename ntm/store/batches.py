"""Versioned imports: every figure row belongs to an import batch; a newer batch supersedes the rows it
covers but keeps the older ones, and rolling a batch back restores exactly what was in force before.

    import_batches   batch_id | kind | year | file_name | checksum | imported_by | imported_at |
                     n_rows | status (active / superseded / rolled_back) | replaced_batch_ids | is_demo
    commune_year     … | batch_id | is_current      (key: year, commune_code)
    district_year    … | batch_id | is_current      (key: year, district_code)
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from ntm.errors import UnknownBatch
from ntm.store.connection import transaction, write_lock
from ntm.store.reference import REFERENCE_TABLES, rollback_reference

# Versioned table → the columns that identify one figure (one commune or district in one year, one
# uploaded polygon), and the rows that take part in versioning (schematic polygons never do).
FIGURE_TABLES: dict[str, tuple[str, ...]] = {
    "commune_year": ("year", "commune_code"),
    "district_year": ("year", "district_code"),
    "boundaries": ("system", "level", "code"),
}
VERSIONED_ROWS = {"boundaries": "NOT {t}is_schematic"}


def table_for_kind(kind: str) -> str:
    """The versioned table a batch kind writes to."""
    if kind.startswith("boundaries"):
        return "boundaries"
    return "district_year" if kind == "district_year" else "commune_year"


def _versioned(table: str, alias: str = "t") -> str:
    rule = VERSIONED_ROWS.get(table)
    return "TRUE" if rule is None else rule.format(t=f"{alias}." if alias else "")


def file_checksum(path: Path | str) -> str:
    """SHA-256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def frame_checksum(df: pd.DataFrame) -> str:
    """SHA-256 of a DataFrame's content (for generated batches that have no file)."""
    return hashlib.sha256(pd.util.hash_pandas_object(df, index=False).values.tobytes()).hexdigest()


def _table_columns(cur, table: str) -> list[str]:
    return [r[0] for r in cur.execute(f"SELECT column_name FROM information_schema.columns "
                                      f"WHERE table_name = '{table}' ORDER BY ordinal_position").fetchall()]


def add_batch(cur, table: str, rows: pd.DataFrame, *, kind: str, year: int | None, file_name: str,
              checksum: str, imported_by: str, is_demo: bool = False, note: str | None = None) -> int:
    """Insert `rows` into a figure table as a new batch inside the caller's transaction.

    Rows already in force for the same keys stop being current (they are kept); a batch left with no
    rows in force becomes `superseded`. Returns the new batch id.
    """
    keys = FIGURE_TABLES[table]
    batch_id = cur.execute("SELECT nextval('batch_seq')").fetchall()[0][0]
    cols = [c for c in _table_columns(cur, table) if c not in ("batch_id", "is_current") and c in rows.columns]
    frame = rows[cols]
    cur.register("incoming_rows", frame)
    key_match = " AND ".join(f"t.{k} = i.{k}" for k in keys)
    replaced = [r[0] for r in cur.execute(
        f"SELECT DISTINCT t.batch_id FROM {table} t JOIN incoming_rows i ON {key_match} "
        f"WHERE t.is_current AND {_versioned(table)} ORDER BY 1").fetchall()]
    cur.execute(f"UPDATE {table} t SET is_current = FALSE FROM incoming_rows i "
                f"WHERE {key_match} AND t.is_current AND {_versioned(table)}")
    cur.execute(f"INSERT INTO {table} ({', '.join(cols)}, batch_id, is_current) "
                f"SELECT {', '.join(cols)}, {int(batch_id)}, TRUE FROM incoming_rows")
    cur.unregister("incoming_rows")
    cur.execute("INSERT INTO import_batches (batch_id, kind, year, file_name, checksum, imported_by, n_rows, "
                "status, replaced_batch_ids, is_demo, note) VALUES (?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?)",
                [batch_id, kind, year, file_name, checksum, imported_by, len(frame), replaced, is_demo, note])
    _refresh_status(cur, replaced)
    return int(batch_id)


def _refresh_status(cur, batch_ids: list[int]) -> None:
    """Active while a batch has rows in force, superseded when none (rolled-back batches stay so)."""
    for b in batch_ids:
        (kind,) = cur.execute("SELECT kind FROM import_batches WHERE batch_id = ?", [b]).fetchone()
        table = table_for_kind(kind)
        (live,) = cur.execute(f"SELECT count(*) FROM {table} WHERE batch_id = ? AND is_current", [b]).fetchone()
        cur.execute("UPDATE import_batches SET status = CASE WHEN ? > 0 THEN 'active' ELSE 'superseded' END "
                    "WHERE batch_id = ? AND status != 'rolled_back'", [live, b])


def rollback_batch(cur, batch_id: int, user: str | None = None) -> list[int]:
    """Undo one batch inside the caller's transaction: its rows stop being in force and, for each key it
    covered, the newest row of a batch that is not rolled back is in force again; the batch records who
    undid it and when. Returns the batches whose rows came back."""
    row = cur.execute("SELECT kind, status FROM import_batches WHERE batch_id = ?", [batch_id]).fetchone()
    if row is None:
        raise UnknownBatch(batch_id)
    kind, status = row
    if status == "rolled_back":
        return []
    cur.execute("UPDATE import_batches SET rolled_back_at = current_timestamp, rolled_back_by = ? WHERE batch_id = ?",
                [user, batch_id])
    if kind in REFERENCE_TABLES:
        rollback_reference(cur, kind, batch_id)
        return []
    table = table_for_kind(kind)
    keys = ", ".join(FIGURE_TABLES[table])
    t_keys = ", ".join(f"t.{k}" for k in FIGURE_TABLES[table])
    cur.execute("UPDATE import_batches SET status = 'rolled_back' WHERE batch_id = ?", [batch_id])
    cur.execute(f"""
        CREATE OR REPLACE TEMP TABLE rollback_best AS
        SELECT {t_keys}, max(t.batch_id) FILTER (WHERE b.status != 'rolled_back') AS best
        FROM {table} t JOIN import_batches b USING (batch_id)
        WHERE ({t_keys}) IN (SELECT ({keys}) FROM {table} WHERE batch_id = ?) AND {_versioned(table)}
        GROUP BY {t_keys}""", [batch_id])
    match = " AND ".join(f"t.{k} = r.{k}" for k in FIGURE_TABLES[table])
    cur.execute(f"UPDATE {table} t SET is_current = (t.batch_id IS NOT DISTINCT FROM r.best) "
                f"FROM rollback_best r WHERE {match} AND {_versioned(table)}")
    restored = [r[0] for r in cur.execute("SELECT DISTINCT best FROM rollback_best WHERE best IS NOT NULL").fetchall()]
    cur.execute("DROP TABLE rollback_best")
    _refresh_status(cur, restored)
    return restored


def rollback(con, batch_id: int, db_path=None, user: str | None = None) -> list[int]:
    """Undo one batch under the database's write lock, in one transaction (nothing half-undone survives),
    recording `user` and the time. Returns the batches whose rows came back; UnknownBatch for an id that
    does not exist, RollbackBlocked when a later reference batch replaced its rows, and [] when it was
    already undone."""
    with write_lock(db_path):
        with transaction(con) as cur:
            return rollback_batch(cur, batch_id, user)


def batch_status(con, batch_id: int) -> str | None:
    """A batch's status (active / superseded / rolled_back), None when there is no such batch."""
    row = con.cursor().execute("SELECT status FROM import_batches WHERE batch_id = ?", [batch_id]).fetchone()
    return row[0] if row else None


def list_batches(cur) -> pd.DataFrame:
    """All import batches, newest first."""
    return cur.execute("SELECT batch_id, kind, year, file_name, checksum, imported_by, imported_at, n_rows, "
                       "status, replaced_batch_ids, is_demo, rolled_back_at, rolled_back_by FROM import_batches "
                       "ORDER BY batch_id DESC").df()
