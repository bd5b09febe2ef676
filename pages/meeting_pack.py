"""Xuất báo cáo / Export: the meeting pack (16:9 PowerPoint) for the sidebar's area and year, the
charts and map as PNG/SVG, and the pack's tables as XLSX/CSV.

Thin: everything is built by `ntm.pack`, `ntm.export_images` and `ntm.tables_export`. Long exports run
in the script run with a progress bar, and their bytes are kept in the session (keyed by what they
were built from) so that the download buttons' reruns do not rebuild them.
"""

from __future__ import annotations

import time

import streamlit as st

from ntm.errors import ExportUnavailable
from ntm.export import images, pack, table_downloads
from ntm.text import fmt_number, t
from dashboard import frame, markdown, queries, session

PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
PACK_KEY, IMAGES_KEY = "_meeting_pack", "_meeting_pack_images"

state = frame.open_page("export")
lg = state.lang
version = session.data_version()
scope = queries.scope_of(state)
year = state.year
basis = (version, state.scope_code, year, state.mountainous_only, state.em_region, state.geography)


# --- the PowerPoint pack -------------------------------------------------------------------------------
st.subheader(t("ui.pack_heading", lg))
st.caption(t("ui.pack_help", lg))
sections = st.pills(t("ui.sections", lg), list(pack.SECTIONS), selection_mode="multi", default=list(pack.SECTIONS),
                    format_func=lambda k: pack.section_title(k, lg, year, state.geography), key="w_pack_sections") or []
pack_lang = st.segmented_control(t("ui.pack_lang", lg), ["vi", "en"], default=lg, key="w_pack_lang",
                                 format_func=lambda v: t(f"language.{v}", v)) or lg
wanted = basis + (tuple(sections), pack_lang)
if st.button(t("ui.build", lg), type="primary", disabled=not sections, icon=":material/slideshow:", key="build_pack"):
    bar, update = frame.progress_bar(t("ui.building", lg))
    started = time.perf_counter()
    try:
        data = pack.pack_bytes(session.con(), scope, year, sections, pack_lang, progress=update)
    except ExportUnavailable as exc:              # no Chromium: say what to do; the button stays for later
        st.error(exc.message(lg), icon=":material/error:")
    else:
        st.session_state[PACK_KEY] = {"basis": wanted, "data": data, "slides": pack.slide_count(data),
                                      "seconds": time.perf_counter() - started,
                                      "file": pack.pack_file_name(scope, year, pack_lang)}
    finally:
        bar.empty()
if not sections:
    st.caption(t("ui.no_sections", lg))
built = st.session_state.get(PACK_KEY)
if built and built["basis"] == wanted:
    st.success(t("ui.built", lg, n=fmt_number(built["slides"], lg), s=fmt_number(built["seconds"], lg, 1)))
    st.download_button(t("ui.download_pptx", lg), built["data"], file_name=built["file"], mime=PPTX_MIME,
                       icon=":material/download:", key="dl-pptx")

# --- chart and map images -----------------------------------------------------------------------------
st.subheader(t("ui.images_heading", lg))
st.caption(t("ui.images_help", lg))
image_basis = basis + (lg,)
if st.button(t("ui.prepare_images", lg), icon=":material/image:", key="prepare_images"):
    bar, update = frame.progress_bar(t("ui.preparing_images", lg, name=""))
    content = pack.collect(session.con(), scope, year, pack.CHART_SECTIONS, lg)
    figs = pack.chart_figures(content)
    titles = {s.key: s.title for s in content.sections}
    try:
        rendered = images.figure_bytes({k: (fig, ctx) for k, (fig, ctx, _) in figs.items()}, lg,
                                       notices={k: notes for k, (_, _, notes) in figs.items()},
                                       progress=lambda i, n, key: update(i, n, t(
                                           "ui.preparing_images", lg, name=titles.get(key, key))))
    except ExportUnavailable as exc:
        st.error(exc.message(lg), icon=":material/error:")
    else:
        files = {f"{images.file_stem(k, scope.code or 'VN', year)}.{fmt}": data
                 for k, formats in rendered.items() for fmt, data in formats.items()}
        st.session_state[IMAGES_KEY] = {"basis": image_basis, "rendered": rendered, "titles": titles,
                                        "zip": images.zip_bytes(files)}
    finally:
        bar.empty()
ready = st.session_state.get(IMAGES_KEY)
if ready and ready["basis"] == image_basis:
    st.download_button(t("ui.download_zip", lg), ready["zip"], file_name=images.file_stem(
        "images", scope.code or "VN", year) + ".zip", mime="application/zip", icon=":material/folder_zip:",
        key="dl-zip")
    for key, formats in ready["rendered"].items():
        c1, c2, c3 = st.columns([4, 1, 1], vertical_alignment="center")
        c1.markdown(ready["titles"].get(key, key))
        stem = images.file_stem(key, scope.code or "VN", year)
        c2.download_button("PNG", formats["png"], file_name=f"{stem}.png", mime="image/png", key=f"dl-png-{key}")
        c3.download_button("SVG", formats["svg"], file_name=f"{stem}.svg", mime="image/svg+xml", key=f"dl-svg-{key}")


# --- tables -----------------------------------------------------------------------------------------
@st.cache_data(show_spinner=False, max_entries=32)
def pack_tables(version: str, code: str | None, year: int, mountainous_only: bool, em_region: str | None,
                geo: str, lang: str) -> dict[str, table_downloads.TableExport]:
    sc = queries.scope(version, code, year, mountainous_only, em_region, geo)
    return pack.tables(pack.collect(session.con(), sc, year, pack.TABLE_SECTIONS, lang))


st.subheader(t("ui.tables_heading", lg))
st.caption(t("ui.tables_help", lg))
for key, table in pack_tables(*basis, lg).items():
    st.markdown(f"**{markdown.md(table.title)}**")
    markdown.table(table.frame.head(markdown.STATIC_TABLE_ROWS))          # all columns in view, texts wrapped
    if len(table.frame) > markdown.STATIC_TABLE_ROWS:
        st.caption(t("ui.table_more", lg, n=fmt_number(len(table.frame) - markdown.STATIC_TABLE_ROWS, lg)))
    cols = st.columns(4)
    for col, (label, file_name, data, mime) in zip(cols, table_downloads.downloads(table, lg)):
        col.download_button(label, data, file_name=file_name, mime=mime, key=f"dl-{key}-{file_name}")
