"""The session's data access: one connection to the store per process (`st.cache_resource`; every query
runs on its own cursor, on the process's in-memory copy of the store) and `data_version()`, the store's
snapshot that copy shows — brought up to date at most every 2 s, so an import made anywhere (the command
line, another replica) shows on the next rerun — which keys every cached result."""

from __future__ import annotations

import functools
import os
from typing import Callable

import streamlit as st

from ntm.errors import NtmError, StoreUnavailable
from ntm.read import options as options_q
from ntm.store.build import init_database
from ntm.store.connection import connect, sync
from ntm.store.location import STORE_SETTINGS, Location, location
from ntm.text import language, t

RETRY_EVERY_S = 5                         # an unreachable store: try again this often
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
def _connection(where: str):
    init_database(where, log=lambda *_: None)
    return connect(where)


def store() -> Location:
    """The store the settings name (worked out once per setting: a page asks for it many times a run)."""
    return _store(*(os.environ.get(name) for name in STORE_SETTINGS))


@functools.lru_cache(maxsize=8)
def _store(*_settings: str | None) -> Location:
    return location()


def con():
    """The process-wide connection to the store (built on first use). Run queries on `con().cursor()`."""
    return _connection(store().catalog)


def link_language() -> str:
    """The language the link asks for (before the view, which needs the database, is read)."""
    return language(str(st.query_params.get("lang") or "vi"))


def database_ready(declare_pages: Callable[[], object] | None = None) -> None:
    """Open the store before anything reads it. When it cannot be reached (its database server down or
    restarting), say so in the reader's language — never an address or an error's text — with a button
    to try again, try again by itself every few seconds, and stop the page. When it stops answering
    after the page has its figures, keep showing them (the copy this process holds) and say so.
    `declare_pages` declares the navigation before a stop (else Streamlit lists the page files)."""
    lg = link_language()
    try:
        con()
    except StoreUnavailable:
        if declare_pages is not None:
            declare_pages()
        st.warning(t("db.unreachable_page", lg), icon=":material/cloud_off:")
        st.button(t("db.retry", lg), key="db_retry", icon=":material/refresh:")
        _retry_by_itself()
        st.stop()
    except NtmError as exc:          # a store of a newer release, not a store, an unreadable earlier file
        if declare_pages is not None:
            declare_pages()
        st.error(exc.message(lg))
        st.stop()
    if not store_answers():
        st.warning(t("db.unreachable_kept", lg), icon=":material/cloud_off:")
        _retry_by_itself()


@st.fragment(run_every=RETRY_EVERY_S)
def _retry_by_itself() -> None:
    """Rerun the page once the store answers again."""
    try:
        sync(con())
    except StoreUnavailable:
        return
    _data_version.clear()
    st.rerun(scope="app")


def data_version() -> str:
    """Fingerprint of the data the cached results depend on (kept for 2 s: a page asks many times per
    run; an import clears every cache at once)."""
    return _data_version(store().label)[0]


def store_answers() -> bool:
    """Whether the store answered the last check (else the pages show the copy this process holds)."""
    return _data_version(store().label)[1]


@st.cache_data(show_spinner=False, ttl=2)
def _data_version(label: str) -> tuple[str, bool]:
    """The store and the snapshot the process's copy of it shows (brought to the newest first, when the
    store answers), and whether it answered."""
    try:
        sync(con(), wait=False)
        answered = True
    except StoreUnavailable:
        answered = False
    return f"{label}|{options_q.data_fingerprint(con())}", answered


def clear_caches() -> None:
    """Forget every cached result and figure (after an import or a rollback); the connection stays."""
    st.cache_data.clear()
    for cached in SHARED:
        cached.clear()
