"""Tình hình báo cáo — for coordinators (and each province's analysts): which provinces have sent a year's
file, how many of their communes are in it, the missing ones by name, the deadline, a national map by
completeness and the workbook to send round; the audit log (who imported, rolled back or changed an
account, when, which province, which file), filterable and exportable."""

from __future__ import annotations

from datetime import date

import streamlit as st

from dashboard import frame, markdown, queries, session, uploads, url
from ntm.domain.roles import ACCOUNTS, AUDIT, PACKS, ROLES, STATUS
from ntm.export.table_downloads import XLSX_MIME, TableExport, csv_bytes, xlsx_bytes
from ntm.present.coordination import accounts_table, audit_table, headline, missing_table, status_table
from ntm.present.maps import to_deck
from ntm.read.audit import BATCH_EVENTS, audit_log, filter_log
from ntm.errors import AccountError, ExportUnavailable
from ntm.export.pack.every_province import every_pack_zip
from ntm.read.imports import province_names
from ntm.store import accounts as auth
from ntm.store.accounts import CHANGES
from ntm.text import fmt_date, fmt_number

frame.ensure_frame()
lg = url.lang()
tr = url.tr
st.title(tr("page.reporting"))
uploads.signed_in()
who = uploads.acting()
if uploads.refused(uploads.refusal(STATUS)):
    st.stop()

FIRST_YEAR = 2021
year = st.selectbox(tr("reporting.year"), list(range(date.today().year, FIRST_YEAR - 1, -1)), key="reporting_year",
                    help=tr("reporting.year_help"))
version = session.data_version()
status, missing = queries.reporting(version, year)
names = dict(zip(status["province_code"], status["province_name"]))

def every_pack_button(year: int, n: int) -> None:
    """Build every province's pack for the year (a progress bar), then its ZIP and what failed, if any."""
    st.subheader(tr("reporting.packs_heading"))
    key = f"every_pack_{year}_{lg}"
    if st.button(tr("reporting.packs_build", n=n, year=year), icon=":material/slideshow:", disabled=not n,
                 key=f"{key}_go"):
        bar, update = frame.progress_bar(tr("ui.building"))
        try:
            data, results = every_pack_zip(session.con(), year, lg, lambda i, total, name: update(
                i, total, tr("reporting.packs_progress", i=min(i + 1, total), n=total, name=name)))
        except ExportUnavailable as exc:                   # no Chromium at all: say what to do
            st.error(exc.message(lg), icon=":material/error:")
        else:
            st.session_state[key] = (data, [(r.code, r.name, r.error) for r in results if r.error], len(results))
        finally:
            bar.empty()
    if key in st.session_state:
        data, failed, total = st.session_state[key]
        st.success(tr("reporting.packs_built", built=total - len(failed), total=total))
        for code, name, error in failed:
            st.error(markdown.md(tr("pack.every_failed", code=code, name=name, error=error)))
        st.download_button(tr("reporting.packs_download"), data, file_name=f"bao_cao_giao_ban_{year}.zip",
                           mime="application/zip", icon=":material/download:", key=f"{key}_zip")


tab_names = [tr("reporting.tab_status")] + ([tr("audit.title")] if who.may(AUDIT) else []) \
    + ([tr("accounts.title")] if who.may(ACCOUNTS) else [])
tabs = st.tabs(tab_names)

with tabs[0]:
    st.caption(headline(status, year, lg))
    if status["is_demo"].any():
        frame.demo_notice(lg)
    counts = status["completeness"].value_counts()
    cols = st.columns(4)
    for col, key in zip(cols, ("complete", "partial", "none")):
        col.metric(tr(f"reporting.metric_{key}"), fmt_number(int(counts.get(key, 0)), lg))
    cols[3].metric(tr("reporting.deadline"), fmt_date(status["deadline"].iloc[0], lg) if len(status) else "–")
    view = queries.reporting_map(version, year, lg)
    st.markdown(f"**{markdown.md(view.title)}**")
    st.pydeck_chart(to_deck(view), height=560)
    st.caption(" · ".join(f"{item.label}: {fmt_number(item.count, lg)}" for item in view.legend))
    table = status_table(status, lg)
    st.dataframe(table, hide_index=True, height=420)
    st.download_button(tr("reporting.download_xlsx"), key="reporting_xlsx", mime=XLSX_MIME,
                       icon=":material/download:", file_name=f"tinh_hinh_bao_cao_{year}.xlsx",
                       data=queries.reporting_workbook(version, year, lg))

    if who.may(PACKS):
        every_pack_button(year, int((status["communes_reported"] + status["wards_reported"] > 0).sum()))

    st.subheader(tr("reporting.missing_heading"))
    short = status[status["missing"] > 0].sort_values(["completeness", "province_code"],
                                                       key=lambda c: c.map({"partial": 0, "none": 1}) if c.name ==
                                                       "completeness" else c)
    if short.empty:
        st.success(tr("reporting.none_missing", year=year))
    else:
        choices = {p: f"{names.get(p, p)} ({p}) — " + tr("reporting.n_missing", n=fmt_number(int(n), lg))
                   for p, n in zip(short["province_code"], short["missing"])}
        province = st.selectbox(tr("reporting.missing_province"), list(choices), key=f"reporting_missing_{year}_{lg}",
                                format_func=choices.get)
        shown = missing_table(missing[missing["province_code"] == province], names, lg)
        st.dataframe(shown, hide_index=True, height=min(420, 38 + 35 * len(shown)))

