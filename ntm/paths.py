"""Where the project's files live, and the settings that can be overridden from the environment."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
BOUNDARIES_DIR = DATA_DIR / "boundaries"


def default_db_path() -> Path:
    """The embedded DuckDB file: `NTM_DB` if set, else `data/ntm.duckdb`."""
    return Path(os.environ.get("NTM_DB", DATA_DIR / "ntm.duckdb"))


def data_file(name: str) -> Path:
    """A project-authored data file under `data/`."""
    return DATA_DIR / name
