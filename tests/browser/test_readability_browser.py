"""What a Vietnamese leader reads in a meeting, checked in a real Chromium: the targets view's chart keeps
every label inside its frame, lists the scope's own targets first and writes decimals with a comma; the
export page's tables and the upload page's import history show figures, words and dates as a reader
writes them (no dot decimals, no database words, no ISO timestamps) and fit the screen; and no page in
Vietnamese shows Streamlit's or Plotly's English (upload box, toolbar tooltips). Texts are read as drawn:
a grid's cells as the grid draws them, a page's text without what is hidden (see VISIBLE_TEXT_JS).

Screenshots go to `test_output_dir/browser/` (targets_vi.png, export_en.png, upload_history_vi.png …).
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from ntm.export.pack import SECTIONS
from ntm.export.pack import section_title
from ntm.present.labels import BATCH_KINDS
from ntm.present.state import PAGE_LIST, PAGE_SECTIONS
from ntm.text import t

from .conftest import wait_rendered
from .test_upload_browser import sign_in as upload_sign_in

pytestmark = pytest.mark.browser

QUERY = "province=62&year=2024"                       # Kon Tum, 2024
CHART = '[data-testid="stPlotlyChart"]'
PLOTLY = f"{CHART} .main-svg"
DATAFRAME = '[data-testid="stDataFrame"]'
TABLE = '[data-testid="stMain"] [data-testid="stMarkdownContainer"] table'      # a table printed in full
TOLERANCE_PX = 2

TARGETS_TITLE = {"vi": "Tiến độ thực hiện mục tiêu", "en": "Progress against targets"}
# The group headings of the targets view, in the order a reader expects them: whose targets they are.
TARGET_GROUPS = {
    "vi": ("Mục tiêu của Tỉnh Kon Tum", "Mục tiêu của các đơn vị thuộc", "Mục tiêu chung của Chương trình"),
    "en": ("Targets of Tỉnh Kon Tum", "Targets of units within", "Programme-wide targets"),
}

# A decimal written with a dot ("87.5%", "43.44"): wrong in Vietnamese, which writes "87,5%" (a dot followed
# by exactly three digits is a thousands separator, "1.234", and is not matched).
DOT_DECIMAL = re.compile(r"(?<![\d.,])\d+\.\d{1,2}(?![\d.,])")
# A decimal written with a comma ("87,5%"): wrong in English ("1,234" is a thousands separator, not matched).
COMMA_DECIMAL = re.compile(r"(?<![\d.,])\d+,\d{1,2}(?![\d.,])")
ISO_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T|\d{4}-\d{2}-\d{2} \d{2}:\d{2}")
SNAKE_CASE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")          # a column or code name: poor_rate
# Cell values that are codes or programming words, not words a reader uses.
RAW_VALUES = {"True", "False", "None", "nan", "NaN", "NaT", "<NA>", "null", "active", "superseded",
              "met", "not_met", "pending", "no_data", "none", "standard", "advanced", "model", "modern"}
HISTORY_RAW_WORDS = ("batch_id", "imported_at", "rolled_back", "commune_year", "active")

# Streamlit's own English on widgets (the upload box: "Drag and drop", "Browse files", "Limit 200MB" in
# older releases, "Upload" and "… per file" in this one) and English-only words that must not be on a
# Vietnamese page. Case-sensitive, whole words, in the text drawn (`page_text`).
ENGLISH_ON_VI = ("Drag and drop", "Browse files", "Limit 200MB", "per file", "Download", "Loading", "Upload",
                 "Press Enter", "not allowed")
# Plotly's and Streamlit's English toolbar tooltips (what pointing at a chart's or a table's toolbar button shows).
ENGLISH_TOOLTIPS = {
    "Download plot as a PNG", "Download plot", "Zoom", "Pan", "Box Select", "Lasso Select", "Zoom in", "Zoom out",
    "Autoscale", "Reset axes", "Toggle Spike Lines", "Show closest data on hover", "Compare data on hover",
    "Toggle show closest data on hover", "Reset view", "Produced with Plotly.js", "Fullscreen", "Close fullscreen",
    "Exit fullscreen", "Download as CSV", "Search", "Show/hide columns", "Add row", "Delete row(s)",
}

# Every page of the navigation (`ntm.present.state.PAGE_LIST`, which app.py turns into the sidebar's links)
# with the query that opens it on Kon Tum 2024 (the commune profile needs a commune).
PAGE_QUERIES = {p.url_path: QUERY + ("&commune=23353" if p.key == "commune" else "") for p in PAGE_LIST}
# Pages with a chart or a table at once (and the element that shows it has drawn).
CHART_OR_TABLE_PAGES = {"ntm_pipeline": PLOTLY, "poverty": PLOTLY, "commune_profile": PLOTLY}


def wait_for(page, rendered, *selectors: str, text: str | None = None) -> None:
    rendered(page, *selectors, text=text)
    page.wait_for_timeout(500)          # Plotly lays out its annotations after the element appears


def open_page(page, server_url, rendered, path: str, query: str, lang: str, *selectors: str,
              text: str | None = None) -> None:
    page.goto(f"{server_url}/{path}?{query}" + ("&lang=en" if lang == "en" else ""))
    wait_for(page, rendered, *selectors, text=text)


def sign_in(page, server_url, rendered) -> None:
    upload_sign_in(page, server_url)


# Texts of the visible data grids. st.dataframe draws its cells on a canvas; the grid's accessible copy of
# the cells holds the raw values (43.44), not the text drawn (43,44 when the page formats it). The text
# drawn is what the grid component draws from: `getCellContent([col, row]).displayData`, read from the
# component's props (its React fiber, found from the canvas upwards).
GRID_CELLS_JS = """(sel) => [...document.querySelectorAll(sel)]
    .filter((g) => g.getClientRects().length && g.getBoundingClientRect().width > 0)
    .map((g) => {
        const canvas = g.querySelector('canvas');
        const key = canvas && Object.keys(canvas).find((k) => k.startsWith('__reactFiber$'));
        let f = key ? canvas[key] : null;
        while (f && !(f.memoizedProps && typeof f.memoizedProps.getCellContent === 'function'
                      && Array.isArray(f.memoizedProps.columns))) f = f.return;
        if (!f) return null;
        const p = f.memoizedProps;
        const text = (c) => c.kind === 'boolean' ? (c.data ? '☑' : '☐')
            : (c.displayData !== undefined ? String(c.displayData) : (c.data == null ? '' : String(c.data)));
        const rows = [p.columns.map((c) => String(c.title))];
        for (let r = 0; r < Math.min(p.rows, 500); r++) rows.push(p.columns.map((_, i) => text(p.getCellContent([i, r]))));
        return rows;
    })"""


def grids(page) -> list[list[list[str]]]:
    """Every visible st.dataframe as rows of the cell texts it draws (header row first; all its rows)."""
    tables = page.evaluate(GRID_CELLS_JS, DATAFRAME)
    assert None not in tables, "cannot read the text a data grid draws (the grid component's props not found)"
    return tables


def html_table_cells(page) -> list[str]:
    return page.evaluate("""() => [...document.querySelectorAll('[data-testid="stMain"] table')]
        .filter((t) => !t.closest('[data-testid="stDataFrame"]') && t.getClientRects().length)
        .flatMap((t) => [...t.querySelectorAll('th, td')].map((c) => c.innerText.trim()))""")


HTML_TABLES_JS = """(sel) => [...document.querySelectorAll(sel)].filter((t) => t.getClientRects().length)
    .map((t) => [...t.rows].map((r) => [...r.cells].map((c) => c.innerText.trim())))"""


def tables(page) -> list[list[list[str]]]:
    """Every visible table, grid or printed, as rows of the cell texts drawn (header row first)."""
    return grids(page) + page.evaluate(HTML_TABLES_JS, TABLE)


def widget_values(page) -> list[str]:
    """What the select boxes show (their value is an input's, not in the page's text)."""
    return page.evaluate("""() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stSelectbox"]')]
        .filter((b) => b.getClientRects().length)
        .map((b) => { const i = b.querySelector('input'); return ((i && i.value) || b.innerText).trim(); })""")


# The text a reader sees under an element: text nodes that are drawn (not hidden, transparent, of font size 0,
# or squeezed into a 1-px "visually hidden" box) and the text that style sheets draw (`::before`/`::after`
# content, which is how a page may put its own words over Streamlit's). Material icons' ligature names
# ("restart_alt", "upload") are drawn as icons, never read as words. `innerText` would keep a text set to
# font size 0 and miss a pseudo-element's text.
VISIBLE_TEXT_JS = """(root) => {
    const drawn = (el) => el.checkVisibility({opacityProperty: true, visibilityProperty: true})
        && !el.closest('[data-testid="stIconMaterial"]')
        && (() => { const r = el.getBoundingClientRect(); return r.width > 1 && r.height > 1; })();
    const out = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let n = walker.currentNode; n; n = walker.nextNode()) {
        if (n.nodeType === Node.TEXT_NODE) {
            const el = n.parentElement;
            if (n.textContent.trim() && el && !['SCRIPT', 'STYLE'].includes(el.tagName) && drawn(el)
                && parseFloat(getComputedStyle(el).fontSize) > 0) out.push(n.textContent.trim());
        } else if (!['SCRIPT', 'STYLE'].includes(n.tagName)) {
            for (const pseudo of ['::before', '::after']) {
                const st = getComputedStyle(n, pseudo);
                if (st.content && st.content.startsWith('"') && st.display !== 'none' && st.visibility !== 'hidden'
                    && st.opacity !== '0' && parseFloat(st.fontSize) > 0 && drawn(n)) {
                    const text = JSON.parse(st.content).trim();
                    if (text) out.push(text);
                }
            }
        }
    }
    return out;
}"""


def visible_texts(page, selector: str = "body") -> list[str]:
    return page.locator(selector).first.evaluate(VISIBLE_TEXT_JS)


def page_text(page, selector: str = "body") -> str:
    """The visible text of `selector` (see VISIBLE_TEXT_JS), one drawn piece a line."""
    return "\n".join(visible_texts(page, selector))


def raw_in(text: str) -> list[str]:
    return sorted(set(SNAKE_CASE.findall(text)))


# -------------------------------------------------------------------------------------------------
# 1. The targets view (Nông thôn mới → Tiến độ và chỉ tiêu)

CHART_TEXTS_JS = """(chart) => {
    const box = chart.getBoundingClientRect();
    const svg = chart.querySelector('.main-svg').getBoundingClientRect();
    const texts = [...chart.querySelectorAll('.main-svg text')].map((t) => {
        const r = t.getBoundingClientRect();
        return {text: t.textContent, left: r.left, top: r.top, right: r.right, bottom: r.bottom,
                width: r.width, height: r.height};
    }).filter((t) => t.width > 0 && t.height > 0 && t.text.trim() !== '');     // hidden bar texts have no box
    return {box: {left: box.left, top: box.top, right: box.right, bottom: box.bottom},
            svg: {left: svg.left, top: svg.top, right: svg.right, bottom: svg.bottom}, texts};
}"""


def targets_chart(page, lang: str):
    chart = page.locator(CHART).filter(has_text=TARGETS_TITLE[lang])
    assert chart.count() == 1, f"targets chart ({TARGETS_TITLE[lang]!r}): {chart.count()} on the page"
    return chart.first


def overlap(a: dict, b: dict) -> float:
    """The area two text boxes share, in px²."""
    w = min(a["right"], b["right"]) - max(a["left"], b["left"])
    h = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
    return w * h if w > TOLERANCE_PX and h > TOLERANCE_PX else 0.0


# The dashboard's screen (1440×900, both languages) and a meeting room's 720p projector (1280×720).
SCREENS = [("vi", None), ("en", None), ("vi", {"width": 1280, "height": 720})]


@pytest.mark.parametrize("lang, viewport", SCREENS, ids=["vi", "en", "vi-projector-1280x720"])
def test_targets_view_reads_in_a_meeting(page, server_url, rendered, screenshot, lang, viewport):
    """Every text of the targets chart lies inside the chart (no cut label), no two texts overlap, and
    the groups come as own targets → units within → programme-wide; decimals as the language writes them."""
    if viewport:
        page.set_viewport_size(viewport)
    open_page(page, server_url, rendered, "ntm_pipeline", QUERY, lang, PLOTLY, text=TARGETS_TITLE[lang])
    screenshot(page, f"targets_{lang}" + (f"_{viewport['width']}x{viewport['height']}" if viewport else ""))
    chart = targets_chart(page, lang)
    chart.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    info = chart.evaluate(CHART_TEXTS_JS)
    box, texts = info["box"], info["texts"]
    assert len(texts) >= 10, texts

    problems = []
    for frame_name, frame in (("chart", box), ("svg", info["svg"])):
        for x in texts:
            sides = [side for side, out in (
                ("left", x["left"] < frame["left"] - TOLERANCE_PX),
                ("right", x["right"] > frame["right"] + TOLERANCE_PX),
                ("top", x["top"] < frame["top"] - TOLERANCE_PX),
                ("bottom", x["bottom"] > frame["bottom"] + TOLERANCE_PX)) if out]
            if sides:
                problems.append(f"cut at the {'/'.join(sides)} of the {frame_name} "
                                f"({frame['left']:.0f}–{frame['right']:.0f} × {frame['top']:.0f}–{frame['bottom']:.0f}): "
                                f"{x['text']!r} at x {x['left']:.0f}–{x['right']:.0f}, y {x['top']:.0f}–{x['bottom']:.0f}")
    for i, a in enumerate(texts):
        for b in texts[i + 1:]:
            if overlap(a, b):
                problems.append(f"overlapping texts: {a['text']!r} ({a['left']:.0f},{a['top']:.0f}–{a['right']:.0f},"
                                f"{a['bottom']:.0f}) and {b['text']!r} ({b['left']:.0f},{b['top']:.0f}–"
                                f"{b['right']:.0f},{b['bottom']:.0f})")

    # group headings, top to bottom
    own, within, programme = TARGET_GROUPS[lang]
    headings = sorted((x["top"], x["text"]) for x in texts
                      if x["text"].startswith((own, within, programme)))
    order = [next(i for i, prefix in ((1, within), (2, programme), (0, own)) if text.startswith(prefix))
             for _, text in headings]
    if sorted(set(order)) != [0, 1, 2]:
        problems.append(f"group headings missing: found only {[text for _, text in headings]}")
    if order != sorted(order):
        problems.append(f"group headings out of order (expected own → within → programme-wide): "
                        f"{[text for _, text in headings]}")

    wrong = DOT_DECIMAL if lang == "vi" else COMMA_DECIMAL
    bad = [(x["text"], wrong.findall(x["text"])) for x in texts if wrong.search(x["text"])]
    if bad:
        problems.append(f"{'dot' if lang == 'vi' else 'comma'} decimals in the chart: {bad}")
    assert problems == [], "\n".join(problems)
    assert page.errors.all() == []


def test_ntm_page_in_vietnamese_has_no_dot_decimals(page, server_url, rendered):
    """Beyond the chart: the page's own text and tables (the lead line, the at-risk table) on the targets view."""
    open_page(page, server_url, rendered, "ntm_pipeline", QUERY, "vi", PLOTLY, text=TARGETS_TITLE["vi"])
    texts = [page_text(page), *html_table_cells(page), *(c for g in grids(page) for row in g for c in row)]
    bad = sorted({m for text in texts for m in DOT_DECIMAL.findall(text)})
    assert bad == [], f"dot decimals on the Vietnamese NTM page: {bad}"


