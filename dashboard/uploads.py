"""The analysts' page's parts: the sign-in, validation reports, the cached checks of an uploaded file (once
per content, year and language, not again on every click; an import clears the caches) and previews."""

from __future__ import annotations

import hashlib
from contextlib import contextmanager

import pandas as pd
import streamlit as st

from dashboard import session
from ntm.errors import NotPermitted, StoreUnavailable
from dashboard.markdown import md, md_cells, number
from dashboard.url import lang, tr
from ntm.store import access
from ntm.store import accounts as auth
from ntm.domain.columns import BY_NAME
from ntm.domain.units import POST
from ntm.ingest.boundaries import match_boundaries, read_boundary_file, report_table
from ntm.ingest.reference import preview_reference, validate_reference_bytes
from ntm.ingest.template import template_frame, template_xlsx_bytes
from ntm.ingest.yearly import preview, validate_bytes
from ntm.text.spreadsheets import to_csv_bytes, to_xlsx_bytes


@contextmanager
def store_write(message: str = "db.unreachable_write"):
    """Around a write from a page: when the store cannot be reached, say so with the catalogue's
    `message` (no address, no error text) and stop the page; when the account may not make this change
    (its role or provinces, checked by the engine), say whose data it is — nothing was written."""
    try:
        yield
    except StoreUnavailable:
        st.error(tr(message), icon=":material/cloud_off:")
        st.stop()
    except NotPermitted as exc:
        refused(exc)
        st.stop()


def refused(exc: NotPermitted | None) -> bool:
    """Say why the signed-in account may not make a change (True), or nothing when it may (False)."""
    if exc is None:
        return False
    st.error(md(exc.message(lang())), icon=":material/lock:")
    return True


def refusal(action: str, system: str | None = None, provinces=()) -> NotPermitted | None:
    """Why the signed-in account may not do `action` to `provinces` (before the button that would try)."""
    return access.refusal(session.con().cursor(), st.session_state.get("analyst"), action, system, provinces)


def acting() -> access.Actor | None:
    """The signed-in account as the engine sees it now (role and provinces), None when it is gone."""
    return access.actor(session.con().cursor(), st.session_state.get("analyst"))


def login_form() -> None:
    """Sign-in (or how to create the first account); stops the page until an analyst is signed in."""
    with store_write("db.unreachable_page"):
        with_users = auth.has_users(session.con())
    if not with_users:
        st.info(tr("upload.no_users"))
        st.code("python -m ntm user add TEN_DANG_NHAP --role admin", language="bash")
        st.stop()
    with st.form("login"):
        name = st.text_input(tr("upload.username"))
        password = st.text_input(tr("upload.password"), type="password")
        submitted = st.form_submit_button(tr("upload.sign_in"))
    if submitted:
        try:
            with store_write("db.unreachable_page"):
                ok = auth.verify(session.con(), name, password)
        except auth.Throttled as exc:
            st.error(tr("upload.throttled", seconds=int(exc.seconds) + 1))
            st.stop()
        if ok:
            st.session_state["analyst"] = name
            st.rerun()
        st.error(tr("upload.bad_login"))
    st.stop()


def report_section(report, key: str) -> None:
    """Counts, the first errors in full, the grouped summary, the full located list, and downloads."""
    c1, c2, c3 = st.columns(3)
    c1.metric(tr("severity.error"), len(report.errors))
    c2.metric(tr("severity.warning"), len(report.warnings))
    c3.metric(tr("upload.rows"), 0 if report.rows is None else len(report.rows))
    if not report.issues:
        st.success(tr("upload.no_issues"))
        return
    for issue in report.errors[:10]:                     # the first of each kind in full, with what to do
        st.error(md(issue.message(report.file_name, lang())))
    for issue in report.warnings[:10]:
        st.warning(md(issue.message(report.file_name, lang())))
    table = report.to_frame(lang())
    st.dataframe(report.summary_frame(lang()), hide_index=True)
    st.dataframe(table.drop(columns=table.columns[6]), hide_index=True, height=320)
    d1, d2 = st.columns(2)
    stem = report.file_name.rsplit(".", 1)[0]
    d1.download_button(tr("upload.download_xlsx"), to_xlsx_bytes(table, "BaoCao"), f"{stem}_bao_cao.xlsx",
                       key=f"{key}_xlsx")
    d2.download_button(tr("upload.download_csv"), to_csv_bytes(table), f"{stem}_bao_cao.csv", key=f"{key}_csv")


# A file is read and checked once per content, year and language (not again on every click); an import
# clears the caches, so the next check sees the new figures.
@st.cache_data(show_spinner=False, max_entries=8)
def checked_yearly(version: str, checksum: str, file_name: str, year: int | None, lang: str, _data: bytes):
    """A yearly file's validation report and, when it can be imported, its preview."""
    report = validate_bytes(session.con(), _data, file_name, year, lang)
    return report, (preview(session.con(), report) if report.ok and report.rows is not None else None)


