"""The Streamlit glue shared by the pages: the database connection, cached queries, the view state
in the URL, the sidebar filters, headers and notices. Pages stay thin: they read the state, call a
cached wrapper and draw.

Caching: one DuckDB connection per process (`st.cache_resource`), every query on its own cursor.
Query results are cached with `st.cache_data` keyed on plain arguments (codes, year, flags, language)
plus `data_version()`, a fingerprint of the imported batches, boundaries and unit attributes, so a
filter change only re-runs the queries whose inputs changed and an import invalidates everything.
"""

from __future__ import annotations

import dataclasses
import hashlib
import pickle
import re
import time
from typing import Any

import pandas as pd
import streamlit as st

from ntm.domain.periods import period_for_year
from ntm.errors import DatabaseBusy
from ntm.domain.units import GEOGRAPHIES, REFORM_YEAR, default_geography
from ntm.paths import default_db_path
from ntm.present import labels, maps
from ntm.present import state as vs
from ntm.present.charts import CHARTS
from ntm.present.charts.frame import ChartContext
from ntm.read import commune as commune_q
from ntm.read import geography
from ntm.read import options as options_q
from ntm.read import scope as scope_q
from ntm.read import summary as summary_q
from ntm.read.series import SERIES
from ntm.store.build import init_database
from ntm.store.connection import connect
from ntm.text import decimals_of, fmt_cell, fmt_number, language, locale, t

STATE_KEY = "_view_state"
LAST_PARAMS_KEY = "_last_params"
# Every page's file, by key (`ntm.present.state.PAGE_LIST`); URL paths equal the file names (see ensure_frame).
PAGE_FILES = {p.key: f"pages/{p.file}" for p in vs.PAGE_LIST}
# No page icons: Streamlit makes a page's icon the favicon and fetches ":material/…:" favicons from
# fonts.gstatic.com (the dashboard must not call out), and emoji need an emoji font on the PC.
PLOTLY_CONFIG = {"displaylogo": False,
                 "toImageButtonOptions": {"format": "png", "width": 1920, "height": 1080, "scale": 1}}
# The chart toolbar's own texts (plotly.js, English) → catalogue keys: the toolbar speaks the reader's
# language through plotly's `locales` configuration.
PLOTLY_TEXTS = {
    "Download plot as a PNG": "plotly.download_png", "Download plot": "plotly.download",
    "Zoom": "plotly.zoom", "Pan": "plotly.pan", "Box Select": "plotly.box_select",
    "Lasso Select": "plotly.lasso_select", "Zoom in": "plotly.zoom_in", "Zoom out": "plotly.zoom_out",
    "Autoscale": "plotly.autoscale", "Reset axes": "plotly.reset_axes", "Reset view": "plotly.reset_view",
    "Toggle Spike Lines": "plotly.spikes", "Show closest data on hover": "plotly.hover_closest",
    "Compare data on hover": "plotly.hover_compare", "Double-click to zoom back out": "plotly.double_click",
    "Taking snapshot - this may take a few seconds": "plotly.snapshot_wait", "Snapshot succeeded": "plotly.snapshot_ok",
    "Sorry, there was a problem downloading your snapshot!": "plotly.snapshot_failed",
}


def plotly_config(lang: str) -> dict:
    """The chart configuration for `lang`: the export size, and the toolbar's texts in the language."""
    code = locale(lang)
    return {**PLOTLY_CONFIG, "locale": code,
            "locales": {code: {"dictionary": {en: t(key, lang) for en, key in PLOTLY_TEXTS.items()}}}}


# -------------------------------------------------------------------------------------------------
# Connection and cache keys

@st.cache_resource(show_spinner=False)
def _connection(path: str):
    init_database(path, log=lambda *_: None)
    return connect(path)


BUSY_RETRIES, BUSY_WAIT_S = 5, 0.6        # another process holding the database: wait this long, then say so


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
    for cached in (options, unit_names, _figure, map_view, map_deck):
        cached.clear()


