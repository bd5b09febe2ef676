"""Where the store lives, chosen by one setting.

    NTM_STORE unset      the local store: a DuckLake whose catalog is a SQLite file (`data/ntm.ducklake`,
                         or `NTM_DB`, or a command's `--db`) with its Parquet files in the folder beside it
                         (`ntm.ducklake.files/`). Several processes on one machine read and write it at once.
    NTM_STORE=postgresql://USER@HOST:PORT/DB
                         the shared store: the DuckLake catalog in that PostgreSQL database, the Parquet
                         files in `NTM_STORE_FILES` (a folder every replica mounts at the same path;
                         default `data/shared-store-files/`). A password comes from `PGPASSWORD` or
                         `~/.pgpass`, never from the URL on a page.

An earlier release kept everything in one file, `data/ntm.duckdb`: a store whose `.ducklake` has a
`.duckdb` of the same name beside it (and a path naming that `.duckdb` itself) brings the file's contents
in while the store is still empty (`ntm.store.legacy`); the file is left as it was.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ntm.paths import DATA_DIR

LOCAL, SHARED = "local", "shared"
SHARED_SCHEMES = ("postgresql://", "postgres://")
EARLIER_SUFFIX = ".duckdb"             # the single database file of releases before the store
CATALOG_SUFFIX = ".ducklake"


@dataclass(frozen=True)
class Location:
    """One store: `kind` local or shared, `catalog` (a file path, or a PostgreSQL URL), `files` (the
    folder of its Parquet files) and, for a local store, `earlier` (a file of an earlier release to
    bring in when the store is new)."""

    kind: str
    catalog: str
    files: str                       # absolute: DuckLake would take a relative one from the working folder
    earlier: Path | None = None

    @property
    def attach_target(self) -> str:
        """What DuckDB's ATTACH opens: `ducklake:sqlite:FILE` or `ducklake:postgres:CONNINFO`."""
        if self.kind == LOCAL:
            return f"ducklake:sqlite:{self.catalog}"
        return f"ducklake:postgres:{conninfo(self.catalog)}"

    @property
    def label(self) -> str:
        """The store as a message may name it: the file, or `postgresql://HOST:PORT/DB` (no user, no
        password)."""
        if self.kind == LOCAL:
            return self.catalog
        url = urlsplit(self.catalog)
        return f"postgresql://{url.hostname or 'localhost'}:{url.port or 5432}{url.path}"

    @property
    def settings(self) -> dict[str, str]:
        """The environment settings that name this store, for a process started on it."""
        if self.kind == LOCAL:
            return {"NTM_STORE": "", "NTM_DB": self.catalog}
        return {"NTM_STORE": self.catalog, "NTM_STORE_FILES": self.files}


STORE_SETTINGS = ("NTM_STORE", "NTM_DB", "NTM_STORE_FILES")      # the environment that names the store

CONNECT_TIMEOUT_S = 10        # a database server that does not answer is said as such, not waited for
KEEPALIVES = {"keepalives": "1", "keepalives_idle": "30", "keepalives_interval": "10", "keepalives_count": "3"}


def conninfo(url: str) -> str:
    """A PostgreSQL URL as libpq key=value words (what DuckLake's postgres catalog takes), each value
    quoted the libpq way, with a connect time limit and keepalives (a server gone silent is noticed)."""
    u = urlsplit(url)
    words = {"dbname": unquote(u.path.lstrip("/")) or "postgres", "host": u.hostname or "localhost",
             "port": str(u.port or 5432), "user": unquote(u.username or "") or None,
             "password": unquote(u.password or "") or None, "connect_timeout": str(CONNECT_TIMEOUT_S),
             **KEEPALIVES}
    return " ".join(f"{k}={_libpq_quoted(v)}" for k, v in words.items() if v)


def _libpq_quoted(value: str) -> str:
    """A conninfo value in single quotes, its backslashes and quotes escaped."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def default_local() -> Path:
    """The local store's catalog: `NTM_DB` if set, else `data/ntm.ducklake`."""
    return Path(os.environ.get("NTM_DB") or DATA_DIR / f"ntm{CATALOG_SUFFIX}")


def location(where: "Location | Path | str | None" = None) -> Location:
    """The store `where` names (a Location, a local path or a `postgresql://` URL); by default
    `NTM_STORE`, else the local store."""
    if isinstance(where, Location):
        return where
    if where is None:
        where = os.environ.get("NTM_STORE") or default_local()
    text = str(where)
    if text.startswith(SHARED_SCHEMES):
        files = os.environ.get("NTM_STORE_FILES") or str(DATA_DIR / "shared-store-files")
        return Location(SHARED, text, str(Path(files).resolve()) + "/")
    path = Path(text).resolve()
    if path.suffix == EARLIER_SUFFIX:
        path = path.with_suffix(CATALOG_SUFFIX)
    beside = path.with_suffix(EARLIER_SUFFIX)         # an earlier release's file of the same name, if any
    return Location(LOCAL, str(path), str(path.parent / f"{path.name}.files") + "/",
                    beside if beside.exists() else None)
