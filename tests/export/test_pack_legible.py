"""The meeting pack as a leader reads it in the room, for a 2026 province in the new units (Quảng Ngãi)
and a 2024 province in the old ones (Kon Tum), in Vietnamese and English, every slide rendered by
LibreOffice and every chart picture by the Chromium that draws it: no table header (nor cell) breaks a
word across lines, a header takes at most three lines, no label or text is drawn over another, and the
sources slide names the boundaries the pack's map drew — schematic only when the map drew a schematic
layer, as the map's own attribution and footer say."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import pytest
from pptx import Presentation

from ntm.export import images
from ntm.export import pack as P
from ntm.export.pack.render import chart_picture
from ntm.read.scope import resolve_scope
from ntm.store.connection import connect
from ntm.text import t
from tests.export.slide_fit import (EMU_PER_PT, Word, clashes, font_file, pdf_words, text_lines, to_pdf,
                                    widest_word_pt)

CASES = [("51", 2026, "new", "vi"), ("51", 2026, "new", "en"), ("62", 2024, "old", "vi"), ("62", 2024, "old", "en")]
HEADER_LINES = 3                      # "Số tiêu chí đạt (/10)" on five lines is what a room cannot read


def case_id(case) -> str:
    code, year, _, lang = case
    return f"{code}-{year}-{lang}"


@dataclass
class Built:
    """A collected pack, its slides, the words LibreOffice drew on each slide (PDF page) and the words
    of each chart picture as drawn on its slide."""

    pack: P.Pack
    prs: Presentation
    pages: list[list[Word]]
    charts: dict[str, list[Word]]


@pytest.fixture(scope="module")
def built(demo_db_path, tmp_path_factory) -> dict[tuple, Built]:
    """The four full packs: one Chromium for every slide and chart picture, one LibreOffice run."""
    out = tmp_path_factory.mktemp("legible")
    con = connect(demo_db_path, read_only=True)
    made = {}
    try:
        with images.kaleido_session():
            for case in CASES:
                code, year, geo, lang = case
                pack = P.collect(con, resolve_scope(con, code, year, geo), year, lang=lang)
                P.render_pptx(pack, out / f"{case_id(case)}.pptx")
                charts = {}
                for sec in pack.sections:
                    if sec.figure is not None:
                        fig = chart_picture(sec)
                        pdf = out / f"{case_id(case)}-{sec.key}.pdf"
                        pdf.write_bytes(images.render(fig, "pdf", fig.layout.width, fig.layout.height))
                        charts[sec.key] = pdf_words(pdf)[0]
                made[case] = (pack, charts)
    finally:
        con.close()
    to_pdf([out / f"{case_id(c)}.pptx" for c in CASES], out)
    return {c: Built(made[c][0], Presentation(out / f"{case_id(c)}.pptx"), pdf_words(out / f"{case_id(c)}.pdf"),
                     made[c][1]) for c in CASES}


def slide_of(prs, key: str):
    return next(s for s in prs.slides if s.name == key)


def slide_text(slide) -> str:
    return "\n".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)


def squash(text: str) -> str:
    """Text without its white space (a line wrapped on a picture or a slide reads the same)."""
    return re.sub(r"\s+", "", text)


def drawn_whole(word: str, drawn: set[str]) -> bool:
    """Whether LibreOffice drew `word` whole (or broken only after its hyphens, "Ethnic-" / "minority")."""
    return word in drawn or all(part in drawn for part in re.findall(r"[^-]+-?", word))


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_no_table_header_breaks_a_word(built, case):
    """Measured with the glyph widths LibreOffice draws with, every word of a table fits its column and a
    header takes at most three lines; in the rendered PDF every word of the table is there whole."""
    b = built[case]
    tables = 0
    for number, slide in enumerate(b.prs.slides):
        drawn = {w[4] for w in b.pages[number]}
        for shape in (s for s in slide.shapes if s.has_table):
            tables += 1
            tbl = shape.table
            for r, row in enumerate(tbl.rows):
                for j, cell in enumerate(row.cells):
                    run = cell.text_frame.paragraphs[0].runs[0]
                    size, path = run.font.size.pt, font_file(run.font.name or "Arial", bool(run.font.bold))
                    inner = (tbl.columns[j].width - cell.margin_left - cell.margin_right) / EMU_PER_PT
                    where = f"{slide.name}, row {r}, column {j} {cell.text!r}"
                    assert widest_word_pt(cell.text, size, path) <= inner, f"{where}: a word wider than its column"
                    if r == 0:
                        assert text_lines(cell.text, inner, size, path) <= HEADER_LINES, f"{where}: header too tall"
                    broken = [w for w in cell.text.split() if not drawn_whole(w, drawn)]
                    assert not broken, f"{where}: LibreOffice broke {broken}"
    assert tables >= 2                          # targets and criteria by department, at least


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_no_chart_label_sits_on_another_text(built, case):
    """On every chart picture (data labels, axis ticks, legend, map names) no word is drawn over another
    — a value label on a year tick, a name on a name."""
    b = built[case]
    assert {"poverty_trend", "mountainous", "map"} <= set(b.charts)
    for key, words in b.charts.items():
        assert words, f"{key}: no text on the chart"
        clash = clashes(words, 0.2)
        assert not clash, f"{key}: labels drawn over other text: {clash[:5]}"


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_no_slide_text_is_drawn_over_another(built, case):
    """What LibreOffice draws — titles, findings, captions, tables, tiles, sources, footers — stays apart
    on every slide."""
    b = built[case]
    assert len(b.pages) == len(b.prs.slides)
    for number, words in enumerate(b.pages, start=1):
        clash = clashes(words, 0.33)
        assert not clash, f"slide {number}: words drawn over each other: {clash[:5]}"


def _attribution(fig) -> str:
    """The boundaries the map names under its legend, without the 'Boundaries:' lead."""
    note = next(a.text for a in fig.layout.annotations if a.name == "attribution")
    return html.unescape(note.replace("<br>", " "))


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_the_sources_slide_names_the_boundaries_the_map_drew(built, case):
    """The sources slide names the boundary layers the map slide drew, as the map names them; it calls
    the boundaries schematic exactly when the map drew a schematic layer (and its footer says so)."""
    code, year, geo, lang = case
    b = built[case]
    figure = next(s for s in b.pack.sections if s.key == "map").figure
    assert figure is not None
    lead = t("ui.boundaries_from", lang, sources="")
    drawn = _attribution(figure)
    assert squash(drawn).startswith(squash(lead))
    layers = drawn.strip()[len(lead.strip()):]
    sources = slide_text(slide_of(b.prs, "sources"))
    assert squash(layers) in squash(sources), f"the sources slide does not name {layers!r}"
    schematic = t("ui.boundary_schematic", lang) in drawn
    notice = t("schematic_notice", lang)
    assert (notice in sources) == schematic
    footer = next(sh for sh in slide_of(b.prs, "map").shapes if sh.name == "Footer").text_frame.text
    assert (notice in footer) == schematic
    if geo == "new":                             # 2026 is drawn from the real 2025 merger map, never a sketch
        assert squash(t("ui.boundary_post2025", lang)) in squash(sources) and notice not in sources
