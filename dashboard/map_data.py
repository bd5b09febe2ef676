"""The map's cached parts: boundaries (per level, year and area), figures (per filters), the view labelled
in a language and its deck. An indicator or language change re-reads neither boundaries nor figures."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.queries import scope
from dashboard.session import con, shared
from ntm.present import maps
from ntm.read import geography


@st.cache_data(show_spinner=False, max_entries=16)
def map_geometry(version: str, level: str, year: int, code: str | None, geo: str) -> maps.MapGeometry:
    """The boundaries of a map (read once per level, year and area: not per indicator, filter or language)."""
    return maps.map_geometry(con(), level, year, scope(version, code, year, geo=geo),
                             mountainous=mountainous_districts(version))


@st.cache_data(show_spinner=False)
def mountainous_districts(version: str) -> frozenset[str]:
    """Codes of the mountainous districts (the same for every year and map)."""
    return frozenset(geography.mountainous_districts(con()))


@st.cache_data(show_spinner=False, max_entries=64)
def map_figures(version: str, level: str, year: int, code: str | None, mountainous_only: bool,
                em_region: str | None, geo: str) -> pd.DataFrame:
    """The figures of a map's units (read once per level, year, area and filters: not per indicator)."""
    return geography.map_figures(con(), level, year, scope(version, code, year, mountainous_only, em_region, geo))


# Kept as objects (not copied per run): a national commune map is megabytes of GeoJSON.
@shared(max_entries=8)
def map_view(version: str, level: str, year: int, code: str | None, metric: str, lang: str,
             selected: str | None, mountainous_only: bool, em_region: str | None, geo: str) -> maps.MapView:
    """A map labelled in `lang` from the cached boundaries and figures (runs no query of its own)."""
    return maps.label_map(map_geometry(version, level, year, code, geo),
                          map_figures(version, level, year, code, mountainous_only, em_region, geo),
                          metric=metric, lang=lang, selected=selected,
                          filtered=mountainous_only or em_region is not None)


@shared(max_entries=8)
def map_deck(version: str, level: str, year: int, code: str | None, metric: str, lang: str,
             selected: str | None, mountainous_only: bool, em_region: str | None, geo: str, basemap: str,
             height: int) -> maps.CompactDeck:
    """The deck of `map_view` (its JSON written once). `basemap` is the `NTM_BASEMAP_TILES` setting."""
    view = map_view(version, level, year, code, metric, lang, selected, mountainous_only, em_region, geo)
    return maps.to_deck(view, basemap=maps.basemap_setting(basemap), height=height)