if who.may(AUDIT):
    with tabs[1]:
        log = audit_log(session.con())           # read fresh: account changes do not change the figures
        f1, f2, f3, f4 = st.columns([2, 2, 1.4, 2])
        # keyed by the language: a widget's words are its options' (a language switch makes new ones)
        people = f1.multiselect(tr("audit.filter_by"), sorted(log["event_by"].dropna().unique()), key=f"audit_by_{lg}",
                                placeholder=tr("audit.anyone"))
        event_words = {e: tr(f"audit.{e}" if e in BATCH_EVENTS else f"change.{e}") for e in BATCH_EVENTS + CHANGES}
        events = f2.multiselect(tr("audit.filter_event"), list(event_words), key=f"audit_events_{lg}",
                                format_func=event_words.get, placeholder=tr("audit.any_event"))
        province_words = {"": tr("audit.all_provinces"), **{p: f"{names[p]} ({p})" for p in sorted(names)}}
        province = f3.selectbox(tr("audit.filter_province"), list(province_words), key=f"audit_province_{lg}",
                                format_func=province_words.get) or None
        dates = f4.date_input(tr("audit.filter_dates"), value=(), key=f"audit_dates_{lg}",
                              format="DD/MM/YYYY")
        since, until = (tuple(dates) + (None, None))[:2] if dates else (None, None)
        chosen = filter_log(log, by=people, events=events, province=province, since=since, until=until or since)
        shown = audit_table(chosen, lg)
        st.caption(tr("audit.count", n=fmt_number(len(shown), lg), total=fmt_number(len(log), lg)))
        st.dataframe(shown, hide_index=True, height=460)
        export = TableExport("nhat_ky_thao_tac", tr("audit.title"), shown)
        d1, d2 = st.columns(2)
        d1.download_button(tr("upload.download_xlsx"), xlsx_bytes(export, lang=lg), "nhat_ky_thao_tac.xlsx",
                           key="audit_xlsx", mime=XLSX_MIME)
        d2.download_button(tr("upload.download_csv"), csv_bytes(export), "nhat_ky_thao_tac.csv", key="audit_csv")

if who.may(ACCOUNTS):
    with tabs[-1]:
        if "account_message" in st.session_state:           # the change just made, shown on the new list
            st.success(st.session_state.pop("account_message"))
        st.dataframe(accounts_table(auth.list_accounts(session.con()), lg), hide_index=True)
        new = dict(province_names(session.con(), "post2025").itertuples(index=False))
        old = {c: n for c, n in province_names(session.con(), "pre2025").itertuples(index=False) if c not in new}
        province_words = {**{c: f"{n} ({c})" for c, n in sorted(new.items())},
                          **{c: tr("accounts.old_province", name=n, code=c) for c, n in sorted(old.items())}}
        role_words = {r: tr(f"role.{r}") for r in ROLES}
        with st.form(f"account_form_{lg}", clear_on_submit=True):
            st.caption(tr("accounts.form_help"))
            a1, a2 = st.columns(2)
            name = a1.text_input(tr("upload.username"), key=f"account_name_{lg}").strip()
            role = a2.selectbox(tr("accounts.role"), list(role_words), index=list(role_words).index("analyst"),
                                format_func=role_words.get, key=f"account_role_{lg}")
            provinces = st.multiselect(tr("accounts.provinces"), list(province_words), format_func=province_words.get,
                                       key=f"account_provinces_{lg}", placeholder=tr("accounts.provinces_help"))
            password = st.text_input(tr("upload.password"), type="password", key=f"account_password_{lg}",
                                     help=tr("accounts.password_help"))
            saved = st.form_submit_button(tr("accounts.save"), type="primary")
        if saved:
            try:
                with uploads.store_write():
                    if password:
                        auth.add_user(session.con(), name, password, role, provinces, by=who.name)
                    else:
                        auth.change_user(session.con(), name, role, provinces, by=who.name)
            except AccountError as exc:
                st.error(markdown.md(exc.message(lg)))
            else:
                st.session_state["account_message"] = tr("accounts.saved", name=markdown.md(name))
                st.rerun()
        others = [a["name"] for a in auth.list_accounts(session.con()) if a["name"] != who.name]
        if others:
            gone = st.selectbox(tr("accounts.remove_choose"), others, key=f"account_remove_{lg}")
            sure = st.checkbox(tr("accounts.remove_sure", name=markdown.md(gone)), key=f"account_remove_sure_{gone}")
            if st.button(tr("accounts.remove"), disabled=not sure, key=f"account_remove_go_{gone}"):
                with uploads.store_write():
                    auth.remove_user(session.con(), gone, by=who.name)
                st.session_state["account_message"] = tr("cli.user_removed", name=markdown.md(gone))
                st.rerun()
