"""The dashboard's frame: page setup, the pages (declared once in `dashboard.frame.navigation`), the
sidebar filters (kept in the URL) and the language of Streamlit's own widgets; then the page runs inside
it. Run with `streamlit run app.py` (see scripts/start.sh)."""

from __future__ import annotations

import streamlit as st

from dashboard import frame, queries, session, sidebar, style, url
from ntm.present import state as vs
from ntm.text import t

# The language comes from the URL before anything is drawn, so page titles are in it too.
st.set_page_config(page_title=t("ui.browser_title", session.link_language()), layout="wide",
                   initial_sidebar_state="expanded")
# A store that cannot be reached: a message under the pages' own navigation, not a traceback.
session.database_ready(declare_pages=lambda: frame.navigation(session.link_language()))
page_key, current = frame.navigation(url.url_state().lang)
state = url.read_state(page_key)
sidebar.sidebar(state)
style.widgets_in_language(state.lang)

if vs.PAGE_REGISTRY[page_key].group != "data" and not queries.options(session.data_version(), state.geography).years:
    st.title(t(f"page.{page_key}", state.lang))
    st.info(t("ui.no_years", state.lang))
    st.stop()

with frame.framed():
    current.run()