# -------------------------------------------------------------------------------------------------
# 2. The export page (Xuất báo cáo): its tables as the reader sees them

def export_problems(page, lang: str) -> list[str]:
    problems = []
    shown = tables(page)
    assert len(shown) >= 1, "no table on the export page"
    for n, rows in enumerate(shown, 1):
        assert len(rows) >= 2, f"table {n} shows no rows: {rows}"
        header, cells = rows[0], [c for row in rows[1:] for c in row]
        if lang == "vi":
            dots = sorted({m for c in cells + header for m in DOT_DECIMAL.findall(c)})
            if dots:
                problems.append(f"table {n} ({header}): dot decimals {dots}")
        raw = sorted({c for c in cells if c in RAW_VALUES} | {w for c in header + cells for w in raw_in(c)}
                     | {c for c in cells if ISO_TIMESTAMP.search(c)})
        if raw:
            problems.append(f"table {n} ({header}): raw database words/values {raw}")
    body = page_text(page) + "\n" + "\n".join(html_table_cells(page))
    if lang == "vi" and DOT_DECIMAL.search(body):
        problems.append(f"page text: dot decimals {sorted(set(DOT_DECIMAL.findall(body)))}")
    if raw_in(body):
        problems.append(f"page text: raw database words {raw_in(body)}")
    return problems


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_export_tables_read_as_the_language_writes(page, server_url, rendered, screenshot, lang):
    title = "Xuất báo cáo" if lang == "vi" else "Export"
    open_page(page, server_url, rendered, "meeting_pack", QUERY, lang, TABLE, text=title)
    page.wait_for_timeout(1000)               # the last tables print after the first
    screenshot(page, f"export_{lang}")
    problems = export_problems(page, lang)
    assert problems == [], "\n".join(problems)
    assert page.errors.all() == []


