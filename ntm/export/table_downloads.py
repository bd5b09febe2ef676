"""Tables as downloads: XLSX (with a title, source and demo-notice block above the table) and CSV
(UTF-8 with BOM, the table only), every text cell made inert for spreadsheets by `ntm.safe_export`
(cells starting with =, +, -, @, tab or CR get a leading apostrophe).

A `TableExport` is what a page or the meeting pack shows: a title, the frame with display headers
(numbers stay numbers), and notes (source line, demo notice). `downloads()` gives the two files.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ntm.export.images import file_stem
from ntm.text.spreadsheets import neutralise, safe_frame, to_csv_bytes
from ntm.text import fmt_date, t

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv"
HEADER_FILL = "253494"          # the dashboard's dark blue (the charts' model-NTM colour)


@dataclass(frozen=True)
class TableExport:
    """A table ready for download: `name` (ASCII file stem), `title`, the `frame` with display
    headers, and `notes` printed under the title in the XLSX (source, demo notice, filters)."""

    name: str
    title: str
    frame: pd.DataFrame
    notes: tuple[str, ...] = field(default_factory=tuple)


def csv_bytes(table: TableExport | pd.DataFrame) -> bytes:
    """The table as CSV, UTF-8 with BOM (Excel shows Vietnamese correctly), formula-safe."""
    frame = table.frame if isinstance(table, TableExport) else table
    return to_csv_bytes(frame)


def xlsx_bytes(table: TableExport | pd.DataFrame, sheet: str | None = None, when: date | None = None,
               lang: str = "vi") -> bytes:
    """The table as XLSX: title (bold), notes and export date above, then the header row (dark blue,
    white bold, frozen) and the rows. Text cells are formula-safe and written as text."""
    if isinstance(table, pd.DataFrame):
        table = TableExport("table", "", table)
    return workbook_bytes([(sheet or table.title or "Data", table)], when, lang)


def workbook_bytes(sheets: list[tuple[str, TableExport]], when: date | None = None, lang: str = "vi") -> bytes:
    """Several tables as one XLSX, each on its sheet (name, table), laid out as `xlsx_bytes` lays one."""
    wb = Workbook()
    for i, (name, table) in enumerate(sheets):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = name[:31].translate(str.maketrans({c: " " for c in "[]:*?/\\"}))
        _write_sheet(ws, table, when, lang)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _write_sheet(ws, table: TableExport, when: date | None, lang: str) -> None:
    row = 1
    if table.title:
        ws.cell(row=row, column=1, value=neutralise(table.title)).font = Font(bold=True, size=14)
        row += 1
    stamp = t("ui.exported_on", lang, date=fmt_date(when or date.today(), lang))
    for note in list(table.notes) + [stamp]:
        ws.cell(row=row, column=1, value=neutralise(note)).font = Font(italic=True, color="555555")
        row += 1
    row += 1                                               # a blank line before the table
    frame = safe_frame(table.frame)
    fill = PatternFill("solid", fgColor=HEADER_FILL)
    for j, col in enumerate(frame.columns, start=1):
        c = ws.cell(row=row, column=j, value=str(col))
        c.font, c.fill = Font(bold=True, color="FFFFFF"), fill
        c.alignment = Alignment(wrap_text=True, vertical="center")
    header_row = row
    for values in frame.itertuples(index=False):
        row += 1
        for j, v in enumerate(values, start=1):
            c = ws.cell(row=row, column=j, value=_cell(v))
            if isinstance(c.value, str):
                c.data_type = "s"                          # never a formula
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    for j, col in enumerate(frame.columns, start=1):
        longest = max([len(str(col))] + [len(str(v)) for v in frame.iloc[:, j - 1].head(500)])
        ws.column_dimensions[get_column_letter(j)].width = min(max(10, longest + 2), 60)


def _cell(v):
    """A frame value as an openpyxl cell value (NaN/NA → empty, numpy scalars → Python)."""
    if v is None:
        return None
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(v, "item"):
        return v.item()
    return v


def downloads(table: TableExport, lang: str = "vi") -> list[tuple[str, str, bytes, str]]:
    """[(label, file name, bytes, MIME type)] for the XLSX and the CSV of a table."""
    stem = table.name or file_stem(table.title)
    return [("Excel (XLSX)", f"{stem}.xlsx", xlsx_bytes(table, lang=lang), XLSX_MIME),
            ("CSV (UTF-8)", f"{stem}.csv", csv_bytes(table), CSV_MIME)]
