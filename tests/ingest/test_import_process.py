"""Imports as separate processes, as analysts run them: a killed import leaves the database as it was
(never half-written) and usable; two imports started at once are serialised, both land whole; an import
lands while a dashboard reads the store."""

from __future__ import annotations

import fcntl
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

from ntm.accounts import add_user
from ntm.store.connection import connect, sync
from ntm.store.synth import write_national_files

ROOT = Path(__file__).resolve().parents[2]


def run_import(db: Path, file: Path, *extra: str) -> subprocess.Popen:
    """Start `python -m ntm import` as the analyst account (output to files, so a waiting process never
    blocks on a pipe)."""
    users = db.parent / "users.json"
    if not users.exists():
        add_user("analyst", "mật khẩu đủ dài 2024", path=users)
    env = dict(os.environ, NTM_DB=str(db), NTM_USERS_FILE=str(users))
    log = file.with_suffix(f".{time.monotonic_ns()}.log")
    proc = subprocess.Popen([sys.executable, "-m", "ntm", "import", str(file), "--accept-warnings",
                             "--user", "analyst", *extra], cwd=ROOT, env=env,
                            stdout=open(log, "w"), stderr=subprocess.STDOUT, text=True)
    proc.log = log
    return proc


def finish(proc: subprocess.Popen, timeout: float = 180) -> str:
    proc.wait(timeout=timeout)
    return proc.log.read_text(encoding="utf-8")


def lock_is_held(db: Path) -> bool:
    fd = os.open(str(db) + ".lock", os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    except BlockingIOError:
        return True
    finally:
        os.close(fd)


def state(db: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    con = connect(db, read_only=True)
    try:
        batches = con.execute("SELECT batch_id, status, n_rows FROM import_batches ORDER BY batch_id").df()
        counts = con.execute("SELECT batch_id, count(*) AS n, count(*) FILTER (WHERE is_current) AS live "
                             "FROM commune_year GROUP BY batch_id ORDER BY batch_id").df()
        return batches, counts
    finally:
        con.close()


def test_killed_import_leaves_database_unchanged_and_usable(writable_db, tmp_path):
    file = write_national_files([2024], tmp_path)[0]
    before = state(writable_db)
    rng = random.Random(11)
    killed_inside = 0
    for _ in range(4):
        proc = run_import(writable_db, file)
        deadline = time.time() + 60
        while not lock_is_held(writable_db) and proc.poll() is None and time.time() < deadline:
            time.sleep(0.002)
        time.sleep(rng.uniform(0.05, 0.6))          # somewhere in validation or the transaction
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        after = state(writable_db)
        if proc.returncode == -signal.SIGKILL:
            killed_inside += 1
        if after[0].equals(before[0]):
            pd.testing.assert_frame_equal(after[1], before[1])
        else:
            # The kill came after the commit: the batch is there whole, never in part.
            new = after[0].iloc[-1]
            assert new["n_rows"] == 10035
            assert after[1].iloc[-1]["n"] == 10035
            before = after
    assert killed_inside >= 1
    # Still usable: a normal import goes through afterwards.
    proc = run_import(writable_db, file)
    out = finish(proc)
    assert proc.returncode == 0, out
    batches, counts = state(writable_db)
    assert batches.iloc[-1]["status"] == "active" and counts.iloc[-1]["live"] == 10035


def without_flows(path: Path) -> Path:
    """The file without its year's flows (optional columns): whichever of two files lands first, the other
    is then not checked against a start of year the synthetic files do not share with the demo."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df[["escaped_poverty", "fell_back_into_poverty", "newly_poor"]] = ""
    df.to_csv(path, index=False)
    return path


def test_two_imports_at_once_are_serialised(writable_db, tmp_path):
    files = [without_flows(f) for f in write_national_files([2023, 2024], tmp_path)]
    procs = [run_import(writable_db, f) for f in files]
    results = [finish(p) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    con = connect(writable_db, read_only=True)
    try:
        rows = con.execute("""SELECT b.year, b.n_rows, count(*) FILTER (WHERE f.is_current) AS live
                              FROM import_batches b JOIN commune_year f USING (batch_id)
                              WHERE b.imported_by = 'analyst' GROUP BY ALL ORDER BY b.year""").fetchall()
    finally:
        con.close()
    assert rows == [(2023, 10035, 10035), (2024, 10035, 10035)]


def test_an_import_lands_while_a_dashboard_reads_the_store(writable_db, tmp_path):
    """A running dashboard holds a connection (and its in-memory copy) open: the command line's import
    lands all the same, and the dashboard sees it on its next sync, without a restart."""
    holder = connect(writable_db)            # as the running dashboard does
    try:
        seen = holder.execute("SELECT count(*) FROM import_batches").fetchone()[0]
        file = write_national_files([2024], tmp_path)[0]
        proc = run_import(writable_db, file)
        out = finish(proc)
        assert proc.returncode == 0, out
        assert holder.execute("SELECT count(*) FROM import_batches").fetchone()[0] == seen
        assert sync(holder)
        assert holder.execute("SELECT count(*) FROM import_batches").fetchone()[0] == seen + 1
        assert holder.execute("SELECT count(*) FROM commune_year WHERE is_current AND batch_id = "
                              "(SELECT max(batch_id) FROM import_batches)").fetchone()[0] == 10035
    finally:
        holder.close()