@st.cache_data(show_spinner=False, max_entries=4)
def checked_boundaries(version: str, checksum: str, file_name: str, level: str, code_column: str | None,
                       _data: bytes):
    """A boundary file read and joined once per file and choice (not again on every widget change)."""
    return match_boundaries(session.con(), read_boundary_file(_data, file_name), level, code_column)


@st.cache_data(show_spinner=False, max_entries=8)
def checked_reference(version: str, checksum: str, kind: str, file_name: str, lang: str, _data: bytes):
    """A reference file's validation report and, when it can be imported, its changes."""
    report = validate_reference_bytes(session.con(), kind, _data, file_name, lang)
    return report, (preview_reference(session.con(), kind, report) if report.ok else None)


@st.cache_data(show_spinner=False, max_entries=8)
def yearly_template(version: str, province: str | None, year: int, lang: str) -> tuple[bytes, str]:
    """The yearly template (XLSX) of a year, one row per commune of the chosen province valid then (headers
    only without one, or when the province has no communes in that year's units), and what it holds."""
    df = template_frame(session.con(), lang, province, year) if province else None
    if df is None or df.empty:
        return template_xlsx_bytes(template_frame(session.con(), lang, None, year)), tr("upload.template_headers_only")
    return template_xlsx_bytes(df), str(df.iloc[0, list(df.attrs["columns"]).index("province_name")])


def digest(data: bytes) -> str:
    """The content's SHA-256 (the caches' and the batch's key)."""
    return hashlib.sha256(data).hexdigest()


def changes_table(changed: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """Old → new values per commune (code and name) and column, with the column's header and numbers as the
    user writes them."""
    def show(v):
        if v is None or (isinstance(v, float) and pd.isna(v)):
            return "–"
        return number(v, 1 if isinstance(v, float) and not float(v).is_integer() else 0) \
            if isinstance(v, (int, float)) and not isinstance(v, bool) else str(v)
    return pd.DataFrame({
        tr("upload.col_code"): changed["commune_code"],
        BY_NAME["commune_name"].header(lang()): changed["commune_code"].map(names).fillna("–"),
        tr("upload.col_column"): changed["column"].map(lambda c: BY_NAME[c].header(lang())),
        tr("upload.col_old"): changed["old"].map(show),
        tr("upload.col_new"): changed["new"].map(show)})


def boundary_report(match) -> None:
    """The dry-run report of a boundary file: counts, where it was joined, every feature's outcome
    (problems first), overlaps and repairs — before anything is stored."""
    s = match.summary()
    cols = st.columns(4)
    cols[0].metric(tr("upload.boundary_units"), s["units"])
    cols[1].metric(tr("upload.boundary_former"), s["renamed"] + s["dissolved"] + s["assembled"])
    cols[2].metric(tr("upload.unmatched"), s["unmatched"] + s["incomplete"] + s["misplaced"])
    cols[3].metric(tr("upload.ambiguous"), s["ambiguous"])
    st.caption(tr("upload.join_method", method=md(s["method"]), system=tr(f"system.{s['system']}")))
    problems = report_table(match, lang(), problems_only=True)
    if len(problems):                       # in full, notes wrapped: each says what to do
        st.table(md_cells(problems).set_index(tr("boundary.col_feature")))   # names from the file stay text
    with st.expander(tr("upload.boundary_all_features", n=len(match.report))):
        st.dataframe(report_table(match, lang()), hide_index=True)
    for r in match.overlaps.itertuples():
        a, b = (md(f"{name} ({code})") for name, code in ((r.name_a, r.code_a), (r.name_b, r.code_b)))
        st.warning(tr("cli.boundary_overlap", a=a, b=b, km2=number(r.km2, 2)).strip())
    if match.repaired:
        st.info(tr("cli.boundary_repaired", n=match.repaired).strip())


def done(message: str) -> None:
    """After a write: forget every cached result and say what was stored."""
    session.clear_caches()
    st.success(message)


def signed_in() -> str:
    """The account signed in (after the sign-in form when nobody is, or when its account was removed),
    with its role and provinces and a sign-out in the sidebar."""
    analyst = st.session_state.get("analyst")
    who = acting() if analyst else None
    if who is None:
        st.session_state.pop("analyst", None)
        login_form()
    with st.sidebar:
        st.caption(tr("upload.signed_in", name=md(analyst)) + " · " + tr(f"role.{who.role.key}")
                   + (f" · {md(access.province_list(session.con().cursor(), POST, who.provinces))}"
                      if who.provinces else ""))
        if st.button(tr("upload.sign_out"), key="sign_out"):
            st.session_state.pop("analyst", None)
            st.rerun()
    return analyst
