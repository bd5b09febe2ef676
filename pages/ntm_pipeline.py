"""Nông thôn mới / New rural development: the status ladder over the years, the communes at risk of
losing recognition (QĐ 18/2022), targets, district progress, movements between years and the
criteria not met by responsible department."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ntm.domain.criteria import criteria_set
from ntm.present.labels import district_heading, recognition_anew_text
from ntm.text import fmt_number, fmt_percent, status_label, t
from dashboard import charts, frame, markdown, queries, session

MAX_MATRIX_COMMUNES = 40
MAX_ALL_COMMUNES = 200         # every commune of a new province fits (the largest has under 200)
MAX_TIMELINE_DISTRICTS = 70    # above this, one row per district is unreadable: choose a province
ALL_COMMUNES_KEY = "ntm-all-communes"


def show_every_commune(total: int) -> bool:
    """Say that the grid shows the communes meeting the fewest criteria, and whether the reader asked for
    all of them: on the new units communes are the unit (a switch shows a province's every commune), on the
    old ones a district narrows the grid."""
    n, total_text = MAX_MATRIX_COMMUNES, fmt_number(total, lg)
    if state.geography == "old":
        st.caption(t("ui.criteria_worst", lg, n=n, total=total_text))
        return False
    if total > MAX_ALL_COMMUNES:
        st.caption(t("ui.criteria_worst_first", lg, n=n, total=total_text) + " " + t("ui.criteria_narrow", lg))
        return False
    if not st.session_state.get(ALL_COMMUNES_KEY):
        st.caption(t("ui.criteria_worst_first", lg, n=n, total=total_text))
    return st.toggle(t("ui.criteria_show_all", lg, total=total_text), key=ALL_COMMUNES_KEY)


state = frame.open_page("ntm")
lg = state.lang
version = session.data_version()
years = queries.options(version, state.geography).years
year = state.year

status = charts.page_data("ntm_status", state)

# --- the message of the page in one line ---------------------------------------------------------
s = queries.summary_of(state)
ntm = s.get("ntm") or {}
rural, recognised = ntm.get("rural_communes") or 0, ntm.get("recognised") or 0
st.markdown(t("ui.ntm_lead", lg, year=year, recognised=fmt_number(recognised, lg), rural=fmt_number(rural, lg),
              share=fmt_percent(100 * recognised / rural if rural else None, lg, 1),
              risk=fmt_number(ntm.get("at_risk") or 0, lg)))
cset = criteria_set(s.get("criteria_set"), year)
if not cset.recognition_carries_over:     # recognition under this set starts anew (docs/domain.md §1.9)
    st.caption(recognition_anew_text(queries.get_series("recognition_restart", state, year=year).iloc[0], lg))

# --- at-risk list (docs/domain.md §9.3): always shown, it is what a meeting acts on ----------------------------
st.subheader(t("ui.at_risk_section", lg, year=year))
st.caption(t("ui.at_risk_help", lg))
if not cset.revocation_verified:
    st.info(t("ui.at_risk_rule_default", lg), icon=":material/gavel:")
risk = charts.chart_data("at_risk_table", state)
if risk.empty:
    st.success(t("at_risk_none", lg))
else:
    markdown.table(pd.DataFrame({
        t("table.commune", lg): risk["commune_name"],
        district_heading(state.geography, lg): risk["district_name"],
        t("table.status", lg): [status_label(v, lg) for v in risk["ntm_status"]],
        t("table.recognised", lg): ["–" if pd.isna(v) else str(int(v)) for v in risk["ntm_recognition_year"]],
        t("table.criteria_met", lg): [f"{int(v)}/{int(n)}" for v, n in zip(risk["criteria_met"], risk["n_criteria"])],
        t("table.failed", lg): risk["failed_criteria"],
        t("table.failed_key", lg): risk["failed_key_criteria"],
    }))

view, tab = frame.section(state, "ntm")
with tab:
    if view == "progress":             # the ladder over the years and the targets (docs/domain.md §9.4, §9.5)
        charts.show_chart("ntm_status", state, status, widget="ntm-status")
        targets = charts.chart_data("targets", state)
        if not targets.empty:
            charts.show_chart("targets", state, targets, widget="ntm-targets")

    elif view == "districts":          # district NTM status: history on the new units
        if state.geography == "new":
            st.caption(t("ui.districts_history", lg))
        districts = charts.chart_data("district_status", state)
        if districts.empty:
            frame.no_data(state)
        elif districts["district_code"].nunique() > MAX_TIMELINE_DISTRICTS:
            st.info(t("ui.choose_province_for_districts", lg, n=MAX_TIMELINE_DISTRICTS))
        else:
            charts.show_chart("district_status", state, districts, widget="ntm-districts")

    elif view == "movements":          # between the previous year and this one
        flows = charts.chart_data("movements", state) if year - 1 in years else None
        if flows is not None and criteria_set(None, year - 1).key != cset.key:
            st.info(t("ui.movements_across_sets", lg, year=year - 1, set_from=criteria_set(None, year - 1).name(lg),
                      set_to=cset.name(lg)), icon=":material/sync_alt:")
        if flows is None:
            st.info(t("ui.movements_need_two_years", lg, year=year - 1))
        elif flows.empty:
            frame.no_data(state)
        else:
            charts.show_chart("movements", state, flows, widget="ntm-sankey")

    else:                              # criteria not met, by department (docs/domain.md §9.6)
        matrix = charts.chart_data("criteria", state)
        if not matrix.empty:
            communes = matrix.drop_duplicates("commune_code")
            if len(communes) > MAX_MATRIX_COMMUNES and not show_every_commune(len(communes)):
                worst = communes.sort_values(["criteria_met", "commune_code"]).head(MAX_MATRIX_COMMUNES)["commune_code"]
                matrix = matrix[matrix["commune_code"].isin(set(worst))]
            by_department = st.toggle(t("ui.by_department", lg), value=True, key="ntm-by-dept")
            charts.show_chart("criteria", state, matrix, widget="ntm-criteria", by_department=by_department)

frame.source_caption(state)
