"""Tổng quan / Overview: the headline figures of the scope and year, for opening a meeting."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ntm.domain.criteria import criteria_set
from ntm.present import findings
from ntm.present.labels import rate_name
from ntm.text import fmt_number, fmt_percent, fmt_pp, status_label, t
from dashboard import frame, markdown, queries, session, url

state = frame.open_page("overview")
lg = state.lang

version = session.data_version()
s = queries.summary_of(state)
years = queries.options(version, state.geography).years
prev = queries.summary_of(state, state.year - 1) if state.year - 1 in years else None

if not s.get("has_data"):
    frame.no_data(state)
    st.stop()
cset = criteria_set(s.get("criteria_set"), state.year)


def pct(d: dict | None) -> str:
    return fmt_percent(d.get("percent") if d else None, lg)


def of_households(d: dict | None) -> str:
    """How many households the rate counts, and — when last year followed another poverty standard — why
    no change is shown."""
    if not d:
        return ""
    text = t("ui.n_of_households", lg, count=fmt_number(d["count"], lg), total=fmt_number(d["of"], lg))
    if (s.get("poverty_standard") or {}).get("break"):
        text += ". " + t("ui.rate_across_standards", lg, year=state.year).capitalize() + "."
    return text


def delta_pp(key: str) -> str | None:
    """The change of a rate on last year; none across two poverty standards (not comparable)."""
    if not prev or not prev.get("has_data") or (s.get("poverty_standard") or {}).get("break"):
        return None
    a, b = (prev.get(key) or {}).get("percent"), (s.get(key) or {}).get("percent")
    if a is None or b is None or round(b - a, 2) == 0:
        return None
    return f"{fmt_pp(b - a, lg)} {t('ui.vs_prev_year', lg, year=state.year - 1)}"


def delta_count(now: int | None, before: int | None) -> str | None:
    """'+20 so với năm 2023'; None when unknown or unchanged (no arrow for a zero change)."""
    if now is None or before is None or now == before:
        return None
    d = now - before
    return f"{'+' if d > 0 else ''}{fmt_number(d, lg)} {t('ui.vs_prev_year', lg, year=state.year - 1)}"


# --- Poverty ------------------------------------------------------------------------------------
st.subheader(t("ui.section_poverty", lg))
c1, c2, c3, c4 = st.columns(4)
c1.metric(rate_name("poor", lg), pct(s.get("poor")), delta_pp("poor"), delta_color="inverse",
          help=of_households(s.get("poor")), border=True)
c2.metric(rate_name("near_poor", lg), pct(s.get("near_poor")), delta_pp("near_poor"), delta_color="inverse",
          help=of_households(s.get("near_poor")), border=True)
c3.metric(rate_name("em_poor", lg), pct(s.get("ethnic_minority_poor")), delta_pp("ethnic_minority_poor"),
          delta_color="inverse", help=of_households(s.get("ethnic_minority_poor")), border=True)
c4.metric(t("households", lg), fmt_number(s.get("households"), lg),
          delta_count(s.get("households"), prev.get("households") if prev else None), delta_color="off",
          border=True)
if s["comparison"]["previous_converted"]:
    st.caption(t("summary.compared_converted", lg, year=state.year - 1)
               + (" " + t("summary.approximate", lg) if s["comparison"]["approximate"] else ""))

st.caption(t("ui.flows_year", lg, year=state.year))
no_flows = findings.flows_absent(s, lg)     # a baseline review under a new standard (or a file without flows)
if no_flows:
    st.info(no_flows)
else:
    f1, f2, f3 = st.columns(3)
    f1.metric(t("escaped", lg), fmt_number(s.get("escaped"), lg),
              delta_count(s.get("escaped"), prev.get("escaped") if prev else None), delta_color="off", border=True)
    f2.metric(t("fell_back", lg), fmt_number(s.get("fell_back"), lg),
              delta_count(s.get("fell_back"), prev.get("fell_back") if prev else None), delta_color="inverse",
              border=True)
    f3.metric(t("newly_poor", lg), fmt_number(s.get("newly_poor"), lg),
              delta_count(s.get("newly_poor"), prev.get("newly_poor") if prev else None), delta_color="inverse",
              border=True)

# --- New rural development -----------------------------------------------------------------------
st.subheader(t("ui.section_ntm", lg))
ntm = s.get("ntm") or {}
pntm = (prev or {}).get("ntm") or {}
rural = ntm.get("rural_communes") or 0
recognised = ntm.get("recognised") or 0
# Recognised, the levels above "standard" of the year's criteria set (advanced and model to 2025; modern
# from 2026), the merged communes to be re-assessed when the year is read on the new units from old ones,
# and the criteria met per commune.
higher = cset.recognised[1:]
reassess = ntm.get("reassess") or 0
cols = st.columns(2 + len(higher) + (1 if reassess else 0))
n1, n4 = cols[0], cols[-1]
same_set = prev and prev.get("criteria_set") == s.get("criteria_set")
anew = not same_set and not cset.recognition_carries_over      # recognition starts anew: no change on last year
n1.metric(t("ui.recognised", lg), f"{fmt_number(recognised, lg)} / {fmt_number(rural, lg)}",
          None if anew else delta_count(recognised, pntm.get("recognised")),
          help=t("ui.share_of_communes", lg, share=fmt_percent(100 * recognised / rural if rural else None, lg, 1))
          + (" " + t("pack.tile.anew", lg, year=cset.first_year,
                     label="" if cset.recognition_verified else t("ui.unconfirmed_rule", lg)) if anew else ""),
          border=True)
for col, level in zip(cols[1:], higher):
    col.metric(status_label(level, lg), fmt_number(ntm.get("by_status", {}).get(level), lg),
               delta_count(ntm.get("by_status", {}).get(level), pntm.get("by_status", {}).get(level)) if same_set
               else None, border=True)
if reassess:
    cols[1 + len(higher)].metric(t("ui.reassess_count", lg), fmt_number(reassess, lg), help=t("ui.reassess_help", lg),
                                 border=True)
n4.metric(t("avg_criteria", lg), f"{fmt_number(ntm.get('avg_criteria'), lg, 1)}/{cset.n_criteria}", border=True)

left, right = st.columns([3, 2])
with left:
    rows = [{"status": status_label(k, lg), "n": ntm.get("by_status", {}).get(k, 0)} for k in cset.statuses]
    table = pd.DataFrame(rows)
    table["share"] = [fmt_percent(100 * n / rural if rural else None, lg, 1) for n in table["n"]]
    table["n"] = [fmt_number(n, lg) for n in table["n"]]
    st.caption(t("communes_by_status", lg) + f" · {state.year}")
    markdown.table(table.rename(columns={"status": t("ui.status_table_status", lg), "n": t("ui.status_table_count", lg),
                                       "share": t("ui.status_table_share", lg)}))
with right:
    n_risk = ntm.get("at_risk") or 0
    st.metric(t("ui.at_risk_count", lg), fmt_number(n_risk, lg), help=t("ui.at_risk_help", lg), border=True)
    if not cset.revocation_verified:
        st.caption(t("ui.at_risk_rule_default", lg))
    if n_risk:
        st.page_link(frame.PAGE_FILES["ntm"], label=t("ui.at_risk_link", lg), icon=":material/warning:",
                     query_params=url.page_params())
    else:
        st.caption(t("at_risk_none", lg))
    st.page_link(frame.PAGE_FILES["map"], label=t("ui.see_map", lg), icon=":material/map:",
                 query_params=url.page_params())

frame.source_caption(state)
