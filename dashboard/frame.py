"""The frame every page runs in: the pages declared once (`st.navigation`), each page's title, scope line
and notices, and the section tabs bound to the URL."""

from __future__ import annotations

import contextlib
import threading

import streamlit as st

from dashboard.markdown import md
from dashboard.queries import moved, options, state_is_demo, unit_names
from dashboard.session import data_version, link_language
from dashboard.url import bind, update_state, view
from ntm.store import accounts as auth
from ntm.domain.periods import period_for_year
from ntm.domain.units import REFORM_YEAR
from ntm.present import labels
from ntm.present import state as vs
from ntm.text import t

# Every page's file, by key (`ntm.present.state.PAGE_LIST`); URL paths equal the file names (see ensure_frame).
PAGE_FILES = {p.key: f"pages/{p.file}" for p in vs.PAGE_LIST}
_run = threading.local()      # whether this script run entered through app.py (a run is one thread)


def navigation(lg: str) -> tuple[str, st.Page]:
    """Declare the pages of `ntm.present.state.PAGE_LIST` (titles in `lg`): the reports and the export for
    everyone, data management for analysts — only that (the default page) while viewing needs a sign-in.
    Returns the key and the page this run shows. No page icons: Streamlit makes a page's icon the favicon
    and fetches ":material/…:" favicons from fonts.gstatic.com (the dashboard must not call out), and
    emoji need an emoji font on the PC."""
    locked = auth.viewing_requires_login() and not st.session_state.get("analyst")
    pages = {p.key: st.Page(PAGE_FILES[p.key], title=t(f"page.{p.key}", lg), url_path=p.url_path,
                            default=p.key == ("upload" if locked else "overview")) for p in vs.PAGE_LIST}
    data = {p.key: pages[p.key] for p in vs.PAGE_LIST if p.group == "data"}
    if locked and data:
        shown, current = data, st.navigation(list(data.values()), position="sidebar")
    else:
        sections = {t("ui.nav_reports", lg): [pages[p.key] for p in vs.PAGE_LIST if p.group != "data"]}
        if data:
            sections[t("ui.nav_data", lg)] = list(data.values())
        shown, current = pages, st.navigation(sections, position="sidebar")
    return next((k for k, p in shown.items() if p.url_path == current.url_path), "overview"), current


@contextlib.contextmanager
def framed():
    """app.py runs the page inside this: the page knows it has its frame (sidebar, layout, state)."""
    _run.framed = True
    try:
        yield
    finally:
        _run.framed = False


def ensure_frame() -> None:
    """Run the page inside app.py's frame. A server process that sees a `pages/` folder runs a deep link
    (`/map?province=62`) by Streamlit's folder convention, the page alone, until some run has declared
    the navigation: declare it (which ends that convention for the process) and rerun — the URL paths
    equal the file names, so the rerun lands on the same page, through app.py."""
    if not getattr(_run, "framed", False):
        navigation(link_language())
        st.rerun()


def open_page(page: str) -> vs.ViewState:
    """The view state of this run, with the page's title, scope line and notices drawn."""
    ensure_frame()
    state = view()
    header(state, page)
    return state


def province_label(code: str, opts: vs.StateOptions, lang: str) -> str:
    """A province in the chooser: its name, or an old province's former area."""
    if code in opts.provinces:
        return opts.provinces[code]
    return t("unit.former_area", lang, name=opts.former_provinces.get(code, code))


def scope_name(state: vs.ViewState) -> str:
    """The scope's name in the state's language (a district of the new geography is a former district; an
    old province there is its former area)."""
    geo = state.geography
    if state.district:
        name = unit_names(data_version(), geo)["district"].get(state.district, state.district)
        return t("unit.former_district", state.lang, name=name) if geo == "new" else name
    opts = options(data_version(), geo)
    if state.province:
        return province_label(state.province, opts, state.lang)
    return vs.national_name(len(opts.provinces), opts.province_total, state.lang)


def scope_name_with_filters(state: vs.ViewState) -> str:
    """The scope's name with its active filters, in the state's language."""
    return vs.name_with_filters(scope_name(state), state.mountainous_only, state.em_region, state.lang,
                                state.geography)


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
    if state.year is not None and state_is_demo(state):
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


def no_data(state: vs.ViewState, name: str | None = None) -> None:
    """Say that the scope (with its filters), or the unit `name`, has no figures for the year."""
    st.info(t("no_data", state.lang, name=md(name or scope_name_with_filters(state)), year=state.year))


def demo_notice(lg: str) -> None:
    """The figures shown are demo data."""
    st.warning(t("demo_notice", lg), icon=":material/science:")


def schematic_notice(lg: str) -> None:
    """The boundaries drawn are schematic."""
    st.info(t("schematic_notice", lg), icon=":material/polyline:")


def source_caption(state: vs.ViewState, demo: bool | None = None) -> None:
    """Where the figures come from (and whether they are demo data)."""
    st.caption(labels.source_line(state_is_demo(state) if demo is None else demo, state.lang))


def section(state: vs.ViewState, page: str):
    """Tabs for the sections of a page (`ntm.present.state.PAGE_SECTIONS`), bound to the URL (`view=`). Only the
    open section's content runs and is drawn, so a page sends and draws a few charts at a time.
    Returns the open section's id and its tab (draw the content `with` it)."""
    ids = vs.PAGE_SECTIONS[page]
    names = [t(f"ui.section.{i}", state.lang) for i in ids]
    current = state.section if state.section in ids else ids[0]
    key = f"w_view_{page}"
    bind(key, names[ids.index(current)])
    tabs = st.tabs(names, key=key, on_change=_on_section, args=(key, ids, names))
    return current, tabs[ids.index(current)]


def _on_section(key: str, ids: tuple[str, ...], names: list[str]) -> None:
    name = st.session_state.get(key)
    if name in names:
        chosen = ids[names.index(name)]
        update_state(section=None if chosen == ids[0] else chosen)


def progress_bar(text: str):
    """A progress bar and the `progress(i, n, label)` callback that moves it."""
    bar = st.progress(0.0, text=text)

    def update(i: int, n: int, label: str) -> None:
        bar.progress(min(max(i / n, 0.0), 1.0) if n else 1.0, text=label)

    return bar, update
