"""Tải lên — the analyst's page: sign in, choose a file, read the validation report, preview what
changes, acknowledge warnings, confirm the import; boundaries, unit attributes and targets; the import
history with rollback. Nothing is written before "Nhập" is pressed."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from ntm import accounts as auth
from ntm.domain.columns import BY_NAME
from ntm.errors import BoundaryError, ImportRefused, RollbackBlocked
from ntm.text.spreadsheets import to_csv_bytes, to_xlsx_bytes
from ntm.ingest.boundaries import UPLOAD_SUFFIXES as BOUNDARY_SUFFIXES
from ntm.ingest.boundaries import import_boundaries, match_boundaries, read_boundary_file, report_table
from ntm.ingest.reading import UPLOAD_SUFFIXES
from ntm.ingest.template import template_frame, template_xlsx_bytes
from ntm.ingest.reference import import_reference, preview_reference, validate_reference_bytes
from ntm.ingest.yearly import import_report, preview, validate_bytes
from ntm.paths import default_db_path
from ntm.present import labels
from ntm.present.labels import import_history
from ntm.store.batches import list_batches, rollback
from ntm.text import fmt_number
from dashboard import frame, markdown, session, url

lg = url.lang()
tr = url.tr
st.title(tr("page.upload"))


# -------------------------------------------------------------------------------------------------
# Sign-in

def login_form() -> None:
    if not auth.has_users():
        st.info(tr("upload.no_users"))
        st.code("python -m ntm user add TEN_DANG_NHAP", language="bash")
        st.stop()
    with st.form("login"):
        name = st.text_input(tr("upload.username"))
        password = st.text_input(tr("upload.password"), type="password")
        submitted = st.form_submit_button(tr("upload.sign_in"))
    if submitted:
        try:
            ok = auth.verify(name, password)
        except auth.Throttled as exc:
            st.error(tr("upload.throttled", seconds=int(exc.seconds) + 1))
            st.stop()
        if ok:
            st.session_state["analyst"] = name
            st.rerun()
        st.error(tr("upload.bad_login"))
    st.stop()


analyst = st.session_state.get("analyst")
if not analyst:
    login_form()
with st.sidebar:
    st.caption(tr("upload.signed_in", name=markdown.md(analyst)))
    if st.button(tr("upload.sign_out"), key="sign_out"):
        st.session_state.pop("analyst", None)
        st.rerun()


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
        st.error(markdown.md(issue.message(report.file_name, lg)))
    for issue in report.warnings[:10]:
        st.warning(markdown.md(issue.message(report.file_name, lg)))
    table = report.to_frame(lg)
    st.dataframe(report.summary_frame(lg), hide_index=True)
    st.dataframe(table.drop(columns=table.columns[6]), hide_index=True, height=320)
    d1, d2 = st.columns(2)
    stem = report.file_name.rsplit(".", 1)[0]
    d1.download_button(tr("upload.download_xlsx"), to_xlsx_bytes(table, "BaoCao"), f"{stem}_bao_cao.xlsx",
                       key=f"{key}_xlsx")
    d2.download_button(tr("upload.download_csv"), to_csv_bytes(table), f"{stem}_bao_cao.csv", key=f"{key}_csv")


def db():
    return session.con()


# A file is read and checked once per content, year and language (not again on every click); an import
# clears the caches, so the next check sees the new figures.
@st.cache_data(show_spinner=False, max_entries=8)
def checked_yearly(version: str, checksum: str, file_name: str, year: int | None, lang: str, _data: bytes):
    report = validate_bytes(db(), _data, file_name, year, lang)
    return report, (preview(db(), report) if report.ok and report.rows is not None else None)


@st.cache_data(show_spinner=False, max_entries=4)
def checked_boundaries(version: str, checksum: str, file_name: str, level: str, code_column: str | None,
                       _data: bytes):
    """A boundary file read and joined once per file and choice (not again on every widget change)."""
    return match_boundaries(db(), read_boundary_file(_data, file_name), level, code_column)


@st.cache_data(show_spinner=False, max_entries=8)
def checked_reference(version: str, checksum: str, kind: str, file_name: str, lang: str, _data: bytes):
    report = validate_reference_bytes(db(), kind, _data, file_name, lang)
    return report, (preview_reference(db(), kind, report) if report.ok else None)


@st.cache_data(show_spinner=False, max_entries=8)
def yearly_template(version: str, province: str | None, year: int, lang: str) -> tuple[bytes, str]:
    """The yearly template (XLSX) of a year, one row per commune of the chosen province valid then (headers
    only without one, or when the province has no communes in that year's units), and what it holds."""
    df = template_frame(db(), lang, province, year) if province else None
    if df is None or df.empty:
        return template_xlsx_bytes(template_frame(db(), lang, None, year)), tr("upload.template_headers_only")
    return template_xlsx_bytes(df), str(df.iloc[0, list(df.attrs["columns"]).index("province_name")])


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def changes_table(changed: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """Old → new values per commune (code and name) and column, with the column's header and numbers as the
    user writes them."""
    def show(v):
        if v is None or (isinstance(v, float) and pd.isna(v)):
            return "–"
        return markdown.number(v, 1 if isinstance(v, float) and not float(v).is_integer() else 0) \
            if isinstance(v, (int, float)) and not isinstance(v, bool) else str(v)
    return pd.DataFrame({
        tr("upload.col_code"): changed["commune_code"],
        BY_NAME["commune_name"].header(lg): changed["commune_code"].map(names).fillna("–"),
        tr("upload.col_column"): changed["column"].map(lambda c: BY_NAME[c].header(lg)),
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
    st.caption(tr("upload.join_method", method=markdown.md(s["method"]), system=tr(f"system.{s['system']}")))
    problems = report_table(match, lg, problems_only=True)
    if len(problems):                       # in full, notes wrapped: each says what to do
        st.table(markdown.md_cells(problems).set_index(tr("boundary.col_feature")))   # names from the file stay text
    with st.expander(tr("upload.boundary_all_features", n=len(match.report))):
        st.dataframe(report_table(match, lg), hide_index=True)
    for r in match.overlaps.itertuples():
        a, b = (markdown.md(f"{name} ({code})") for name, code in ((r.name_a, r.code_a), (r.name_b, r.code_b)))
        st.warning(tr("cli.boundary_overlap", a=a, b=b, km2=markdown.number(r.km2, 2)).strip())
    if match.repaired:
        st.info(tr("cli.boundary_repaired", n=match.repaired).strip())


def done(message: str) -> None:
    session.clear_caches()
    st.success(message)


tab_year, tab_bound, tab_ref, tab_hist = st.tabs(
    [tr("upload.tab_yearly"), tr("upload.tab_boundaries"), tr("upload.tab_reference"), tr("upload.tab_history")])

# -------------------------------------------------------------------------------------------------
with tab_year:
    st.caption(tr("upload.yearly_help"))
    years = ["—"] + list(range(2035, 2014, -1))
    year = st.selectbox(tr("upload.year"), years, key="upload_year",
                        help=tr("upload.year_help"))
    template_year = url.view().year if year == "—" else int(year)
    template, template_scope = yearly_template(session.data_version(), url.view().province, template_year, lg)
    st.download_button(tr("upload.template_download", year=template_year, scope=markdown.md(template_scope)),
                       template, f"mau_so_lieu_{template_year}.xlsx", key="template_xlsx",
                       icon=":material/download:", help=tr("upload.template_help"))
    file = st.file_uploader(tr("upload.choose_file"), type=list(UPLOAD_SUFFIXES), key="upload_file")
    if file is not None:
        data = file.getvalue()
        report, pv = checked_yearly(session.data_version(), digest(data), file.name,
                                    None if year == "—" else int(year), lg, data)
        report_section(report, "yearly")
        if pv is not None:
            st.subheader(tr("upload.preview", year=report.year))
            st.caption(tr("upload.read_as", system=tr(f"system.{report.system}"), criteria_set=report.criteria_set))
            p1, p2, p3, p4 = st.columns(4)
            p1.metric(tr("upload.new"), len(pv.new))
            p2.metric(tr("upload.changed"), pv.changed["commune_code"].nunique() if len(pv.changed) else 0)
            p3.metric(tr("upload.unchanged"), len(pv.unchanged))
            p4.metric(tr("upload.missing"), len(pv.missing))
            if len(pv.changed):
                names = dict(zip(report.rows["commune_code"], report.rows["unit_name"]))
                st.dataframe(changes_table(pv.changed, names), hide_index=True, height=240)
            if len(pv.missing):
                st.caption(tr("upload.missing_help"))
                st.dataframe(labels.with_headers(pv.missing, lg), hide_index=True)
            if len(pv.replaced):
                st.warning(tr("upload.replaces_other_system", n=fmt_number(len(pv.replaced), lg),
                              households=fmt_number(pv.replaced["households"].sum(), lg), year=report.year,
                              system=tr(f"system.{'pre2025' if report.system == 'post2025' else 'post2025'}")),
                           icon=":material/swap_horiz:")
                st.dataframe(labels.with_headers(pv.replaced, lg), hide_index=True, height=200)
            ack = True
            if report.warnings:
                ack = st.checkbox(tr("upload.ack", n=len(report.warnings)),
                                  key=f"upload_ack_{report.checksum}_{report.year}")
            done_key = f"{report.checksum}_{report.year}"
            already = done_key in st.session_state.setdefault("imported_files", set())
            if already:
                st.info(tr("upload.already_imported"))
            if st.button(tr("upload.confirm", rows=len(report.rows), year=report.year), type="primary",
                         disabled=not ack or already, key=f"upload_confirm_{done_key}"):
                try:
                    batch = import_report(db(), report, user=analyst, accept_warnings=ack,
                                          db_path=default_db_path())
                except ImportRefused as exc:
                    st.error(exc.message(lg))
                else:
                    st.session_state["imported_files"].add(done_key)
                    done(tr("import.done", rows=len(report.rows), year=report.year, batch=batch))
                    st.page_link(frame.PAGE_FILES["overview"], label=tr("upload.see_figures"),
                                 query_params=url.page_params(year=report.year))
        elif not report.ok:
            st.error(tr("import.has_errors", n=len(report.errors)))

# -------------------------------------------------------------------------------------------------
with tab_bound:
    st.caption(tr("upload.boundaries_help"))
    level = st.radio(tr("upload.level"), ["district", "commune"], horizontal=True, key="bound_level",
                     format_func=lambda v: tr(f"level.{v}"))
    code_col = st.text_input(tr("upload.code_column"), key="bound_code_col").strip() or None
    bfile = st.file_uploader(tr("upload.choose_boundaries"), type=list(BOUNDARY_SUFFIXES),
                             key="bound_file")
    if bfile is not None:
        data = bfile.getvalue()
        try:
            match = checked_boundaries(session.data_version(), digest(data), bfile.name, level, code_col, data)
        except BoundaryError as exc:
            # the join's own message names the command-line option: the page names its box instead
            message = (tr("upload.boundary_no_join", columns=exc.params["columns"], box=tr("upload.code_column"))
                       if exc.key == "boundary.no_join" else exc.message(lg))
            st.error(markdown.md(message))           # user-supplied names inside are escaped
        else:
            boundary_report(match)
            if st.button(tr("upload.confirm_boundaries", n=len(match.units)), type="primary", key="bound_confirm",
                         disabled=match.units.empty):
                batch = import_boundaries(db(), match, file_name=bfile.name,
                                          checksum=digest(data), user=analyst,
                                          db_path=default_db_path())
                done(tr("upload.boundaries_done", n=len(match.units), batch=batch))

# -------------------------------------------------------------------------------------------------
with tab_ref:
    kind = st.radio(tr("upload.reference_kind"), ["unit_attributes", "targets"], horizontal=True,
                    key="ref_kind", format_func=lambda v: tr(f"upload.kind_{v}"))
    st.caption(tr(f"upload.reference_help_{kind}"))
    rfile = st.file_uploader(tr("upload.choose_file"), type=list(UPLOAD_SUFFIXES), key="ref_file")
    if rfile is not None:
        data = rfile.getvalue()
        report, changes = checked_reference(session.data_version(), digest(data), kind, rfile.name, lg, data)
        report_section(report, "reference")
        if changes is not None:
            st.dataframe(changes.drop(columns=["excel_row"], errors="ignore").astype(str), hide_index=True,
                         height=240)
            if st.button(tr("upload.confirm_reference", n=len(report.rows)), type="primary", key="ref_confirm"):
                batch = import_reference(db(), kind, report, user=analyst,
                                         checksum=digest(data), db_path=default_db_path())
                done(tr("upload.reference_done", n=len(report.rows), batch=batch))

HISTORY_ROWS = 25          # batches listed on the page (the CSV holds them all)

# -------------------------------------------------------------------------------------------------
with tab_hist:
    if "rollback_message" in st.session_state:          # the rollback just made, shown on the new state
        st.success(st.session_state.pop("rollback_message"))
    batches = list_batches(db().cursor())
    history = import_history(batches, lg)
    markdown.table(history.head(HISTORY_ROWS))          # every column in view, long texts wrapped
    if len(history) > HISTORY_ROWS:
        st.caption(tr("upload.history_more", n=fmt_number(len(history) - HISTORY_ROWS, lg)))
    st.download_button(tr("upload.download_csv"), to_csv_bytes(history.astype(str)),
                       "lich_su_nhap.csv", key="hist_csv")
    active = batches[batches.status != "rolled_back"]
    if len(active):
        kinds = dict(zip(active.batch_id, active.kind))
        # keyed by the batches offered: after a rollback the list (and what it shows) is a new widget
        choice = st.selectbox(tr("upload.rollback_choose"), active.batch_id.tolist(),
                              key=f"rb_choice_{lg}_" + "_".join(map(str, active.batch_id.tolist()[:3])),
                              format_func=lambda b: f"{b} · {tr('batch_kind.' + kinds[b])} · "
                                                    f"{labels.file_label(active.set_index('batch_id').at[b, 'file_name'], lg)}")
        sure = st.checkbox(tr("upload.rollback_sure", batch=choice), key=f"rb_sure_{choice}")
        if st.button(tr("upload.rollback"), disabled=not sure, key=f"rb_go_{choice}"):
            try:
                restored = rollback(db(), int(choice), default_db_path(), user=analyst)
            except RollbackBlocked:
                st.error(tr("reference.rollback_blocked"))
            else:
                session.clear_caches()
                st.session_state["rollback_message"] = tr("upload.rollback_done", batch=choice,
                                                          restored=", ".join(map(str, restored)) or "–")
                st.rerun()
