"""A rebuild never replaces the database under a process that has it open, and never loses an import.

What an analyst relies on: `init --force` beside a running dashboard (or any program holding the file)
is refused, says who holds it, and leaves the file exactly as it was; a rebuild of a database holding
imports keeps that database beside the new one; figures a crashed process left in the write-ahead log
are in the kept file, and no log is left beside the new one that does not belong to it.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ntm.errors import DatabaseBusy
from ntm.store.build import init_database
from ntm.store.connection import connect
from ntm.store.holders import describe

ROOT = Path(__file__).resolve().parents[2]
HOLD = ("import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); c.execute('SELECT 1'); "
        "print('holding', flush=True); time.sleep(120)")
# An import committed by a process killed before the database was checkpointed: the batch is only in
# the write-ahead log (.wal) beside the file.
CRASH = """
import os, sys
from ntm.store.connection import connect, transaction
con = connect(sys.argv[1])
con.execute("PRAGMA disable_checkpoint_on_shutdown")
with transaction(con) as cur:
    cur.execute("INSERT INTO import_batches (batch_id, kind, year, file_name, imported_by, n_rows, status, "
                "replaced_batch_ids) VALUES (9001, 'commune_year', 2024, 'bao_cao_2024.xlsx', 'lan', 0, 'active', [])")
print('committed', flush=True)
os._exit(0)
"""


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def state(path: Path) -> tuple:
    """The file (inode and bytes) and what lies beside it, but the write lock's own empty file."""
    return (path.stat().st_ino, digest(path),
            sorted(p.name for p in path.parent.iterdir() if p.name != path.name + ".lock"))


def cli(db: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "ntm", *args, "--db", str(db)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def holder(writable_db):
    """Another process with the database open (as a running dashboard has it)."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(writable_db)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "holding"
    yield proc
    proc.kill()
    proc.wait(10)


def imported_batches(path: Path) -> list[tuple]:
    con = connect(path, read_only=True)
    try:
        return con.execute("SELECT batch_id, file_name, imported_by, status FROM import_batches "
                           "WHERE NOT is_demo ORDER BY batch_id").fetchall()
    finally:
        con.close()


def test_a_rebuild_beside_a_process_holding_the_database_is_refused_and_changes_nothing(writable_db, holder):
    before = state(writable_db)
    for lang, words in (("vi", ("Không dựng lại", f"tiến trình {holder.pid}", "Không có gì bị thay đổi")),
                        ("en", ("was not rebuilt", f"process {holder.pid}", "Nothing was changed"))):
        r = cli(writable_db, "init", "--force", "--lang", lang)
        assert r.returncode == 3, r.stderr
        assert all(w in r.stderr for w in words), r.stderr
        assert "Traceback" not in r.stderr
    r = cli(writable_db, "init", "--force", "--no-demo")
    assert r.returncode == 3 and "Không dựng lại" in r.stderr
    assert state(writable_db) == before                      # same file, same bytes, no half-built or kept copy beside it


def test_a_refusal_names_the_holding_program_and_its_user(writable_db, holder):
    with pytest.raises(DatabaseBusy) as caught:
        init_database(writable_db, force=True, log=lambda *_: None)
    (who,) = caught.value.holders
    assert (who.pid, who.kind, who.name) == (holder.pid, "program", Path(sys.executable).name)
    assert who.user and f"người dùng {who.user}" in caught.value.message("vi")
    assert describe(os.getpid()).kind == "program"


def test_a_rebuild_keeps_the_database_it_replaces_with_every_import(writable_db):
    crash = subprocess.run([sys.executable, "-c", CRASH, str(writable_db)], cwd=ROOT, capture_output=True,
                           text=True, timeout=120, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert crash.stdout.strip() == "committed", crash.stderr
    wal = Path(str(writable_db) + ".wal")
    assert wal.exists()                          # the import lives only in the log so far
    lines: list[str] = []
    init_database(writable_db, force=True, log=lines.append)
    kept = sorted(writable_db.parent.glob("ntm-before-rebuild-*.duckdb"))
    assert len(kept) == 1
    assert imported_batches(kept[0]) == [(9001, "bao_cao_2024.xlsx", "lan", "active")]
    assert imported_batches(writable_db) == []
    assert not wal.exists() and not Path(str(kept[0]) + ".wal").exists()
    said = "\n".join(lines)
    assert f"Bản trước khi dựng lại được giữ tại {kept[0]} (1 lô đã nhập)" in said
    assert f"NTM_DB={kept[0]}" in said and "kept at" in said


def test_a_rebuild_of_demo_figures_only_keeps_nothing_beside_it(tmp_path):
    path = tmp_path / "ntm.duckdb"
    init_database(path, log=lambda *_: None)
    init_database(path, force=True, log=lambda *_: None)
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")) == ["ntm.duckdb"]



def test_a_log_left_by_a_file_replaced_earlier_is_set_aside_not_a_traceback(writable_db, tmp_path, capsys):
    """A database replaced under a running process by an earlier release has that process's log beside it,
    and every command failed with "WAL does not match database file". It now opens; the log is kept aside."""
    other = tmp_path / "replaced.duckdb"
    subprocess.run([sys.executable, "-c", "import duckdb, os, sys; c = duckdb.connect(sys.argv[1]); "
                    "c.execute('PRAGMA disable_checkpoint_on_shutdown'); c.execute('CREATE TABLE t (a INT)'); "
                    "c.execute('CHECKPOINT'); c.execute('INSERT INTO t VALUES (1)'); os._exit(0)", str(other)],
                   check=True, timeout=60)
    wal = Path(str(writable_db) + ".wal")
    os.replace(str(other) + ".wal", wal)
    con = connect(writable_db, read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM import_batches").fetchone()[0] > 0
    finally:
        con.close()
    (kept,) = writable_db.parent.glob("ntm.duckdb.wal.unmatched-*")
    assert not wal.exists() and kept.stat().st_size > 0
    err = capsys.readouterr().err
    assert f"Nhật ký ghi {wal} không thuộc về cơ sở dữ liệu {writable_db}" in err and str(kept) in err
