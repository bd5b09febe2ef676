"""Drawing a collected pack as a 16:9 PowerPoint (python-pptx; every shape placed by hand on a
13.333 × 7.5 in slide): the title slide, then per section its title, finding, chart picture (rendered
by kaleido), native table, tiles or sources text, and a footer with the source line and the demo
notice. `build_pack` collects and draws in one call."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Sequence

import pandas as pd
import plotly.graph_objects as go
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.lang import MSO_LANGUAGE_ID
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from ntm.domain.periods import period_for_year
from ntm.export import fonts, images
from ntm.export.pack.content import collect, normalise_sections
from ntm.export.pack.model import Pack, Progress, Section
from ntm.read.scope import Scope
from ntm.text import fmt_cell, fmt_date, locale, t

SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)
FONT_NAME = "Arial"                 # on every office PC, with Vietnamese glyphs (Liberation Sans in LibreOffice)
NAVY = RGBColor(0x25, 0x34, 0x94)   # the charts' darkest status colour (model NTM)
BLUE = RGBColor(0x00, 0x72, 0xB2)
DARK = RGBColor(0x22, 0x22, 0x22)
GREY = RGBColor(0x55, 0x55, 0x55)
LIGHT = RGBColor(0xF3, 0xF6, 0xFA)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
DEMO_RED = RGBColor(0xB3, 0x3C, 0x00)
TONE = {"good": RGBColor(0x00, 0x9E, 0x73), "bad": RGBColor(0xD5, 0x5E, 0x00), "neutral": BLUE}
STATE_FILL = {"met": RGBColor(0xD5, 0xEF, 0xE4), "not_met": RGBColor(0xFB, 0xDD, 0xC8),
              "pending": RGBColor(0xEE, 0xEE, 0xEE), "no_data": RGBColor(0xEE, 0xEE, 0xEE)}
MARGIN_X = Inches(0.5)
CONTENT_W = Emu(SLIDE_W - 2 * MARGIN_X)
PICTURE_TOP, PICTURE_BOTTOM = Inches(2.3), Inches(6.85)
RENDER_WIDTH = 1500                 # layout pixels of a chart on a slide (fonts sized for this width)
RENDER_SCALE = 2                    # PNG pixels per layout pixel: sharp on a projector
OFFICE_LANGUAGE = {"vi-VN": MSO_LANGUAGE_ID.VIETNAMESE, "en-GB": MSO_LANGUAGE_ID.ENGLISH_UK}


def _lang_id(lang: str):
    return OFFICE_LANGUAGE[locale(lang)]


def _text(slide, left, top, width, height, paragraphs, lang: str, anchor=MSO_ANCHOR.TOP, name: str | None = None):
    """A text box. `paragraphs`: [(text, size_pt, bold, colour, align)]."""
    box = slide.shapes.add_textbox(left, top, width, height)
    if name:
        box.name = name
    tf = box.text_frame
    tf.word_wrap = True
    tf.auto_size = MSO_AUTO_SIZE.NONE
    tf.vertical_anchor = anchor
    tf.margin_left = tf.margin_right = Inches(0.05)
    tf.margin_top = tf.margin_bottom = Inches(0.03)
    for i, (text, size, bold, colour, align) in enumerate(paragraphs):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        p.alignment = align
        run = p.add_run()
        run.text = text
        _font(run.font, size, bold, colour, lang)
    return box


def _font(font, size, bold, colour, lang):
    font.name = FONT_NAME
    font.size = Pt(size)
    font.bold = bold
    font.color.rgb = colour
    font.language_id = _lang_id(lang)


def _rect(slide, left, top, width, height, fill, line=None):
    shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, left, top, width, height)
    shape.fill.solid()
    shape.fill.fore_color.rgb = fill
    if line is None:
        shape.line.fill.background()
    else:
        shape.line.color.rgb = line
    style = shape._element.find(qn("p:style"))          # the theme's style adds a shadow in LibreOffice
    if style is not None:
        shape._element.remove(style)
    return shape


def _to_back(slide, shape) -> None:
    """Draw `shape` behind everything else on the slide."""
    tree = slide.shapes._spTree
    tree.remove(shape._element)
    tree.insert(2, shape._element)


TITLE_SIZES = (28, 26, 24, 22)          # pt: a long title (a table's "continued, 2/3") shrinks to stay on one line


def _title(slide, text: str, lang: str) -> None:
    """The slide title in the layout's title placeholder (outline view, accessibility), placed by hand, on
    one line (smaller type for a long one; two lines at the smallest size rather than a cut)."""
    ph = slide.shapes.title
    ph.left, ph.top, ph.width, ph.height = MARGIN_X, Inches(0.28), CONTENT_W, Inches(0.7)
    tf = ph.text_frame
    tf.word_wrap = True
    tf.vertical_anchor = MSO_ANCHOR.MIDDLE
    tf.margin_left = Inches(0.05)
    tf.text = ""
    p = tf.paragraphs[0]
    p.alignment = PP_ALIGN.LEFT
    run = p.add_run()
    run.text = text
    size = next((z for z in TITLE_SIZES if _wrapped_lines(text, CONTENT_W.inches, z, True) == 1), TITLE_SIZES[-1])
    _font(run.font, size, True, NAVY, lang)


FINDING_SIZES = (20, 18, 16, 15, 14, 13)      # pt: the finding's box holds three lines at the smallest


def _finding(slide, text: str, tone: str, lang: str) -> None:
    """The slide's finding in its tinted box, at the largest size whose lines fit the box."""
    top, height = Inches(1.02), Inches(0.86)
    _rect(slide, MARGIN_X, top, CONTENT_W, height, LIGHT)
    _rect(slide, MARGIN_X, top, Inches(0.09), height, TONE.get(tone, BLUE))
    width = Emu(CONTENT_W - Inches(0.25)).inches
    size = next((z for z in FINDING_SIZES if _wrapped_lines(text, width, z, True) * _line_in(z, True) <= height.inches - 0.1),
                FINDING_SIZES[-1])
    _text(slide, MARGIN_X + Inches(0.2), top, CONTENT_W - Inches(0.25), height, [(text, size, True, DARK, PP_ALIGN.LEFT)],
          lang, MSO_ANCHOR.MIDDLE, name="Finding")


