"""Versioned imports (ntm.batches) on a private copy of the demo database.

What a user relies on: a new file for a year replaces the figures of the communes it covers and no
others; nothing is deleted; undoing an import puts back exactly what was in force before; and an import
that fails half-way leaves the database as it was.
"""

from __future__ import annotations

import pandas as pd
import pytest

from ntm.domain.columns import FIGURE_COLUMNS
from ntm.domain.units import PRE
from ntm.read.units import attach_units
from ntm.store.batches import add_batch, frame_checksum, list_batches, rollback_batch
from ntm.store.connection import connect, transaction

YEAR = 2024
KON_TUM = "62"


@pytest.fixture
def con(wcon):
    return wcon


def in_force(con) -> pd.DataFrame:
    """Every commune row in force, in a stable order (batch ids included)."""
    return con.cursor().execute(
        "SELECT * FROM commune_year WHERE is_current ORDER BY year, commune_code").df().reset_index(drop=True)


def all_rows(con) -> pd.DataFrame:
    return con.cursor().execute(
        "SELECT * FROM commune_year ORDER BY batch_id, year, commune_code").df().reset_index(drop=True)


def batches(con) -> pd.DataFrame:
    return con.cursor().execute("SELECT batch_id, kind, year, status, replaced_batch_ids, is_demo, n_rows "
                                "FROM import_batches ORDER BY batch_id").df()


def batch_status(con, batch_id: int) -> str:
    return con.cursor().execute("SELECT status FROM import_batches WHERE batch_id = ?", [batch_id]).fetchone()[0]


def demo_batch_for(con, year: int) -> int:
    (b,) = con.cursor().execute("SELECT batch_id FROM import_batches WHERE kind = 'commune_year' AND year = ? "
                                "AND is_demo", [year]).fetchone()
    return int(b)


def upload(con, codes: list[str], year: int = YEAR, poor_delta: int = -1) -> pd.DataFrame:
    """An analyst's corrected file for some communes: the figures in force with poor households changed."""
    cur = con.cursor()
    cols = ", ".join(("year", "commune_code", "poverty_standard") + FIGURE_COLUMNS)
    df = cur.execute(f"SELECT {cols} FROM commune_year WHERE is_current AND year = ? AND commune_code IN ? "
                     "ORDER BY commune_code", [year, codes]).df()
    assert len(df) == len(codes)
    df["poor_households"] = (df["poor_households"] + poor_delta).clip(lower=0)
    df["escaped_poverty"] = df["escaped_poverty"] - poor_delta       # keep the flow identity
    return df


def import_file(con, df: pd.DataFrame, year: int = YEAR, name: str = "upload.csv") -> int:
    with transaction(con) as cur:
        rows = attach_units(cur, df, PRE)
        assert rows.unit_id.notna().all()
        return add_batch(cur, "commune_year", rows, kind="commune_year", year=year, file_name=name,
                         checksum=frame_checksum(df), imported_by="test")


def rollback(con, batch_id: int) -> list[int]:
    with transaction(con) as cur:
        return rollback_batch(cur, batch_id)


@pytest.fixture
def kon_tum_codes(con) -> list[str]:
    """Five Kon Tum communes with poor households in the test year (so a correction is visible)."""
    codes = con.cursor().execute(
        "SELECT commune_code FROM commune_year WHERE is_current AND year = ? AND province_code = ? "
        "AND poor_households > 0 ORDER BY commune_code LIMIT 5", [YEAR, KON_TUM]).df().commune_code.tolist()
    assert len(codes) == 5
    return codes


# ---------------------------------------------------------------------------------------------

