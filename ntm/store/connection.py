"""Connections to the store (`ntm.store.location`): DuckLake tables — DuckDB's table format, whose
catalog is a database (a SQLite file, or PostgreSQL) and whose data are Parquet files.

A connection is an in-memory DuckDB with the store attached as `lake` and, in memory, a copy of every
table of the store at one snapshot: reads (`con.execute`, `con.cursor()`) run on that copy at DuckDB's
full speed, whatever the catalog; `sync(con)` brings it to the newest snapshot after another process
wrote (one catalog query when nothing changed). Writes run in `transaction(con)`: one lake transaction,
one snapshot, all or nothing — a writer killed half-way leaves nothing — after which the copy is synced.
No process holds a lock while idle: the dashboard, the command line and other replicas read and write
the same store at once. Writers of a local store queue on a file lock beside its catalog (`write_lock`).
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import time
import weakref
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Iterator

import duckdb

from ntm.errors import StoreUnavailable
from ntm.store.location import LOCAL, Location, location

EXTENSIONS = ("ducklake", "sqlite_scanner", "postgres_scanner")
LAKE = "lake"                       # the store's name inside a connection
SNAPSHOT_TABLE = "_store_snapshot"       # the in-memory copy's snapshot id, and that of its figures
# Tables no figure, map or chart reads: a change to them alone (a failed login) leaves the figures'
# snapshot as it was, so no replica's cached results are thrown away for it.
NOT_FIGURES = frozenset({"accounts", "login_failures", "account_changes"})
ATTACH_ATTEMPTS, ATTACH_PAUSE_S = 3, 1.0   # a new store's catalog being created by another process
_syncing = threading.Lock()
_writing: set[int] = set()          # cursors inside `transaction` (nested calls reuse them)
_stores: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()    # connection → its store's Location


def store_of(con) -> Location | None:
    """The store a connection made by `connect` has open (None for a cursor or a bare DuckDB)."""
    try:
        return _stores.get(con)
    except TypeError:
        return None


def extension_file(name: str) -> Path:
    """The DuckDB extension `name` as its Python package ships it (`duckdb-extension-<name>`), loaded by
    path: nothing is downloaded."""
    import importlib

    package = importlib.import_module(f"duckdb_extension_{name}")
    return Path(package.__file__).parent / "extensions" / f"v{duckdb.__version__}" / f"{name}.duckdb_extension"


def connect(where: Location | Path | str | None = None, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A connection to the store `where` names (default: `NTM_STORE`, else the local store), with the
    in-memory copy at its newest snapshot. A new local store is created (and an earlier release's file
    beside it brought in); StoreUnavailable when the catalog cannot be reached."""
    loc = location(where)
    con = duckdb.connect(":memory:")
    for name in EXTENSIONS:
        con.execute(f"LOAD '{extension_file(name)}'")
    new = loc.kind == LOCAL and not Path(loc.catalog).exists()
    earlier = loc.earlier if loc.kind == LOCAL else None
    if new and read_only and earlier is None:
        raise StoreUnavailable(loc.label, "missing")
    if new:
        _new_local_catalog(Path(loc.catalog))
    attach(con, loc, read_only=read_only and earlier is None)
    con.execute(f"CREATE TABLE {SNAPSHOT_TABLE} (id BIGINT, figures_id BIGINT)")
    _stores[con] = loc
    if earlier is not None and _empty(con):
        _bring_in(con, loc, new)
        if read_only:
            con.execute(f"DETACH {LAKE}")
            attach(con, loc, read_only=True)
    sync(con)
    return con


def _empty(con) -> bool:
    """Whether the attached store has no tables yet."""
    return not con.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = ?", [LAKE]).fetchone()[0]


def _bring_in(con, loc: Location, new: bool) -> None:
    """Bring the earlier release's file beside the (empty) local store into it, under the store's write
    lock (a process opening it meanwhile waits, then finds it filled). On failure the connection is
    closed, and a catalog this process made is taken away again."""
    from ntm.store.legacy import earlier_tables, load_tables

    with write_lock(loc):
        if not _empty(con):                     # another process brought it in while this one waited
            return
        try:
            with earlier_tables(loc.earlier) as tables, transaction(con) as cur:
                load_tables(cur, tables)
        except BaseException:
            con.close()
            if new:
                _remove_local(loc)
            raise


