"""Cells whose numbers are formulas taking their value from another workbook, another program or the web:
the value stored in the file is the last calculation and may be stale, so each such cell in the table
gets a warning naming the row, the column, the value and where it came from."""

from __future__ import annotations

import io
import re
import zipfile
from xml.sax.saxutils import escape

import pandas as pd
from openpyxl import Workbook

from ntm.domain.columns import BY_NAME
from ntm.ingest.yearly import validate_bytes
from tests.ingest.test_yearly import kon_tum_rows

LINK = "file:///D:/So%20lieu/Bao%20cao%20huyen%202023.xlsx"


def workbook(rows: pd.DataFrame) -> bytes:
    """The year's figures as an analyst's workbook: a title row, the header, one row per commune."""
    wb = Workbook()
    ws = wb.active
    ws.append(["BIỂU TỔNG HỢP NĂM 2024"])
    ws.append([BY_NAME[c].header_vi for c in rows.columns])
    for row in rows.itertuples(index=False):
        ws.append([None if pd.isna(v) else v for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def as_saved_by_excel(xlsx: bytes, formulas: dict[str, str], link: str | None = LINK) -> bytes:
    """Turn cells of the first sheet into formulas whose cached result is the value they hold, as Excel
    saves them (`<c r="C3"><f>…</f><v>12</v></c>`), and add the workbook's external link."""
    src, buf = zipfile.ZipFile(io.BytesIO(xlsx)), io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                for ref, formula in formulas.items():
                    f = formula if formula.startswith("<f") else f"<f>{escape(formula)}</f>"
                    data, n = re.subn(rb'(<c r="%s"[^>]*>)' % ref.encode(), lambda m: m.group(1) + f.encode(), data)
                    assert n == 1, ref
            out.writestr(item, data)
        if link:
            out.writestr("xl/externalLinks/externalLink1.xml", '<externalLink xmlns="http://schemas.openxmlformats.'
                         'org/spreadsheetml/2006/main"><externalBook r:id="rId1" xmlns:r="http://schemas.openxmlformats'
                         '.org/officeDocument/2006/relationships"/></externalLink>')
            out.writestr("xl/externalLinks/_rels/externalLink1.xml.rels",
                         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                         f'relationships/externalLinkPath" Target="{link}" TargetMode="External"/></Relationships>')
    return buf.getvalue()


def column_letter(rows: pd.DataFrame, name: str) -> str:
    return chr(ord("A") + list(rows.columns).index(name))


def test_numbers_from_another_workbook_are_flagged_cell_by_cell(db):
    rows = kon_tum_rows(db)
    poor = column_letter(rows, "poor_households")
    data = as_saved_by_excel(workbook(rows), {f"{poor}3": "'[1]Huyện Đăk Hà'!F12", f"{poor}4": "[1]Sheet1!F13+0",
                                              f"{poor}5": f"SUM({poor}3:{poor}4)",        # inside the workbook
                                              "A1": "[1]Sheet1!A1"})                      # the title: not imported
    report = validate_bytes(db, data, "kontum_2024.xlsx")
    assert report.ok                                           # a warning: the analyst decides
    stale = [i for i in report.issues if i.key.startswith("read.formula_")]
    header = BY_NAME["poor_households"].header_vi
    assert [(i.key, i.row, i.column) for i in stale] == [("read.formula_workbook", 3, header),
                                                        ("read.formula_workbook", 4, header)]
    assert stale[0].value == str(rows.poor_households.iloc[0])
    vi, en = stale[0].message("kontum_2024.xlsx", "vi"), stale[0].message("kontum_2024.xlsx", "en")
    assert vi.startswith(f"Tệp kontum_2024.xlsx, dòng 3, cột “{header}”, giá trị “{stale[0].value}”: ô này là công "
                         "thức lấy số từ một sổ tính khác (Bao cao huyen 2023.xlsx)")
    assert "cập nhật liên kết" in vi and "may be stale" in en and "Bao cao huyen 2023.xlsx" in en


def test_web_functions_and_shared_formulas_and_dde_are_flagged(db):
    rows = kon_tum_rows(db)
    col = column_letter(rows, "households")
    data = as_saved_by_excel(workbook(rows), {
        f"{col}3": f'<f t="shared" ref="{col}3:{col}5" si="0">_xlfn.WEBSERVICE("http://x.vn/"&amp;A3)</f>',
        f"{col}4": '<f t="shared" si="0"/>',
        f"{col}5": '<f t="shared" si="0"/>',
        f"{col}6": "ketoan|'soho'!R6C2",
        f"{col}7": 'A7&"|"&"[1]"',                          # only text: nothing outside
    }, link=None)
    report = validate_bytes(db, data, "kontum_2024.xlsx")
    stale = [(i.key, i.row, i.params["source"]) for i in report.issues if i.key.startswith("read.formula_")]
    assert stale == [("read.formula_web", 3, "WEBSERVICE"), ("read.formula_web", 4, "WEBSERVICE"),
                     ("read.formula_web", 5, "WEBSERVICE"), ("read.formula_program", 6, "ketoan")]


def test_a_workbook_without_formulas_from_outside_has_no_such_warning(db):
    rows = kon_tum_rows(db)
    col = column_letter(rows, "households")
    data = as_saved_by_excel(workbook(rows), {f"{col}3": f"{col}4+0", f"{col}4": "Bang1[[#This Row],[2024]]"})
    report = validate_bytes(db, data, "kontum_2024.xlsx")
    assert report.errors == []
    assert not [i for i in report.issues if i.key.startswith("read.formula_")]