# -------------------------------------------------------------------------------------------------
# Cached queries (plain arguments only)

# The options and names below are large (every commune) and read-only: kept as shared objects
# (`st.cache_resource`) rather than copied out of a pickle on each of the many calls per run.
@st.cache_resource(show_spinner=False, max_entries=8)
def options(version: str, geo: str = "new") -> vs.StateOptions:
    """Years, provinces, districts and communes that have figures in a geography (see
    `ntm.present.state.StateOptions`)."""
    former = options_q.former_provinces(con()) if geo == "new" else ()
    return vs.options_from_rows(*options_q.option_rows(con(), geo), former_provinces=former,
                                province_total=options_q.province_total(con(), geo))


def all_options(version: str) -> dict[str, vs.StateOptions]:
    """The options of every geography."""
    return {g: options(version, g) for g in GEOGRAPHIES}


@st.cache_resource(show_spinner=False, max_entries=8)
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
    code = state.scope_code if code == "__scope__" else code
    return scope(data_version(), code, state.year, state.mountainous_only, state.em_region, state.geography)


@st.cache_data(show_spinner=False)
def summary(version: str, code: str | None, year: int, mountainous_only: bool, em_region: str | None,
            geo: str | None = None) -> dict:
    return summary_q.summary(con(), scope(version, code, year, mountainous_only, em_region, geo), year)


def is_demo(version: str, code: str | None, year: int, mountainous_only: bool, em_region: str | None,
            geo: str | None = None) -> bool:
    """Whether the scope's figures in force come from demo batches (cached per scope, not per year)."""
    geo = geo or default_geography(year)
    return _is_demo(version, code, scope_year(version, code, year, geo), mountainous_only, em_region, geo)


@st.cache_data(show_spinner=False)
def _is_demo(version: str, code: str | None, year: int, mountainous_only: bool, em_region: str | None,
             geo: str) -> bool:
    return summary_q.is_demo(con(), scope(version, code, year, mountainous_only, em_region, geo))


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
@st.cache_resource(show_spinner=False, max_entries=8)
def map_view(version: str, level: str, year: int, code: str | None, metric: str, lang: str,
             selected: str | None, mountainous_only: bool, em_region: str | None, geo: str) -> maps.MapView:
    """A map labelled in `lang` from the cached boundaries and figures (runs no query of its own)."""
    return maps.label_map(map_geometry(version, level, year, code, geo),
                          map_figures(version, level, year, code, mountainous_only, em_region, geo),
                          metric=metric, lang=lang, selected=selected,
                          filtered=mountainous_only or em_region is not None)


@st.cache_resource(show_spinner=False, max_entries=8)
def map_deck(version: str, level: str, year: int, code: str | None, metric: str, lang: str,
             selected: str | None, mountainous_only: bool, em_region: str | None, geo: str, basemap: str,
             height: int) -> maps.CompactDeck:
    """The deck of `map_view` (its JSON written once). `basemap` is the `NTM_BASEMAP_TILES` setting."""
    view = map_view(version, level, year, code, metric, lang, selected, mountainous_only, em_region, geo)
    return maps.to_deck(view, basemap=maps.basemap_setting(basemap), height=height)


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


def chart_context(state: vs.ViewState, years, scope_name: str | None = None, demo: bool | None = None,
                  rates: bool = False):
    """The `ChartContext` of a figure on this page (scope name, years, demo flag; for a chart of poverty
    rates, a note naming a province's own poverty standard where figures follow one)."""
    demo = is_demo(data_version(), state.scope_code, state.year, state.mountainous_only,
                   state.em_region, state.geography) if demo is None else demo
    name = scope_name or scope_name_with_filters(state)
    years = tuple(int(y) for y in years)
    note = labels.standards_note(get_series("local_standards_used", state, years=years), state.lang) if rates else ""
    return ChartContext(name, years, bool(demo), note=note)


