"""Connections to the embedded DuckDB file.

DuckDB allows one read-write process per file; inside a process one connection is shared and every
query runs on its own `cursor()` (a shared connection used from several threads fails with
"connection is busy"). Writers take `write_lock()`, a file lock next to the database, so two imports
are serialised even when they come from two processes. Replacing the file (a rebuild) first makes this
process its only holder (`sole_holder`): refused, naming who, while anyone else has it open.
"""

from __future__ import annotations

import fcntl
import os
import sys
import threading
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Iterator

import duckdb

from ntm.errors import DatabaseBusy
from ntm.paths import default_db_path
from ntm.store.holders import holders
from ntm.text import t


def connect(path: Path | str | None = None, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the database file (default `data/ntm.duckdb`); DatabaseBusy when another process holds it."""
    path = Path(path or default_db_path())
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise DatabaseBusy(str(exc), holders(path, str(exc)), path) from None
        if "WAL does not match" not in str(exc):
            raise
    _set_aside_log(path)
    return duckdb.connect(str(path), read_only=read_only)


def _set_aside_log(path: Path) -> None:
    """Move a write-ahead log that belongs to another file (one replaced under a running process by an
    earlier release) out of the database's way, keeping it, and say so on standard error."""
    wal = Path(str(path) + ".wal")
    kept = wal.with_name(f"{wal.name}.unmatched-{datetime.now():%Y%m%d-%H%M%S}")
    os.replace(wal, kept)
    print("\n".join(t("db.wal_set_aside", lang, wal=wal, path=path, kept=kept) for lang in ("vi", "en")),
          file=sys.stderr)


@contextmanager
def sole_holder(path: Path) -> Iterator[int | None]:
    """Hold the database at `path` so that no other process can open it until the block ends, after
    folding its write-ahead log into the file; raises DatabaseBusy (naming who, `rebuild`) while another
    process has it open. Yields the number of imported (not demo) batches it holds, None for a file that
    is not a dashboard database or does not exist. Nothing in this process may open `path` inside the
    block: closing any descriptor of the file drops the hold (POSIX record locks)."""
    if not path.exists():
        yield None
        return
    batches = None
    try:
        con = connect(path)
    except DatabaseBusy as exc:
        raise DatabaseBusy(exc.detail, exc.holders, path, rebuild=True) from None
    except duckdb.Error:                       # not a DuckDB file: nothing to fold, nothing to count
        con = None
    if con is not None:
        try:
            con.execute("CHECKPOINT")
            batches = con.execute("SELECT count(*) FROM import_batches WHERE NOT coalesce(is_demo, FALSE)"
                                  ).fetchone()[0]
        except duckdb.Error:
            pass
        finally:
            con.close()
    fd = os.open(path, os.O_RDWR)
    try:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)     # the lock DuckDB itself takes to open it
        except OSError:
            raise DatabaseBusy("", holders(path), path, rebuild=True) from None
        yield batches
    finally:
        os.close(fd)


_held = threading.local()


@contextmanager
def write_lock(path: Path | str | None = None) -> Iterator[None]:
    """Hold an exclusive lock for writing to the database at `path` (blocks until free).

    Works across processes and threads; re-entrant within one thread."""
    lock_path = str(Path(str(path or default_db_path()) + ".lock").resolve())
    depth = getattr(_held, "depth", {})
    _held.depth = depth
    if depth.get(lock_path):
        depth[lock_path] += 1
        try:
            yield
        finally:
            depth[lock_path] -= 1
        return
    Path(lock_path).parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        depth[lock_path] = 1
        yield
    finally:
        depth[lock_path] = 0
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """BEGIN … COMMIT on a cursor, ROLLBACK on any error (nothing half-written survives)."""
    cur = con.cursor()
    cur.execute("BEGIN TRANSACTION")
    try:
        yield cur
    except BaseException:
        cur.execute("ROLLBACK")
        raise
    else:
        cur.execute("COMMIT")
