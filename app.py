"""The dashboard's router and frame: page setup, navigation, the sidebar filters (kept in the URL)
and the demo-data notice. Run with `streamlit run app.py` (see scripts/start.sh)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ntm import accounts as auth
from ntm.text import t
from pages import common

ROOT = Path(__file__).resolve().parent

# The language comes from the URL before anything is drawn, so page titles are in it too.
_lang = common.url_state().lang
st.set_page_config(page_title=t("ui.browser_title", _lang), layout="wide", initial_sidebar_state="expanded")
_locked = auth.viewing_requires_login() and not st.session_state.get("analyst")
_report_files = {**common.PAGE_FILES,
                 **{k: p for k, p in common.EXPORT_PAGE_FILES.items() if (ROOT / p).exists()}}
_reports = {key: st.Page(path, title=t(f"page.{key}", _lang), url_path=common.PAGE_URLS[key],
                         default=key == "overview" and not _locked)
            for key, path in _report_files.items()}
_data = {key: st.Page(path, title=t(f"page.{key}", _lang), url_path=common.PAGE_URLS[key], default=_locked)
         for key, path in common.DATA_PAGE_FILES.items() if (ROOT / path).exists()}
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
    st.caption(t("ui.app_caption", state.lang))
common.sidebar(state)

if page_key != "upload" and not common.options(common.data_version()).years:
    st.title(t(f"page.{page_key}", state.lang))
    st.info(t("ui.no_years", state.lang))
    st.stop()

current.run()
