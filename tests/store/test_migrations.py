"""A database made by the first release opens with the current code: the missing schema steps run once,
in one transaction, and every batch, figure, boundary and reference row is kept (tests/fixtures/release_1
holds such a database, made with that release's command line)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from ntm.errors import DatabaseTooNew, EarlierFileUnreadable
from ntm.read.scope import resolve_scope
from ntm.read.summary import summary
from ntm.store import migrations
from ntm.store.batches import list_batches, rollback
from ntm.store.build import init_database
from ntm.store.connection import connect, transaction

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "release_1"
RELEASE_2 = FIXTURE.parent / "release_2"
TABLES = ("import_batches", "commune_year", "district_year", "boundaries", "unit_attributes",
          "unit_attributes_history", "targets", "units", "criteria")


# A database file as an earlier release left it (its schema and rows, loaded from the export), written by
# the DuckDB a process finds: this project's, or the one the earlier releases ran on (2.0).
WRITE_RELEASE = """
import sys
from pathlib import Path
import duckdb
path, fixture, version = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
assert duckdb.__version__.startswith(version), duckdb.__version__
con = duckdb.connect(str(path))
con.execute((fixture / "schema.sql").read_text())
load = (fixture / "load.sql").read_text()
for name in sorted(p.name for p in fixture.glob("*.csv")):
    load = load.replace(f"'{name}'", f"'{fixture / name}'")