# The section chooser's options (pills): each drawn whole inside the page's main column, none cut.
PILLS_JS = """(group) => { const main = document.querySelector('[data-testid="stMain"] [data-testid="stMainBlockContainer"]')
        .getBoundingClientRect();
    return [...group.querySelectorAll('button')].filter((b) => b.getClientRects().length).map((b) => {
        const r = b.getBoundingClientRect();
        return {text: b.innerText.trim(), left: r.left, right: r.right, main_left: main.left, main_right: main.right,
                cut: b.scrollWidth > b.clientWidth + 1};
    }); }"""


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_export_section_chooser_shows_every_section(page, server_url, rendered, lang):
    """The pack's sections (all chosen by default) are each shown whole: none cut or beyond the column."""
    title = "Xuất báo cáo" if lang == "vi" else "Export"
    chooser = '[data-testid="stMain"] [data-testid="stButtonGroup"]'
    open_page(page, server_url, rendered, "meeting_pack", QUERY, lang, chooser, text=title)
    pills = page.locator(chooser).first.evaluate(PILLS_JS)
    assert len(pills) == len(SECTIONS), pills
    assert {p["text"] for p in pills} == {section_title(k, lang, 2024) for k in SECTIONS}
    cut = [p["text"] for p in pills if p["cut"] or p["right"] > p["main_right"] + TOLERANCE_PX
           or p["left"] < p["main_left"] - TOLERANCE_PX]
    assert cut == [], f"sections cut or beyond the page's column: {cut}"


