"""`python -m ntm store copy SOURCE TARGET` moves a whole store between the kinds: a province's laptop
store into the national shared store, a national copy back onto a laptop. Everything arrives — every batch
with its status, rolled-back ones included, the figures, uploaded boundaries — the command says what it
copied, and a target that already holds data, or a source that does not exist, is refused with nothing
changed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ntm.store.connection import connect
from ntm.store.location import LOCAL, SHARED, Location, location
from tests.store.test_batches import import_file, kon_tum_codes, rollback, upload  # noqa: F401 (fixture)

ROOT = Path(__file__).resolve().parents[2]
TABLES = ("import_batches", "commune_year", "district_year", "boundaries", "unit_attributes", "targets",
          "schema_migrations", "figures_new")


def cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ntm", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=600, env=dict(os.environ, PYTHONPATH=str(ROOT), **(env or {})))


def contents(store: Location) -> dict[str, list[tuple]]:
    con = connect(store, read_only=True)
    try:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in TABLES}
    finally:
        con.close()


@pytest.fixture
def con(wcon):
    return wcon


@pytest.fixture
def other_kind(store_kind, tmp_path, request) -> Location:
    """An empty store of the other kind: the laptop's when the source is shared, the national one's when
    the source is local."""
    if store_kind == SHARED:
        return location(tmp_path / "laptop" / "ntm.ducklake")
    server = request.getfixturevalue("postgres")
    return Location(SHARED, server.database(f"national_{os.getpid()}_{tmp_path.name[-12:]}".lower()
                                            .replace("-", "_")), str(tmp_path / "national-files") + "/")


def test_a_store_moves_to_the_other_kind_with_every_batch(writable_db, con, kon_tum_codes, other_kind):
    kept = import_file(con, upload(con, kon_tum_codes))
    undone = import_file(con, upload(con, kon_tum_codes[:2], poor_delta=-2), name="sai.csv")
    rollback(con, undone)
    before = contents(writable_db)
    r = cli("store", "copy", writable_db.catalog, other_kind.catalog, "--lang", "en", env=other_kind.settings
            if other_kind.kind == SHARED else writable_db.settings)
    assert r.returncode == 0, r.stderr
    n = len(before["import_batches"])
    assert f"Copied {writable_db.label} to {other_kind.label}:" in r.stdout
    assert f"{n} batches (including 1 rolled back)" in r.stdout
    after = contents(other_kind)
    assert after == before
    statuses = {b[0]: b for b in after["import_batches"]}
    assert kept in statuses and undone in statuses


def test_a_target_holding_data_is_refused_and_left_as_it_was(writable_db, demo_store, tmp_path, store_kind):
    target = demo_store
    before = contents(target)
    env = {**writable_db.settings} if store_kind == LOCAL else {**target.settings}
    r = cli("store", "copy", writable_db.catalog, target.catalog, env=env)
    assert r.returncode == 2, r.stdout + r.stderr
    assert "đã có dữ liệu; không sao chép đè lên" in r.stderr and "Traceback" not in r.stderr
    assert contents(target) == before


@pytest.mark.local_store
def test_a_source_that_does_not_exist_is_refused_and_creates_nothing(tmp_path):
    r = cli("store", "copy", str(tmp_path / "khong-co.ducklake"), str(tmp_path / "moi.ducklake"), "--lang", "en")
    assert r.returncode == 3, r.stdout + r.stderr
    assert "There is no data store" in r.stderr and "Traceback" not in r.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.shared_store
def test_a_backup_of_the_shared_store_restores_into_a_new_database_with_every_batch(writable_db, con, kon_tum_codes,
                                                                                    tmp_path, postgres):
    """The backup docs/deploy.md describes: `store copy` of the running shared store to a dated local
    store, then — the database lost — `store copy` of that file into a new PostgreSQL database: it opens
    with every batch, rolled-back ones included, and serves the same figures."""
    undone = import_file(con, upload(con, kon_tum_codes))
    rollback(con, undone)
    import_file(con, upload(con, kon_tum_codes[:3], poor_delta=-3))
    before = contents(writable_db)
    backup = tmp_path / "backups" / "ntm-2026-12-06.ducklake"
    r = cli("store", "copy", writable_db.catalog, str(backup), env=writable_db.settings)
    assert r.returncode == 0, r.stderr
    restored = Location(SHARED, postgres.database("restored"), str(tmp_path / "restored-files") + "/")
    r = cli("store", "copy", str(backup), restored.catalog, env=restored.settings)
    assert r.returncode == 0, r.stderr
    assert contents(restored) == before