def _footer(slide, pack: Pack, page: int, pages: int, extra: tuple[str, ...] = ()) -> None:
    lg = pack.lang
    paras = [(pack.source, 10.5, False, GREY, PP_ALIGN.LEFT)]
    for note in extra:
        paras.append((note, 10.5, True, DEMO_RED, PP_ALIGN.LEFT))
    if pack.is_demo:
        paras.append((pack.demo_tag, 10.5, True, DEMO_RED, PP_ALIGN.LEFT))
    top = Inches(6.9) if len(paras) <= 2 else Inches(6.78)
    _text(slide, MARGIN_X, top, CONTENT_W - Inches(1.0), SLIDE_H - top - Inches(0.05), paras, lg, MSO_ANCHOR.BOTTOM,
          name="Footer")
    _text(slide, SLIDE_W - MARGIN_X - Inches(0.9), Inches(7.0), Inches(0.9), Inches(0.4),
          [(t("pack.page", lg, i=page, n=pages), 11, False, GREY, PP_ALIGN.RIGHT)], lg, MSO_ANCHOR.BOTTOM,
          name="Page number")
    _rect(slide, 0, 0, SLIDE_W, Inches(0.1), NAVY)


def _caption(slide, text: str, lang: str, top=Inches(1.93)) -> None:
    size = 13 if _wrapped_lines(text, CONTENT_W.inches, 13) <= 1 else 11      # one line above the picture
    _text(slide, MARGIN_X, top, CONTENT_W, Inches(0.34), [(text, size, False, GREY, PP_ALIGN.LEFT)], lang, name="Caption")


def _wrapped_lines(text: str, width_in: float, size: float, bold: bool = False) -> int:
    """Lines `text` takes in a text box `width_in` inches wide (its 0.1 in side margins inside) at `size`
    pt, with the slide font's real glyph widths (`ntm.export.fonts`)."""
    return fonts.wrapped_lines(text, width_in - 0.2, size, bold)


def _line_in(size: float, bold: bool = False) -> float:
    """One line's height in inches at `size` pt."""
    return fonts.line_height(size, bold) / 72


