"""Versioned imports: every figure row belongs to an import batch; a newer batch supersedes the rows it
covers but keeps the older ones, and rolling a batch back restores exactly what was in force before.

    import_batches   batch_id | kind | year | file_name | checksum | imported_by | imported_at |
                     n_rows | status (active / superseded / rolled_back) | replaced_batch_ids | is_demo |
                     unit_system
    commune_year     … | batch_id | is_current | superseded_by  (key: year, unit_id)
    district_year    … | batch_id | is_current                  (key: year, district_code)

A unit is a version (system + code + validity), so a commune row is keyed by its `unit_id`, never by a
bare code: the new Phường Cẩm Thành (21025 after 1 July 2025) does not replace the old commune that had
code 21025. A year's figures on one unit system also supersede the same area's figures on the other
(`supersede_other_system`: a 2025 file on the new units replaces the 2025 rows of the old communes whose
default successor it covers), so a year never counts the same households twice; those rows record the
batch in `superseded_by`, and rolling that batch back brings them back.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from ntm.domain.criteria import criteria_set_for_year
from ntm.domain.periods import poverty_standard_for_year
from ntm.errors import UnknownBatch
from ntm.store.access import authorize_batch, batch_provinces
from ntm.store.figures import refresh_figures
from ntm.store.keys import land, next_batch_id
from ntm.store.reference import REFERENCE_TABLES, rollback_reference

ACKNOWLEDGED_NOTE = "{n} warnings acknowledged"     # a yearly batch's note when the analyst acknowledged warnings

# Versioned table → the columns that identify one figure (one commune or district in one year, one
# uploaded polygon), and the rows that take part in versioning (schematic polygons never do).
FIGURE_TABLES: dict[str, tuple[str, ...]] = {
    "commune_year": ("year", "unit_id"),
    "district_year": ("year", "district_code"),
    "boundaries": ("system", "level", "code"),
}
# Uploaded boundaries replace each other; the shipped ones (no batch) stay under them, so undoing every
# upload of a unit brings its shipped polygon back (reads prefer an upload in force).
VERSIONED_ROWS = {"boundaries": "{t}batch_id IS NOT NULL"}


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
                                      f"WHERE table_name = '{table}' AND table_catalog = current_database() "
                                      f"ORDER BY ordinal_position").fetchall()]


def stamp_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """Commune rows with their unit system (from `unit_id`), and the criteria set and poverty standard
    of their year where the file did not say."""
    years = rows["year"].astype(int)
    given_set = rows["criteria_set"] if "criteria_set" in rows else pd.Series(None, index=rows.index, dtype=object)
    given_std = rows["poverty_standard"] if "poverty_standard" in rows else pd.Series(None, index=rows.index, dtype=object)
    sets = {y: criteria_set_for_year(y).key for y in years.unique()}          # once per year, not per row
    standards = {y: poverty_standard_for_year(y) for y in years.unique()}
    return rows.assign(unit_system=rows["unit_id"].str.split(":").str[0],
                       criteria_set=given_set.fillna(years.map(sets)),
                       poverty_standard=given_std.fillna(years.map(standards)))


def add_batch(cur, table: str, rows: pd.DataFrame, *, kind: str, year: int | None, file_name: str,
              checksum: str, imported_by: str, is_demo: bool = False, note: str | None = None) -> int:
    """Insert `rows` into a figure table as a new batch inside the caller's transaction.

    Rows already in force for the same keys stop being current (they are kept); a batch left with no
    rows in force becomes `superseded`. Returns the new batch id.
    """
    keys = FIGURE_TABLES[table]
    batch_id = next_batch_id(cur)
    system = None
    if table == "commune_year":
        rows = stamp_rows(rows)
        system = rows["unit_system"].iloc[0] if len(rows) else None
    cols = [c for c in _table_columns(cur, table)
            if c not in ("batch_id", "is_current", "superseded_by") and c in rows.columns]
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
    if table == "commune_year":
        replaced = sorted(set(replaced) | set(supersede_other_system(cur, batch_id)))
    rows_system, provinces = batch_provinces(cur, batch_id, kind)
    system = system or rows_system
    cur.execute("INSERT INTO import_batches (batch_id, kind, year, file_name, checksum, imported_by, n_rows, "
                "status, replaced_batch_ids, is_demo, note, unit_system, provinces) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?, ?, ?)",
                [batch_id, kind, year, file_name, checksum, imported_by, len(frame), replaced, is_demo, note, system,
                 provinces])
    _refresh_status(cur, replaced)
    if table == "commune_year":
        refresh_figures(cur, _years(cur, batch_id))
    return int(batch_id)


def _years(cur, batch_id: int) -> list[int]:
    return [r[0] for r in cur.execute("SELECT DISTINCT year FROM commune_year WHERE batch_id = ?", [batch_id]).fetchall()]


# The rows of the other unit system that a batch's rows cover, in the batch's year: for a batch on the
# new units, the old communes whose figures go to one of its communes (default successor or stated
# weight); for a batch on the old units, the new communes its communes' figures go to.
_COVERED = {
    "post2025": """SELECT t.rowid FROM commune_year t WHERE t.is_current AND t.unit_system = 'pre2025'
        AND t.year = (SELECT any_value(year) FROM commune_year WHERE batch_id = $batch)
        AND t.unit_id IN (SELECT m.pre_unit_id FROM unit_map m JOIN commune_year n ON n.commune_code = m.post_code
                          WHERE n.batch_id = $batch)""",
    "pre2025": """SELECT t.rowid FROM commune_year t WHERE t.is_current AND t.unit_system = 'post2025'
        AND t.year = (SELECT any_value(year) FROM commune_year WHERE batch_id = $batch)
        AND t.commune_code IN (SELECT m.post_code FROM unit_map m JOIN commune_year n ON n.unit_id = m.pre_unit_id
                               WHERE n.batch_id = $batch)""",
}


def _covered_sql(cur, batch_id: int) -> str:
    row = cur.execute("SELECT any_value(unit_system) FROM commune_year WHERE batch_id = ?", [batch_id]).fetchone()
    return _COVERED.get(row[0] if row else None, "SELECT NULL WHERE FALSE")


def supersede_other_system(cur, batch_id: int) -> list[int]:
    """Take out of force the other system's rows that a new batch covers (recording the batch in
    `superseded_by`); returns the batches they came from."""
    covered = _covered_sql(cur, batch_id)
    hit = [r[0] for r in cur.execute(f"SELECT DISTINCT batch_id FROM commune_year WHERE rowid IN ({covered}) "
                                     f"ORDER BY 1", {"batch": batch_id}).fetchall()]
    if hit:
        cur.execute(f"UPDATE commune_year SET is_current = FALSE, superseded_by = $batch WHERE rowid IN ({covered})",
                    {"batch": batch_id})
    return hit


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
        if kind == "unit_attributes":
            refresh_figures(cur)
        return []
    table = table_for_kind(kind)
    keys = ", ".join(FIGURE_TABLES[table])
    t_keys = ", ".join(f"t.{k}" for k in FIGURE_TABLES[table])
    cur.execute("UPDATE import_batches SET status = 'rolled_back' WHERE batch_id = ?", [batch_id])
    cur.execute(f"""
        CREATE OR REPLACE TEMP TABLE rollback_best AS
        SELECT {t_keys}, max(t.batch_id) FILTER (WHERE b.status != 'rolled_back' AND {_not_covered(table)}) AS best
        FROM {table} t JOIN import_batches b USING (batch_id)
        WHERE ({t_keys}) IN (SELECT ({keys}) FROM {table} WHERE batch_id = ?) AND {_versioned(table)}
        GROUP BY {t_keys}""", [batch_id])
    match = " AND ".join(f"t.{k} = r.{k}" for k in FIGURE_TABLES[table])
    cur.execute(f"UPDATE {table} t SET is_current = (t.batch_id IS NOT DISTINCT FROM r.best) "
                f"FROM rollback_best r WHERE {match} AND {_versioned(table)}")
    restored = [r[0] for r in cur.execute("SELECT DISTINCT best FROM rollback_best WHERE best IS NOT NULL").fetchall()]
    cur.execute("DROP TABLE rollback_best")
    if table == "commune_year":
        restored = sorted(set(restored) | set(_restore_covered(cur, batch_id)))
        refresh_figures(cur, _years(cur, batch_id))
    _refresh_status(cur, restored)
    return restored


def _not_covered(table: str) -> str:
    """Rows not taken out of force by a batch on the other unit system that is still in force."""
    if table != "commune_year":
        return "TRUE"
    return ("(t.superseded_by IS NULL OR t.superseded_by IN "
            "(SELECT batch_id FROM import_batches WHERE status = 'rolled_back'))")


def _restore_covered(cur, batch_id: int) -> list[int]:
    """Put back in force the other system's rows a rolled-back batch had covered, unless a row for the
    same unit and year is in force again; returns their batches."""
    cur.execute("""UPDATE commune_year t SET is_current = TRUE, superseded_by = NULL
                   WHERE t.superseded_by = ?
                     AND t.batch_id NOT IN (SELECT batch_id FROM import_batches WHERE status = 'rolled_back')
                     AND NOT EXISTS (SELECT 1 FROM commune_year c WHERE c.is_current AND c.year = t.year
                                     AND c.unit_id = t.unit_id)""", [batch_id])
    return [r[0] for r in cur.execute("""SELECT DISTINCT batch_id FROM commune_year
                                         WHERE is_current AND batch_id IN (SELECT unnest(replaced_batch_ids)
                                         FROM import_batches WHERE batch_id = ?)""", [batch_id]).fetchall()]


def landed_over(cur, since: int, kind: str, year: int | None, codes: list[str]) -> tuple | None:
    """(batch id, file name, who) of a batch of `kind` and `year` newer than `since` whose figures cover
    any of the communes `codes`; None when there is none."""
    table = table_for_kind(kind)
    return cur.execute(f"""SELECT b.batch_id, b.file_name, b.imported_by FROM import_batches b
                           WHERE b.batch_id > ? AND b.kind = ? AND b.year IS NOT DISTINCT FROM ?
                             AND EXISTS (SELECT 1 FROM {table} f WHERE f.batch_id = b.batch_id
                                         AND f.commune_code IN (SELECT unnest(?)))
                           ORDER BY b.batch_id LIMIT 1""", [since, kind, year, codes]).fetchone()


def rollback(con, batch_id: int, db_path=None, user: str | None = None) -> list[int]:
    """Undo one batch under the database's write lock, in one transaction (nothing half-undone survives),
    recording `user` and the time. Returns the batches whose rows came back; UnknownBatch for an id that
    does not exist, NotPermitted when `user` may not change its provinces or its kind (`ntm.store.access`),
    RollbackBlocked when a later reference batch replaced its rows, and [] when it was already undone."""
    def write(cur):
        authorize_batch(cur, user, batch_id)
        return rollback_batch(cur, batch_id, user)
    return land(con, write, db_path)


def batch_status(con, batch_id: int) -> str | None:
    """A batch's status (active / superseded / rolled_back), None when there is no such batch."""
    row = con.cursor().execute("SELECT status FROM import_batches WHERE batch_id = ?", [batch_id]).fetchone()
    return row[0] if row else None


def list_batches(cur) -> pd.DataFrame:
    """All import batches, newest first."""
    return cur.execute("SELECT batch_id, kind, year, file_name, checksum, imported_by, imported_at, n_rows, "
                       "status, replaced_batch_ids, is_demo, rolled_back_at, rolled_back_by, unit_system, provinces "
                       "FROM import_batches "
                       "ORDER BY batch_id DESC").df()
