"""Giảm nghèo / Poverty reduction: rates over the years, the yearly reduction against the target,
the flows of the year (escaped, fell back, newly poor), fall-back, mountainous vs other districts,
ethnic-minority poverty and the units ranked by reduction: districts on the old units, communes on the new
ones (provinces nationally)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ntm.present import findings
from ntm.present.charts.poverty import RANKING_CHARTS
from ntm.present.labels import ranking_frame, ranking_level
from ntm.text import fmt_number, fmt_percent, fmt_pp, t
from dashboard import charts, frame, markdown, queries, session

state = frame.open_page("poverty")
lg = state.lang
version = session.data_version()
years = queries.options(version, state.geography).years
year = state.year

rates = charts.page_data("poverty_trend", state)

# --- the message of the page in one line ---------------------------------------------------------
s = queries.summary_of(state)
broken = bool((s.get("poverty_standard") or {}).get("break"))     # last year under another standard: not compared
change = t("ui.rate_across_standards", lg, year=year) if broken else fmt_pp(s.get("poor_rate_change_pp"), lg)
rate = fmt_percent((s.get("poor") or {}).get("percent"), lg)
no_flows = findings.flows_absent(s, lg)     # a baseline review under a new standard (or a file without flows)
if no_flows:
    known = broken or s.get("poor_rate_change_pp") is not None
    st.markdown(t("ui.poverty_lead_no_flows", lg, year=year, rate=rate, change=f" ({change})" if known else "",
                  note=no_flows))
else:
    st.markdown(t("ui.poverty_lead", lg, year=year, rate=rate, change=change, escaped=fmt_number(s.get("escaped"), lg),
                  fell_back=fmt_number(s.get("fell_back"), lg), newly=fmt_number(s.get("newly_poor"), lg)))

view, tab = frame.section(state, "poverty")
# One chart per row: the figures are laid out for 16:9 and their titles carry scope and years.
with tab:
    if view == "trends":
        charts.show_chart("poverty_trend", state, rates, widget="pov-rates")
        reduction = charts.chart_data("reduction_target", state)
        if reduction["reduction_pp"].notna().any():
            charts.show_chart("reduction_target", state, reduction, widget="pov-reduction")
        else:
            st.info(t("ui.one_year_only", lg))

    elif view == "flows":
        flows = charts.chart_data("poverty_waterfall", state)
        if not flows[(flows["year"] == year) & flows["poor_start"].notna()].empty:
            charts.show_chart("poverty_waterfall", state, flows, widget="pov-waterfall")
        else:
            st.info(no_flows or t("ui.one_year_only", lg))
        fallback = charts.chart_data("fallback", state)
        if not fallback.empty:
            charts.show_chart("fallback", state, fallback, widget="pov-fallback")

    elif view == "groups":
        if state.geography == "new":
            st.caption(t("ui.derived_groups_note", lg))
        charts.show_chart("mountainous", state, widget="pov-terrain")
        charts.show_chart("em_poor", state, widget="pov-em")

    else:  # the units ranked by the reduction since the first year: communes on the new units
        first = min(years)
        key = RANKING_CHARTS[state.geography]
        ranking = charts.chart_data(key, state) if year > first else pd.DataFrame()
        if ranking.empty:
            st.info(t("ui.one_year_only", lg))
        else:
            charts.show_chart(key, state, ranking, widget="pov-ranking")
            st.subheader(t(f"ui.ranking_table.{ranking_level(ranking)}", lg, y0=first, y1=year))
            markdown.table(ranking_frame(ranking, lg, state.geography))
            if ranking_level(ranking) == "commune":        # new communes: attributes from their predecessors
                st.caption(t("ui.derived_groups_note", lg))

frame.source_caption(state)
