"""A rebuild beside running processes never loses an import, and a writer killed half-way leaves nothing.

What an analyst relies on: `init --force` while the dashboard (or any program) reads the store lands in
one transaction — the reader sees the old store until it commits and the new one at its next sync; a
rebuild of a store holding imports first keeps a copy of it beside the new one; an import killed with
kill -9 before it committed leaves the store exactly as it was, and the next import lands.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from ntm.store.build import init_database
from ntm.store.connection import connect, snapshot, transaction
from ntm.store.location import Location, location

ROOT = Path(__file__).resolve().parents[2]
# A reader that keeps the store open (as the dashboard does) and reports what it sees on each line read.
READER = """
import sys
from ntm.store.connection import connect, sync
con = connect(read_only=True)
print('reading', con.execute("SELECT count(*) FROM import_batches WHERE NOT is_demo").fetchone()[0], flush=True)
for _ in sys.stdin:
    sync(con)
    print('reading', con.execute("SELECT count(*) FROM import_batches WHERE NOT is_demo").fetchone()[0], flush=True)
"""
# An import that has written its rows and is killed before it commits.
KILLED = """
import sys, time
from ntm.store.connection import connect, transaction
con = connect()
with transaction(con) as cur:
    cur.execute("INSERT INTO import_batches (batch_id, kind, year, file_name, imported_by, n_rows, status, "
                "replaced_batch_ids) VALUES (9002, 'commune_year', 2024, 'bi_ngat.xlsx', 'lan', 0, 'active', [])")
    cur.execute("UPDATE commune_year SET households = households + 1 WHERE year = 2024")
    print('written', flush=True)
    time.sleep(120)
"""


def env(store: Location) -> dict:
    """A process's environment naming `store`."""
    return dict(os.environ, PYTHONPATH=str(ROOT), **store.settings)


def cli(store: Location, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ntm", *args], cwd=ROOT, env=env(store),
                          capture_output=True, text=True, timeout=300)


def kept_store(said: str) -> Path:
    """The copy a rebuild says it kept."""
    (path,) = set(re.findall(r"kept at (\S+) \(", said))
    return Path(path)


def imported_batches(path: Path) -> list[tuple]:
    con = connect(path, read_only=True)
    try:
        return con.execute("SELECT batch_id, file_name, imported_by, status FROM import_batches "
                           "WHERE NOT is_demo ORDER BY batch_id").fetchall()
    finally:
        con.close()


def add_import(path: Path) -> None:
    con = connect(path)
    with transaction(con) as cur:
        cur.execute("INSERT INTO import_batches (batch_id, kind, year, file_name, imported_by, n_rows, status, "
                    "replaced_batch_ids) VALUES (9001, 'commune_year', 2024, 'bao_cao_2024.xlsx', 'lan', 0, "
                    "'active', [])")
    con.close()


def test_a_rebuild_beside_a_reading_process_lands_and_the_reader_sees_it(writable_db):
    add_import(writable_db)
    reader = subprocess.Popen([sys.executable, "-c", READER], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, cwd=ROOT, env=env(writable_db))
    try:
        assert reader.stdout.readline().split() == ["reading", "1"]
        r = cli(writable_db, "init", "--force")
        assert r.returncode == 0, r.stderr
        reader.stdin.write("again\n")
        reader.stdin.flush()
        assert reader.stdout.readline().split() == ["reading", "0"]     # the rebuilt store, no restart
    finally:
        reader.kill()
        reader.wait(10)
    kept = kept_store(r.stdout + r.stderr)
    assert kept.exists()
    assert imported_batches(kept) == [(9001, "bao_cao_2024.xlsx", "lan", "active")]


def test_a_rebuild_keeps_the_store_it_replaces_with_every_import(writable_db):
    """…and the analysts' accounts stay in the rebuilt store."""
    from ntm.store.accounts import add_user, verify

    add_import(writable_db)
    con = connect(writable_db)
    add_user(con, "lan", "mat-khau-dai", "coordinator", by="cli:operator")
    con.close()
    lines: list[str] = []
    init_database(writable_db, force=True, log=lines.append)
    con = connect(writable_db)
    try:
        assert verify(con, "lan", "mat-khau-dai")
    finally:
        con.close()
    kept = kept_store("\n".join(lines))
    assert kept.name.startswith(Path(writable_db.label).stem + "-before-rebuild-")
    assert imported_batches(kept) == [(9001, "bao_cao_2024.xlsx", "lan", "active")]
    assert imported_batches(writable_db) == []
    said = "\n".join(lines)
    assert f"Kho dữ liệu trước khi dựng lại được giữ tại {kept} (1 lô đã nhập)" in said
    assert f"NTM_DB={kept}" in said and "kept at" in said


@pytest.mark.local_store
def test_a_rebuild_of_demo_figures_only_keeps_nothing_beside_it(tmp_path):
    path = tmp_path / "ntm.ducklake"
    init_database(path, log=lambda *_: None)
    init_database(path, force=True, log=lambda *_: None)
    assert not list(tmp_path.glob("*before-rebuild*"))


def test_an_import_killed_before_it_commits_leaves_nothing_and_the_next_one_lands(writable_db):
    con = connect(writable_db, read_only=True)
    before = (snapshot(con), con.execute("SELECT sum(households) FROM commune_year WHERE year = 2024").fetchone()[0])
    con.close()
    proc = subprocess.Popen([sys.executable, "-c", KILLED], stdout=subprocess.PIPE, text=True,
                            cwd=ROOT, env=env(writable_db))
    assert proc.stdout.readline().strip() == "written"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    con = connect(writable_db, read_only=True)
    after = (snapshot(con), con.execute("SELECT sum(households) FROM commune_year WHERE year = 2024").fetchone()[0])
    con.close()
    assert after == before
    assert imported_batches(writable_db) == []
    add_import(writable_db)
    assert imported_batches(writable_db) == [(9001, "bao_cao_2024.xlsx", "lan", "active")]


def test_two_processes_starting_on_a_new_store_build_it_once(store_kind, tmp_path, request):
    """Two dashboards (or a dashboard and a command) start together on a store that does not exist yet:
    it is built once — every step recorded once, the demo batches once — and both go on."""
    if store_kind == "local":
        store = location(tmp_path / "moi.ducklake")
    else:
        server = request.getfixturevalue("postgres")
        store = Location("shared", server.database("built_once"), str(tmp_path / "files") + "/")
    procs = [subprocess.Popen([sys.executable, "-m", "ntm", "init"], cwd=ROOT, env=env(store),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=600) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    con = connect(store, read_only=True)
    try:
        steps = con.execute("SELECT number, count(*) FROM schema_migrations GROUP BY ALL HAVING count(*) > 1").fetchall()
        demo = con.execute("SELECT count(*) FROM import_batches WHERE is_demo").fetchone()[0]
        years = con.execute("SELECT count(*), count(DISTINCT (year, unit_id)) FROM commune_year WHERE is_current").fetchone()
    finally:
        con.close()
    assert steps == [] and demo > 0 and years[0] == years[1]
    assert sum("Đã tạo kho dữ liệu" in out[0] for out in outs) >= 1