def test_new_batch_supersedes_only_the_communes_it_covers(con, kon_tum_codes):
    before = in_force(con)
    demo_id = demo_batch_for(con, YEAR)
    upload_df = upload(con, kon_tum_codes)
    new_id = import_file(con, upload_df)
    after = in_force(con)

    covered = (after.year == YEAR) & after.commune_code.isin(kon_tum_codes)
    # The covered communes now show the new file's figures, from the new batch.
    assert (after.loc[covered, "batch_id"] == new_id).all()
    got = after.loc[covered].set_index("commune_code").poor_households
    want = upload_df.set_index("commune_code").poor_households
    assert (got.sort_index() == want.sort_index()).all()
    # Every other row in force is untouched (same values, same batch).
    pd.testing.assert_frame_equal(
        before[~((before.year == YEAR) & before.commune_code.isin(kon_tum_codes))].reset_index(drop=True),
        after[~covered].reset_index(drop=True))
    assert len(after) == len(before)

    # The replaced demo rows are kept, no longer in force.
    kept = all_rows(con)
    kept = kept[(kept.batch_id == demo_id) & kept.commune_code.isin(kon_tum_codes)]
    assert len(kept) == len(kon_tum_codes)
    assert not kept.is_current.any()
    old = before[(before.year == YEAR) & before.commune_code.isin(kon_tum_codes)].reset_index(drop=True)
    pd.testing.assert_frame_equal(kept.drop(columns="is_current").reset_index(drop=True),
                                  old.drop(columns="is_current"))

    b = batches(con).set_index("batch_id")
    assert list(b.loc[new_id, "replaced_batch_ids"]) == [demo_id]
    assert b.loc[new_id, "status"] == "active" and not b.loc[new_id, "is_demo"]
    assert b.loc[new_id, "n_rows"] == len(kon_tum_codes)
    assert b.loc[demo_id, "status"] == "active"          # still in force for the other communes
    assert list_batches(con.cursor()).batch_id.iloc[0] == new_id    # newest first


def test_batch_covering_a_whole_year_supersedes_the_demo_batch(con):
    demo_id = demo_batch_for(con, 2023)
    codes = con.cursor().execute("SELECT commune_code FROM commune_year WHERE is_current AND year = 2023"
                                 ).df().commune_code.tolist()
    new_id = import_file(con, upload(con, codes, year=2023, poor_delta=0), year=2023)
    assert batch_status(con, demo_id) == "superseded"
    assert batch_status(con, new_id) == "active"
    # Other years are still the demo's.
    other = in_force(con)
    assert (other.loc[other.year == 2022, "batch_id"] == demo_batch_for(con, 2022)).all()


def test_rollback_restores_exactly_the_rows_in_force_before(con, kon_tum_codes):
    before_force, before_all, before_batches = in_force(con), all_rows(con), batches(con)
    demo_id = demo_batch_for(con, YEAR)
    new_id = import_file(con, upload(con, kon_tum_codes))
    assert not in_force(con).equals(before_force)

    restored = rollback(con, new_id)
    assert restored == [demo_id]
    pd.testing.assert_frame_equal(in_force(con), before_force)
    # The rolled-back rows are kept for the record, not in force.
    rows = all_rows(con)
    pd.testing.assert_frame_equal(rows[rows.batch_id != new_id].reset_index(drop=True), before_all)
    assert len(rows[rows.batch_id == new_id]) == len(kon_tum_codes)
    assert not rows.loc[rows.batch_id == new_id, "is_current"].any()
    b = batches(con).set_index("batch_id")
    assert b.loc[new_id, "status"] == "rolled_back"
    pd.testing.assert_frame_equal(batches(con)[batches(con).batch_id != new_id].reset_index(drop=True),
                                  before_batches)


def test_rolling_back_twice_is_a_no_op(con, kon_tum_codes):
    new_id = import_file(con, upload(con, kon_tum_codes))
    rollback(con, new_id)
    force, everything, b = in_force(con), all_rows(con), batches(con)
    assert rollback(con, new_id) == []
    pd.testing.assert_frame_equal(in_force(con), force)
    pd.testing.assert_frame_equal(all_rows(con), everything)
    pd.testing.assert_frame_equal(batches(con), b)


def test_rollback_of_an_unknown_batch_fails(con):
    with pytest.raises(KeyError):
        rollback(con, 999_999)