def slide_figure(fig: go.Figure, width: int, height: int) -> go.Figure:
    """A chart made for a slide: no title or source inside (the slide has them as text), larger type,
    tight margins, sized to the picture box."""
    out = go.Figure(fig)
    keep = [a for a in out.layout.annotations or () if a.name not in ("source", images.DATE_NAME, images.NOTICE_NAME)]
    out.layout.annotations = keep
    for a in out.layout.annotations:
        if a.name == "break":                           # a new standard or criteria set: readable from the back
            a.font.size = 17
        elif not out.data:                              # a chart that says why it draws nothing: slide-sized
            a.font.size = max(a.font.size or 0, 26)
    horizontal = any(tr.type == "bar" and tr.orientation == "h" for tr in out.data)
    out.update_layout(title=dict(text="", subtitle=dict(text="")), width=width, height=height,
                      margin=dict(l=70, r=150 if horizontal else 30, t=60, b=40), font=dict(size=19),
                      legend=dict(font=dict(size=18)))
    if out.layout.uniformtext.minsize:                 # labels inside stacked bars: readable or hidden
        out.update_layout(uniformtext=dict(minsize=15, mode="hide"))
    if any(tr.type == "sankey" for tr in out.data):
        out.update_layout(margin=dict(t=70, b=20, l=20, r=20))
    if out.layout.yaxis.scaleanchor == "x":            # a map: as large as the box allows
        out.update_layout(margin=dict(t=8, b=8, l=8, r=8))
    return out


