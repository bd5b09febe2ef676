"""Shared fixtures: one demo store built per test session and kind of store. The engine's tests (below
ENGINE) run on both kinds — the local store (DuckLake with its SQLite catalog and Parquet files) and the
shared store (its catalog in a real PostgreSQL server started for the session); the others on the local
store, as the dashboard and its pages meet it."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from ntm.store.build import init_database
from ntm.store.connection import connect
from ntm.store.copy import clone_local
from ntm.store.location import LOCAL, SHARED, Location, location
from tests.postgres import PostgresServer

TESTS = Path(__file__).resolve().parent
# No users file of this machine (`~/.config/ntm-dashboard/users.json`) is brought into a test's store.
os.environ["NTM_USERS_FILE"] = str(Path(tempfile.gettempdir()) / f"ntm-tests-no-users-{os.getpid()}.json")
ENGINE = ("cli", "export", "ingest", "present", "read", "store")   # folders of tests run on both kinds
STORE_KINDS = (LOCAL, SHARED)


def pytest_generate_tests(metafunc):
    if "store_kind" in metafunc.fixturenames:
        part = Path(str(metafunc.definition.fspath)).resolve().relative_to(TESTS).parts[0]
        local_only = part not in ENGINE or metafunc.definition.get_closest_marker("local_store")
        kinds = (LOCAL,) if local_only else STORE_KINDS
        if metafunc.definition.get_closest_marker("shared_store"):
            kinds = (SHARED,)
        metafunc.parametrize("store_kind", kinds, indirect=True, scope="session")


@pytest.fixture(scope="session")
def store_kind(request) -> str:
    """The kind of store a test runs on (see ENGINE)."""
    return getattr(request, "param", LOCAL)


@pytest.fixture(scope="session")
def postgres():
    """A real PostgreSQL server for the session (Debian's package, a throwaway cluster in a folder the
    `postgres` user can reach)."""
    server = PostgresServer(Path(tempfile.mkdtemp(prefix="ntm-postgres-"))).create()
    yield server
    server.remove()


@pytest.fixture(scope="session")
def demo_db_path(tmp_path_factory) -> Path:
    """A freshly built local demo store (its catalog's path); tests must not write to it."""
    path = tmp_path_factory.mktemp("db") / "ntm.ducklake"
    init_database(path, log=lambda *_: None)
    return path


@pytest.fixture(scope="session")
def demo_store(store_kind, demo_db_path, tmp_path_factory, request) -> Location:
    """The demo store of the session's kind; tests must not write to it (copy it with `writable_db`)."""
    if store_kind == LOCAL:
        return location(demo_db_path)
    server = request.getfixturevalue("postgres")
    loc = Location(SHARED, server.database("demo"), str(tmp_path_factory.mktemp("shared-files")) + "/")
    init_database(loc, log=lambda *_: None)
    server.database(TEMPLATE, template="demo")       # never opened: copies are made from it
    return loc


_copies = iter(range(1, 1_000_000))
TEMPLATE = "demo_template"                           # the shared demo store as built, for copies


def copy_of(store: Location, folder: Path, request) -> Location:
    """A private copy of the demo store `store` that a test may change: a local store's files copied into
    `folder`; a shared one as a new PostgreSQL database made from its untouched template (and its data
    files copied)."""
    if store.kind == LOCAL:
        return clone_local(store, folder / "ntm.ducklake")
    server = request.getfixturevalue("postgres")
    files = folder / "shared-files"
    shutil.copytree(store.files, files)
    url = server.database(f"copy{next(_copies)}", template=TEMPLATE)
    return Location(SHARED, url, str(files) + "/")


@pytest.fixture
def db(demo_store):
    """A read-only connection to the session's demo store."""
    con = connect(demo_store, read_only=True)
    yield con
    con.close()


@pytest.fixture
def writable_db(demo_store, tmp_path, request) -> Location:
    """A private copy of the demo store that a test may change."""
    return copy_of(demo_store, tmp_path, request)


@pytest.fixture
def wcon(writable_db):
    """A read-write connection to a private copy of the demo store."""
    con = connect(writable_db)
    yield con
    con.close()


def with_account(store, name: str, password: str, role: str = "coordinator", provinces=()) -> None:
    """Create the account `name` in `store` as the server's operator does (`python -m ntm user add`): a
    coordinator (every province) unless a role and provinces are given."""
    from ntm.store.accounts import add_user

    con = connect(store)
    try:
        add_user(con, name, password, role, provinces, by="cli:operator")
    finally:
        con.close()


@pytest.fixture
def test_output_dir() -> Path:
    """Folder for artefacts a person may want to look at (screenshots, exports)."""
    path = Path(os.environ.get("NTM_TEST_OUTPUT", TESTS.parent / "test-output"))
    path.mkdir(parents=True, exist_ok=True)
    return path
