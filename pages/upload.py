"""Tải lên — the analyst's page: sign in, choose a file, read the validation report, preview what
changes, acknowledge warnings, confirm the import; boundaries, unit attributes and targets; the import
history with rollback. Nothing is written before "Nhập" is pressed."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import frame, markdown, session, uploads, url
from ntm.domain.roles import BOUNDARIES, FIGURES, action_of_kind
from ntm.errors import BoundaryError, ImportRefused, RollbackBlocked
from ntm.ingest.boundaries import UPLOAD_SUFFIXES as BOUNDARY_SUFFIXES
from ntm.ingest.boundaries import import_boundaries
from ntm.ingest.reading import UPLOAD_SUFFIXES
from ntm.ingest.reference import import_reference
from ntm.ingest.yearly import import_report, report_provinces
from ntm.store.access import provinces_of_units
from ntm.store.location import location
from ntm.present import labels
from ntm.present.labels import import_history
from ntm.store.batches import list_batches, rollback
from ntm.store.reference import REFERENCE_TABLES, rows_refusal
from ntm.text import fmt_number
from ntm.text.spreadsheets import to_csv_bytes

frame.ensure_frame()
lg = url.lang()
tr = url.tr
st.title(tr("page.upload"))
analyst = uploads.signed_in()


tab_year, tab_bound, tab_ref, tab_hist = st.tabs(
    [tr("upload.tab_yearly"), tr("upload.tab_boundaries"), tr("upload.tab_reference"), tr("upload.tab_history")])

# -------------------------------------------------------------------------------------------------
with tab_year:
    st.caption(tr("upload.yearly_help"))
    years = ["—"] + list(range(2035, 2014, -1))
    year = st.selectbox(tr("upload.year"), years, key="upload_year",
                        help=tr("upload.year_help"))
    template_year = url.view().year if year == "—" else int(year)
    template, template_scope = uploads.yearly_template(session.data_version(), url.view().province, template_year, lg)
    st.download_button(tr("upload.template_download", year=template_year, scope=markdown.md(template_scope)),
                       template, f"mau_so_lieu_{template_year}.xlsx", key="template_xlsx",
                       icon=":material/download:", help=tr("upload.template_help"))
    file = st.file_uploader(tr("upload.choose_file"), type=list(UPLOAD_SUFFIXES), key="upload_file")
    if file is not None:
        data = file.getvalue()
        report, pv = uploads.checked_yearly(session.data_version(), uploads.digest(data), file.name,
                                    None if year == "—" else int(year), lg, data)
        uploads.report_section(report, "yearly")
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
                st.dataframe(uploads.changes_table(pv.changed, names), hide_index=True, height=240)
            if len(pv.missing):
                st.caption(tr("upload.missing_help"))
                st.dataframe(labels.with_headers(pv.missing, lg), hide_index=True)
            if len(pv.replaced):
                st.warning(tr("upload.replaces_other_system", n=fmt_number(len(pv.replaced), lg),
                              households=fmt_number(pv.replaced["households"].sum(), lg), year=report.year,
                              system=tr(f"system.{'pre2025' if report.system == 'post2025' else 'post2025'}")),
                           icon=":material/swap_horiz:")
                st.dataframe(labels.with_headers(pv.replaced, lg), hide_index=True, height=200)
            not_theirs = uploads.refused(uploads.refusal(FIGURES, report.system, report_provinces(report)))
            ack = not not_theirs
            if report.warnings and not not_theirs:
                ack = st.checkbox(tr("upload.ack", n=len(report.warnings)),
                                  key=f"upload_ack_{report.checksum}_{report.year}")
            done_key = f"{report.checksum}_{report.year}"
            already = done_key in st.session_state.setdefault("imported_files", set())
            if already:
                st.info(tr("upload.already_imported"))
            if st.button(tr("upload.confirm", rows=len(report.rows), year=report.year), type="primary",
                         disabled=not ack or already, key=f"upload_confirm_{done_key}"):
                try:
                    with uploads.store_write():
                        batch = import_report(session.con(), report, user=analyst, accept_warnings=ack,
                                              db_path=location())
                except ImportRefused as exc:
                    st.error(exc.message(lg))
                else:
                    st.session_state["imported_files"].add(done_key)
                    uploads.done(tr("import.done", rows=len(report.rows), year=report.year, batch=batch))
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
            match = uploads.checked_boundaries(session.data_version(), uploads.digest(data), bfile.name, level, code_col, data)
        except BoundaryError as exc:
            # the join's own message names the command-line option: the page names its box instead
            message = (tr("upload.boundary_no_join", columns=exc.params["columns"], box=tr("upload.code_column"))
                       if exc.key == "boundary.no_join" else exc.message(lg))
            st.error(markdown.md(message))           # user-supplied names inside are escaped
        else:
            uploads.boundary_report(match)
            provinces = provinces_of_units(session.con().cursor(), match.system, match.level, match.units["code"])
            not_theirs = not match.units.empty and uploads.refused(uploads.refusal(BOUNDARIES, match.system, provinces))
            if st.button(tr("upload.confirm_boundaries", n=len(match.units)), type="primary", key="bound_confirm",
                         disabled=match.units.empty or not_theirs):
                with uploads.store_write():
                    batch = import_boundaries(session.con(), match, file_name=bfile.name,
                                              checksum=uploads.digest(data), user=analyst,
                                              db_path=location())
                uploads.done(tr("upload.boundaries_done", n=len(match.units), batch=batch))

# -------------------------------------------------------------------------------------------------
with tab_ref:
    kind = st.radio(tr("upload.reference_kind"), ["unit_attributes", "targets"], horizontal=True,
                    key="ref_kind", format_func=lambda v: tr(f"upload.kind_{v}"))
    st.caption(tr(f"upload.reference_help_{kind}"))
    rfile = st.file_uploader(tr("upload.choose_file"), type=list(UPLOAD_SUFFIXES), key="ref_file")
    if rfile is not None:
        data = rfile.getvalue()
        report, changes = uploads.checked_reference(session.data_version(), uploads.digest(data), kind, rfile.name, lg, data)
        uploads.report_section(report, "reference")
        if changes is not None:
            not_theirs = uploads.refused(rows_refusal(session.con().cursor(), REFERENCE_TABLES[kind], report.rows,
                                                      analyst))
            st.dataframe(changes.drop(columns=["excel_row"], errors="ignore").astype(str), hide_index=True,
                         height=240)
            if st.button(tr("upload.confirm_reference", n=len(report.rows)), type="primary", key="ref_confirm",
                         disabled=not_theirs):
                with uploads.store_write():
                    batch = import_reference(session.con(), kind, report, user=analyst,
                                             checksum=uploads.digest(data), db_path=location())
                uploads.done(tr("upload.reference_done", n=len(report.rows), batch=batch))

HISTORY_ROWS = 25          # batches listed on the page (the CSV holds them all)

# -------------------------------------------------------------------------------------------------
with tab_hist:
    if "rollback_message" in st.session_state:          # the rollback just made, shown on the new state
        st.success(st.session_state.pop("rollback_message"))
    batches = list_batches(session.con().cursor())
    history = import_history(batches, lg)
    markdown.table(history.head(HISTORY_ROWS))          # every column in view, long texts wrapped
    if len(history) > HISTORY_ROWS:
        st.caption(tr("upload.history_more", n=fmt_number(len(history) - HISTORY_ROWS, lg)))
    st.download_button(tr("upload.download_csv"), to_csv_bytes(history.astype(str)),
                       "lich_su_nhap.csv", key="hist_csv")
    who = uploads.acting()
    theirs = pd.Series([who is not None and who.may(action_of_kind(k), s, list(p) if hasattr(p, "__iter__") else [])
                        for k, s, p in zip(batches.kind, batches.unit_system, batches.provinces)], index=batches.index)
    active = batches[(batches.status != "rolled_back") & theirs]
    if len(active) < (batches.status != "rolled_back").sum():
        st.caption(tr("upload.rollback_only_yours", n=fmt_number(int((batches.status != "rolled_back").sum()
                                                                       - len(active)), lg)))
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
                with uploads.store_write():
                    restored = rollback(session.con(), int(choice), location(), user=analyst)
            except RollbackBlocked:
                st.error(tr("reference.rollback_blocked"))
            else:
                session.clear_caches()
                st.session_state["rollback_message"] = tr("upload.rollback_done", batch=choice,
                                                          restored=", ".join(map(str, restored)) or "–")
                st.rerun()
