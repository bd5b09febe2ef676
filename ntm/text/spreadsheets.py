"""Spreadsheet exports that are safe to open: text cells that Excel would run as a formula
(starting with =, +, -, @, tab or carriage return) are neutralised with a leading apostrophe, and
CSV is written as UTF-8 with BOM so Excel shows Vietnamese correctly, every text cell in quotes: an
Excel whose list separator is ';' (the Vietnamese setting) keeps "x;=cmd|…" as one inert cell."""

from __future__ import annotations

import csv
import io

import pandas as pd

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A text value made inert for spreadsheets; numbers and other types pass unchanged."""
    if isinstance(value, str) and value.startswith(_TRIGGERS):
        return "'" + value
    return value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Copy of a table with every text cell (and header) neutralised."""
    out = df.copy()
    out.columns = [neutralise(str(c)) for c in out.columns]
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise)
    return out


def write_csv(df: pd.DataFrame, out=None):
    """The table as CSV with neutralised text cells, each in quotes, into `out` (a file), or as text."""
    return safe_frame(df).to_csv(out, index=False, quoting=csv.QUOTE_NONNUMERIC)


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV (UTF-8 with BOM, comma) with neutralised text cells, each in quotes."""
    return write_csv(df).encode("utf-8-sig")


def to_xlsx_bytes(df: pd.DataFrame, sheet: str = "Data") -> bytes:
    """XLSX with neutralised text cells (written as text, never as formulas)."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        safe_frame(df).to_excel(writer, index=False, sheet_name=sheet[:31])
    return buf.getvalue()
