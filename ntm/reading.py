"""Reading the files analysts really send: CSV saved by Excel (UTF-8 with/without BOM, UTF-16,
Windows-1258; comma, semicolon or tab) and XLSX with title rows above the header and a totals row
below. The result keeps every cell as text plus the row number the user sees in Excel.

    RawTable.headers   ["STT", "Mã xã", "Tên xã", ...]        (as typed, NFC)
    RawTable.rows      [["1", "23326", "Ia Chim", ...], ...]  (text cells, NFC, stripped)
    RawTable.excel_rows[ 2, 3, ... ]                           (header row counted)
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .columns import canonical_column, is_known_header
from .names import fold

MAX_FILE_BYTES = 50 * 1024 * 1024
HEADER_SEARCH_ROWS = 20
_TOTAL_WORDS = ("tong cong", "tong so", "cong", "total", "tong")


class ReadError(Exception):
    """A file that cannot be read at all; `key` names the catalogue message, `params` fill it."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key = key
        self.params = params


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
    number_locale: str = "en"          # "vi": 1.234,5   "en": 1,234.5
    dropped: list[tuple[int, str]] = field(default_factory=list)   # (excel row, reason key)

    def __len__(self) -> int:
        return len(self.frame)


def decode(data: bytes) -> tuple[str, str]:
    """Decode file bytes trying BOMs, UTF-8, UTF-16 without BOM and Windows-1258; (text, encoding)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    sample = data[:2000]
    if sample.count(b"\x00") > len(sample) // 4:
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError:
                continue
    try:
        text = data.decode("cp1258")
    except UnicodeDecodeError as exc:
        raise ReadError("read.encoding", position=exc.start) from None
    if "\x00" in text:
        raise ReadError("read.encoding", position=text.index("\x00"))
    return text, "windows-1258"


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


_VI_NUMBER = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$|^-?\d+,\d+$")
_EN_NUMBER = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")


def guess_number_locale(cells: list[str], delimiter: str | None) -> str:
    """'vi' when numbers are written 1.234,5 (or the file is semicolon-separated), else 'en'."""
    vi = sum(1 for c in cells if _VI_NUMBER.match(c))
    en = sum(1 for c in cells if _EN_NUMBER.match(c))
    if vi != en:
        return "vi" if vi > en else "en"
    return "vi" if delimiter == ";" else "en"


def _find_header(grid: pd.DataFrame) -> int:
    """Index of the header row: the first of the top rows with at least two known column names."""
    for i in range(min(len(grid), HEADER_SEARCH_ROWS)):
        if sum(1 for cell in grid.iloc[i] if cell and is_known_header(cell)) >= 2:
            return i
    raise ReadError("read.no_header", rows=min(len(grid), HEADER_SEARCH_ROWS))


def _totals_mask(frame: pd.DataFrame, headers: list[str]) -> np.ndarray:
    """Rows that are a totals line ("Tổng cộng", "Total" …): no commune code, and a cell starting
    with a totals word."""
    code_pos = next((i for i, h in enumerate(headers) if canonical_column(h) == "commune_code"), None)
    if code_pos is None:
        return np.zeros(len(frame), dtype=bool)
    no_code = ~frame[code_pos].str.strip().str.fullmatch(r"\d+(\.0)?").to_numpy(dtype=bool)
    mask = np.zeros(len(frame), dtype=bool)
    for i in np.flatnonzero(no_code):
        cells = [fold(c) for c in frame.iloc[i] if c]
        mask[i] = any(c.startswith(w) for c in cells for w in _TOTAL_WORDS)
    return mask


def _table_from_grid(file_name: str, grid: pd.DataFrame, **meta) -> RawTable:
    """Find the header, drop blank and totals rows, keep Excel row numbers."""
    grid = grid.fillna("")
    if grid.empty or not (grid != "").to_numpy().any():
        raise ReadError("read.empty")
    h = _find_header(grid)
    headers = [unicodedata.normalize("NFC", str(c)).strip() for c in grid.iloc[h]]
    body = grid.iloc[h + 1:]
    numbers = np.arange(h + 2, h + 2 + len(body))
    blank = ~(body != "").any(axis=1).to_numpy()
    body, numbers = body[~blank], numbers[~blank]
    totals = _totals_mask(body, headers) if len(body) else np.zeros(0, dtype=bool)
    dropped = [(int(n), "read.totals_row") for n in numbers[totals]]
    body, numbers = body[~totals], numbers[~totals]
    if body.empty:
        raise ReadError("read.no_rows")
    body = body.reset_index(drop=True)      # cells are stripped where they are parsed
    body.columns = range(len(headers))
    return RawTable(file_name, headers, body, numbers, dropped=dropped, **meta)


def _parse_csv_text(text: str, delimiter: str) -> pd.DataFrame:
    """All cells as text; rows may be ragged (title rows above the header)."""
    width = max((len(r) for r in csv.reader(io.StringIO(text[:20000]), delimiter=delimiter)), default=1)
    try:
        return pd.read_csv(io.StringIO(text), sep=delimiter, header=None, names=range(width + 8), dtype=str,
                           keep_default_na=False, skip_blank_lines=False, engine="c", quotechar='"')
    except pd.errors.ParserError:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
        return pd.DataFrame(rows, dtype=str)


def _trim_empty_columns(grid: pd.DataFrame) -> pd.DataFrame:
    used = (grid != "").any(axis=0).to_numpy()
    last = int(np.flatnonzero(used)[-1]) + 1 if used.any() else 0
    return grid.iloc[:, :last]


def read_csv_bytes(data: bytes, file_name: str) -> RawTable:
    """Read CSV bytes of any of the accepted encodings and delimiters."""
    if not data.strip():
        raise ReadError("read.empty")
    text, encoding = decode(data)
    text = unicodedata.normalize("NFC", text)
    delimiter = sniff_delimiter(text)
    grid = _trim_empty_columns(_parse_csv_text(text, delimiter).fillna(""))
    table = _table_from_grid(file_name, grid, encoding=encoding, delimiter=delimiter)
    table.number_locale = guess_number_locale(_sample_cells(table), delimiter)
    return table


def _sample_cells(table: RawTable, n: int = 200) -> list[str]:
    return [c for c in table.frame.head(n).to_numpy().ravel().tolist() if c]


def _xlsx_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unicodedata.normalize("NFC", str(value)).strip()


def read_xlsx_bytes(data: bytes, file_name: str) -> RawTable:
    """Read the first worksheet of an XLSX file (title rows and a totals row are allowed)."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise ReadError("read.xlsx") from None
    ws = wb.worksheets[0]
    rows = [[_xlsx_cell(v) for v in row] for row in ws.iter_rows(min_row=1, values_only=True)]
    wb.close()
    width = max((len(r) for r in rows), default=0)
    grid = _trim_empty_columns(pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=str))
    table = _table_from_grid(file_name, grid, encoding=None, delimiter=None)
    # Numbers typed as text in Excel follow the Vietnamese convention.
    table.number_locale = guess_number_locale(_sample_cells(table), ";")
    return table


def read_table(data: bytes, file_name: str) -> RawTable:
    """Read an uploaded yearly file (CSV or XLSX, decided by content, then by extension)."""
    if len(data) > MAX_FILE_BYTES:
        raise ReadError("read.too_large", limit_mb=MAX_FILE_BYTES // (1024 * 1024))
    if data[:4] == b"PK\x03\x04":
        return read_xlsx_bytes(data, file_name)
    if Path(file_name).suffix.lower() in (".xlsx", ".xlsm"):
        raise ReadError("read.xlsx")
    if Path(file_name).suffix.lower() == ".xls" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ReadError("read.xls")
    return read_csv_bytes(data, file_name)


def read_path(path: Path | str) -> RawTable:
    """Read a yearly file from disk."""
    path = Path(path)
    return read_table(path.read_bytes(), path.name)