def scope_name_with_filters(state: vs.ViewState) -> str:
    """The scope's name with its active filters, in the state's language."""
    return vs.name_with_filters(scope_name(state), state.mountainous_only, state.em_region, state.lang,
                                state.geography)


# -------------------------------------------------------------------------------------------------
# View state in the URL

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


def ensure_frame() -> None:
    """Make sure the page runs inside app.py's frame.

    Because a `pages/` folder sits next to app.py, Streamlit starts every server process in its
    legacy multipage mode: until some session has run app.py's `st.navigation`, a deep link such
    as `/map?province=62` runs `pages/map.py` alone (no sidebar, no wide layout). Leave that mode
    and rerun; the page URL paths equal the file names, so the rerun lands on the same page."""
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def view() -> vs.ViewState:
    """The state parsed by the frame for this run."""
    ensure_frame()
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


def lang() -> str:
    return view().lang


def tr(key: str, **kwargs) -> str:
    """Catalogue text in the current language."""
    return t(key, lang(), **kwargs)


def page_params(**changes) -> dict[str, str]:
    """Query parameters for a link to another page with the current state (plus changes)."""
    return vs.to_params(view().replace(**changes))


# -------------------------------------------------------------------------------------------------
# Sidebar filters

def bind(key: str, value) -> None:
    """Show `value` in the widget `key` (the URL is the source of truth, not the widget)."""
    st.session_state[key] = value


def on_filter(field: str, key: str) -> None:
    value = st.session_state.get(key)
    if field in ("province", "district", "commune", "em_region"):
        value = value or None
    if field == "lang" and value not in vs.LANGS:
        return
    update_state(**{field: value})


def _on_reset() -> None:
    state = url_state()
    fresh = vs.ViewState(page=state.page, lang=state.lang, year=options(data_version(), "new").latest_year)
    write_state(fresh)
    st.session_state[STATE_KEY] = fresh


def sidebar(state: vs.ViewState) -> None:
    """Language, geography, scope (province, district), year and the two filters, all bound to the URL."""
    geo = state.geography
    opts = options(data_version(), geo)
    names = unit_names(data_version(), geo)
    lg = state.lang
    with st.sidebar:
        bind("w_lang", state.lang)
        st.segmented_control(t("ui.language", lg), options=list(vs.LANGS), key="w_lang",
                             format_func=lambda v: t(f"language.{v}", v),
                             on_change=on_filter, args=("lang", "w_lang"), selection_mode="single",
                             required=True)
        st.subheader(t("ui.filters", lg))
        bind("w_geo", geo)
        st.segmented_control(t("ui.geography", lg), options=list(GEOGRAPHIES), key="w_geo",
                             format_func=lambda g: t(f"ui.geo_short.{g}", lg), help=t("ui.geography_help", lg),
                             on_change=on_filter, args=("geo", "w_geo"), selection_mode="single", required=True)
        province_opts = [""] + sorted(opts.provinces, key=lambda c: opts.provinces[c])
        if state.province and state.province not in opts.provinces:
            province_opts.append(state.province)             # an old province shown as its former area
        bind("w_province", state.province or "")
        st.selectbox(t("ui.province", lg), province_opts, key="w_province",
                     format_func=lambda c: province_label(c, opts, lg) if c else t("ui.all_provinces", lg),
                     on_change=on_filter, args=("province", "w_province"))
        district_codes = sorted((d for d, p in opts.districts.items() if p == state.province),
                                key=lambda d: names["district"].get(d, d))
        bind("w_district", state.district or "")
        st.selectbox(t("ui.former_district" if geo == "new" else "ui.district", lg), [""] + district_codes,
                     key="w_district", help=t("ui.former_district_help", lg) if geo == "new" else None,
                     format_func=lambda d: names["district"].get(d, d) if d else t("ui.all_districts", lg),
                     on_change=on_filter, args=("district", "w_district"), disabled=not district_codes)
        if opts.years:
            bind("w_year", state.year)
            st.selectbox(t("ui.year", lg), sorted(opts.years, reverse=True), key="w_year",
                         on_change=on_filter, args=("year", "w_year"))
        bind("w_mountain", state.mountainous_only)
        derived = " " + t("ui.derived_filter_help", lg) if geo == "new" else ""    # new communes: from predecessors
        st.toggle(t(f"ui.mountainous_only.{geo}", lg), key="w_mountain", on_change=on_filter,
                  args=("mountainous_only", "w_mountain"), help=derived.strip() or None)
        bind("w_em", state.em_region or "")
        st.selectbox(t("ui.em_region", lg), [""] + list(vs.EM_REGIONS), key="w_em", help=t("ui.em_help", lg) + derived,
                     format_func=lambda r: t("ui.em_option", lg, region=r) if r else t("ui.em_all", lg),
                     on_change=on_filter, args=("em_region", "w_em"))
        st.button(t("ui.reset", lg), on_click=_on_reset, icon=":material/restart_alt:")
        st.caption(t("ui.share_hint", lg))