# -------------------------------------------------------------------------------------------------
# 3. The upload page's import history (analysts only)

HISTORY_TAB = {"vi": "Lịch sử nhập", "en": "Import history"}
HISTORY_AT = {"vi": "Thời điểm nhập", "en": "Imported at"}
HISTORY_UNDO = {"vi": "Lô cần hoàn tác", "en": "Batch to undo"}


def open_history(page, lang: str, rendered) -> list[list[str]]:
    page.get_by_role("tab", name=HISTORY_TAB[lang]).click()
    wait_for(page, rendered, TABLE, text=HISTORY_UNDO[lang])
    page.wait_for_timeout(800)
    shown = tables(page)
    assert len(shown) == 1, f"{len(shown)} visible tables on the history tab"
    assert len(shown[0]) >= 2, f"the history shows no batch: {shown[0]}"
    return shown[0]


def test_upload_history_in_vietnamese_shows_words_and_dates(page, server_url, rendered, screenshot):
    sign_in(page, server_url, rendered)
    rows = open_history(page, "vi", rendered)
    screenshot(page, "upload_history_vi")
    header, body_rows = rows[0], rows[1:]
    text = "\n".join([page_text(page, '[data-testid="stMain"]'), *widget_values(page),
                      *html_table_cells(page), *(c for row in rows for c in row)])
    problems = []
    for word in HISTORY_RAW_WORDS:
        if re.search(rf"\b{re.escape(word)}\b", text):
            problems.append(f"raw word {word!r}")
    if ISO_TIMESTAMP.search(text):
        problems.append(f"ISO timestamps {sorted(set(ISO_TIMESTAMP.findall(text)))}")
    if raw_in(text):
        problems.append(f"raw database words {raw_in(text)}")
    assert HISTORY_AT["vi"] in header, header
    at = header.index(HISTORY_AT["vi"])
    dates = [row[at] for row in body_rows if len(row) > at]
    assert dates, body_rows
    not_dmy = [d for d in dates if not re.fullmatch(r"\d{2}/\d{2}/\d{4}( \d{2}:\d{2})?", d)]
    if not_dmy:
        problems.append(f"dates not as dd/mm/yyyy: {not_dmy}")
    assert problems == [], "\n".join(problems)
    assert page.errors.all() == []


