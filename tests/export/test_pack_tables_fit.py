"""Every table of a meeting pack stays above its slide's footer, measured as LibreOffice lays it out:
each cell wrapped with the real glyph widths of the font the slide font resolves to on this machine
(`slide_fit`), in Vietnamese and English packs of a province and a district, one with long target
lists. A table too long for one slide continues on the next, never below 12 pt."""

from __future__ import annotations

import html
import re
import shutil
import subprocess

import pytest
from pptx import Presentation

from ntm.export import pack as P
from ntm.export.images import kaleido_session
from ntm.read.scope import resolve_scope
from ntm.store.connection import connect
from tests.export.slide_fit import EMU_PER_PT, footer_top_pt, table_height_pt

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
    assert tables >= len(P.TABLE_SECTIONS) - 1


def test_a_long_target_list_continues_on_the_next_slide(packs):
    prs = packs[("62", 2024, "en")]
    parts = [s for s in prs.slides if s.name.startswith("targets")]
    assert len(parts) >= 2
    titles = [s.shapes.title.text for s in parts]
    assert titles[0].endswith(f"(1/{len(parts)})") and titles[1].endswith(f"(continued, 2/{len(parts)})")
    headers = [[c.text for c in next(sh for sh in s.shapes if sh.has_table).table.rows[0].cells] for s in parts]
    assert all(h == headers[0] for h in headers)                 # the header repeats on every part


def _words(pdf, tmp_path) -> list[list[tuple[float, float, float, float, str]]]:
    """Every word LibreOffice drew, per page, with its box (pdftotext -bbox)."""
    out = tmp_path / "bbox.html"
    subprocess.run([shutil.which("pdftotext"), "-bbox", str(pdf), str(out)], check=True, timeout=60)
    pages = []
    for page in re.findall(r"<page.*?</page>", out.read_text(encoding="utf-8"), flags=re.S):
        pages.append([(float(a), float(b), float(c), float(d), html.unescape(w)) for a, b, c, d, w in
                      re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', page)])
    return pages


@pytest.mark.parametrize("case", [("62", 2024, "en"), (None, 2024, "vi")], ids=["kon-tum-en", "national-vi"])
def test_libreoffice_draws_every_table_slide_without_words_on_top_of_each_other(packs, case, tmp_path, demo_db_path):
    """LibreOffice renders the pack (one PDF page per slide) and no word of a table lands on a word of
    the footer, the note under it or another cell: overlapping words are what a table run over its
    footer looks like on the projector."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (soffice) is missing: apt-get install libreoffice-impress"
    assert shutil.which("pdftotext"), "poppler-utils (pdftotext) is missing: apt-get install poppler-utils"
    code, year, lang = case
    pptx = tmp_path / "pack.pptx"
    con = connect(demo_db_path, read_only=True)
    try:
        with kaleido_session():
            P.build_pack(con, resolve_scope(con, code, year, "old"), year, P.TABLE_SECTIONS, lang, pptx)
    finally:
        con.close()
    profile = tmp_path / "lo-profile"
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(pptx)], check=True, timeout=180, capture_output=True)
    pages = _words(tmp_path / "pack.pdf", tmp_path)
    assert len(pages) == len(Presentation(pptx).slides)
    for number, words in enumerate(pages, start=1):
        # Line boxes of consecutive lines touch (ascent + descent > line pitch): a clash is glyphs over
        # glyphs, a third of the smaller word's height or more.
        clash = [(a[4], b[4]) for i, a in enumerate(words) for b in words[i + 1:]
                 if min(a[2], b[2]) - max(a[0], b[0]) > 1
                 and min(a[3], b[3]) - max(a[1], b[1]) > 0.33 * min(a[3] - a[1], b[3] - b[1])]
        assert not clash, f"page {number}: words drawn over each other: {clash[:5]}"
