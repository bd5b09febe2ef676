"""Downloaded spreadsheets are safe to open: nothing a user typed runs as a formula."""

from __future__ import annotations

import csv
import io

import pandas as pd
from openpyxl import load_workbook

from ntm.text.spreadsheets import neutralise, to_csv_bytes, to_xlsx_bytes

HOSTILE = pd.DataFrame({"Tên xã": ["=HYPERLINK(\"http://x\",\"bấm\")", "+1+1", "-2+3", "@SUM(A1)", "Xã Ia Chim"],
                        "Số hộ": [1, -5, 3, 4, 5]})


def test_text_cells_starting_a_formula_are_neutralised_numbers_are_not():
    assert neutralise("=1+1") == "'=1+1" and neutralise("Xã Ia Chim") == "Xã Ia Chim"
    assert neutralise(-5) == -5


def test_xlsx_has_no_formula_cells():
    wb = load_workbook(io.BytesIO(to_xlsx_bytes(HOSTILE)))
    ws = wb.active
    cells = [c for row in ws.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    assert ws["A2"].value == "'=HYPERLINK(\"http://x\",\"bấm\")"
    assert ws["B3"].value == -5


def test_csv_has_bom_and_vietnamese():
    data = to_csv_bytes(HOSTILE)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["Tên xã", "Số hộ"]
    assert [r[0] for r in rows[1:5]] == ["'=HYPERLINK(\"http://x\",\"bấm\")", "'+1+1", "'-2+3", "'@SUM(A1)"]


def test_csv_opened_with_a_semicolon_separator_has_no_formula_cell():
    """An Excel set to Vietnamese splits CSV lines at ';': a cell "x;=cmd|' /C calc'!A0" must stay one
    quoted cell, never become a cell that starts a formula."""
    hostile = pd.DataFrame({"Tên xã": ["x;=cmd|' /C calc'!A0", 'Xã "A";@SUM(1)', "a;b;+1"], "Số hộ": [1, 2, 3]})
    text = to_csv_bytes(hostile).decode("utf-8-sig")
    for separator in (";", ","):
        cells = [c for row in csv.reader(io.StringIO(text), delimiter=separator) for c in row]
        assert not [c for c in cells if c.startswith(("=", "+", "-", "@"))], (separator, cells)
    assert [r[0] for r in list(csv.reader(io.StringIO(text)))[1:]] == list(hostile["Tên xã"])