def test_upload_history_in_english(page, server_url, rendered, screenshot):
    sign_in(page, server_url, rendered)
    page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
    page.wait_for_url(re.compile(r"lang=en"))
    wait_for(page, rendered, 'input[type="file"]', text="Import history")
    rows = open_history(page, "en", rendered)
    screenshot(page, "upload_history_en")
    text = "\n".join([page_text(page, '[data-testid="stMain"]'), *widget_values(page),
                      *(c for row in rows for c in row)])
    raw = [w for w in HISTORY_RAW_WORDS if re.search(rf"\b{re.escape(w)}\b", text)] + raw_in(text)
    assert raw == [], f"raw database words on the English history: {raw}"
    # the batch offered for undoing names its kind in English, like the table above it
    kinds = {t(f"batch_kind.{k}", "en") for k in BATCH_KINDS}
    undo = page.locator('[data-testid="stSelectbox"]', has_text=HISTORY_UNDO["en"])
    value = undo.locator("input")
    shown = ((value.input_value() if value.count() else "") or undo.inner_text().split("\n")[-1]).strip()
    parts = shown.split(" · ")
    assert len(parts) >= 2 and parts[1] in kinds, f"the undo box on the English page shows {shown!r}"
    assert page.errors.all() == []


# Each visible table: how wide it is against the column it sits in (a grid: its scroller's content width).
FIT_JS = """(sel) => [...document.querySelectorAll(sel)].filter((g) => g.getClientRects().length).map((g) => {
    const s = g.matches('[data-testid="stDataFrame"]') ? g.querySelector('.dvn-scroller') : g;
    const box = (g.closest('[data-testid="stElementContainer"]') || g.parentElement).getBoundingClientRect();
    return {scroll: s ? s.scrollWidth : 0, width: Math.min(s ? s.clientWidth : 0, box.width),
            right: g.getBoundingClientRect().right, column_right: box.right,
            header: [...g.querySelectorAll('th, [role="columnheader"]')].map((h) => h.textContent.trim())};
})"""


