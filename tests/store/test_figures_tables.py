"""The figures every read sees are kept as tables (`figures_old`, `figures_new`): after an import, a
rollback or a reference upload they hold exactly what the rows in force give, in both geographies."""

from __future__ import annotations

import pandas as pd

from ntm.store.batches import add_batch, frame_checksum, rollback
from ntm.store.connection import transaction
from ntm.store.figures import TABLES, relation_sql
from ntm.store.reference import ATTRIBUTES, replace_rows


def _same_as_rows_in_force(con) -> None:
    # Income is a weighted mean: summed in any order, it may differ in the last bits.
    cols = "* EXCLUDE (income_per_capita), round(income_per_capita, 6)"
    for geo, table in TABLES.items():
        ours, truth = f"SELECT {cols} FROM {table}", f"SELECT {cols} FROM {relation_sql(geo)} f"
        stale = con.execute(f"SELECT count(*) FROM ({ours} EXCEPT ALL {truth})").fetchone()[0]
        missing = con.execute(f"SELECT count(*) FROM ({truth} EXCEPT ALL {ours})").fetchone()[0]
        assert (stale, missing) == (0, 0), geo


def _households(con, geo: str, year: int, code: str):
    return con.execute(f"SELECT households FROM {TABLES[geo]} WHERE year = ? AND commune_code = ?",
                       [year, code]).fetchone()[0]


def test_an_import_and_its_rollback_show_at_once_in_both_geographies(wcon, writable_db):
    _same_as_rows_in_force(wcon)
    rows = wcon.execute("""SELECT * EXCLUDE (batch_id, is_current, superseded_by) FROM commune_year
                           WHERE is_current AND year = 2024 AND district_code = '611'""").df()
    code = rows["commune_code"].iloc[0]
    old_new = _households(wcon, "new", 2024, wcon.execute(
        "SELECT post_code FROM unit_map WHERE pre_code = ? LIMIT 1", [code]).fetchone()[0])
    before = _households(wcon, "old", 2024, code)
    rows["households"] = rows["households"] + 100
    with transaction(wcon) as cur:
        batch = add_batch(cur, "commune_year", rows, kind="commune_year", year=2024, file_name="more.csv",
                          checksum=frame_checksum(rows), imported_by="analyst")
    _same_as_rows_in_force(wcon)
    assert _households(wcon, "old", 2024, code) == before + 100
    post = wcon.execute("SELECT post_code FROM unit_map WHERE pre_code = ? LIMIT 1", [code]).fetchone()[0]
    assert _households(wcon, "new", 2024, post) > old_new          # the merged commune sums the new row
    rollback(wcon, batch, writable_db, user="cli:analyst")
    _same_as_rows_in_force(wcon)
    assert _households(wcon, "old", 2024, code) == before


def test_an_attribute_upload_and_its_rollback_refresh_the_flags(wcon, writable_db):
    code = wcon.execute("SELECT commune_code FROM figures_old WHERE year = 2024 AND NOT is_mountainous "
                        "LIMIT 1").fetchone()[0]
    row = pd.DataFrame([{c: None for c in ATTRIBUTES.columns}])
    row[["system", "level", "code", "name", "is_mountainous"]] = ["pre2025", "commune", code, "x", True]
    batch = replace_rows(wcon, ATTRIBUTES, row, file_name="attrs.csv", checksum=None, user="cli:analyst",
                         db_path=writable_db)
    _same_as_rows_in_force(wcon)
    assert wcon.execute("SELECT bool_and(is_mountainous) FROM figures_old WHERE commune_code = ?", [code]).fetchone()[0]
    rollback(wcon, batch, writable_db, user="cli:analyst")
    _same_as_rows_in_force(wcon)
    assert not wcon.execute("SELECT bool_or(is_mountainous) FROM figures_old WHERE commune_code = ?", [code]).fetchone()[0]
