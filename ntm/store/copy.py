"""Copying a whole store to another one: every table with its columns' types, defaults and NOT NULLs
and every row — every batch including rolled-back ones, boundaries, references, accounts — in one
transaction of the target (`python -m ntm store copy SOURCE TARGET`). A province's laptop store moves into
the national one, a national copy comes back to a laptop for a meeting without a network."""

from __future__ import annotations

from pathlib import Path

from ntm.errors import StoreNotEmpty
from ntm.store.catalog import table_ddl, tables_of
from ntm.store.connection import LAKE, attach, connect, ident, transaction
from ntm.store.location import Location, location

SOURCE = "source_store"


def copy_tables(cur, source: str) -> dict[str, int]:
    """Create every table of the attached database `source` in the store `cur` writes to and copy its
    rows (inside the caller's transaction); rows copied by table."""
    copied = {}
    for table in tables_of(cur, source):
        cur.execute(table_ddl(cur, source, table))
        cur.execute(f"INSERT INTO {ident(table)} SELECT * FROM {source}.main.{ident(table)}")
        copied[table] = cur.execute(f"SELECT count(*) FROM {ident(table)}").fetchone()[0]
    return copied


def copy_store(source: Location | Path | str, target: Location | Path | str) -> dict[str, int]:
    """Copy every table of the store `source` into the empty store `target` (created when local) in one
    transaction; rows copied by table. StoreNotEmpty when the target already holds tables."""
    src, dst = location(source), location(target)
    connect(src, read_only=True).close()    # a missing source is refused; an earlier release's file brought in
    con = connect(dst)
    try:
        if tables_of(con.cursor(), LAKE):
            raise StoreNotEmpty(dst.label)
        attach(con, src, SOURCE, read_only=True)
        with transaction(con) as cur:
            copied = copy_tables(cur, SOURCE)
        con.execute(f"DETACH {SOURCE}")
        return copied
    finally:
        con.close()


def clone_local(source: Location | Path | str, target: Path | str) -> Location:
    """A local store copied file by file to the catalog path `target` (its consistent catalog, through
    SQLite's backup, and its Parquet files): the fast copy of a store on one machine."""
    import shutil
    import sqlite3

    src, dst = location(source), location(target)
    Path(dst.catalog).parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(src.catalog) as a, sqlite3.connect(dst.catalog) as b:
        a.backup(b)
    if Path(src.files).exists():
        shutil.copytree(src.files, dst.files)
    return dst


def store_contents(where: Location | Path | str) -> dict[str, int]:
    """What a copy of the store carries, as a person checks it: batches (and how many rolled back),
    uploaded boundary polygons, analyst accounts."""
    con = connect(where, read_only=True)
    try:
        tables = set(tables_of(con.cursor(), LAKE))
        count = lambda sql: con.execute(sql).fetchone()[0]
        return {"batches": count("SELECT count(*) FROM import_batches"),
                "rolled_back": count("SELECT count(*) FROM import_batches WHERE status = 'rolled_back'"),
                "boundaries": count("SELECT count(*) FROM boundaries WHERE batch_id IS NOT NULL"),
                "accounts": count("SELECT count(*) FROM accounts") if "accounts" in tables else 0}
    finally:
        con.close()