@pytest.mark.parametrize("where", ["export", "upload_history"])
def test_vietnamese_tables_show_every_column_without_scrolling(page, server_url, rendered, where):
    """A table on a meeting-room screen shows all its columns: none hidden beyond the right edge, to be
    scrolled to sideways (at 1440×900)."""
    if where == "export":
        open_page(page, server_url, rendered, "meeting_pack", QUERY, "vi", TABLE, text="Xuất báo cáo")
        page.wait_for_timeout(1000)
    else:
        sign_in(page, server_url, rendered)
        open_history(page, "vi", rendered)
    fits = page.evaluate(FIT_JS, f"{DATAFRAME}, {TABLE}")
    assert fits, "no table"
    wide = [f"table {n} ({g['scroll']} px wide in {g['width']:.0f} px; ends at {g['right']:.0f}, column at "
            f"{g['column_right']:.0f}): {g['header']}"
            for n, g in enumerate(fits, 1)
            if g["scroll"] > g["width"] + TOLERANCE_PX or g["right"] > g["column_right"] + TOLERANCE_PX]
    assert wide == [], "tables to scroll sideways:\n" + "\n".join(wide)


# -------------------------------------------------------------------------------------------------
# 4. Every page in Vietnamese: no English from Streamlit or Plotly

def test_the_navigation_lists_the_pages_checked_here(page, server_url, rendered):
    open_page(page, server_url, rendered, "", QUERY, "vi", '[data-testid="stSidebarNav"] a')
    paths = page.evaluate("""() => [...document.querySelectorAll('[data-testid="stSidebarNav"] a')]
        .map((a) => new URL(a.href).pathname.replace(/^\\//, ''))""")
    expected = ["" if p.key == "overview" else p.url_path for p in PAGE_LIST]
    assert paths == expected