# -------------------------------------------------------------------------------------------------
# Headers and notices

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")
# GFM links bare web and e-mail addresses after escapes are read ("http\:" is still "http:"): a word joiner
# (invisible, no line break) inside "://", after "www" and before "@" leaves them text.
_BARE_LINK = re.compile(r"(?<=:)(?=//)|(?<=www)(?=\.)|(?=@)", re.IGNORECASE)
_WORD_JOINER = "\u2060"


def _css_text(text: str) -> str:
    """Catalogue text as a CSS string literal (quotes and backslashes escaped)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def widgets_in_language(lg: str) -> None:
    """Streamlit's own widget texts are English: the file uploader's button, size limit and refusal of a
    file (its tooltip), a text box's "Press Enter to apply", and the full-screen button it adds to every
    chart's toolbar (plotly's own buttons follow `plotly_config`). A fixed style block puts the
    catalogue's words there instead (no data ever reaches it: only the catalogue and the configured size
    limit). The data grids' toolbar (search, CSV, full screen) has
    English tooltips no style can change: in Vietnamese it is hidden — the product's own download
    buttons stand in for it."""
    mb = int(st.get_option("server.maxUploadSize"))
    limit, refused = t("ui.upload_limit", lg, mb=mb), t("ui.upload_refused", lg, mb=mb)
    st.html(f"""<style>
