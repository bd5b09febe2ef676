"""The session's data access: one DuckDB connection per process (`st.cache_resource`; every query runs on
its own cursor) and `data_version()`, a fingerprint of the imported batches, boundaries and unit attributes
that keys every cached result, so a filter change re-runs only the queries whose inputs changed and an
import invalidates everything (`clear_caches`)."""

from __future__ import annotations

import time
from typing import Callable

import streamlit as st

from ntm.errors import DatabaseBusy
from ntm.paths import default_db_path
from ntm.read import options as options_q
from ntm.store.build import init_database
from ntm.store.connection import connect
from ntm.text import language, t

BUSY_RETRIES, BUSY_WAIT_S = 5, 0.6        # another process holding the database: wait this long, then say so
SHARED: list = []                         # the shared-object caches `clear_caches` empties (see `shared`)


def shared(max_entries: int) -> Callable:
    """`st.cache_resource` for large read-only results kept as shared objects (not copied out of a pickle
    on each call), registered so that `clear_caches` forgets them after an import."""
    def register(func):
        cached = st.cache_resource(show_spinner=False, max_entries=max_entries)(func)
        SHARED.append(cached)
        return cached
    return register


@st.cache_resource(show_spinner=False)
def _connection(path: str):
    init_database(path, log=lambda *_: None)
    return connect(path)


def con():
    """The process-wide DuckDB connection (built on first use). Run queries on `con().cursor()`."""
    return _connection(str(default_db_path()))


def link_language() -> str:
    """The language the link asks for (before the view, which needs the database, is read)."""
    return language(str(st.query_params.get("lang") or "vi"))


def database_ready() -> None:
    """Open the database before anything reads it. While another process holds it (an import from the
    command line), wait a moment, then say so in the reader's language with a button to try again —
    never the file's path or a process id — and stop the page."""
    for attempt in range(BUSY_RETRIES):
        try:
            con()
            return
        except DatabaseBusy:
            if attempt + 1 < BUSY_RETRIES:
                time.sleep(BUSY_WAIT_S)
    lg = link_language()
    st.warning(t("db.busy_page", lg), icon=":material/hourglass_top:")
    st.button(t("db.retry", lg), key="db_retry", icon=":material/refresh:")
    st.stop()


def data_version() -> str:
    """Fingerprint of the data the cached results depend on (kept for 2 s: a page asks many times per
    run; an import clears every cache at once)."""
    return _data_version(str(default_db_path()))


@st.cache_data(show_spinner=False, ttl=2)
def _data_version(path: str) -> str:
    """The file and `ntm.read.options.data_fingerprint` of its contents."""
    return f"{path}|{options_q.data_fingerprint(con())}"


def clear_caches() -> None:
    """Forget every cached result and figure (after an import or a rollback); the connection stays."""
    st.cache_data.clear()
    for cached in SHARED:
        cached.clear()
