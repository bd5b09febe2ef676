"""Hồ sơ xã / Commune profile: one commune's NTM status and 19 criteria over the years, its poverty
rates and flows, and how it compares with its district and peers."""

from __future__ import annotations

import streamlit as st

from ntm.domain.criteria import criteria_set
from ntm.text import fmt_number, fmt_percent, fmt_pp, status_label, t
from dashboard import charts, frame, markdown, queries, session, sidebar, url

state = frame.open_page("commune")
lg = state.lang
version = session.data_version()
opts = queries.options(version, state.geography)
names = queries.unit_names(version, state.geography)

# --- which commune ---------------------------------------------------------------------------------
choices = [c for c, (d, p) in opts.communes.items()
           if (state.province is None or p == state.province) and (state.district is None or d == state.district)]
choices.sort(key=lambda c: (names["district"].get(opts.communes[c][0], ""), names["commune"].get(c, c)))


def _label(code: str) -> str:
    if not code:
        return "—"
    district = names["district"].get(opts.communes[code][0], "")
    return f"{names['commune'].get(code, code)} · {district}"


url.bind("w_commune", state.commune if state.commune in choices else "")
st.selectbox(t("ui.choose_commune", lg), [""] + choices, key="w_commune", format_func=_label,
             on_change=sidebar.on_filter, args=("commune", "w_commune"))
if not state.commune:
    st.info(t("ui.choose_commune_hint", lg))
    st.stop()

code = state.commune
info = queries.commune_info(version, code, state.geography)
own = {"code": code, "filtered": False, "scope_name": f"{info.get('name', code)} ({info.get('district', '')})"}
history = charts.chart_data("status_history", state, code=code, filtered=False)
rates = charts.chart_data("poverty_trend", state, code=code, filtered=False)

# --- who and where ---------------------------------------------------------------------------------
st.subheader(markdown.md(info.get("name", code)))
flags = []
if info.get("mountainous"):
    flags.append(t("ui.flag_mountainous", lg))
if info.get("poor_district"):
    flags.append(t("ui.flag_poor_district", lg))
if info.get("em_region"):
    flags.append(t("ui.flag_em", lg, region=info["em_region"]))
if info.get("attributes_derived") and state.geography == "new" and flags:
    flags.append(t("ui.flags_derived", lg))
where = (t("ui.commune_of_new", lg, district=markdown.md(info.get("district") or "–"),
           province=markdown.md(info.get("province", ""))) if state.geography == "new" else
         t("ui.commune_of", lg, district=markdown.md(info.get("district", "")), province=markdown.md(info.get("province", ""))))
st.caption(" · ".join([where] + flags))
if state.geography == "new" and bool(history["converted"].any()):
    first_own = history.loc[~history["converted"], "year"].min()
    st.info(t("ui.commune_history_converted", lg, year=int(first_own) if first_own == first_own else state.year),
            icon=":material/merge:")

now = history[history["year"] == state.year]
poor_now = rates[(rates["year"] == state.year) & (rates["measure"] == "poor")]
near_now = rates[(rates["year"] == state.year) & (rates["measure"] == "near_poor")]
c1, c2, c3, c4 = st.columns([3, 2, 2, 2])
if len(now) and isinstance(now["ntm_status"].iloc[0], str):
    before = now["recognised_before"].iloc[0]
    c1.container(key="words_status").metric(      # a status in words: smaller type, wrapped, never cut
        t("ui.status_in_year", lg, year=state.year),
        status_label(now["ntm_status"].iloc[0], lg) if before != before else t("status.not_again", lg),
        help=None if before != before else t("ui.not_again_help", lg, year=int(before)), border=True)
    c2.metric(t("ui.criteria_met_year", lg, year=state.year),
              f"{fmt_number(now['criteria_met'].iloc[0], lg)}/{int(now['n_criteria'].iloc[0])}", border=True)
else:
    c1.metric(t("ui.status_in_year", lg, year=state.year), "–", border=True, help=t("ui.not_rural_unit", lg))
    c2.metric(t("ui.criteria_met_year", lg, year=state.year), "–", border=True)
def rate_delta(r) -> str | None:
    """The change on last year, unless there is none or it spans two poverty standards (not comparable)."""
    return None if r["change_pp"] != r["change_pp"] or bool(r["standard_break"]) else fmt_pp(r["change_pp"], lg)


def break_help(r) -> str:
    return t("ui.rate_across_standards", lg, year=state.year) if bool(r["standard_break"]) else ""


if len(poor_now):
    r = poor_now.iloc[0]
    c3.metric(t("ui.poor_rate", lg), fmt_percent(r["rate_pct"], lg), rate_delta(r), delta_color="inverse",
              help=" ".join(x for x in (t("ui.n_of_households", lg, count=fmt_number(r["households_in_class"], lg),
                                          total=fmt_number(r["households"], lg)), break_help(r)) if x), border=True)
if len(near_now):
    r = near_now.iloc[0]
    c4.metric(t("ui.near_poor_rate", lg), fmt_percent(r["rate_pct"], lg), rate_delta(r), delta_color="inverse",
              help=break_help(r) or None, border=True)

if now.empty and poor_now.empty:            # e.g. merged before that year: its earlier years still show
    frame.no_data(state, name=info.get("name", code))
if len(now) and bool(now["at_risk"].fillna(False).iloc[0]):
    rule = "risk.rule_confirmed" if criteria_set(now["criteria_set"].iloc[0]).revocation_verified else "risk.rule_default"
    st.warning(t("ui.commune_at_risk", lg, year=state.year, failed=int(now["criteria_failed"].iloc[0]),
                 rule=t(rule, lg)), icon=":material/warning:")

# --- NTM over the years, then poverty (one chart per row: the figures are laid out for 16:9) --------
# A ward or township has no NTM ladder: its profile is its poverty figures alone.
rural = bool(history["ntm_status"].notna().any())
view, tab = frame.section(state, "commune") if rural else ("poverty", st.container())
with tab:
    if view == "ladder":
        charts.show_chart("status_history", state, history, widget="com-history", **own)
        charts.show_chart("scorecard", state, widget="com-scorecard", **own)
    else:
        charts.show_chart("poverty_trend", state, rates, widget="com-rates", **own)
        peers = charts.chart_data("peers", state, code=code, filtered=False)
        if not peers.empty:
            charts.show_chart("peers", state, peers, widget="com-peers", **own)
        flows = charts.chart_data("poverty_waterfall", state, code=code, filtered=False)
        if not flows[(flows["year"] == state.year) & flows["poor_start"].notna()].empty:
            charts.show_chart("poverty_waterfall", state, flows, widget="com-waterfall", **own)

st.page_link(frame.PAGE_FILES["map"], label=t("ui.see_commune_on_map", lg),
             query_params=url.page_params(level="commune"))
frame.source_caption(state)
