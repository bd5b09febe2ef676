"""Cached reads of the engine on plain arguments (codes, year, flags) plus `session.data_version()`:
the options of the choosers, unit names, query scopes, summaries and the registered series."""

from __future__ import annotations

from typing import Any

import streamlit as st

from dashboard.session import con, data_version, shared
from ntm.domain.units import GEOGRAPHIES, default_geography
from ntm.present import labels
from ntm.present import state as vs
from ntm.read import commune as commune_q
from ntm.read import options as options_q
from ntm.read import scope as scope_q
from ntm.read import summary as summary_q
from ntm.read.series import SERIES


# The options and names are large (every commune) and read-only: shared objects, not copies.
@shared(max_entries=8)
def options(version: str, geo: str = "new") -> vs.StateOptions:
    """Years, provinces, districts and communes that have figures in a geography (see
    `ntm.present.state.StateOptions`)."""
    former = options_q.former_provinces(con()) if geo == "new" else ()
    return vs.options_from_rows(*options_q.option_rows(con(), geo), former_provinces=former,
                                province_total=options_q.province_total(con(), geo))


def all_options(version: str) -> dict[str, vs.StateOptions]:
    """The options of every geography."""
    return {g: options(version, g) for g in GEOGRAPHIES}


@shared(max_entries=8)
def unit_names(version: str, geo: str = "new") -> dict[str, dict[str, str]]:
    """level -> code -> newest name, for the units that have figures in a geography (shared: do not modify)."""
    return options_q.unit_names(con(), geo)


def scope(version: str, code: str | None, year: int, mountainous_only: bool = False,
          em_region: str | None = None, geo: str | None = None) -> scope_q.Scope:
    """The (filtered) query scope of a unit code in a year and geography; the nation when the code is
    unknown. The unit is resolved once per code, year and geography, whatever the filters."""
    return scope_q.filtered_scope(_unit_scope(version, code, year, geo or default_geography(year)),
                                  mountainous_only, em_region)


@st.cache_data(show_spinner=False)
def _unit_scope(version: str, code: str | None, year: int, geo: str) -> scope_q.Scope:
    if not code:
        return scope_q.national(geo)
    found = scope_q.find_scope(con(), code, year, geo)
    return (found.scope or scope_q.listed_scope(code, options(version, geo), unit_names(version, geo), geo)
            or scope_q.national(geo))


@st.cache_data(show_spinner=False)
def moved(version: str, code: str, year: int, geo: str) -> dict | None:
    """Where an old unit asked about after the reform went (`ntm.read.scope.find_scope`), or None."""
    return scope_q.find_scope(con(), code, year, geo).moved


def scope_of(state: vs.ViewState, code: str | None = "__scope__") -> scope_q.Scope:
    """The scope of the state (or of `code`) with the state's filters."""
    code = state.scope_code if code == "__scope__" else code
    return scope(data_version(), code, state.year, state.mountainous_only, state.em_region, state.geography)


@st.cache_data(show_spinner=False)
def summary(version: str, code: str | None, year: int, mountainous_only: bool, em_region: str | None,
            geo: str | None = None) -> dict:
    """`ntm.read.summary.summary` of a (filtered) scope in a year."""
    return summary_q.summary(con(), scope(version, code, year, mountainous_only, em_region, geo), year)


def summary_of(state: vs.ViewState, year: int | None = None) -> dict:
    """The summary of the state's (filtered) scope for its year, or `year`."""
    return summary(data_version(), state.scope_code, state.year if year is None else year, state.mountainous_only,
                   state.em_region, state.geography)


def is_demo(version: str, code: str | None, year: int, mountainous_only: bool, em_region: str | None,
            geo: str | None = None) -> bool:
    """Whether the scope's figures in force come from demo batches (cached per scope, not per year)."""
    geo = geo or default_geography(year)
    return _is_demo(version, code, scope_year(version, code, year, geo), mountainous_only, em_region, geo)


def state_is_demo(state: vs.ViewState) -> bool:
    """`is_demo` for the state's scope and filters."""
    return is_demo(data_version(), state.scope_code, state.year, state.mountainous_only, state.em_region,
                   state.geography)


@st.cache_data(show_spinner=False)
def _is_demo(version: str, code: str | None, year: int, mountainous_only: bool, em_region: str | None,
             geo: str) -> bool:
    return summary_q.is_demo(con(), scope(version, code, year, mountainous_only, em_region, geo))


@st.cache_data(show_spinner=False, max_entries=256)
def _series(version: str, name: str, scope_key: str, _scope: scope_q.Scope, kwargs: tuple) -> Any:
    """`SERIES[name]` for a resolved scope, cached on the scope itself (`scope_key` is its repr):
    the same unit in another year is the same entry."""
    return SERIES[name](con(), _scope, **dict(kwargs))


def get_series(name: str, state: vs.ViewState, code: str | None = "__scope__", filtered: bool = True,
               **kwargs) -> Any:
    """`SERIES[name](con, scope, **kwargs)` for the state's scope (or `code`), cached. The
    mountainous / ethnic-minority filters apply unless `filtered` is False (a commune's own profile).

    A series with text in the language (`ntm.present.labels.LOCALISED`) is cached without it and labelled
    on every run (no query), so switching the language re-runs no query."""
    code = state.scope_code if code == "__scope__" else code
    mountainous, em = (state.mountainous_only, state.em_region) if filtered else (False, None)
    version, geo = data_version(), state.geography
    label = None
    if name in labels.LOCALISED:
        name, label = labels.LOCALISED[name]
        lang = kwargs.pop("lang", state.lang)
    sc = scope(version, code, scope_year(version, code, state.year, geo), mountainous, em, geo)
    data = _series(version, name, repr(sc), sc, tuple(sorted(kwargs.items())))
    return data if label is None else label(data, lang)


def scope_year(version: str, code: str | None, year: int | None, geo: str = "new") -> int | None:
    """The year a scope is resolved in for cache keys: a commune's own year in the old geography (its
    unit version may change), otherwise the newest year of the geography, so all-years series are not
    re-queried when the year changes."""
    if code and len(code) == 5 and geo == "old":
        return year
    return options(version, geo).latest_year or year


@st.cache_data(show_spinner=False)
def commune_info(version: str, code: str, geo: str = "new") -> dict:
    """Names and flags of one commune of a geography (`ntm.read.commune.commune_info`)."""
    return commune_q.commune_info(con(), code, GEOGRAPHIES[geo].system)


@st.cache_data(show_spinner=False, max_entries=16)
def reporting(version: str, year: int):
    """Who has reported `year`: the status by province and the units still missing."""
    from ntm.read.status import missing_units, reporting_status

    return reporting_status(con(), year), missing_units(con(), year)


@st.cache_data(show_spinner=False, max_entries=16)
def reporting_map(version: str, year: int, lang: str):
    """The national map of the year's completeness by province, in `lang`."""
    from ntm.domain.units import geography_of
    from ntm.present.maps import map_geometry
    from ntm.present.maps.reporting import reporting_map as completeness_map
    from ntm.read.status import year_system

    status, _ = reporting(version, year)
    geometry = map_geometry(con(), "province", year, scope_q.national(geography_of(year_system(year)).key))
    return completeness_map(geometry, status, lang)


@st.cache_data(show_spinner=False, max_entries=8)
def reporting_workbook(version: str, year: int, lang: str) -> bytes:
    """The year's reporting status as a workbook (by province, missing units), in `lang`."""
    from ntm.export.reporting import status_workbook

    return status_workbook(con(), year, lang)