def attach(con, loc: Location, name: str = LAKE, read_only: bool = False) -> None:
    """Attach the store `loc` to `con` as `name`, its data files read from (and written to) its own
    folder whatever folder its catalog recorded (a copied store reads its own files). The connection is
    closed and StoreUnavailable raised when the catalog cannot be reached."""
    options = f"DATA_PATH {sql_text(loc.files)}, OVERRIDE_DATA_PATH TRUE" + (", READ_ONLY" if read_only else "")
    attempts = ATTACH_ATTEMPTS
    for attempt in range(attempts):
        try:
            con.execute(f"ATTACH {sql_text(loc.attach_target)} AS {name} ({options})")
            return
        except duckdb.Error as exc:
            if attempt + 1 == attempts:
                con.close()
                raise StoreUnavailable(loc.label, type(exc).__name__) from None
            time.sleep(ATTACH_PAUSE_S)        # e.g. another process creating the catalog's tables just now


def ident(name: str) -> str:
    """`name` as a quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def sql_text(value: str) -> str:
    """`value` as an SQL string literal (for statements that take no parameters, such as ATTACH)."""
    return "'" + value.replace("'", "''") + "'"


def _remove_local(loc: Location) -> None:
    """Take away a local store that was being created (an earlier file could not be brought in)."""
    import shutil

    for suffix in ("", "-wal", "-shm"):
        Path(loc.catalog + suffix).unlink(missing_ok=True)
    shutil.rmtree(loc.files, ignore_errors=True)


def _new_local_catalog(path: Path) -> None:
    """An empty SQLite file in write-ahead-log mode (readers never wait for a writer) for a new local
    store's catalog."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA journal_mode=WAL")


def snapshot(con) -> int:
    """The store's newest snapshot id."""
    return con.cursor().execute(f"SELECT id FROM ducklake_current_snapshot('{LAKE}')").fetchone()[0]


def figures_snapshot(con) -> int | None:
    """The newest snapshot of the in-memory copy that changed what figures are read from (a change to
    NOT_FIGURES alone keeps the one before); None before the first sync."""
    return con.cursor().execute(f"SELECT max(figures_id) FROM {SNAPSHOT_TABLE}").fetchone()[0]


def copied_snapshot(con) -> int | None:
    """The snapshot the connection's in-memory copy shows (None before the first sync)."""
    row = con.cursor().execute(f"SELECT max(id) FROM {SNAPSHOT_TABLE}").fetchone()
    return row[0]


def sync(con, wait: bool = True) -> bool:
    """Bring the in-memory copy to the store's newest snapshot — copying again only the tables whose rows
    changed since the copy's snapshot; True when it changed. StoreUnavailable when the catalog's server
    does not answer (the copy stays as it was, readable). With `wait=False`, a sync already under way in
    this process is not waited for (False: the copy as it is)."""
    if not _syncing.acquire(blocking=wait):
        return False
    try:
        return _sync(con)
    finally:
        _syncing.release()


def _sync(con) -> bool:
    """`sync`, holding the process's sync lock."""
    cur = con.cursor()
    cur.execute("BEGIN TRANSACTION")
    try:
        newest = cur.execute(f"SELECT id FROM ducklake_current_snapshot('{LAKE}')").fetchone()[0]
        copied = cur.execute(f"SELECT max(id) FROM {SNAPSHOT_TABLE}").fetchone()[0]
        if newest == copied:
            cur.execute("ROLLBACK")
            return False
        lake = {r[0] for r in cur.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = ?",
                                          [LAKE]).fetchall()}
        held = {r[0] for r in cur.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = "
                                          "'memory' AND NOT temporary").fetchall()} - {SNAPSHOT_TABLE}
        for table in sorted(held - lake):
            cur.execute(f"DROP TABLE memory.main.{ident(table)}")
        changed = _changed_tables(cur, copied)
        for table in sorted(lake if changed is None else (changed & lake) | (lake - held)):
            cur.execute(f"CREATE OR REPLACE TABLE memory.main.{ident(table)} AS FROM {LAKE}.main.{ident(table)}")
        figures_id = newest
        if changed is not None and changed <= NOT_FIGURES:
            figures_id = cur.execute(f"SELECT max(figures_id) FROM {SNAPSHOT_TABLE}").fetchone()[0]
        cur.execute(f"DELETE FROM {SNAPSHOT_TABLE}")
        cur.execute(f"INSERT INTO {SNAPSHOT_TABLE} VALUES (?, ?)", [newest, figures_id])
    except BaseException as exc:
        try:
            cur.execute("ROLLBACK")
        except duckdb.Error:               # the connection to the catalog is gone
            pass
        if isinstance(exc, duckdb.Error) and lost_connection(exc):
            loc = store_of(con)
            raise StoreUnavailable(loc.label if loc else LAKE, type(exc).__name__) from None
        raise
    cur.execute("COMMIT")
    return True