def english_in(text: str) -> list[str]:
    return [w for w in ENGLISH_ON_VI if re.search(rf"(?<![A-Za-z]){re.escape(w)}(?![A-Za-z])", text)]


@pytest.mark.parametrize("path", list(PAGE_QUERIES))
def test_vietnamese_page_shows_no_english_widget_text(page, server_url, rendered, path, tmp_path):
    """The visible text of the page (each of its sections; the upload page signed in, where the upload
    box is) has none of Streamlit's English widget texts nor English-only words."""
    key = next(p.key for p in PAGE_LIST if p.url_path == path)
    found = {}
    if key == "upload":
        sign_in(page, server_url, rendered)
        found["upload"] = english_in(page_text(page))
        page.get_by_role("tab", name="Ranh giới").click()          # a text box being typed in
        page.get_by_label("Cột mã (để trống để tự nhận)").fill("MA_HUYEN")
        found["upload: boundaries"] = english_in(page_text(page))
        chosen = tmp_path / "ranh_gioi.geojson"                    # a chosen file: its chip says its name
        chosen.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
        page.locator('input[type="file"]').nth(1).set_input_files(str(chosen))
        wait_rendered(page, '[data-testid="stFileChip"]')
        chip = visible_texts(page, '[data-testid="stFileChip"]')
        assert chip[0] == "ranh_gioi.geojson" and t("ui.upload_button", "vi") not in chip, chip
        refused = tmp_path / "bien_ban.pdf"                      # a type no box takes: the tooltip says why
        refused.write_bytes(b"%PDF-1.4\n")
        page.locator('input[type="file"]').nth(1).set_input_files(str(refused))
        page.locator('[data-testid="stFileChip"]').last.hover()
        tip = page.locator('[data-testid="stTooltipErrorContent"]').first
        tip.wait_for(state="visible")
        found["upload: refused file"] = english_in(page_text(page, '[data-testid="stTooltipErrorContent"]'))
        assert page_text(page, '[data-testid="stTooltipErrorContent"]').startswith("Không nhận tệp này")
    else:
        views = PAGE_SECTIONS.get(key, (None,))
        for view in views:
            query = PAGE_QUERIES[path] + (f"&view={view}" if view and view != views[0] else "")
            open_page(page, server_url, rendered, "" if key == "overview" else path, query, "vi")
            found[view or path] = english_in(page_text(page))
    found = {k: v for k, v in found.items() if v}
    assert found == {}, f"English on the Vietnamese page {path} (by section): {found}"


