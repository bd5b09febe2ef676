"""Measuring a pack's tables as LibreOffice lays them out: each cell's text wrapped with the real glyph
widths of the font the slide's font resolves to here (fontconfig), line height from the font's own
ascent and descent, and the cell margins from the file; and reading what LibreOffice drew (the words of
its PDF with their boxes, words drawn over each other)."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from functools import lru_cache

from PIL import ImageFont
from pptx.util import Emu

EMU_PER_PT = 12700


@lru_cache(maxsize=4)
def font_file(family: str, bold: bool) -> str:
    """The file fontconfig resolves `family` to (what LibreOffice draws with on this machine)."""
    fc = shutil.which("fc-match")
    assert fc, "fontconfig (fc-match) is missing: apt-get install fontconfig"
    out = subprocess.run([fc, "-f", "%{file}", f"{family}:{'bold' if bold else 'regular'}"], capture_output=True,
                         text=True, timeout=20, check=True).stdout.strip()
    assert out, f"no font for {family}"
    return out


@lru_cache(maxsize=64)
def _font(path: str, size_pt: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size=int(round(size_pt * 20)))        # 20 units per point


def text_lines(text: str, width_pt: float, size_pt: float, path: str) -> int:
    """Lines `text` wraps to in a box `width_pt` wide (break at spaces; a word longer than the line
    breaks inside)."""
    font = _font(path, size_pt)
    measure = lambda s: font.getlength(s) / 20                              # noqa: E731
    lines = 0
    for para in text.split("\n"):
        lines += 1
        line = ""
        for word in para.split(" "):
            candidate = word if not line else f"{line} {word}"
            if measure(candidate) <= width_pt:
                line = candidate
                continue
            if line:
                lines += 1
            line = word
            while measure(line) > width_pt and len(line) > 1:              # a word wider than the box
                lines += 1
                cut = max(i for i in range(1, len(line) + 1) if measure(line[:i]) <= width_pt or i == 1)
                line = line[cut:]
    return lines


def line_height(size_pt: float, path: str) -> float:
    """One line's height in points: the font's ascent + descent at `size_pt`."""
    ascent, descent = _font(path, size_pt).getmetrics()
    return (ascent + descent) / 20


def table_height_pt(graphic_frame) -> float:
    """The height a native table takes when every row grows to fit its text."""
    tbl = graphic_frame.table
    total = 0.0
    for r, row in enumerate(tbl.rows):
        need = row.height / EMU_PER_PT
        for j, cell in enumerate(row.cells):
            width = tbl.columns[j].width / EMU_PER_PT - (cell.margin_left + cell.margin_right) / EMU_PER_PT
            runs = [run for p in cell.text_frame.paragraphs for run in p.runs]
            if not runs:
                continue
            size = runs[0].font.size.pt
            path = font_file(runs[0].font.name or "Arial", bool(runs[0].font.bold))
            text = "\n".join(p.text for p in cell.text_frame.paragraphs)
            h = text_lines(text, width, size, path) * line_height(size, path) \
                + (cell.margin_top + cell.margin_bottom) / EMU_PER_PT
            need = max(need, h)
        total += need
    return total


def footer_top_pt(slide) -> float:
    """Where the slide's footer text begins (its text box is anchored at the bottom: the top of its
    lines, measured like the table's)."""
    footer = next(s for s in slide.shapes if s.name == "Footer")
    bottom = (footer.top + footer.height) / EMU_PER_PT
    lines = 0.0
    for p in footer.text_frame.paragraphs:
        run = p.runs[0]
        path = font_file(run.font.name or "Arial", bool(run.font.bold))
        lines += text_lines(p.text, footer.width / EMU_PER_PT - 14.4, run.font.size.pt, path) \
            * line_height(run.font.size.pt, path)
    return bottom - lines - Emu(footer.text_frame.margin_bottom or 45720) / EMU_PER_PT


def widest_word_pt(text: str, size_pt: float, path: str) -> float:
    """The widest word of `text` in points: a cell narrower than that breaks a word."""
    font = _font(path, size_pt)
    return max((font.getlength(w) / 20 for w in text.split()), default=0.0)


def to_pdf(pptx_paths, outdir) -> None:
    """LibreOffice renders the decks to PDF in `outdir` (one page per slide), in one run."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (soffice) is missing: apt-get install libreoffice-impress"
    profile = outdir / "lo-profile"
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(outdir), *map(str, pptx_paths)], check=True, timeout=300, capture_output=True)


Word = tuple[float, float, float, float, str]


def pdf_words(pdf) -> list[list[Word]]:
    """Every word drawn in a PDF, per page, with its box in points (pdftotext -bbox)."""
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "poppler-utils (pdftotext) is missing: apt-get install poppler-utils"
    out = subprocess.run([pdftotext, "-bbox", str(pdf), "-"], check=True, timeout=60, capture_output=True).stdout
    pages = []
    for page in re.findall(r"<page.*?</page>", out.decode("utf-8"), flags=re.S):
        pages.append([(float(a), float(b), float(c), float(d), html.unescape(w)) for a, b, c, d, w in
                      re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', page)])
    return pages


def clashes(words: list[Word], share: float) -> list[tuple[str, str]]:
    """Pairs of words drawn over each other: boxes overlapping across more than 1 pt and, in height, by
    `share` of the smaller word or more (boxes of two lines of one paragraph touch). A word drawn again a
    point or two aside (a label's halo, drawn as a text shadow) is one word."""
    out = []
    for i, a in enumerate(words):
        for b in words[i + 1:]:
            if a[4] == b[4] and all(abs(p - q) < 2 for p, q in zip(a[:4], b[:4])):
                continue
            if min(a[2], b[2]) - max(a[0], b[0]) > 1 and \
                    min(a[3], b[3]) - max(a[1], b[1]) > share * min(a[3] - a[1], b[3] - b[1]):
                out.append((a[4], b[4]))
    return out
