"""Every table of a meeting pack stays above its slide's footer, measured as LibreOffice lays it out:
each cell wrapped with the real glyph widths of the font the slide font resolves to on this machine
(`slide_fit`), in Vietnamese and English packs of a province and a district, one with long target
lists. A table too long for one slide continues on the next, never below 12 pt."""

from __future__ import annotations

import pytest
from pptx import Presentation

from ntm.export import pack as P
from ntm.export.images import kaleido_session
from ntm.read.scope import resolve_scope
from ntm.store.connection import connect
from tests.export.slide_fit import EMU_PER_PT, clashes, footer_top_pt, pdf_words, table_height_pt, to_pdf

CASES = [("62", 2024, "vi"), ("62", 2024, "en"), ("611", 2024, "vi"), ("611", 2024, "en"), ("397", 2022, "en"),
         (None, 2024, "vi")]


@pytest.fixture(scope="module")
def packs(demo_db_path, tmp_path_factory):
    con = connect(demo_db_path, read_only=True)
    out = {}
    try:
        with kaleido_session():
            for code, year, lang in CASES:
                path = tmp_path_factory.mktemp("fit") / f"{code or 'VN'}_{year}_{lang}.pptx"
                P.build_pack(con, resolve_scope(con, code, year, "old"), year, P.TABLE_SECTIONS, lang, path)
                out[(code, year, lang)] = Presentation(path)
    finally:
        con.close()
    return out


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c[0] or 'VN'}-{c[1]}-{c[2]}")
def test_every_table_ends_above_the_footer(packs, case):
    prs = packs[case]
    tables = 0
    for slide in prs.slides:
        for shape in slide.shapes:
            if not shape.has_table:
                continue
            tables += 1
            bottom = shape.top / EMU_PER_PT + table_height_pt(shape)
            more = next((s for s in slide.shapes if s.name == "More rows"), None)
            if more is not None:               # the "… and N more rows" line sits under the table, clear of it
                assert more.top / EMU_PER_PT >= bottom - 1, f"{slide.name}: the note overlaps the table"
                bottom = more.top / EMU_PER_PT + 12 * 1.4
            footer = footer_top_pt(slide)
            assert bottom <= footer, f"{slide.name} ({case}): table ends at {bottom:.0f} pt, footer starts at {footer:.0f} pt"
            sizes = {run.font.size.pt for row in shape.table.rows for cell in row.cells
                     for p in cell.text_frame.paragraphs for run in p.runs}
            assert min(sizes) >= 12, f"{slide.name}: {min(sizes)} pt is too small for a room"
    assert tables >= len([k for k in P.TABLE_SECTIONS if not P.SECTIONS[k].chart])     # a chart's table: a download


def test_a_long_target_list_continues_on_the_next_slide(packs):
    prs = packs[("62", 2024, "en")]
    parts = [s for s in prs.slides if s.name.startswith("targets")]
    assert len(parts) >= 2
    titles = [s.shapes.title.text for s in parts]
    assert titles[0].endswith(f"(1/{len(parts)})") and titles[1].endswith(f"(continued, 2/{len(parts)})")
    headers = [[c.text for c in next(sh for sh in s.shapes if sh.has_table).table.rows[0].cells] for s in parts]
    assert all(h == headers[0] for h in headers)                 # the header repeats on every part


@pytest.mark.parametrize("case", [("62", 2024, "en"), (None, 2024, "vi")], ids=["kon-tum-en", "national-vi"])
def test_libreoffice_draws_every_table_slide_without_words_on_top_of_each_other(packs, case, tmp_path, demo_db_path):
    """LibreOffice renders the pack (one PDF page per slide) and no word of a table lands on a word of
    the footer, the note under it or another cell: overlapping words are what a table run over its
    footer looks like on the projector."""
    code, year, lang = case
    pptx = tmp_path / "pack.pptx"
    con = connect(demo_db_path, read_only=True)
    try:
        with kaleido_session():
            P.build_pack(con, resolve_scope(con, code, year, "old"), year, P.TABLE_SECTIONS, lang, pptx)
    finally:
        con.close()
    to_pdf([pptx], tmp_path)
    pages = pdf_words(tmp_path / "pack.pdf")
    assert len(pages) == len(Presentation(pptx).slides)
    for number, words in enumerate(pages, start=1):
        # Line boxes of consecutive lines touch (ascent + descent > line pitch): a clash is glyphs over
        # glyphs, a third of the smaller word's height or more.
        clash = clashes(words, 0.33)
        assert not clash, f"page {number}: words drawn over each other: {clash[:5]}"