con.execute(load)
con.close()
"""


def release_1(path: Path, fixture: Path = FIXTURE, earlier_engine: bool = False) -> Path:
    """A database file of an earlier release; with `earlier_engine`, written by DuckDB 2.0 as users'
    `data/ntm.duckdb` are (else by this project's DuckDB, which reads it directly)."""
    import os
    import subprocess
    import sys

    from ntm.store.legacy import earlier_engine as engine

    env = dict(os.environ, PYTHONPATH=str(engine())) if earlier_engine else dict(os.environ)
    version = "2." if earlier_engine else duckdb.__version__
    done = subprocess.run([sys.executable, "-c", WRITE_RELEASE, str(path), str(fixture), version], timeout=120,
                          env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return path


def rows(con, table: str, cols: list[str] | None = None) -> list[tuple]:
    """Every row of a table (in the given columns: those it had before a migration), in a stable order."""
    cols = cols or columns(con, table)
    where = "WHERE criteria_set = 'QD318_2022'" if table == "criteria" and "criteria_set" in columns(con, table) else ""
    return con.execute(f"SELECT {', '.join(cols)} FROM {table} {where} ORDER BY ALL").fetchall()


def columns(con, table: str) -> list[str]:
    return [r[0] for r in con.execute("SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                                      "ORDER BY ordinal_position", [table]).fetchall()]


@pytest.fixture
def old_db(tmp_path) -> Path:
    return release_1(tmp_path / "ntm.duckdb")


def test_the_fixture_is_a_first_release_database(old_db):
    con = connect(old_db, read_only=True)
    assert migrations.applied(con) == {1}
    assert [m.number for m in migrations.pending(con)] == [m.number for m in migrations.MIGRATIONS[1:]]
    assert "rolled_back_by" not in columns(con, "import_batches")
    statuses = dict(con.execute("SELECT batch_id, status FROM import_batches").fetchall())
    assert statuses == {1: "active", 2: "superseded", 3: "active", 4: "rolled_back", 5: "active", 6: "active"}
    con.close()


def test_opening_it_runs_every_missing_step_and_keeps_every_row(old_db):
    con = connect(old_db, read_only=True)
    before = {t: (columns(con, t), rows(con, t)) for t in TABLES}
    con.close()
    init_database(old_db, log=lambda *_: None)
    con = connect(old_db, read_only=True)
    assert migrations.applied(con) == {m.number for m in migrations.MIGRATIONS}
    assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == str(migrations.LATEST)
    for table, (cols, kept) in before.items():
        if table == "units":        # the unit list is loaded again from the package: every old version stays
            assert set(kept) <= set(rows(con, table, cols))
        elif table == "boundaries":  # the shipped layers are replaced, the uploaded polygons kept
            uploaded = [r for r in kept if r[cols.index("batch_id")] is not None]
            assert uploaded and set(uploaded) <= set(rows(con, table, cols))
        else:
            assert rows(con, table, cols) == kept, table
    # Its figures, attributes and targets belong to the old units; the crosswalk is there.
    assert con.execute("SELECT DISTINCT unit_system, criteria_set FROM commune_year").fetchall() \
        == [("pre2025", "QD318_2022")]
    assert con.execute("SELECT DISTINCT system FROM unit_attributes").fetchall() == [("pre2025",)]
    assert con.execute("SELECT count(*) FROM unit_map").fetchone()[0] > 10_000
    assert con.execute("SELECT DISTINCT unit_system FROM import_batches WHERE kind = 'commune_year'").fetchall() \
        == [("pre2025",)]
    # The new columns are there, empty for the batches undone before they existed.
    assert con.execute("SELECT rolled_back_at, rolled_back_by FROM import_batches WHERE batch_id = 4").fetchone() \
        == (None, None)
    con.close()


def test_a_migrated_database_has_the_schema_of_a_new_one(old_db, tmp_path):
    init_database(old_db, log=lambda *_: None)
    new = init_database(tmp_path / "new.duckdb", with_demo=False, log=lambda *_: None)
    a, b = connect(old_db, read_only=True), connect(new, read_only=True)
    query = ("SELECT table_name, column_name, data_type FROM information_schema.columns "
             "WHERE table_schema = 'main' ORDER BY table_name, column_name")
    assert a.execute(query).fetchall() == b.execute(query).fetchall()
    assert migrations.applied(a) == migrations.applied(b)


def test_the_migrated_database_works_as_a_new_one(old_db):
    init_database(old_db, log=lambda *_: None)
    con = connect(old_db)
    ngoc_hoi = resolve_scope(con, "611", 2024)
    s = summary(con, ngoc_hoi, 2024)
    assert s["has_data"] and s["communes"] == 8
    # Undoing the 2024 re-import brings batch 2 back, and the undo is recorded.
    assert rollback(con, 3, old_db, user="cli:analyst3") == [2]
    b = list_batches(con.cursor()).set_index("batch_id")
    assert b.loc[3, "status"] == "rolled_back" and b.loc[3, "rolled_back_by"] == "cli:analyst3"
    assert b.loc[3, "rolled_back_at"] is not None and b.loc[2, "status"] == "active"
    # The reference history of the first release is still there to restore from.
    assert rollback(con, 5, old_db, user="cli:analyst3") == []
    restored = con.execute("SELECT note FROM unit_attributes WHERE level = 'district' AND code = '611'").fetchone()
    assert "release-1" not in restored[0]
    con.close()


def test_opening_twice_runs_nothing_more(old_db):
    init_database(old_db, log=lambda *_: None)
    said = []
    init_database(old_db, log=said.append)
    con = connect(old_db, read_only=True)
    assert migrations.pending(con) == []
    assert con.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == len(migrations.MIGRATIONS)
    con.close()
    assert not any("schema" in line for line in said)


def test_a_failing_step_leaves_the_database_as_it_was(old_db, monkeypatch):
    con = connect(old_db, read_only=True)
    before = {t: rows(con, t) for t in TABLES}
    con.close()
    broken = migrations.MIGRATIONS + (migrations.Migration(99, "broken", ("ALTER TABLE nowhere ADD COLUMN x INT",)),)
    monkeypatch.setattr(migrations, "MIGRATIONS", broken)
    monkeypatch.setattr(migrations, "LATEST", 99)
    with pytest.raises(duckdb.Error):
        init_database(old_db, log=lambda *_: None)
    con = connect(old_db, read_only=True)
    assert migrations.applied(con) == {1}
    assert "rolled_back_by" not in columns(con, "import_batches")
    assert {t: rows(con, t) for t in TABLES} == before
    assert "unit_system" not in columns(con, "commune_year")
    con.close()


def test_a_database_from_a_newer_release_is_refused_in_both_languages(old_db):
    init_database(old_db, log=lambda *_: None)
    con = connect(old_db)
    with transaction(con) as cur:
        cur.execute("INSERT INTO schema_migrations (number, description) VALUES (?, 'from the future')",
                    [migrations.LATEST + 1])
    con.close()
    with pytest.raises(DatabaseTooNew) as err:
        init_database(old_db, log=lambda *_: None)
    assert "phiên bản mới hơn" in err.value.message("vi") and "newer release" in err.value.message("en")


def test_a_second_release_database_opens_and_keeps_every_batch(tmp_path):
    """The release before the reform (steps 1–3, figures on the old units): the reform step runs, every
    batch keeps its status, its figures stay on the old units and read on both geographies."""
    path = release_1(tmp_path / "ntm.duckdb", RELEASE_2)
    con = connect(path, read_only=True)
    assert migrations.applied(con) == {1, 2, 3}
    before = {t: (columns(con, t), rows(con, t)) for t in ("import_batches", "commune_year")}
    con.close()
    init_database(path, log=lambda *_: None)
    con = connect(path)
    assert migrations.applied(con) == {m.number for m in migrations.MIGRATIONS}
    b = list_batches(con.cursor()).set_index("batch_id")
    assert b["status"].to_dict() == {1: "active", 2: "superseded", 3: "active", 4: "rolled_back"}
    assert b.loc[4, "rolled_back_by"] == "analyst3"
    for table, (cols, kept) in before.items():
        assert rows(con, table, cols) == kept, table
    assert con.execute("SELECT DISTINCT unit_system FROM commune_year").fetchall() == [("pre2025",)]
    old = summary(con, resolve_scope(con, "611", 2025, geo="old"), 2025)
    assert old["has_data"] and old["communes"] == 8
    # Undoing the second 2025 import brings the first back.
    assert rollback(con, 3, path, user="cli:analyst3") == [2]
    con.close()


def test_a_database_with_natural_earth_provinces_gets_the_official_outlines_and_keeps_uploads(old_db):
    """A database of the release before step 9 drew the old provinces from Natural Earth (no Bạch Long Vĩ):
    opening it redraws them from today's communes, and the polygons analysts uploaded stay as they were."""
    import json

    import shapely
    from shapely.geometry import Point, mapping

    from ntm.store import geo

    init_database(old_db, log=lambda *_: None)
    con = connect(old_db)
    ne = geo.load_province_polygons(geo.NATURAL_EARTH_PATH)
    with transaction(con) as cur:
        cur.execute("DELETE FROM boundaries WHERE system = 'pre2025' AND level = 'province' AND batch_id IS NULL")
        cur.executemany("INSERT INTO boundaries (system, level, code, geojson, source, is_schematic) "
                        "VALUES ('pre2025', 'province', ?, ?, ?, false)",
                        [(c, json.dumps(mapping(g)), s) for c, g, s in zip(ne.province_code, ne.geometry, ne.source)])
        cur.execute("DELETE FROM schema_migrations WHERE number = 9")
    uploaded = con.execute("SELECT * FROM boundaries WHERE batch_id IS NOT NULL ORDER BY ALL").fetchall()
    con.close()
    init_database(old_db, log=lambda *_: None)
    con = connect(old_db, read_only=True)
    assert 9 in migrations.applied(con)
    shipped = con.execute("SELECT code, geojson, source FROM boundaries WHERE system = 'pre2025' "
                          "AND level = 'province' AND batch_id IS NULL").df().set_index("code")
    assert len(shipped) == 63 and set(shipped.source) == {geo.PRE2025_SOURCE}
    bach_long_vi = Point(107.731053, 20.131144)                     # the unit list's point of the island district
    assert shapely.from_geojson(shipped.geojson["31"]).contains(bach_long_vi)
    assert con.execute("SELECT * FROM boundaries WHERE batch_id IS NOT NULL ORDER BY ALL").fetchall() == uploaded
    assert uploaded
    con.close()


def test_a_database_before_step_10_measures_its_demo_2026_with_nd351_and_keeps_uploads(writable_db):
    """A database whose 2026 demo rows carry NĐ 07/2021 (the rule before step 10) and an analyst's 2026 row
    stamped so: opening it restamps the demo rows only and refreshes the figures (both halves of Trà Bùi
    approximate again)."""
    con = connect(writable_db)
    with transaction(con) as cur:
        cur.execute("UPDATE commune_year SET poverty_standard = 'ND07_2021' WHERE year = 2026")
        cur.execute("INSERT INTO import_batches (batch_id, kind, year, file_name, imported_by, n_rows, status, "
                    "replaced_batch_ids, is_demo) VALUES (9001, 'commune_year', 2026, 'quang_ngai_2026.xlsx', 'lan', "
                    "1, 'active', [], FALSE)")
        cur.execute("UPDATE commune_year SET batch_id = 9001 WHERE year = 2026 AND commune_code = "
                    "(SELECT min(commune_code) FROM commune_year WHERE year = 2026)")   # one commune's row: an upload
        cur.execute("UPDATE figures_new SET approximate = FALSE")
        cur.execute("DELETE FROM schema_migrations WHERE number = 10")
    con.close()
    init_database(writable_db, log=lambda *_: None)
    con = connect(writable_db, read_only=True)
    try:
        stamps = dict(con.execute("SELECT b.is_demo, list(DISTINCT f.poverty_standard) FROM commune_year f "
                                  "JOIN import_batches b USING (batch_id) WHERE f.year = 2026 GROUP BY ALL").fetchall())
        assert stamps == {True: ["ND351_2025"], False: ["ND07_2021"]}
        assert con.execute("SELECT bool_and(approximate) FROM figures_new WHERE year < 2025 "
                           "AND commune_code IN ('21136', '21157')").fetchone()[0]
    finally:
        con.close()


def test_a_file_written_by_the_earlier_duckdb_is_brought_in_with_every_batch(tmp_path):
    """A user's `data/ntm.duckdb` from the releases before the store was written by DuckDB 2.0, which this
    DuckDB cannot open: the earlier DuckDB exports it and the store holds every batch and row as the
    same release's file read directly does; the file itself is left as it was."""
    (tmp_path / "earlier").mkdir()
    path = release_1(tmp_path / "earlier" / "ntm.duckdb", RELEASE_2, earlier_engine=True)
    with pytest.raises(duckdb.Error, match="version"):
        duckdb.connect(str(path), read_only=True)
    written = path.read_bytes()
    same = release_1(tmp_path / "ntm.duckdb", RELEASE_2)              # the same release, readable here
    con = connect(same, read_only=True)
    before_cols = {t: columns(con, t) for t in ("import_batches", "commune_year", "targets", "units")}
    expected = {t: rows(con, t) for t in before_cols}
    con.close()
    init_database(path, log=lambda *_: None)
    con = connect(path, read_only=True)
    try:
        assert migrations.applied(con) == {m.number for m in migrations.MIGRATIONS}
        b = list_batches(con.cursor()).set_index("batch_id")
        assert b["status"].to_dict() == {1: "active", 2: "superseded", 3: "active", 4: "rolled_back"}
        for table, kept in expected.items():
            if table == "units":     # the unit list is loaded again from the package: every old version stays
                assert set(kept) <= set(rows(con, table, before_cols[table]))
            else:
                assert rows(con, table, before_cols[table]) == kept, table
    finally:
        con.close()
    assert path.read_bytes() == written
    assert path.with_suffix(".ducklake").exists()


def test_without_the_earlier_duckdb_the_file_is_kept_and_the_message_says_what_to_run(tmp_path, monkeypatch):
    path = release_1(tmp_path / "ntm.duckdb", RELEASE_2, earlier_engine=True)
    written = path.read_bytes()
    monkeypatch.setenv("NTM_EARLIER_DUCKDB", str(tmp_path / "not-installed"))
    with pytest.raises(EarlierFileUnreadable) as err:
        init_database(path, log=lambda *_: None)
    assert "bash scripts/setup.sh" in err.value.message("vi") and "bash scripts/setup.sh" in err.value.message("en")
    assert path.read_bytes() == written
    beside = sorted(p.name for p in tmp_path.iterdir() if p.name != "ntm.ducklake.lock")   # the writers' lock
    assert beside == ["ntm.duckdb"]                                                     # no half-made store


def test_the_default_store_brings_in_the_earlier_file_beside_it_even_after_an_interrupted_start(tmp_path):
    """`data/ntm.duckdb` of an earlier release and the store's default name `data/ntm.ducklake`: opening
    the store (as `scripts/start.sh` does, naming no file) brings the file in — also when an earlier start
    was killed after creating the empty catalog."""
    import sqlite3

    old = release_1(tmp_path / "ntm.duckdb", RELEASE_2)
    with sqlite3.connect(tmp_path / "ntm.ducklake") as db:          # what a start killed early leaves
        db.execute("PRAGMA journal_mode=WAL")
    init_database(tmp_path / "ntm.ducklake", log=lambda *_: None)
    con = connect(tmp_path / "ntm.ducklake", read_only=True)
    try:
        statuses = dict(con.execute("SELECT batch_id, status FROM import_batches").fetchall())
    finally:
        con.close()
    assert statuses == {1: "active", 2: "superseded", 3: "active", 4: "rolled_back"}
    assert old.exists()


def test_accounts_of_an_earlier_release_become_coordinators_and_the_change_is_kept(writable_db):
    """A store before step 14: accounts without provinces (an earlier analyst could change every province)
    and batches that do not say their provinces. Opening it keeps every account and batch; the analyst
    becomes a coordinator, recorded as a change the store made; every batch names its provinces."""
    con = connect(writable_db)
    with transaction(con) as cur:
        cur.execute("DROP TABLE accounts")
        cur.execute("DROP TABLE account_changes")
        cur.execute("CREATE TABLE accounts (name VARCHAR NOT NULL, hash VARCHAR NOT NULL, role VARCHAR NOT NULL, "
                    "created TIMESTAMP)")
        cur.execute("INSERT INTO accounts VALUES ('lan', '$argon2id$v=19$m=65536,t=3,p=4$x$y', 'analyst', "
                    "TIMESTAMP '2025-11-03 08:00:00')")
        cur.execute("CREATE TABLE batches_v13 AS SELECT * EXCLUDE (provinces) FROM import_batches")
        cur.execute("DROP TABLE import_batches")
        cur.execute("ALTER TABLE batches_v13 RENAME TO import_batches")
        cur.execute("DELETE FROM schema_migrations WHERE number = 14")
    before = con.execute("SELECT batch_id, kind, status FROM import_batches ORDER BY 1").fetchall()
    con.close()
    init_database(writable_db, log=lambda *_: None)
    con = connect(writable_db, read_only=True)
    try:
        assert con.execute("SELECT name, role, provinces, created FROM accounts").fetchall() == [
            ("lan", "coordinator", [], datetime(2025, 11, 3, 8, 0))]
        assert con.execute("SELECT changed_by, name, change, role FROM account_changes").fetchall() == [
            ("store", "lan", "role_changed", "coordinator")]
        assert con.execute("SELECT batch_id, kind, status FROM import_batches ORDER BY 1").fetchall() == before
        provinces = dict(con.execute("SELECT batch_id, provinces FROM import_batches WHERE kind = 'commune_year' "
                                     "AND year = 2024").fetchall())
        assert list(provinces.values()) == [["22", "38", "51", "62"]]
    finally:
        con.close()
