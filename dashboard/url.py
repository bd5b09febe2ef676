"""The view state in the URL: the URL is the source of truth (a copied link restores the view), the
session keeps the last parameters for page switches, and callbacks change it through `update_state`."""

from __future__ import annotations

import dataclasses

import streamlit as st

from dashboard.queries import all_options, options
from dashboard.session import data_version
from ntm.present import state as vs
from ntm.text import t

STATE_KEY = "_view_state"
LAST_PARAMS_KEY = "_last_params"


def _current_params() -> dict[str, str]:
    return {k: v for k, v in st.query_params.to_dict().items() if k in vs.PARAMS}


def read_state(page: str) -> vs.ViewState:
    """Parse the URL into a view state and write its canonical form back. Navigating between pages
    clears the query string, so when it is empty the session's last parameters are restored."""
    params = _current_params()
    if not params and st.session_state.get(LAST_PARAMS_KEY):
        params = dict(st.session_state[LAST_PARAMS_KEY])
    state = vs.parse_params(params, all_options(data_version()), page)
    write_state(state)
    st.session_state[STATE_KEY] = state
    return state


def write_state(state: vs.ViewState) -> None:
    """Put a state in the URL (and remember it for the next page switch)."""
    params = vs.to_params(state)
    if _current_params() != params:
        st.query_params.from_dict(params)
    st.session_state[LAST_PARAMS_KEY] = params


def view() -> vs.ViewState:
    """The state parsed by the frame for this run."""
    state = st.session_state.get(STATE_KEY)
    return state if state is not None else read_state("overview")


def url_state() -> vs.ViewState:
    """The state in the URL right now (for callbacks, which run before the script)."""
    params = _current_params() or dict(st.session_state.get(LAST_PARAMS_KEY) or {})
    current = st.session_state.get(STATE_KEY)
    return vs.parse_params(params, all_options(data_version()), current.page if current else "overview")


def update_state(**changes) -> vs.ViewState:
    """Apply changes to the URL state (from a callback or before a rerun)."""
    new = url_state().replace(**changes)
    opts = options(data_version(), new.geography)
    # Keep the hierarchy whole: a district or commune names its province (and district).
    if new.commune and new.commune in opts.communes:
        district, province = opts.communes[new.commune]
        if new.province != province:
            new = dataclasses.replace(new, province=province, district=None)
    if new.district and new.district in opts.districts and new.province != opts.districts[new.district]:
        new = dataclasses.replace(new, province=opts.districts[new.district])
    write_state(new)
    st.session_state[STATE_KEY] = new
    return new


def bind(key: str, value) -> None:
    """Show `value` in the widget `key` (the URL is the source of truth, not the widget)."""
    st.session_state[key] = value


def reset() -> None:
    """Back to the whole country in the newest year, keeping the page and the language."""
    state = url_state()
    fresh = vs.ViewState(page=state.page, lang=state.lang, year=options(data_version(), "new").latest_year)
    write_state(fresh)
    st.session_state[STATE_KEY] = fresh


def lang() -> str:
    """The reader's language in this run."""
    return view().lang


def tr(key: str, **kwargs) -> str:
    """Catalogue text in the current language."""
    return t(key, lang(), **kwargs)


def page_params(**changes) -> dict[str, str]:
    """Query parameters for a link to another page with the current state (plus changes)."""
    return vs.to_params(view().replace(**changes))