def _picture(slide, png: bytes, left, top, width, height) -> None:
    w, h = images.png_size(png)
    scale = min(width / w, height / h)
    pw, ph = int(w * scale), int(h * scale)
    slide.shapes.add_picture(io.BytesIO(png), left + (width - pw) // 2, top + (height - ph) // 2, pw, ph)


def chart_picture(sec: Section) -> go.Figure:
    """The chart of a section as its slide shows it (`slide_figure` at the picture box's size)."""
    px_h = int(RENDER_WIDTH * (PICTURE_BOTTOM - PICTURE_TOP) / CONTENT_W)
    return slide_figure(sec.slide_fig if sec.slide_fig is not None else sec.figure, RENDER_WIDTH, px_h)


def _chart_slide(slide, sec: Section, pack: Pack) -> None:
    _caption(slide, sec.caption + (f" · {sec.table_note}" if sec.table_note else ""), pack.lang)
    fig = chart_picture(sec)
    png = images.render(fig, "png", fig.layout.width, fig.layout.height, RENDER_SCALE)
    _picture(slide, png, MARGIN_X, PICTURE_TOP, CONTENT_W, PICTURE_BOTTOM - PICTURE_TOP)


def _cell_text(v, lang: str) -> str:
    """A table value as slide text (`ntm.text.fmt_cell`)."""
    return fmt_cell(v, lang)


TABLE_SIZES = (16, 15, 14, 13, 12)      # pt, largest first; 12 pt is the smallest a room reads
MORE_ROWS_IN = 0.35                     # the "… and N more rows" line under a table


CELL_MARGIN_X, CELL_MARGIN_Y = 0.06, 0.03     # in, each side of a table cell's text


def _row_heights(texts: list[list[str]], widths_in: list[float], size: int, bold: set[int]) -> list[float]:
    """Each row's height (in) at `size` pt: the most lines any of its cells wraps to (the header and the
    `bold` columns measured in bold, as drawn), plus the cell's margins and a little air."""
    line_in = _line_in(size, True)
    return [max(fonts.wrapped_lines(text, w - 2 * CELL_MARGIN_X - 0.02, size, r == 0 or j in bold)
                for j, (text, w) in enumerate(zip(row, widths_in)))
            * line_in + 2 * CELL_MARGIN_Y + 0.04 for r, row in enumerate(texts)]


HEADER_LINES = (2, 3, None)             # a header in two lines when the columns allow, else three, else as it wraps
CELL_PAD_IN = 2 * CELL_MARGIN_X + 0.02 + 0.04   # a cell's margins, the measure's slack and the renderer's rounding


def _widest_word(texts, size: int, bold: bool) -> float:
    """The widest word (pt) of `texts` at `size`: the narrowest a column can be without breaking one."""
    return max((fonts.text_width(w, size, bold) for s in texts for w in str(s).split()), default=0.0)


def _header_width(text: str, size: int, lines: int | None) -> float:
    """The narrowest text width (pt) that holds header `text` (bold) in `lines` lines without breaking a
    word (the widest word when `lines` is None)."""
    lo, hi = _widest_word([text], size, True), fonts.text_width(" ".join(text.split()), size, True)
    if lines is None or fonts.wrapped_lines(text, lo / 72, size, True) <= lines:
        return lo
    while hi - lo > 0.5:
        mid = (lo + hi) / 2
        lo, hi = (lo, mid) if fonts.wrapped_lines(text, mid / 72, size, True) <= lines else (mid, hi)
    return hi


def column_widths(header: list[str], body: list[list[str]], base_in: list[float], size: int, bold: set[int]
                  ) -> list[float] | None:
    """Column widths (in) at `size` pt: the section's proportions `base_in`, each column widened to hold
    its widest word (header and cells: a word is never broken) and its header in two lines (three, then
    as many as it takes, when the table is too narrow for that), the room taken from the other columns in
    proportion. None when the words alone are wider than the table at this size."""
    words = [_widest_word([row[j] for row in body], size, j in bold) for j in range(len(header))]
    total = sum(base_in)
    for lines in HEADER_LINES:
        need = [max(w, _header_width(h, size, lines)) / 72 + CELL_PAD_IN for h, w in zip(header, words)]
        if sum(need) <= total:
            return _share(base_in, need)
    return None


def _share(base: list[float], need: list[float]) -> list[float]:
    """`base` widths with every column at least its `need`, the others narrowed in proportion (same total)."""
    total, fixed = sum(base), set()
    while True:
        free = [j for j in range(len(base)) if j not in fixed]
        if not free:
            return need
        scale = (total - sum(need[j] for j in fixed)) / sum(base[j] for j in free)
        out = [need[j] if j in fixed else base[j] * scale for j in range(len(base))]
        short = {j for j in free if out[j] < need[j]}
        if not short:
            return out
        fixed |= short


TablePart = tuple[pd.DataFrame, int, list[float], list[float]]       # rows, size (pt), row heights, column widths


def table_pages(frame: pd.DataFrame, widths_in: list[float], available_in: float, lang: str, bold: set[int]
                ) -> list[TablePart]:
    """The table cut into slides: each part (header repeated) at the largest size that fits it, never
    below 12 pt, its columns as wide as their words need (`column_widths`, from the proportions
    `widths_in`) — rows that do not fit at 12 pt continue on the next slide.
    (part, size, row heights, column widths)."""
    header = [str(c) for c in frame.columns]
    body = [[_cell_text(v, lang) for v in row] for row in frame.itertuples(index=False)]
    fallback = None
    for size in TABLE_SIZES:
        widths = column_widths(header, body, widths_in, size, bold)
        if widths is None:
            continue
        heights = _row_heights([header] + body, widths, size, bold)
        if sum(heights) <= available_in:
            return [(frame, size, heights, widths)]
        fallback = (size, widths)
    size, widths = fallback or (TABLE_SIZES[-1], widths_in)          # the smallest size whose words fit
    head_h, *row_h = _row_heights([header] + body, widths, size, bold)
    parts, start, used = [], 0, head_h
    for i, h in enumerate(row_h):
        if used + h > available_in and i > start:
            parts.append((start, i))
            start, used = i, head_h
        used += h
    parts.append((start, len(row_h)))
    return [(frame.iloc[a:b], size, [head_h] + row_h[a:b], widths) for a, b in parts]


def _table_parts(sec: Section, lang: str) -> list[TablePart]:
    """The slides a table section takes (one when it has no rows)."""
    frame = sec.table.frame
    frame = frame[[c for c in frame.columns if c not in sec.slide_drop]]
    if frame.empty:
        return [(frame, 0, [], [])]
    more = len(frame) > sec.max_rows
    return table_pages(frame.head(sec.max_rows), _table_widths(sec, len(frame.columns)),
                       Emu(PICTURE_BOTTOM - PICTURE_TOP).inches - (MORE_ROWS_IN if more else 0.0), lang,
                       _bold_columns(sec, list(frame.columns)))


def _bold_columns(sec: Section, columns: list[str]) -> set[int]:
    """The columns drawn in bold: the first (what the row is) and the assessment."""
    return {0} | ({columns.index(sec.status_column)} if sec.status_column in columns else set())


def _table_widths(sec: Section, cols: int) -> list[float]:
    """The section's column proportions over the slide's width (in)."""
    widths = sec.widths if len(sec.widths) == cols else (1.0,) * cols
    return [CONTENT_W.inches * w / sum(widths) for w in widths]


def _table_slide(slide, sec: Section, pack: Pack, part: TablePart, last: bool) -> None:
    """One slide of a table section: its part of the rows; the last part says how many rows only the
    download has."""
    lg = pack.lang
    shown, size, heights, widths_in = part
    _caption(slide, sec.caption, lg)
    if shown.empty:
        _text(slide, MARGIN_X, PICTURE_TOP + Inches(0.5), CONTENT_W, Inches(1.0),
              [(sec.finding, 22, False, GREY, PP_ALIGN.CENTER)], lg, MSO_ANCHOR.MIDDLE)
        return
    more = len(sec.table.frame) - sec.max_rows if last else 0
    rows, cols = len(shown) + 1, len(shown.columns)
    gf = slide.shapes.add_table(rows, cols, MARGIN_X, PICTURE_TOP, CONTENT_W, Inches(sum(heights)))
    gf.name = f"Table {sec.key}"
    tbl = gf.table
    tbl.horz_banding = False
    for j, w in enumerate(widths_in):
        tbl.columns[j].width = Inches(w)
    status_j = list(shown.columns).index(sec.status_column) if sec.status_column in shown.columns else None
    bold = _bold_columns(sec, list(shown.columns))
    state_of = {t("state.pending_later", lg): "pending", t("state.met", lg): "met",
                t("state.not_met", lg): "not_met", t("state.no_data", lg): "no_data"}
    for j, col in enumerate(shown.columns):
        _cell(tbl.cell(0, j), str(col), size, True, WHITE, NAVY, lg)
    for i, row in enumerate(shown.itertuples(index=False), start=1):
        fill = WHITE if i % 2 else LIGHT
        for j, v in enumerate(row):
            text = _cell_text(v, lg)
            cell_fill = STATE_FILL.get(state_of.get(text, ""), fill) if j == status_j else fill
            _cell(tbl.cell(i, j), text, size, j in bold, DARK, cell_fill, lg)
    for r, h in enumerate(heights):
        tbl.rows[r].height = Inches(h)
    if more > 0:
        _text(slide, MARGIN_X, PICTURE_TOP + Inches(sum(heights) + 0.03), CONTENT_W, Inches(0.3),
              [(t("pack.more_rows", lg, n=more), 12, False, GREY, PP_ALIGN.LEFT)], lg, name="More rows")


def _cell(cell, text: str, size, bold, colour, fill, lang) -> None:
    cell.text = ""
    p = cell.text_frame.paragraphs[0]
    run = p.add_run()
    run.text = text
    _font(run.font, size, bold, colour, lang)
    cell.text_frame.word_wrap = True
    cell.fill.solid()
    cell.fill.fore_color.rgb = fill
    cell.margin_left = cell.margin_right = Inches(CELL_MARGIN_X)
    cell.margin_top = cell.margin_bottom = Inches(CELL_MARGIN_Y)
    cell.vertical_anchor = MSO_ANCHOR.MIDDLE


def _tiles_slide(slide, sec: Section, pack: Pack) -> None:
    lg = pack.lang
    _caption(slide, sec.caption, lg)
    per_row, gap = 4, Inches(0.2)
    width = int((CONTENT_W - gap * (per_row - 1)) / per_row)
    height = Inches(2.1)
    for k, tile in enumerate(sec.tiles):
        r, col = divmod(k, per_row)
        left = MARGIN_X + col * (width + gap)
        top = PICTURE_TOP + r * (height + gap)
        _rect(slide, left, top, width, height, LIGHT)
        _rect(slide, left, top, width, Inches(0.08), TONE.get(tile.tone, BLUE))
        _text(slide, left + Inches(0.12), top + Inches(0.15), width - Inches(0.24), Inches(0.5),
              [(tile.label, 14, True, GREY, PP_ALIGN.LEFT)], lg)
        _text(slide, left + Inches(0.12), top + Inches(0.62), width - Inches(0.24), Inches(0.8),
              [(tile.value, 36, True, NAVY, PP_ALIGN.LEFT)], lg, MSO_ANCHOR.MIDDLE)
        _text(slide, left + Inches(0.12), top + Inches(1.42), width - Inches(0.24), Inches(0.6),
              [(tile.note, 13, False, DARK, PP_ALIGN.LEFT)], lg)


def _sources_slide(slide, sec: Section, pack: Pack) -> None:
    """Sources, notes and legal basis; the type shrinks (13 → 10 pt) until every line fits above the footer."""
    lg = pack.lang
    height = Inches(5.6)
    last = t("pack.generated_by", lg) + " · " + t("pack.prepared", lg, date=fmt_date(pack.created, lg))
    for size in (13, 12, 11):                  # the estimate errs wide: 11 pt still fits the longest list
        paras = []
        for heading, lines in sec.blocks:
            paras.append((heading, size + 4, True, NAVY, PP_ALIGN.LEFT))
            paras += [("• " + line, size, False, DARK, PP_ALIGN.LEFT) for line in lines if line]
        paras.append((last, size - 1, False, GREY, PP_ALIGN.LEFT))
        needed = sum(_wrapped_lines(p[0], CONTENT_W.inches, p[1], p[2]) * _line_in(p[1], p[2]) + 4 / 72 for p in paras)
        if needed <= height.inches:
            break
    box = _text(slide, MARGIN_X, Inches(1.1), CONTENT_W, height, paras, lg, name="Sources")
    for p in box.text_frame.paragraphs:
        p.space_after = Pt(4)


def _no_data_slide(slide, sec: Section, pack: Pack) -> None:
    _text(slide, MARGIN_X, Inches(3.2), CONTENT_W, Inches(1.0),
          [(t("pack.no_data_slide", pack.lang), 20, False, GREY, PP_ALIGN.CENTER)], pack.lang, MSO_ANCHOR.MIDDLE)


def _title_slide(prs, pack: Pack) -> None:
    lg = pack.lang
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    _to_back(slide, _rect(slide, 0, 0, SLIDE_W, Inches(4.6), NAVY))
    _title(slide, t("pack.title", lg), lg)
    ph = slide.shapes.title
    ph.top, ph.height = Inches(1.0), Inches(1.0)
    for run in ph.text_frame.paragraphs[0].runs:
        _font(run.font, 44, True, WHITE, lg)
    _text(slide, MARGIN_X, Inches(2.05), CONTENT_W, Inches(0.8),
          [(t(f"pack.programmes.{period_for_year(pack.year).key}", lg), 26, False, WHITE, PP_ALIGN.LEFT)], lg)
    _text(slide, MARGIN_X, Inches(2.9), CONTENT_W, Inches(1.3),
          [(pack.scope_label, 34, True, WHITE, PP_ALIGN.LEFT)], lg, name="Scope")
    _text(slide, MARGIN_X, Inches(4.85), CONTENT_W, Inches(1.0),
          [(t("pack.period", lg, year=pack.year), 22, True, DARK, PP_ALIGN.LEFT),
           (t("pack.prepared", lg, date=fmt_date(pack.created, lg)), 18, False, GREY, PP_ALIGN.LEFT)], lg,
          name="Period")
    if pack.is_demo:
        _rect(slide, MARGIN_X, Inches(6.05), CONTENT_W, Inches(0.9), RGBColor(0xFF, 0xF1, 0xE6), TONE["bad"])
        _text(slide, MARGIN_X + Inches(0.15), Inches(6.05), CONTENT_W - Inches(0.3), Inches(0.9),
              [(t("demo_notice", lg), 17, True, DEMO_RED, PP_ALIGN.LEFT)], lg, MSO_ANCHOR.MIDDLE, name="Demo notice")


def render_pptx(pack: Pack, out_path: Path | str, progress: Progress | None = None, step0: int = 0,
                steps: int | None = None) -> Path:
    """Draw the slides of a collected pack and save them."""
    out_path = Path(out_path)
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    lg = pack.lang
    cp = prs.core_properties
    cp.title = f"{t('pack.title', lg)} — {pack.scope_label}, {pack.year}"
    cp.subject = t(f"pack.programmes.{period_for_year(pack.year).key}", lg)
    cp.author = cp.last_modified_by = t("pack.generated_by", lg)
    cp.language = locale(lg)
    cp.created = cp.modified = pack.created.replace(microsecond=0)
    slides = [(sec, part, i, len(parts)) for sec in pack.sections
              for parts in ([_table_parts(sec, lg)] if sec.has_content and sec.figure is None and sec.table is not None
                            else [[None]])
              for i, part in enumerate(parts, start=1)]
    pages = len(slides) + 1
    steps = steps or step0 + pages + 1                  # each slide, then saving (a long table takes several
    draw = steps - 1 - step0                            # slides: its steps are shared among them)
    with images.kaleido_session():
        if progress:
            progress(step0, steps, t("pack.drawing", lg, i=1, n=pages, name=t("pack.title", lg)))
        _title_slide(prs, pack)
        for page, (sec, part, k, n) in enumerate(slides, start=2):
            title = sec.title if n == 1 else t("pack.part" if k == 1 else "pack.continued", lg, title=sec.title, i=k, n=n)
            if progress:
                progress(step0 + (page - 1) * draw // pages, steps, t("pack.drawing", lg, i=page, n=pages, name=title))
            slide = prs.slides.add_slide(prs.slide_layouts[5])
            slide._element.cSld.name = sec.key if k == 1 else f"{sec.key}-{k}"     # the section, for tools
            _title(slide, title, lg)
            if sec.key != "sources":
                _finding(slide, sec.finding, sec.tone, lg)
            if not sec.has_content:
                _no_data_slide(slide, sec, pack)
            elif sec.figure is not None:
                _chart_slide(slide, sec, pack)
            elif sec.table is not None:
                _table_slide(slide, sec, pack, part, last=k == n)
            elif sec.tiles:
                _tiles_slide(slide, sec, pack)
            else:
                _sources_slide(slide, sec, pack)
            _footer(slide, pack, page, pages, sec.notices)
            slide.notes_slide.notes_text_frame.text = "\n".join(x for x in (sec.finding, sec.caption) if x)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    if progress:
        progress(steps - 1, steps, t("pack.saving", lg, name=out_path.name))
    prs.save(out_path)
    if progress:
        progress(steps, steps, t("pack.saved", lg, name=out_path.name))
    return out_path


def build_pack(con, scope: Scope, year: int, sections: Sequence[str] | str | None = None, lang: str = "vi",
               out_path: Path | str | None = None, progress: Progress | None = None) -> Path:
    """Build the meeting pack for `scope` and `year` and save it to `out_path` (a temporary file when
    None); returns the path. `sections`: names from SECTIONS (list or comma-separated; default all).
    `progress(i, n, label)` is called before each step (reading the data, then each slide) and once
    at the end with i == n."""
    keys = normalise_sections(sections)
    if out_path is None:
        out_path = Path(tempfile.mkdtemp(prefix="ntm-pack-")) / f"{images.file_stem('pack', scope.code or 'VN', year)}.pptx"
    steps = len(keys) * 2 + 2                          # read each section, draw the title and each slide, save

    def collecting(i, n, text):
        if progress:
            progress(i, steps, text)

    pack = collect(con, scope, year, keys, lang, collecting)
    return render_pptx(pack, out_path, progress, step0=len(keys), steps=steps)


def pack_bytes(con, scope: Scope, year: int, sections: Sequence[str] | str | None = None, lang: str = "vi",
               progress: Progress | None = None) -> bytes:
    """The meeting pack as bytes (for a download button)."""
    path = build_pack(con, scope, year, sections, lang, None, progress)
    try:
        return path.read_bytes()
    finally:
        path.unlink(missing_ok=True)
        try:
            path.parent.rmdir()
        except OSError:
            pass


def slide_count(data: bytes) -> int:
    """How many slides a built pack has (a long table takes several)."""
    return len(Presentation(io.BytesIO(data)).slides)


def pack_file_name(scope: Scope, year: int, lang: str = "vi") -> str:
    """'bao-cao-giao-ban_tinh-kon-tum_2024.pptx'."""
    return images.file_stem(t("pack.title", lang), scope.name if scope.level != "national" else "VN", year) + ".pptx"

