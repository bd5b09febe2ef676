"""Reading the files analysts really send: CSV saved by Excel (UTF-8 with/without BOM, UTF-16,
Windows-1258; comma, semicolon or tab) and XLSX with title rows above the header and a totals row
below. The result keeps every cell as text plus the row number the user sees in Excel.

    RawTable.headers   ["STT", "Mã xã", "Tên xã", ...]        (as typed, NFC)
    RawTable.rows      [["1", "23326", "Ia Chim", ...], ...]  (text cells, NFC, stripped)
    RawTable.excel_rows[ 2, 3, ... ]                           (header row counted)

How a number is written is decided per column, never per cell (`column_number_format`): "36.828" is
36,828 or 36828 depending on whether the dot is the column's decimal separator, so a cell with one
separator followed by exactly three digits is read the way the column's other cells (or, for whole-number
columns, its kind) say; a cell that can mean only one number ("36,8", "1.234,5", "1.234.567") is read as
that number. Numbers a workbook holds as numbers are read as they are (`RawTable.typed_numbers`).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ntm.domain.columns import BY_NAME
from ntm.domain.names import fold
from ntm.errors import ReadError
from ntm.ingest.columns import canonical_column, is_known_header
from ntm.text.formats import SEPARATORS

MAX_FILE_BYTES = 50 * 1024 * 1024
# What the upload boxes accept: the formats read here, and the old .xls (answered with how to save it).
UPLOAD_SUFFIXES = ("csv", "txt", "xlsx", "xlsm", "xls")
# What a yearly or reference file can hold, checked while reading (a crafted file is refused in
# seconds, before it fills the memory): rows (a country has ~10,000 communes), columns (the contract has
# ~40), characters in a cell (Excel's own limit) and the size of an unpacked workbook.
MAX_ROWS = 20_000
MAX_COLUMNS = 300
MAX_CELL_CHARS = 32_767
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
HEADER_SEARCH_ROWS = 20
# A totals line says exactly one of these (folded), possibly after a row number.
_TOTAL_PHRASES = {"tong cong", "cong", "tong so", "tong", "toan tinh", "toan huyen", "tong cong toan tinh",
                  "cong toan tinh", "total", "grand total", "sum"}
_COLUMN_NUMBER = re.compile(r"^\(?([A-Za-z]|\d{1,2})\)?$")


@dataclass(frozen=True)
class OutsideFormula:
    """A cell whose value is a formula's cached result taken from outside the workbook: `source` is
    "workbook" (another file, named in `detail`), "program" (a DDE/OLE link, the program in `detail`) or
    "web" (WEBSERVICE, RTD, IMPORTRANGE…, the function in `detail`)."""

    row: int            # Excel row
    column: int         # 0-based column
    source: str
    detail: str


@dataclass
class RawTable:
    """A table as read from a file, before any interpretation of its values.

    `frame` holds the data rows as text (columns 0…n-1, same order as `headers`), `excel_rows` the
    row number of each data row as the user sees it in Excel (the header row counted).
    """

    file_name: str
    headers: list[str]
    frame: pd.DataFrame
    excel_rows: np.ndarray
    encoding: str | None = None
    delimiter: str | None = None
    number_locale: str = "en"          # the file's way, for cells nothing else decides: "vi": 1.234,5   "en": 1,234.5
    dropped: list[tuple[int, str]] = field(default_factory=list)   # (excel row, reason key)
    outside_formulas: list[OutsideFormula] = field(default_factory=list)   # cells whose value may be stale
    typed_numbers: np.ndarray | None = None   # rows × columns: True where a workbook held a number, not text

    def __len__(self) -> int:
        return len(self.frame)


def decode(data: bytes) -> tuple[str, str]:
    """Decode file bytes trying BOMs (UTF-32 before UTF-16: their BOMs begin alike), UTF-32 and UTF-16
    without BOM (told by their zero bytes, which text never has), UTF-8 and Windows-1258; (text, encoding)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _decoded(data[3:], "utf-8"), "utf-8-sig"
    for bom, enc in ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
                     (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return _decoded(data, enc), enc
    sample = data[:4000]
    zeros = sample.count(b"\x00")
    if zeros > len(sample) // 4:
        wide = ("utf-32-le", "utf-32-be") if zeros > len(sample) * 3 // 5 else ("utf-16-le", "utf-16-be")
        for enc in wide:
            try:
                return _decoded(data, enc), enc
            except ReadError:
                continue
    try:
        return _decoded(data, "utf-8"), "utf-8"
    except ReadError:
        return _decoded(data, "cp1258"), "windows-1258"


def _decoded(data: bytes, encoding: str) -> str:
    """The text in `encoding`; a byte sequence it cannot hold, or a zero character (never in text), is a
    `ReadError` naming where it is."""
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ReadError("read.encoding", position=exc.start) from None
    if "\x00" in text:
        raise ReadError("read.encoding", position=text.index("\x00"))
    return text


def _check_text_size(text: str) -> None:
    """Refuse CSV text with more rows, columns or characters in a cell than a yearly file can have."""
    lines = text.count("\n") + 1
    if lines > MAX_ROWS + HEADER_SEARCH_ROWS:
        raise ReadError("read.too_many_rows", limit_number=MAX_ROWS)
    first = text[:text.find("\n")] if "\n" in text else text
    if max(first.count(d) for d in (",", ";", "\t")) >= MAX_COLUMNS:
        raise ReadError("read.too_many_columns", limit=MAX_COLUMNS)
    if max(map(len, text.split("\n"))) > MAX_CELL_CHARS * 4:                 # a line no yearly file has
        raise ReadError("read.cell_too_large", limit_number=MAX_CELL_CHARS)


def sniff_delimiter(text: str) -> str:
    """The delimiter among comma, semicolon and tab that splits the first lines most consistently."""
    lines = [ln for ln in text.splitlines()[:HEADER_SEARCH_ROWS + 5] if ln.strip()]
    best, best_score = ",", -1
    for d in (",", ";", "\t"):
        counts = [len(next(csv.reader([ln], delimiter=d))) for ln in lines]
        wide = [c for c in counts if c > 1]
        if not wide:
            continue
        common = max(set(wide), key=wide.count)
        score = wide.count(common) * common
        if score > best_score:
            best, best_score = d, score
    return best


# The shapes a number can be written in (spaces removed), in the order they are tried: which separator
# the cell shows as its decimal one ("." or ","), "?." / "?," for one separator followed by exactly three
# digits ("36.828": a decimal or a thousands group, the column decides), "plain" digits, else "other".
_SHAPES = (
    (r"-?\d+", "plain"),
    (r"-?\d{1,3}(?:\.\d{3})+,\d+", ","),          # 1.234,5
    (r"-?\d{1,3}(?:,\d{3})+\.\d+", "."),          # 1,234.5
    (r"-?\d{1,3}(?:\.\d{3}){2,}", ","),            # 1.234.567: dots group thousands
    (r"-?\d{1,3}(?:,\d{3}){2,}", "."),
    (r"-?\d+\.\d+[eE][+-]?\d+", "."),            # 1.5e-05 (a workbook's tiny number)
    (r"-?\d+,\d+[eE][+-]?\d+", ","),
    (r"-?[1-9]\d{0,2}\.\d{3}", "?."),              # 36.828
    (r"-?[1-9]\d{0,2},\d{3}", "?,"),
    (r"-?(?:\d+\.\d*|\.\d+)", "."),               # 36.8, 1234.567, 0.125
    (r"-?(?:\d+,\d*|,\d+)", ","),
)


@dataclass(frozen=True)
class NumberFormat:
    """How a column writes its numbers: the decimal separator of its ambiguous cells, whether it holds
    whole numbers (one separator before three digits then groups thousands), what decided it ("cells":
    the column's own unambiguous cells; "range": the only reading inside the column's plausible range;
    "file": the file's way) and how many ambiguous cells that decision alone read."""

    decimal: str = "."
    whole: bool = False
    decided_by: str = "cells"
    ambiguous: int = 0

    @classmethod
    def of_locale(cls, locale: str) -> "NumberFormat":
        """The file's way ("vi" / "en") for a column nothing else decides."""
        return cls(SEPARATORS.get(locale, SEPARATORS["en"])[1])


def _compact(cells: pd.Series) -> pd.Series:
    """Cells as text without spaces (thousands may be grouped with spaces or no-break spaces)."""
    return cells.fillna("").astype(str).str.strip().str.replace(r"[\s\u00a0]", "", regex=True)


def number_shapes(cells: pd.Series) -> pd.Series:
    """The shape of each cell (see `_SHAPES`); empty cells are "plain"."""
    s = _compact(cells)
    conditions = [s.str.fullmatch(p).fillna(False).to_numpy(dtype=bool) for p, _ in _SHAPES]
    shapes = np.select(conditions, [shape for _, shape in _SHAPES], default="other")
    return pd.Series(np.where(s.eq("").to_numpy(), "plain", shapes), index=cells.index)


def number_values(cells: pd.Series, fmt: NumberFormat, shapes: pd.Series | None = None) -> pd.Series:
    """The numbers `cells` write under a column's format (NaN where a cell is not a number)."""
    s = _compact(cells)
    shapes = number_shapes(cells) if shapes is None else shapes
    dot = shapes.eq(".") | (shapes.eq("?.") & (fmt.decimal == ".") & (not fmt.whole))
    comma = shapes.eq(",") | (shapes.eq("?,") & (fmt.decimal == ",") & (not fmt.whole))
    text = s.where(~dot, s.str.replace(",", "", regex=False))
    text = text.where(~comma, s.str.replace(".", "", regex=False).str.replace(",", ".", regex=False))
    grouped = shapes.isin(["?.", "?,"]) & ~dot & ~comma            # one thousands group: 1.234 = 1234
    text = text.where(~grouped, s.str.replace(r"[.,]", "", regex=True))
    return pd.to_numeric(text, errors="coerce").astype(float)


def column_number_format(cells: pd.Series, locale: str, whole: bool = False,
                         plausible: tuple[float, float] | None = None) -> NumberFormat:
    """How one column writes its numbers, from all its (text) cells: the decimal separator most of its
    unambiguous cells show; else, when it has cells like "36.828", the one reading that puts more of them
    in the column's plausible range; else the file's way (`locale`). A whole-number column reads one
    separator before three digits as thousands."""
    fallback = NumberFormat.of_locale(locale)
    shapes = number_shapes(cells)
    if whole:
        return NumberFormat(fallback.decimal, True)
    votes = {d: int(shapes.eq(d).sum()) for d in ".,"}
    if votes["."] != votes[","]:
        return NumberFormat(max(votes, key=votes.get))
    ambiguous = shapes.isin(["?.", "?,"])
    n = int(ambiguous.sum())
    if n == 0:
        return fallback
    if plausible:
        low, high = plausible
        inside = {d: int(number_values(cells[ambiguous], NumberFormat(d), shapes[ambiguous]).between(low, high).sum())
                  for d in ".,"}
        if inside["."] != inside[","]:
            return NumberFormat(max(inside, key=inside.get), False, "range", n)
    return NumberFormat(fallback.decimal, False, "file", n)


def file_number_locale(frame: pd.DataFrame, headers: list[str], default: str,
                       typed: np.ndarray | None = None) -> str:
    """The file's way of writing numbers, from the text cells of its number columns that can be read only
    one way (a whole-number column's "1.234" says the dot groups thousands); `default` when they do not
    tell (Vietnamese for semicolon-separated files and workbooks)."""
    vi = en = 0
    for pos, header in enumerate(headers):
        column = BY_NAME.get(canonical_column(header) or "")
        if column is None or column.kind not in ("int", "decimal") or pos >= frame.shape[1]:
            continue
        cells = frame[pos]
        if typed is not None:
            cells = cells[~typed[:, pos]]
        cells = cells[cells.str.contains(r"[.,]", regex=True, na=False)]
        shapes = number_shapes(cells)
        vi += int(shapes.eq(",").sum()) + (int(shapes.eq("?.").sum()) if column.kind == "int" else 0)
        en += int(shapes.eq(".").sum()) + (int(shapes.eq("?,").sum()) if column.kind == "int" else 0)
    if vi != en:
        return "vi" if vi > en else "en"
    return default


def _find_header(grid: pd.DataFrame) -> int:
    """Index of the header row: among the top rows, the one naming the most known columns (preferring
    one with the commune code), so metadata lines such as "Tỉnh: …, Năm: …" above it are skipped."""
    best, best_score = None, 1
    for i in range(min(len(grid), HEADER_SEARCH_ROWS)):
        names = [canonical_column(c) for c in grid.iloc[i] if c]
        score = sum(n is not None for n in names) + (100 if "commune_code" in names else 0)
        if score > best_score:
            best, best_score = i, score
    if best is None:
        raise ReadError("read.no_header", rows=min(len(grid), HEADER_SEARCH_ROWS))
    return best


def _code_column(headers: list[str]) -> int | None:
    return next((i for i, h in enumerate(headers) if canonical_column(h) == "commune_code"), None)


def _row_kinds(frame: pd.DataFrame, headers: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(totals, outside) masks over rows without a commune code: a totals line says exactly "Tổng
    cộng"/"Total"…; a line with no number at all (a district heading, the date and signature lines
    under the table) is outside the table. Rows with a code are always data."""
    code_pos = _code_column(headers)
    totals = np.zeros(len(frame), dtype=bool)
    outside = np.zeros(len(frame), dtype=bool)
    if code_pos is None:
        return totals, outside
    no_code = ~frame[code_pos].str.strip().str.fullmatch(r"\d+(\.0)?").to_numpy(dtype=bool)
    for i in np.flatnonzero(no_code):
        cells = [c.strip() for c in frame.iloc[i] if c and c.strip()]
        words = {re.sub(r"[^a-z ]", "", fold(c)).strip() for c in cells}
        if words & _TOTAL_PHRASES:
            totals[i] = True
        elif not any(re.search(r"\d", c) and re.fullmatch(r"[\d.,\s%()-]+", c) for c in cells):
            outside[i] = True
    return totals, outside


def _is_column_number_row(row: pd.Series) -> bool:
    """The "A, B, 1, 2, 3 …" row many official forms put under the header."""
    cells = [c.strip() for c in row if c and c.strip()]
    return len(cells) >= 3 and all(_COLUMN_NUMBER.match(c) for c in cells)


def _table_from_grid(file_name: str, grid: pd.DataFrame, typed: np.ndarray | None = None, **meta) -> RawTable:
    """Find the header, drop blank, column-number, totals and outside-the-table rows, keep Excel row
    numbers (and, for a workbook, which of the cells kept were numbers: `typed`, one flag per grid cell);
    a cell holding a line break (an unbalanced quote in a CSV) is an error."""
    grid = grid.fillna("")
    if grid.empty or not (grid != "").to_numpy().any():
        raise ReadError("read.empty")
    h = _find_header(grid)
    headers = [" ".join(unicodedata.normalize("NFC", str(c)).split()) for c in grid.iloc[h]]
    body = grid.iloc[h + 1:]
    numbers = np.arange(h + 2, h + 2 + len(body))
    blank = ~(body != "").any(axis=1).to_numpy()
    body, numbers = body[~blank], numbers[~blank]
    dropped: list[tuple[int, str]] = []
    if len(body) and _is_column_number_row(body.iloc[0]):
        dropped.append((int(numbers[0]), "read.column_numbers"))
        body, numbers = body.iloc[1:], numbers[1:]
    broken = body.apply(lambda col: col.str.contains("\n", regex=False)).any(axis=1).to_numpy()
    if broken.any():
        raise ReadError("read.line_break", row=int(numbers[np.flatnonzero(broken)[0]]))
    totals, outside = _row_kinds(body, headers) if len(body) else (np.zeros(0, bool), np.zeros(0, bool))
    dropped += [(int(n), "read.totals_row") for n in numbers[totals]]
    dropped += [(int(n), "read.outside_table") for n in numbers[outside]]
    keep = ~(totals | outside)
    body, numbers = body[keep], numbers[keep]
    if body.empty:
        raise ReadError("read.no_rows")
    kept_typed = typed[body.index.to_numpy()][:, :len(headers)] if typed is not None else None
    body = body.reset_index(drop=True)      # cells are stripped where they are parsed
    body.columns = range(len(headers))
    return RawTable(file_name, headers, body, numbers, dropped=dropped,
                    outside_formulas=grid.attrs.get("outside_formulas", []), typed_numbers=kept_typed, **meta)


def _parse_csv_text(text: str, delimiter: str) -> pd.DataFrame:
    """All cells as text; rows may be ragged (title rows above the header)."""
    width = max((len(r) for r in csv.reader(io.StringIO(text[:20000]), delimiter=delimiter)), default=1)
    try:
        return pd.read_csv(io.StringIO(text), sep=delimiter, header=None, names=range(width + 8), dtype=str,
                           keep_default_na=False, skip_blank_lines=False, engine="c", quotechar='"')
    except pd.errors.ParserError:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
        width = max((len(r) for r in rows), default=0)
        return pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=str)


def _trim_empty_columns(grid: pd.DataFrame) -> pd.DataFrame:
    used = (grid != "").any(axis=0).to_numpy()
    last = int(np.flatnonzero(used)[-1]) + 1 if used.any() else 0
    return grid.iloc[:, :last]


def csv_grid(text: str) -> tuple[pd.DataFrame, str]:
    """Every cell of CSV text as text, and its delimiter; refused past the row, column or cell limits.
    Line ends are made one kind first: Windows' CR LF and old Mac Excel's lone CR."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    _check_text_size(text)
    try:
        delimiter = sniff_delimiter(text)
        grid = _trim_empty_columns(_parse_csv_text(text, delimiter).fillna(""))
    except csv.Error:                                  # a field over the reader's limit
        raise ReadError("read.cell_too_large", limit_number=MAX_CELL_CHARS) from None
    if len(grid.columns) > MAX_COLUMNS:
        raise ReadError("read.too_many_columns", limit=MAX_COLUMNS)
    if grid.map(len).to_numpy().max(initial=0) > MAX_CELL_CHARS:
        raise ReadError("read.cell_too_large", limit_number=MAX_CELL_CHARS)
    return grid, delimiter


def read_csv_bytes(data: bytes, file_name: str) -> RawTable:
    """Read CSV bytes of any of the accepted encodings and delimiters."""
    if not data.strip():
        raise ReadError("read.empty")
    text, encoding = decode(data)
    grid, delimiter = csv_grid(unicodedata.normalize("NFC", text))
    table = _table_from_grid(file_name, grid, encoding=encoding, delimiter=delimiter)
    table.number_locale = file_number_locale(table.frame, table.headers, "vi" if delimiter == ";" else "en")
    return table


def _xlsx_cell(value) -> str:
    """A worksheet cell as text. Real numbers are written the Vietnamese way (decimal comma, no
    thousands separator) so that they read back exactly under the Vietnamese number rules; whole numbers
    beyond what a float holds exactly keep their short form ("1e+300", not 301 digits)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value).replace(".", ",")
    return unicodedata.normalize("NFC", str(value)).strip()


# What a damaged workbook raises while it is unpacked or parsed: a zip cut short or with a forged size
# (BadZipFile, EOFError), corrupt compressed data (zlib.error), XML cut in half (ParseError, lxml's
# XMLSyntaxError: both SyntaxError).
_BROKEN = (zipfile.BadZipFile, zlib.error, EOFError, OSError, SyntaxError)


def xlsx_grid(data: bytes) -> pd.DataFrame:
    """Every cell of the workbook's first sheet with a table (the active one first) as text; the cells
    whose values came from outside the workbook in `attrs["outside_formulas"]`. A damaged workbook is a
    `ReadError` saying so (with the last row read, when a sheet breaks off)."""
    return xlsx_cells(data)[0]


def xlsx_cells(data: bytes) -> tuple[pd.DataFrame, np.ndarray]:
    """`xlsx_grid`, and which of its cells the workbook held as numbers (True) rather than text."""
    _check_package(data)
    wb = _open_workbook(data)
    try:
        grid, typed = _first_table(wb)
    finally:
        wb.close()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            grid.attrs["outside_formulas"] = outside_formulas(z, grid.attrs.pop("sheet"))
    except _BROKEN:
        raise ReadError("read.damaged") from None
    return grid, typed


def _check_package(data: bytes) -> None:
    """Refuse, before the workbook reader opens it, a workbook that is damaged, unpacks past the size or
    row limits, or has a part declaring a DOCTYPE."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            if sum(i.file_size for i in z.infolist()) > MAX_UNPACKED_BYTES:
                raise ReadError("read.unpacked_too_large", limit_mb=MAX_UNPACKED_BYTES // (1024 * 1024))
            for name in z.namelist():
                if name.startswith("xl/worksheets/") and name.endswith(".xml") and _too_many_rows(z, name):
                    raise ReadError("read.too_many_rows", limit_number=MAX_ROWS)
                if _declares_doctype(z, name):
                    raise ReadError("read.xml_doctype", part=name)
    except (RuntimeError, NotImplementedError):      # a password, or a packing method zip readers lack
        raise ReadError("read.xlsx") from None
    except _BROKEN:
        raise ReadError("read.damaged") from None


def _declares_doctype(z, name: str) -> bool:
    """Whether a part declares a DOCTYPE before its first element. Excel never writes one, and its
    entities could make an XML reader fetch an address or expand what the file does not hold. Read by
    the XML parser itself, only up to the first element; a part that is not XML is not one."""
    from xml.parsers import expat

    class Seen(Exception):
        pass

    def seen(doctype: bool):
        def handler(*_):
            raise Seen(doctype)
        return handler

    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler, parser.StartElementHandler = seen(True), seen(False)
    with z.open(name) as f:
        try:
            while block := f.read(1 << 16):
                parser.Parse(block, False)
        except Seen as found:
            return found.args[0]
        except expat.ExpatError:
            return False
    return False


def _open_workbook(data: bytes):
    """The workbook, read only, values as last calculated; links to other workbooks are not followed (a
    DDE link would not even parse): `outside_formulas` finds them."""
    from openpyxl import load_workbook

    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except _BROKEN:
        raise ReadError("read.damaged") from None
    except Exception:                                   # a zip that is not a workbook
        raise ReadError("read.xlsx") from None


def _first_table(wb) -> tuple[pd.DataFrame, np.ndarray]:
    """The first worksheet (the active one first; chart sheets have no cells) whose top rows name at least
    two known columns, else the first; its cells as text and its part in `attrs["sheet"]`, and which of
    its cells were numbers."""
    try:
        active, worksheets = wb.active, wb.worksheets
    except Exception:                                   # a workbook whose sheet list cannot be read
        raise ReadError("read.damaged") from None
    sheets = [ws for ws in worksheets if ws is active] + [ws for ws in worksheets if ws is not active]
    if not sheets:
        raise ReadError("read.empty")
    grids = []
    for ws in sheets:
        ws.reset_dimensions()        # some generators write a wrong <dimension>: never trust it
        rows, numbers = _bounded_rows(ws)
        width = max((len(r) for r in rows), default=0)
        grid = _trim_empty_columns(pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=str))
        typed = np.array([n + [False] * (width - len(n)) for n in numbers], dtype=bool).reshape(len(rows), width)
        grid.attrs["sheet"] = ws._worksheet_path
        found = (grid, typed[:, :grid.shape[1]])
        if any(sum(1 for c in grid.iloc[i] if c and is_known_header(c)) >= 2
               for i in range(min(len(grid), HEADER_SEARCH_ROWS))):
            return found
        grids.append(found)
    return grids[0]


# A formula's cached value came from outside the workbook when it refers to another workbook or a DDE/OLE
# link (`[1]Sheet1!A1`, `[2]!'R6C2'`: [n] is the workbook's n-th external reference), calls another
# program inline (DDE: `app|topic!item`) or a web / live function (Google Sheets exports write its own
# functions inside __xludf.DUMMYFUNCTION("…")).
_WEB_FUNCTIONS = re.compile(r"\b(WEBSERVICE|RTD|STOCKHISTORY|IMPORTDATA|IMPORTXML|IMPORTHTML|IMPORTFEED|IMPORTRANGE|"
                            r"GOOGLEFINANCE)\s*\(", re.I)
_GOOGLE_ONLY = re.compile(r'__xludf\.DUMMYFUNCTION\(\s*"((?:[^"]|"")*)"', re.I)
_EXTERNAL_REF = re.compile(r"(?<![\w\]])\[(\d+)\](?=[^\[\]()]*!)")     # not a table column: Bang1[[#This Row],[1]]
_DDE = re.compile(r"(?<![\w.])([A-Za-z][\w.]*)\|")
_TEXT_LITERAL = re.compile(r'"(?:[^"]|"")*"')
_FORMULA = re.compile(rb"<(?:\w+:)?f\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)
_SHARED_INDEX = re.compile(rb'\bsi="(\d+)"')
_CELL_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')


def outside_formulas(z, sheet: str) -> list[OutsideFormula]:
    """The cells of a worksheet whose formulas take their value from outside the workbook (shared
    formulas follow their first cell). Each formula's cell is the tag just before it (`<c r="B5"><f>`);
    a cell without its reference (`r`) is not named."""
    import html

    data = z.read(sheet)                         # its size was checked before the workbook was opened
    links = _external_links(z)
    shared: dict[bytes, tuple[str, str]] = {}
    out = []
    for f in _FORMULA.finditer(data):
        index = _SHARED_INDEX.search(f.group(1))
        found = _formula_source(html.unescape((f.group(2) or b"").decode("utf-8", "replace")), links)
        if found and index:
            shared[index.group(1)] = found
        elif not found and index and not f.group(2):
            found = shared.get(index.group(1))
        if found:
            ref = _CELL_REF.search(data, data.rfind(b"<", 0, f.start()), f.start())
            if ref:
                out.append(OutsideFormula(int(ref.group(2)), _column_index(ref.group(1).decode()), *found))
    return out


def _formula_source(formula: str, links: dict[int, tuple[str, str]]) -> tuple[str, str] | None:
    """("workbook" | "program" | "web", what) when the formula's value comes from outside the workbook."""
    google = _GOOGLE_ONLY.search(formula)
    if google and (m := _WEB_FUNCTIONS.search(google.group(1))):
        return "web", m.group(1).upper()
    formula = _TEXT_LITERAL.sub('""', formula)            # "[1]" or "a|b" inside quotes is just text
    for m in _EXTERNAL_REF.finditer(formula):             # only a link the workbook has is one
        if link := links.get(int(m.group(1))):
            return link
    if m := _WEB_FUNCTIONS.search(formula):
        return "web", m.group(1).upper()
    if m := _DDE.search(formula):
        return "program", m.group(1)
    return None


def _external_links(z) -> dict[int, tuple[str, str]]:
    """The workbook's external references by number ([1] is the first in workbook.xml): another workbook
    ("workbook", its file name) or a DDE/OLE link ("program", the program)."""
    import posixpath

    names = set(z.namelist())
    parts = []
    if "xl/workbook.xml" in names and "xl/_rels/workbook.xml.rels" in names:
        ids = re.findall(rb'<(?:\w+:)?externalReference\b[^>]*?\b\w+:id="([^"]+)"', z.read("xl/workbook.xml"))
        targets = {}
        for rel in re.findall(rb"<(?:\w+:)?Relationship\b[^>]*>", z.read("xl/_rels/workbook.xml.rels")):
            rid, target = re.search(rb'\bId="([^"]+)"', rel), re.search(rb'\bTarget="([^"]+)"', rel)
            if rid and target:
                targets[rid.group(1)] = target.group(1).decode("utf-8", "replace")
        parts = [posixpath.normpath(t.lstrip("/") if t.startswith("/") else "xl/" + t)
                 for t in (targets.get(i) for i in ids) if t]
    if not parts:                                  # no references listed: the parts in their own order
        numbered = [(int(m.group(1)), n) for n in names
                    if (m := re.fullmatch(r"xl/externalLinks/externalLink(\d+)\.xml", n))]
        parts = [n for _, n in sorted(numbered)]
    return {i: _link_kind(z, part, names) for i, part in enumerate(parts, start=1) if part in names}


def _link_kind(z, part: str, names: set[str]) -> tuple[str, str]:
    """What one external link part points at: ("program", "ketoan") for a DDE or OLE link, else
    ("workbook", the linked file's name, or "[n]" when it has none)."""
    import posixpath
    from urllib.parse import unquote

    head = z.read(part)[:65536]
    if dde := re.search(rb'<(?:\w+:)?ddeLink\b[^>]*?\bddeService="([^"]*)"', head):
        return "program", dde.group(1).decode("utf-8", "replace")
    if ole := re.search(rb'<(?:\w+:)?oleLink\b[^>]*?\bprogId="([^"]*)"', head):
        return "program", ole.group(1).decode("utf-8", "replace")
    folder, base = posixpath.split(part)
    rels = f"{folder}/_rels/{base}.rels"
    if rels in names and (target := re.search(rb'Target="([^"]+)"', z.read(rels)[:65536])):
        path = unquote(target.group(1).decode("utf-8", "replace")).replace("\\", "/")
        return "workbook", posixpath.basename(path) or path
    return "workbook", base


def _column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _too_many_rows(z, name: str, chunk: int = 1 << 20) -> bool:
    """Whether a worksheet holds more rows than a yearly file can, counted on the unpacking stream (the
    workbook reader would first walk the whole sheet to size it)."""
    rows, tail = 0, b""
    with z.open(name) as f:
        while block := f.read(chunk):
            rows += (tail + block).count(b"<row") - tail.count(b"<row")
            if rows > MAX_ROWS + HEADER_SEARCH_ROWS:
                return True
            tail = block[-4:]
    return False


def _bounded_rows(ws) -> tuple[list[list[str]], list[list[bool]]]:
    """A worksheet's rows as text, and which cells were numbers, read one at a time and refused past the
    row, column or cell limit. A sheet that breaks off, or holds a cell the reader cannot take (a number
    that is not one, a shared text that is not there), is damaged after the last row read."""
    rows, numbers = [], []
    try:
        for n, row in enumerate(ws.iter_rows(min_row=1, values_only=True), start=1):
            if n > MAX_ROWS + HEADER_SEARCH_ROWS:
                raise ReadError("read.too_many_rows", limit_number=MAX_ROWS)
            if len(row) > MAX_COLUMNS and any(v is not None for v in row[MAX_COLUMNS:]):
                raise ReadError("read.too_many_columns", limit=MAX_COLUMNS)
            cells = [_xlsx_cell(v) for v in row[:MAX_COLUMNS]]
            if any(len(c) > MAX_CELL_CHARS for c in cells):
                raise ReadError("read.cell_too_large", limit_number=MAX_CELL_CHARS)
            rows.append(cells)
            numbers.append([isinstance(v, (int, float)) and not isinstance(v, bool) for v in row[:MAX_COLUMNS]])
    except ReadError:
        raise
    except Exception:                                   # whatever a damaged sheet makes the reader raise
        if rows:
            raise ReadError("read.damaged_after_row", sheet=ws.title, row=len(rows)) from None
        raise ReadError("read.damaged") from None
    return rows, numbers


def read_xlsx_bytes(data: bytes, file_name: str) -> RawTable:
    """Read an XLSX file (title rows, a column-number row and a totals row are allowed)."""
    grid, typed = xlsx_cells(data)
    table = _table_from_grid(file_name, grid, typed, encoding=None, delimiter=None)
    # Numbers the workbook holds as numbers are read as they are; numbers typed as text follow the
    # workbook's other text numbers, else the Vietnamese convention.
    table.number_locale = file_number_locale(table.frame, table.headers, "vi", table.typed_numbers)
    return table


def is_xlsx_upload(data: bytes, file_name: str) -> bool:
    """Whether an uploaded file is an XLSX workbook (by content) rather than CSV text; raises a
    `ReadError` for a file that is too large, an old .xls workbook or a damaged .xlsx."""
    if len(data) > MAX_FILE_BYTES:
        raise ReadError("read.too_large", limit_mb=MAX_FILE_BYTES // (1024 * 1024))
    if data[:4] == b"PK\x03\x04":
        return True
    if Path(file_name).suffix.lower() in (".xlsx", ".xlsm"):
        raise ReadError("read.xlsx")
    if Path(file_name).suffix.lower() == ".xls" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ReadError("read.xls")
    return False


def read_table(data: bytes, file_name: str) -> RawTable:
    """Read an uploaded yearly file (CSV or XLSX, decided by content, then by extension)."""
    if is_xlsx_upload(data, file_name):
        return read_xlsx_bytes(data, file_name)
    return read_csv_bytes(data, file_name)