# What a snapshot's changes name by table id when only rows changed; any other change (a table created,
# dropped or altered) makes a sync copy every table again.
ROW_CHANGES = {"tables_inserted_into", "tables_deleted_from", "inlined_insert", "inlined_delete"}


def _changed_tables(cur, since: int | None) -> set[str] | None:
    """The tables whose rows changed in the snapshots after `since` (inside sync's transaction), or None
    when the copy must be made whole (the first sync, or a change other than rows)."""
    if since is None:
        return None
    ids: set[int] = set()
    for (changes,) in cur.execute(f"SELECT changes FROM ducklake_snapshots('{LAKE}') WHERE snapshot_id > ?",
                                  [since]).fetchall():
        for kind, values in changes.items():
            if kind not in ROW_CHANGES:
                return None
            ids.update(int(v) for v in values)
    if not ids:
        return set()
    return {r[0] for r in cur.execute(f"SELECT table_name FROM ducklake_table_info('{LAKE}') "
                                      "WHERE table_id IN (SELECT unnest(?))", [sorted(ids)]).fetchall()}


@contextmanager
def transaction(con) -> Iterator[duckdb.DuckDBPyConnection]:
    """BEGIN … COMMIT on a cursor of the store (one snapshot), ROLLBACK on any error (nothing
    half-written survives); the in-memory copy is synced after the commit. Inside the block every
    statement reads and writes the store itself (on a bare DuckDB connection, that database). On a
    connection made by `connect`, a local store's writers queue on its `write_lock` first. A call on a
    cursor already in a transaction joins it."""
    if id(con) in _writing:
        yield con
        return
    loc = store_of(con)
    with write_lock(loc) if loc is not None else nullcontext():
        cur = con.cursor()
        store = has_store(cur)
        try:
            if store:
                cur.execute(f"USE {LAKE}")
            cur.execute("BEGIN TRANSACTION")
            _writing.add(id(cur))
            try:
                yield cur
            except BaseException:
                try:
                    cur.execute("ROLLBACK")
                except duckdb.Error:           # the connection to the catalog is gone: nothing was committed
                    pass
                raise
            else:
                cur.execute("COMMIT")
            finally:
                _writing.discard(id(cur))
        except duckdb.Error as exc:
            if lost_connection(exc):
                raise StoreUnavailable(loc.label if loc else LAKE, type(exc).__name__) from None
            raise
        if store:
            try:
                sync(con)
            except StoreUnavailable:            # committed: the copy catches up at the next sync
                pass


# What DuckDB says when the catalog's database server went away (stopped, restarted, unreachable).
LOST_CONNECTION = ("terminated abnormally", "server closed the connection", "unable to connect to postgres",
                   "connection to server", "administrator command", "no connection to the server",
                   "could not receive data", "connection refused")


def lost_connection(exc: BaseException) -> bool:
    """Whether a DuckDB error means the store's catalog server could not be reached."""
    text = str(exc).lower()
    return isinstance(exc, duckdb.IOException) or any(words in text for words in LOST_CONNECTION)


def has_store(con) -> bool:
    """Whether a connection has a store attached (a bare DuckDB database — a test's scratch database in
    memory — is read and written directly)."""
    return bool(con.execute("SELECT count(*) FROM duckdb_databases() WHERE database_name = ?", [LAKE]).fetchone()[0])


_held = threading.local()


@contextmanager
def write_lock(where: Location | Path | str | None = None) -> Iterator[None]:
    """Queue with the store's other writers (blocks until free): for a local store a file lock beside its
    catalog, across processes and threads; re-entrant within one thread. A shared store's writers are
    kept apart by the catalog itself (a conflicting commit is refused and nothing of it is written)."""
    loc = location(where)
    if loc.kind != LOCAL:
        yield
        return
    lock_path = loc.catalog + ".lock"
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