def test_rolling_back_an_older_superseded_batch_keeps_the_newer_in_force(con, kon_tum_codes):
    first = import_file(con, upload(con, kon_tum_codes, poor_delta=-1), name="first.csv")
    second = import_file(con, upload(con, kon_tum_codes, poor_delta=-1), name="second.csv")
    assert batch_status(con, first) == "superseded"
    assert list(batches(con).set_index("batch_id").loc[second, "replaced_batch_ids"]) == [first]
    force = in_force(con)

    rollback(con, first)
    pd.testing.assert_frame_equal(in_force(con), force)
    assert batch_status(con, first) == "rolled_back"
    assert batch_status(con, second) == "active"
    now = in_force(con)
    assert (now.loc[(now.year == YEAR) & now.commune_code.isin(kon_tum_codes), "batch_id"] == second).all()

    # Undoing the newer one now skips the rolled-back first batch and brings back the demo rows.
    demo_id = demo_batch_for(con, YEAR)
    assert rollback(con, second) == [demo_id]
    now = in_force(con)
    assert (now.loc[(now.year == YEAR) & now.commune_code.isin(kon_tum_codes), "batch_id"] == demo_id).all()


def test_rolling_back_the_newest_brings_back_the_previous_import(con, kon_tum_codes):
    first_df = upload(con, kon_tum_codes, poor_delta=-1)
    first = import_file(con, first_df, name="first.csv")
    after_first = in_force(con)
    second = import_file(con, upload(con, kon_tum_codes, poor_delta=-1), name="second.csv")
    assert rollback(con, second) == [first]
    pd.testing.assert_frame_equal(in_force(con), after_first)
    assert batch_status(con, first) == "active"


def test_a_failing_import_leaves_the_database_unchanged(con, kon_tum_codes):
    force, everything, b = in_force(con), all_rows(con), batches(con)
    df = upload(con, kon_tum_codes)
    with pytest.raises(RuntimeError, match="disk full"):
        with transaction(con) as cur:
            rows = attach_units(cur, df, PRE)
            add_batch(cur, "commune_year", rows, kind="commune_year", year=YEAR, file_name="broken.csv",
                      checksum=frame_checksum(df), imported_by="test")
            raise RuntimeError("disk full")
    pd.testing.assert_frame_equal(in_force(con), force)
    pd.testing.assert_frame_equal(all_rows(con), everything)
    pd.testing.assert_frame_equal(batches(con), b)


def test_a_failing_rollback_leaves_the_database_unchanged(con, kon_tum_codes):
    new_id = import_file(con, upload(con, kon_tum_codes))
    force, everything, b = in_force(con), all_rows(con), batches(con)
    with pytest.raises(RuntimeError):
        with transaction(con) as cur:
            rollback_batch(cur, new_id)
            raise RuntimeError("interrupted")
    pd.testing.assert_frame_equal(in_force(con), force)
    pd.testing.assert_frame_equal(all_rows(con), everything)
    pd.testing.assert_frame_equal(batches(con), b)


def test_changes_survive_reopening_the_file(writable_db, kon_tum_codes, con):
    new_id = import_file(con, upload(con, kon_tum_codes))
    con.close()
    again = connect(writable_db, read_only=True)
    try:
        n = again.execute("SELECT count(*) FROM commune_year WHERE is_current AND batch_id = ?", [new_id]).fetchone()[0]
        assert n == len(kon_tum_codes)
    finally:
        again.close()


def district_rows(con, year: int) -> pd.DataFrame:
    return con.cursor().execute("SELECT * FROM district_year WHERE is_current AND year = ? ORDER BY district_code",
                                [year]).df().reset_index(drop=True)


def test_district_batch_supersedes_and_rolls_back(con):
    # A province corrects one district's status (Ia H'Drai, 618) for 2024, then withdraws the correction.
    before = district_rows(con, YEAR)
    fix = before[before.district_code == "618"][["year", "district_code", "province_code"]].assign(
        ntm_status="standard", ntm_recognition_year=YEAR)
    with transaction(con) as cur:
        new_id = add_batch(cur, "district_year", fix, kind="district_year", year=YEAR, file_name="districts.csv",
                           checksum=frame_checksum(fix), imported_by="test")
    after = district_rows(con, YEAR)
    assert after.set_index("district_code").loc["618", "ntm_status"] == "standard"
    assert len(after) == len(before)
    pd.testing.assert_frame_equal(after[after.district_code != "618"].reset_index(drop=True),
                                  before[before.district_code != "618"].reset_index(drop=True))
    rollback(con, new_id)
    pd.testing.assert_frame_equal(district_rows(con, YEAR), before)
