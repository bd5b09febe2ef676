"""The meeting pack: a 16:9 PowerPoint for a scope and a year (giao ban, quarterly reviews), in Vietnamese
or English.

    build_pack(con, scope, 2024, sections=None, lang="vi", out_path="kon_tum_2024.pptx", progress=None)

A title slide (scope, period, date, demo notice), then one slide per section of `SECTIONS` in the
caller's order: a title, the finding of the slide in one sentence computed from the data
(`ntm.present.findings`), the chart (PNG rendered by kaleido) or a native PowerPoint table, and a footer
with the source line and the demo notice. The last section lists sources, notes and the legal
documents behind the criteria and targets.

Two steps, so the same content feeds the page downloads: `collect()` reads the data and builds the
figures, tables and findings (`content`); `render_pptx()` draws the slides (`render`).
`chart_figures()` and `tables()` give the export page its PNG/SVG and XLSX/CSV downloads.
"""

from ntm.export.pack.content import chart_figures, collect, normalise_sections, scope_label, tables
from ntm.export.pack.model import Pack, Section, Tile, section_title
from ntm.export.pack.render import build_pack, pack_bytes, pack_file_name, render_pptx, slide_count, slide_figure
from ntm.export.pack.sections import CHART_SECTIONS, SECTIONS, TABLE_SECTIONS

__all__ = ["CHART_SECTIONS", "SECTIONS", "TABLE_SECTIONS", "Pack", "Section", "Tile", "build_pack", "chart_figures",
           "collect", "normalise_sections", "pack_bytes", "pack_file_name", "render_pptx", "scope_label", "slide_count",
           "section_title", "slide_figure", "tables"]
