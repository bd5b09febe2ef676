"""Shared fixtures: one demo store built per test session (a real local store: DuckLake with its SQLite
catalog and Parquet files)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ntm.store.build import init_database
from ntm.store.connection import connect
from ntm.store.copy import clone_local


@pytest.fixture(scope="session")
def demo_db_path(tmp_path_factory) -> Path:
    """A freshly built demo database; tests must not write to it (copy it with `writable_db`)."""
    path = tmp_path_factory.mktemp("db") / "ntm.ducklake"
    init_database(path, log=lambda *_: None)
    return path


@pytest.fixture
def db(demo_db_path):
    """A read-only connection to the session's demo database."""
    con = connect(demo_db_path, read_only=True)
    yield con
    con.close()


@pytest.fixture
def writable_db(demo_db_path, tmp_path) -> Path:
    """A private copy of the demo database that a test may change."""
    path = tmp_path / "ntm.ducklake"
    clone_local(demo_db_path, path)
    return path


@pytest.fixture
def wcon(writable_db):
    """A read-write connection to a private copy of the demo database."""
    con = connect(writable_db)
    yield con
    con.close()


@pytest.fixture
def test_output_dir() -> Path:
    """Folder for artefacts a person may want to look at (screenshots, exports)."""
    path = Path(os.environ.get("NTM_TEST_OUTPUT", Path(__file__).resolve().parent.parent / "test-output"))
    path.mkdir(parents=True, exist_ok=True)
    return path
