"""Imports as separate processes, as analysts run them: a killed import leaves the database as it was
(never half-written) and usable; two imports started at once are serialised, both land whole; an import
lands while a dashboard reads the store."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from ntm.store.connection import connect, sync
from ntm.store.location import Location
from ntm.store.synth import write_national_files
from tests.conftest import with_account

ROOT = Path(__file__).resolve().parents[2]
_with_analyst: set = set()          # stores given the analyst account


def run_import(store: Location, file: Path, *extra: str) -> subprocess.Popen:
    """Start `python -m ntm import` as the analyst account (output to files, so a waiting process never
    blocks on a pipe)."""
    if store not in _with_analyst:
        with_account(store, "analyst", "mật khẩu đủ dài 2024")
        _with_analyst.add(store)
    env = dict(os.environ, **store.settings)
    log = file.with_suffix(f".{time.monotonic_ns()}.log")
    proc = subprocess.Popen([sys.executable, "-m", "ntm", "import", str(file), "--accept-warnings",
                             "--user", "analyst", *extra], cwd=ROOT, env=env,
                            stdout=open(log, "w"), stderr=subprocess.STDOUT, text=True)
    proc.log = log
    return proc


def finish(proc: subprocess.Popen, timeout: float = 180) -> str:
    proc.wait(timeout=timeout)
    return proc.log.read_text(encoding="utf-8")


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
    """kill -9 at random moments of an import (reading, validating, writing): the store is as before or
    holds the whole batch, never a part of it; an import afterwards lands."""
    file = write_national_files([2024], tmp_path)[0]
    started = time.monotonic()
    out = finish(run_import(writable_db, file))                 # how long a whole import takes here
    took = time.monotonic() - started
    before = state(writable_db)
    assert before[0].iloc[-1]["n_rows"] == 10035, out
    rng = random.Random(11)
    killed_inside = 0
    for _ in range(4):
        proc = run_import(writable_db, file)
        time.sleep(rng.uniform(0.3, 0.97) * took)
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


def test_two_imports_of_the_same_communes_at_once_one_lands_the_other_is_told(writable_db, tmp_path):
    """Two analysts send the same province's year at the same moment: one batch lands whole; the other
    lands after it (the local store's writers queue) or, when both were written at once on a shared store,
    is told who got there first and writes nothing. Never a mix of the two files."""
    (file,) = write_national_files([2024], tmp_path)
    twin = file.with_name("ban_sua_2024.csv")
    df = pd.read_csv(file, dtype=str, keep_default_na=False)
    df["households"] = (df["households"].astype(int) + 1).astype(str)
    df.to_csv(twin, index=False)
    before = state(writable_db)[0]
    procs = [run_import(writable_db, f) for f in (file, twin)]
    results = [finish(p) for p in procs]
    batches, counts = state(writable_db)
    new = batches[~batches.batch_id.isin(before.batch_id)]
    landed = [p.returncode for p in procs].count(0)
    assert landed >= 1, results
    told = [out for p, out in zip(procs, results) if p.returncode != 0]
    assert all("Chưa nhập: trong lúc tệp này đang được ghi" in out and "Traceback" not in out for out in told), told
    assert len(new) == landed and (new.n_rows == 10035).all()
    live = counts[counts.batch_id.isin(new.batch_id)].live.sum()
    assert live == 10035                                     # the year's figures come from one file only


@pytest.mark.shared_store
def test_a_database_server_restarted_mid_import_leaves_nothing_half_written(writable_db, tmp_path, postgres):
    """PostgreSQL restarts while imports are running: each either landed whole or wrote nothing — it says
    the store could not be reached (exit 3), or DuckLake 1.5.5 stopped the process on an internal error
    while reading the lost connection's inlined rows (SIGABRT, as a kill would) — and the next import
    lands."""
    file = write_national_files([2024], tmp_path)[0]
    started = time.monotonic()
    out = finish(run_import(writable_db, file))
    took = time.monotonic() - started
    before = state(writable_db)
    rng = random.Random(5)
    for _ in range(3):
        proc = run_import(writable_db, file)
        time.sleep(rng.uniform(0.4, 0.95) * took)
        postgres.restart()
        out = finish(proc)
        aborted = proc.returncode == -signal.SIGABRT and "INTERNAL Error" in out
        assert proc.returncode in (0, 3) or aborted, out
        assert "Traceback" not in out or aborted, out
        if proc.returncode == 3:
            assert "Không kết nối được kho dữ liệu" in out and "postgres@" not in out
        after = state(writable_db)
        if after[0].equals(before[0]):
            pd.testing.assert_frame_equal(after[1], before[1])
        else:
            assert after[0].iloc[-1]["n_rows"] == 10035 and after[1].iloc[-1]["n"] == 10035
            before = after
    proc = run_import(writable_db, file)
    out = finish(proc)
    assert proc.returncode == 0, out
