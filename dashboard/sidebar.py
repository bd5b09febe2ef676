"""The sidebar: language, geography, province, former district, year and the two filters, each bound to
the URL (a widget shows the URL's value; its change goes back through `url.update_state`)."""

from __future__ import annotations

import streamlit as st

from dashboard.frame import programme_key, province_label
from dashboard.queries import options, unit_names
from dashboard.session import data_version
from dashboard.url import bind, reset, update_state
from ntm.domain.units import GEOGRAPHIES
from ntm.present import state as vs
from ntm.text import t


def on_filter(field: str, key: str) -> None:
    """A widget's new value into the URL state."""
    value = st.session_state.get(key)
    if field in ("province", "district", "commune", "em_region"):
        value = value or None
    if field == "lang" and value not in vs.LANGS:
        return
    update_state(**{field: value})


def sidebar(state: vs.ViewState) -> None:
    """The product's name and programme, then the filters, all bound to the URL."""
    geo = state.geography
    opts = options(data_version(), geo)
    names = unit_names(data_version(), geo)
    lg = state.lang
    with st.sidebar:
        st.markdown(f"**{t('ui.app_title', lg)}**")
        st.caption(t(f"ui.app_caption.{programme_key(state.year)}", lg))
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
        st.button(t("ui.reset", lg), on_click=reset, icon=":material/restart_alt:")
        st.caption(t("ui.share_hint", lg))
