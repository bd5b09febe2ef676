"""Bản đồ / Map: one indicator by province, district or commune; click to drill down or to open a
commune's profile. The legend is a plain table, the tooltips plain text."""

from __future__ import annotations

import os

import pandas as pd
import streamlit as st

from ntm.domain.metrics import METRICS
from ntm.present import maps
from ntm.present import state as vs
from ntm.present.maps.classes import metric_label
from ntm.present.maps import source_names
from ntm.text import fmt_number, t
from dashboard import frame, map_data, markdown, queries, session, sidebar, url

state = frame.open_page("map")
lg = state.lang
version = session.data_version()
opts = queries.options(version, state.geography)
names = queries.unit_names(version, state.geography)


def on_select(key: str, level: str) -> None:
    """A click on the map of `level`: a province or district drills down, a commune is selected."""
    event = st.session_state.get(key) or {}
    objects = ((event.get("selection") or {}).get("objects") or {}).get(maps.UNITS_LAYER_ID) or []
    if not objects:
        return
    props = objects[0].get("properties", objects[0]) if isinstance(objects[0], dict) else {}
    code, level = str(props.get("code") or ""), props.get("level", level)
    if level == "province" and code in opts.provinces:
        url.update_state(province=code, level=None)
    elif level == "district" and code in opts.districts:
        url.update_state(province=opts.districts[code], district=code, level=None)
    elif level == "commune" and code in opts.communes:
        url.update_state(commune=code)


def go_up() -> None:
    current = url.url_state()
    if current.district:
        url.update_state(district=None, level=None)
    else:
        url.update_state(province=None, level=None)


# --- choosers ----------------------------------------------------------------------------------
levels = vs.map_levels(state.scope_level, state.geography)      # on the new units: former districts last
c1, c2, c3 = st.columns([3, 3.6, 2], vertical_alignment="bottom")     # the level chooser unclipped at 1280 px
url.bind("w_metric", state.metric)
c1.selectbox(t("ui.map_metric", lg), list(METRICS), key="w_metric",
             format_func=lambda m: metric_label(m, state.map_level, lg),
             on_change=sidebar.on_filter, args=("metric", "w_metric"))
url.bind("w_level", state.map_level)
c2.segmented_control(t("ui.map_level", lg), levels, key="w_level", required=True,
                     format_func=lambda lv: t("ui.level_opt.former_district" if lv == "district" and
                                              state.geography == "new" else f"ui.level_opt.{lv}", lg),
                     on_change=sidebar.on_filter, args=("level", "w_level"))
if state.scope_level != "national":
    parent = names["province"].get(state.province, state.province) if state.district else t("level.national", lg)
    c3.button(t("ui.up_to", lg, name=markdown.md(parent)), on_click=go_up, width="stretch")

map_args = (version, state.map_level, state.year, state.scope_code, state.metric, lg,
            state.commune if state.map_level == "commune" else None, state.mountainous_only, state.em_region,
            state.geography)
view = map_data.map_view(*map_args)
if view.schematic:
    frame.schematic_notice(lg)

st.subheader(view.title)
if view.notice:                         # e.g. no flows in the baseline review under a new poverty standard
    st.info(view.notice, icon=":material/info:")
map_col, side = st.columns([5, 2.4])
with map_col:
    deck = map_data.map_deck(*map_args, os.environ.get("NTM_BASEMAP_TILES", ""), view.view["height"])
    key = f"map:{state.geography}:{state.map_level}:{state.scope_code or 'VN'}:{state.year}:{state.metric}:{lg}:" \
          f"{int(state.mountainous_only)}:{state.em_region or ''}"
    st.pydeck_chart(deck, on_select=lambda: on_select(key, view.level), selection_mode="single-object", key=key,
                    height=view.view["height"], alt=view.title)
    st.caption(t("ui.click_hint", lg))
    if view.n_unnamed:
        st.caption(t("ui.names_omitted", lg, n=fmt_number(view.n_unnamed, lg)))

with side:
    st.markdown(f"**{t('ui.legend', lg)}** · {view.unit_label}")
    # A plain table: a colour swatch (cell background) and the class with its number of units.
    # (A static table: its cells render Markdown, so the class labels are escaped.)
    legend = pd.DataFrame({
        markdown.md(t("ui.legend_colour", lg)): ["" for _ in view.legend],
        markdown.md(f"{t('ui.legend_class', lg)} ({t('ui.legend_count', lg).lower()})"):
            [markdown.md(f"{item.label} ({fmt_number(item.count, lg)})") for item in view.legend],
    })
    colours = [f"background-color: rgb{tuple(item.colour)}; width: 3em" for item in view.legend]
    swatch = legend.columns[0]
    st.table(legend.style.apply(lambda col: colours if col.name == swatch else [""] * len(col), axis=0),
             hide_index=True)
    if view.legend_note:
        st.caption(view.legend_note)
    if view.level == "district" or (view.outlines or {}).get("features"):
        st.caption(t("ui.mountainous_outline_new" if state.geography == "new" else "ui.mountainous_outline", lg))
    if view.level == "district" and state.geography == "new":
        st.caption(t("ui.former_districts_map", lg))
    st.caption(t("ui.boundaries_from", lg, sources="; ".join(markdown.md(s) for s in source_names(view, lg))))
    if view.level != "province" and state.scope_level == "national":
        st.caption(t("ui.level_unavailable", lg))

    if state.commune and view.level == "commune":
        row = view.table[view.table["code"] == state.commune]
        name = names["commune"].get(state.commune, state.commune)
        st.divider()
        st.text(t("ui.selected_unit", lg, name=name))
        if len(row):
            st.metric(view.metric_label, row.iloc[0]["value_text"])
        st.page_link(frame.PAGE_FILES["commune"], label=t("ui.open_profile", lg), icon=":material/home_pin:",
                     query_params=url.page_params())

# The ranking (10,000 rows on a national commune map) is sent only once the reader opens it.
ranking = st.expander(t("ui.rank_table", lg, metric=view.metric_label), key="map_ranking", on_change="rerun")
if ranking.open:
    table = view.table
    ascending = METRICS[state.metric].higher_is_better
    table = table.sort_values("value", ascending=ascending, na_position="last")
    ranking.dataframe(maps.ranking_table(table, lg), hide_index=True, width="stretch")
    if table["mountainous_derived"].any():
        ranking.caption(t("ui.mountainous_derived_note", lg))

frame.source_caption(state, view.is_demo)
