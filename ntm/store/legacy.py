"""Bringing in the database file of an earlier release (`data/ntm.duckdb`, one DuckDB file) when its
store is opened for the first time: every table, with its columns and rows, into the new store in one
transaction, after which the usual schema steps run (`ntm.store.migrations`); the file itself is left as
it was.

The file is read with this DuckDB when it can; a file written by a newer DuckDB than the store's (the
releases before the store used DuckDB 2.0) is exported to Parquet by that DuckDB, installed beside the
project by `scripts/setup.sh` (`NTM_EARLIER_DUCKDB`, default `<venv>/earlier-duckdb`), in a process of
its own with a time limit.

    python -m ntm.store.legacy FILE FOLDER     export FILE's tables to FOLDER (tables.json + Parquet)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb

from ntm.errors import EarlierFileUnreadable
from ntm.paths import ROOT
from ntm.store.catalog import table_ddl, tables_of

EXPORT_TIMEOUT_S = 600


def earlier_engine() -> Path:
    """Where the earlier DuckDB is installed (a folder for PYTHONPATH)."""
    return Path(os.environ.get("NTM_EARLIER_DUCKDB") or Path(sys.prefix) / "earlier-duckdb")


def export(path: Path, folder: Path) -> None:
    """Write every table of the DuckDB file `path` to `folder`: `<table>.parquet` and `tables.json` (each
    table's name and CREATE TABLE statement)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        catalog = con.execute("SELECT current_database()").fetchone()[0]
        tables = []
        for table in tables_of(con, catalog):
            target = folder / f"{table}.parquet"
            con.execute(f"COPY (FROM \"{table}\") TO '{target}' (FORMAT parquet)")
            tables.append({"name": table, "ddl": table_ddl(con, catalog, table), "file": str(target)})
    finally:
        con.close()
    (folder / "tables.json").write_text(json.dumps(tables, ensure_ascii=False, indent=1))


def _export_with_earlier_engine(path: Path, folder: Path) -> None:
    engine = earlier_engine()
    if not engine.exists():
        raise EarlierFileUnreadable(str(path), "missing_engine")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(engine), str(ROOT)])}
    try:
        done = subprocess.run([sys.executable, "-m", "ntm.store.legacy", str(path), str(folder)], env=env,
                              cwd=str(ROOT), capture_output=True, text=True, timeout=EXPORT_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        raise EarlierFileUnreadable(str(path), "timeout") from None
    if done.returncode != 0:
        raise EarlierFileUnreadable(str(path), done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "")


@contextmanager
def earlier_tables(path: Path) -> Iterator[list[dict]]:
    """The tables of the earlier release's file `path`, exported to Parquet in a temporary folder for
    as long as the block runs: each with its name, its DDL and its file."""
    with tempfile.TemporaryDirectory(prefix="ntm-earlier-") as tmp:
        folder = Path(tmp)
        try:
            export(path, folder)
        except duckdb.Error as exc:
            if "version" not in str(exc).lower():
                raise EarlierFileUnreadable(str(path), str(exc).splitlines()[0]) from None
            _export_with_earlier_engine(path, folder)
        yield json.loads((folder / "tables.json").read_text())


def load_tables(cur, tables: list[dict]) -> dict[str, int]:
    """Create and fill `tables` (from `earlier_tables`) through `cur`, inside the caller's transaction on
    the empty store; rows by table."""
    copied = {}
    for table in tables:
        cur.execute(table["ddl"])
        cur.execute(f"INSERT INTO \"{table['name']}\" SELECT * FROM read_parquet(?)", [table["file"]])
        copied[table["name"]] = cur.execute(f"SELECT count(*) FROM \"{table['name']}\"").fetchone()[0]
    return copied


if __name__ == "__main__":
    export(Path(sys.argv[1]), Path(sys.argv[2]))