TOOLBAR_BUTTONS_JS = """(sel) => [...document.querySelectorAll(sel)]
    .filter((b) => b.checkVisibility({opacityProperty: true, visibilityProperty: true}))
    .map((b) => { const r = b.getBoundingClientRect();
                  return {x: r.left + r.width / 2, y: r.top + r.height / 2,
                          name: b.getAttribute('data-title') || b.getAttribute('aria-label') || ''}; })
    .filter((b) => b.x > 0 && b.y > 0)"""


def tooltips(page, element, buttons: str) -> dict[str, str]:
    """Point at `element` so its toolbar shows, then at each of the toolbar's buttons (`buttons`, a
    selector): the text that appears (drawn, see VISIBLE_TEXT_JS) is the tooltip. Button name → tooltip."""
    element.scroll_into_view_if_needed()
    box = element.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + min(box["height"] / 2, 200))
    page.wait_for_timeout(600)
    found = {}
    for button in page.evaluate(TOOLBAR_BUTTONS_JS, buttons):
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + min(box["height"] / 2, 200))
        page.wait_for_timeout(200)
        before = Counter(visible_texts(page))
        page.mouse.move(button["x"], button["y"])
        shown = Counter()
        for _ in range(12):                     # a tooltip shows after a short delay (Streamlit's ~1 s)
            page.wait_for_timeout(250)
            shown = Counter(visible_texts(page)) - before
            if shown:
                page.wait_for_timeout(150)      # …and may draw in more than one piece
                shown = Counter(visible_texts(page)) - before
                break
        found[button["name"]] = " ".join(shown.elements())
    return found


@pytest.mark.parametrize("path", list(CHART_OR_TABLE_PAGES))
def test_vietnamese_toolbar_tooltips_are_not_english(page, server_url, rendered, path):
    """Pointing at a chart shows Plotly's toolbar, at a table Streamlit's table toolbar; pointing at one of
    their buttons shows its tooltip. On a Vietnamese page no tooltip is Plotly's or Streamlit's English."""
    open_page(page, server_url, rendered, path, PAGE_QUERIES[path], "vi", CHART_OR_TABLE_PAGES[path])
    seen: dict[str, dict[str, str]] = {}
    chart = page.locator(CHART)
    if chart.count():
        seen["chart"] = tooltips(page, chart.first, f"{CHART} .modebar-btn")
        assert seen["chart"], "no toolbar shown when pointing at the chart"
    table = page.locator(DATAFRAME)
    visible = [table.nth(i) for i in range(table.count()) if table.nth(i).is_visible()]
    if visible:
        seen["table"] = tooltips(page, visible[0], '[data-testid="stElementToolbar"] button')
    assert seen, f"no chart or table on {path}"
    print(f"{path}: button → tooltip {seen}")
    assert any(seen["chart"].values()), f"no tooltip appeared on pointing at the chart's toolbar buttons: {seen}"
    english = {where: {button: tip for button, tip in tips.items() if tip in ENGLISH_TOOLTIPS}
               for where, tips in seen.items()}
    english = {k: v for k, v in english.items() if v}
    assert english == {}, f"English tooltips on the Vietnamese page {path} (button → tooltip shown): {english}"
