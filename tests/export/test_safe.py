"""Downloaded spreadsheets are safe to open: nothing a user typed runs as a formula."""

from __future__ import annotations

import csv
import io

import pandas as pd
from openpyxl import load_workbook

from ntm.export.safe import neutralise, to_csv_bytes, to_xlsx_bytes

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