[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"] {{ display: none; }}
[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"]::after {{ content: {_css_text(t("ui.upload_button", lg))}; margin-left: 0.4rem; white-space: nowrap; }}
[data-testid="stFileUploaderDropzoneInstructions"] span, [data-testid="stFileUploaderDropzoneInstructions"] small {{ font-size: 0; }}
[data-testid="stFileUploaderDropzoneInstructions"] span::after, [data-testid="stFileUploaderDropzoneInstructions"] small::after
  {{ content: {_css_text(limit)}; font-size: 0.85rem; }}
[data-testid="stTooltipErrorContent"] {{ font-size: 0; }}
[data-testid="stTooltipErrorContent"]::after {{ content: {_css_text(refused)}; font-size: 0.85rem; }}
[data-testid="InputInstructions"] {{ font-size: 0; }}
[data-testid="InputInstructions"]::after {{ content: {_css_text(t("ui.press_enter", lg))}; font-size: 0.75rem; }}
.modebar-btn[data-title="Fullscreen"]::after {{ content: {_css_text(t("ui.fullscreen", lg))} !important; }}
.modebar-btn[data-title="Close fullscreen"]::after {{ content: {_css_text(t("ui.fullscreen_close", lg))} !important; }}
{'[data-testid="stDataFrame"] [data-testid="stElementToolbar"] { display: none; }' if language(lg) == "vi" else ""}
{METRIC_WRAP_CSS}
</style>""")


# A metric card's label, value and change wrap onto a second line instead of ending in "…" (Streamlit cuts
# them with an ellipsis): a status or a number is never cut, on a 1280-px projector or in a narrow column.
# Cards side by side keep one height; a card whose value is words (a status) sits in a container keyed
# "words…" and takes a smaller type.
METRIC_WRAP_CSS = """
[data-testid="stMetric"] .stMarkdownEllipsis, [data-testid="stMetric"] .stMarkdownEllipsis p
  { white-space: normal; overflow: visible; text-overflow: clip; overflow-wrap: break-word; }
[data-testid="stMetric"] div:has(> [data-testid="stMetricDelta"]) { overflow: visible; height: auto; }
[data-testid="stMetricDelta"] { height: auto; align-items: flex-start; }
[data-testid="stMetricValue"] { line-height: 1.2; }
[data-testid="stColumn"] > [data-testid="stVerticalBlock"] > [data-testid="stElementContainer"]:only-child:has(> [data-testid="stMetric"])
  { flex-grow: 1; }
[data-testid="stElementContainer"]:only-child > [data-testid="stMetric"] { height: 100%; }
[class*="st-key-words"] [data-testid="stMetricValue"] { font-size: 1.75rem; }
"""


def md(text) -> str:
    """Data (unit names, file names, cells quoted in a report…) made literal for elements that render
    Markdown (title, caption, alerts, buttons, tables): every Markdown character is escaped and bare
    addresses are broken up, so text from data never becomes a link, an image or a directive. HTML is
    never enabled for text (no unsafe_allow_html); the only HTML is `widgets_in_language`'s fixed style
    block."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", _BARE_LINK.sub(_WORD_JOINER, str(text)))


def md_cells(df: pd.DataFrame) -> pd.DataFrame:
    """`df` with every text cell made literal (`md`), for `st.table`, whose cells render Markdown."""
    return df.map(lambda v: md(v) if isinstance(v, str) else v)


def province_label(code: str, opts: vs.StateOptions, lang: str) -> str:
    """A province in the chooser: its name, or an old province's former area."""
    if code in opts.provinces:
        return opts.provinces[code]
    return t("unit.former_area", lang, name=opts.former_provinces.get(code, code))


def scope_name(state: vs.ViewState) -> str:
    """The scope's name in the state's language (a district of the new geography is a former district; an
    old province there is its former area)."""
    geo = state.geography
    names = unit_names(data_version(), geo)
    if state.district:
        name = names["district"].get(state.district, state.district)
        return t("unit.former_district", state.lang, name=name) if geo == "new" else name
    if state.province:
        opts = options(data_version(), geo)
        return province_label(state.province, opts, state.lang)
    opts = options(data_version(), geo)
    return vs.national_name(len(opts.provinces), opts.province_total, state.lang)


def filters_text(state: vs.ViewState) -> str | None:
    """'Filtered to: …' for the header, or None without filters."""
    parts = vs.filter_labels(state.mountainous_only, state.em_region, state.lang, state.geography)
    return t("ui.filters_active", state.lang, filters=", ".join(parts)) if parts else None


def header(state: vs.ViewState, page: str) -> None:
    """Page title, scope, year and geography line, active filters, where an old unit went, how years
    before the reform are read, and the demo-data notice."""
    st.title(t(f"page.{page}", state.lang))
    line = t("ui.scope_year", state.lang, scope=md(scope_name(state)), year=state.year)
    extra = filters_text(state)
    st.caption(" · ".join([line, t(f"geo.{state.geography}", state.lang)] + ([extra] if extra else [])))
    st.caption(t(f"programme.{programme_key(state.year)}", state.lang))
    moved_notice(state)
    if (notice := vs.year_notice(state)) is not None:
        st.info(notice, icon=":material/event_repeat:")
    if state.geography == "new" and state.year is not None and state.year < REFORM_YEAR:
        st.info(t("ui.converted_notice", state.lang, year=state.year), icon=":material/merge:")
    if state.year is not None and is_demo(data_version(), state.scope_code, state.year,
                                          state.mountainous_only, state.em_region, state.geography):
        demo_notice(state.lang)


def programme_key(year: int | None) -> str:
    """The programme period a year belongs to (`data/programme_periods.csv`)."""
    return period_for_year(year or REFORM_YEAR).key


def moved_notice(state: vs.ViewState) -> None:
    """Where the old unit the URL (or the scope) names went at the reform, with a link to its new unit."""
    code = state.asked or (state.province if state.province and state.province not in
                           options(data_version(), state.geography).provinces else None)
    if not code or state.year is None:
        return
    where = moved(data_version(), code, state.year, state.geography)
    if where is None:
        st.warning(t("unit_not_found", state.lang, code=code, year=state.year))
        return
    st.info(labels.moved_text(where, state.lang, literal=md), icon=":material/call_split:")
    if where["level"] == "province" and where["provinces"]:
        code, name = where["provinces"][0]
        st.button(t("ui.open_new_unit", state.lang, name=md(name)), icon=":material/arrow_forward:",
                  on_click=update_state, kwargs=dict(province=code, district=None, commune=None, asked=None))


def open_page(page: str) -> vs.ViewState:
    """The view state of this run, with the page's title, scope line and notices drawn."""
    state = view()
    header(state, page)
    return state


def no_data(state: vs.ViewState, name: str | None = None) -> None:
    """Say that the scope (with its filters), or the unit `name`, has no figures for the year."""
    st.info(t("no_data", state.lang, name=md(name or scope_name_with_filters(state)), year=state.year))


def demo_notice(lg: str) -> None:
    st.warning(t("demo_notice", lg), icon=":material/science:")


def schematic_notice(lg: str) -> None:
    st.info(t("schematic_notice", lg), icon=":material/polyline:")


def source_caption(state: vs.ViewState, demo: bool | None = None) -> None:
    demo = is_demo(data_version(), state.scope_code, state.year, state.mountainous_only,
                   state.em_region, state.geography) if demo is None else demo
    st.caption(labels.source_line(demo, state.lang))


def section(state: vs.ViewState, page: str):
    """Tabs for the sections of a page (`ntm.present.state.SECTIONS`), bound to the URL (`view=`). Only the
    open section's content runs and is drawn, so a page sends and draws a few charts at a time.
    Returns the open section's id and its tab (draw the content `with` it)."""
    ids = vs.SECTIONS[page]
    labels = [t(f"ui.section.{i}", state.lang) for i in ids]
    current = state.section if state.section in ids else ids[0]
    key = f"w_view_{page}"
    bind(key, labels[ids.index(current)])
    tabs = st.tabs(labels, key=key, on_change=_on_section, args=(key, ids, labels))
    return current, tabs[ids.index(current)]


def _on_section(key: str, ids: tuple[str, ...], labels: list[str]) -> None:
    label = st.session_state.get(key)
    if label in labels:
        chosen = ids[labels.index(label)]
        update_state(section=None if chosen == ids[0] else chosen)


def chart_data(name: str, state: vs.ViewState, code: str | None = "__scope__", filtered: bool = True) -> pd.DataFrame:
    """The frame registered chart `name` is drawn from, for the state's scope (or `code`) and year."""
    spec = CHARTS[name]
    years = options(data_version(), state.geography).years or (state.year,)
    return get_series(spec.series, state, code=code, filtered=filtered, **spec.series_options(state.year, years))


def page_data(name: str, state: vs.ViewState) -> pd.DataFrame:
    """The frame of registered chart `name` that a page cannot do without; when it is empty the page
    says there are no figures for its scope and stops."""
    data = chart_data(name, state)
    if data.empty:
        no_data(state)
        st.stop()
    return data


def summary_of(state: vs.ViewState, year: int | None = None) -> dict:
    """The summary of the state's (filtered) scope for its year, or `year`."""
    return summary(data_version(), state.scope_code, state.year if year is None else year, state.mountainous_only,
                   state.em_region, state.geography)


def show_chart(name: str, state: vs.ViewState, data: pd.DataFrame | None = None, *, widget: str,
               code: str | None = "__scope__", filtered: bool = True, scope_name: str | None = None,
               **options_) -> pd.DataFrame:
    """Draw registered chart `name` (`ntm.present.charts.CHARTS`) for the state, from `data` or its own
    series, titled with its years and scope, with the PNG export button. Returns the frame drawn."""
    spec = CHARTS[name]
    data = chart_data(name, state, code, filtered) if data is None else data
    ctx = chart_context(state, spec.title_years(data, state.year), scope_name=scope_name, rates=spec.rates)
    chart(name, data, ctx, state.lang, widget, **{**spec.options(state.year), **options_})
    return data


def chart(name: str, data: pd.DataFrame, ctx, lang: str, widget: str, **kwargs) -> None:
    """Draw registered chart `name` from `data` in `ctx` with the PNG export button at 1920×1080. The
    figure is kept per process for its exact inputs (the data's content, context, language and
    options), so a rerun with unchanged inputs does not build it again."""
    fingerprint = hashlib.sha1(pickle.dumps((data, ctx, lang, sorted(kwargs.items())))).hexdigest()
    fig = _figure(name, fingerprint, data, ctx, lang, kwargs)
    st.plotly_chart(fig, config=plotly_config(lang), key=widget, width="stretch")


@st.cache_resource(show_spinner=False, max_entries=256)
def _figure(name: str, fingerprint: str, _data, _ctx, _lang, _kwargs):
    """A built figure, keyed on the fingerprint of its inputs only (the inputs are not hashed again).
    Figures are shared read-only: `st.plotly_chart` serialises a copy."""
    return CHARTS[name].draw(_data, _ctx, _lang, **_kwargs)


_NUMBER_TEXT = re.compile(r"[-+−–]?\s?[\d.,]+\s?%?|–|")   # formatted figures: "1.234", "12,5 %", "–"
STATIC_TABLE_ROWS = 25   # up to this many rows a table is printed in full; longer ones scroll


def table(df: pd.DataFrame) -> None:
    """A table of figures: short ones as a Markdown table (every row visible, and nothing more for the
    browser to load — the grid and static-table elements each fetch a data-frame library first), long
    ones as a scrollable, sortable grid. Every cell and header is escaped (`md`): names stay text."""
    if len(df) > STATIC_TABLE_ROWS:
        st.dataframe(df.style.format(lambda v: fmt_cell(v, lang())), hide_index=True, width="stretch")
        return
    st.markdown(markdown_table(df))


def markdown_table(df: pd.DataFrame) -> str:
    """`df` as a GitHub-flavoured Markdown table with every cell escaped; number columns right-aligned."""
    lg = lang()
    floats = {i: decimals_of(df[c]) for i, c in enumerate(df.columns) if pd.api.types.is_float_dtype(df[c])}
    floats = {i: d for i, d in floats.items() if d}             # whole numbers (years, counts): as they are

    def cell(v, i: int | None = None) -> str:                  # a float column: one number of decimals
        text = fmt_number(v, lg, floats[i]) if i in floats and pd.notna(v) else fmt_cell(v, lg)
        return md(" ".join(text.split())) or "–"

    numeric = [pd.api.types.is_numeric_dtype(df[c]) or (len(df) and all(_NUMBER_TEXT.fullmatch(str(v).strip())
                                                                     for v in df[c])) for c in df.columns]
    lines = ["| " + " | ".join(cell(c) for c in df.columns) + " |",
             "|" + "|".join("---:" if n else "---" for n in numeric) + "|"]
    lines += ["| " + " | ".join(cell(v, i) for i, v in enumerate(row)) + " |" for row in df.itertuples(index=False)]
    return "\n".join(lines)


def number(value, decimals: int = 0) -> str:
    return fmt_number(value, lang(), decimals)
