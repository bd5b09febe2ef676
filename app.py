"""The dashboard's router and frame: page setup, navigation, the sidebar filters (kept in the URL)
and the demo-data notice. Run with `streamlit run app.py` (see scripts/start.sh)."""

from __future__ import annotations

import streamlit as st

from ntm import accounts as auth
from ntm.present.state import PAGE_LIST
from ntm.text import t
from pages import common

# The language comes from the URL before anything is drawn, so page titles are in it too.
st.set_page_config(page_title=t("ui.browser_title", common.link_language()), layout="wide",
                   initial_sidebar_state="expanded")
common.database_ready()                 # a database another process holds: a message, not a traceback
_lang = common.url_state().lang
_locked = auth.viewing_requires_login() and not st.session_state.get("analyst")
# The pages of `ntm.present.state.PAGE_LIST`: the reports and the export for everyone, data management
# for analysts (the default page while viewing needs a sign-in).
_all = {p.key: st.Page(common.PAGE_FILES[p.key], title=t(f"page.{p.key}", _lang), url_path=p.url_path,
                       default=p.key == ("upload" if _locked else "overview"))
        for p in PAGE_LIST}
_reports = {p.key: _all[p.key] for p in PAGE_LIST if p.group != "data"}
_data = {p.key: _all[p.key] for p in PAGE_LIST if p.group == "data"}
if _locked and _data:
    # NTM_REQUIRE_LOGIN=1: nothing but the sign-in (on the analysts' page) until someone signs in.
    _pages = _data
    current = st.navigation(list(_data.values()), position="sidebar")
else:
    _pages = {**_reports, **_data}
    sections = {t("ui.nav_reports", _lang): list(_reports.values())}
    if _data:
        sections[t("ui.nav_data", _lang)] = list(_data.values())
    current = st.navigation(sections, position="sidebar")
page_key = next((k for k, p in _pages.items() if p.url_path == current.url_path), "overview")

state = common.read_state(page_key)
with st.sidebar:
    st.markdown(f"**{t('ui.app_title', state.lang)}**")
    st.caption(t(f"ui.app_caption.{common.programme_key(state.year)}", state.lang))
common.sidebar(state)
common.widgets_in_language(state.lang)

if page_key != "upload" and not common.options(common.data_version(), state.geography).years:
    st.title(t(f"page.{page_key}", state.lang))
    st.info(t("ui.no_years", state.lang))
    st.stop()

current.run()
