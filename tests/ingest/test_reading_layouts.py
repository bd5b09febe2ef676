"""Layouts and values that real report files contain, read the way the analyst meant them."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from openpyxl import Workbook

from ntm.ingest.reference import validate_reference_bytes
from ntm.ingest.yearly import validate_bytes

HEAD = ["Năm", "Mã xã", "Tên xã", "Tổng số hộ", "Số hộ nghèo", "Số hộ cận nghèo",
        "Thu nhập bình quân (triệu đồng/người/năm)"]
ROWS = [[2024, 23326, "Xã Ia Chim", 1500, 20, 30, 52.125],
        [2024, 23353, "Xã Đăk Pék", 1200, 40, 35, 1234.567],
        [2024, 23374, "Xã Đăk Môn", 900, 60, 40, 63.2]]


def xlsx(rows, above=(), below=()) -> bytes:
    wb = Workbook()
    ws = wb.active
    for r in [*above, HEAD, *rows, *below]:
        ws.append(list(r))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_excel_number_cells_are_read_exactly(db):
    report = validate_bytes(db, xlsx(ROWS), "t.xlsx")
    assert report.errors == []
    assert report.rows["income_per_capita"].tolist() == [52.125, 1234.567, 63.2]


def test_official_form_layout_metadata_column_numbers_signatures(db):
    above = [["BIỂU TỔNG HỢP KẾT QUẢ RÀ SOÁT NĂM 2024"], ["Tỉnh:", "Kon Tum", "", "Năm:", 2024]]
    col_numbers = [["A", "B", "1", "2", "3", "4", "5"]]
    below = [["Tổng cộng", None, None, 3600, 120, 105], [], ["Kon Tum, ngày 31 tháng 12 năm 2024"],
             ["Người lập biểu", None, None, "Thủ trưởng đơn vị"]]
    report = validate_bytes(db, xlsx(col_numbers + ROWS, above, below), "bieu.xlsx")
    assert report.errors == [], [i.message("bieu.xlsx") for i in report.errors]
    assert report.rows["excel_row"].tolist() == [5, 6, 7]
    skipped = {i.key for i in report.issues if i.severity == "info"}
    assert {"read.column_numbers", "read.totals_row", "read.outside_table"} <= skipped


def test_a_commune_named_like_a_totals_word_is_not_dropped(db):
    rows = ROWS + [[2024, None, "Cộng Hòa", 1500, 20, 30, 40.0]]
    report = validate_bytes(db, xlsx(rows), "t.xlsx")
    missing = [i for i in report.errors if i.row == 5]
    assert missing and missing[0].column == "Mã xã"


def test_a_wrong_sheet_dimension_does_not_cut_rows(db):
    data = xlsx(ROWS)
    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename.endswith("sheet1.xml"):
                body = re.sub(rb'<dimension ref="[^"]+"/>', b'<dimension ref="A1:C2"/>', body)
            dst.writestr(item, body)
    report = validate_bytes(db, out.getvalue(), "t.xlsx")
    assert len(report.rows) == 3 and report.errors == []


def test_an_unclosed_quote_is_an_error_not_merged_rows(db):
    csv = ("Năm,Mã xã,Tên xã,Tổng số hộ,Số hộ nghèo,Số hộ cận nghèo\n"
           "2024,23326,Xã Ia Chim,1500,20,30\n"
           '2024,23353,"Xã Đăk Pék (cũ,1200,40,35\n'
           "2024,23374,Xã Đăk Môn,900,60,40\n").encode()
    report = validate_bytes(db, csv, "q.csv")
    assert [(i.key, i.params.get("row")) for i in report.errors] == [("read.line_break", 3)]


def test_year_given_at_import_is_range_checked(db):
    csv = "Mã xã,Tổng số hộ,Số hộ nghèo,Số hộ cận nghèo\n23326,1500,20,30\n".encode()
    assert [i.key for i in validate_bytes(db, csv, "y.csv", year=1999).errors] == ["year.range"]


def test_absurdly_large_counts_are_errors(db):
    rows = [[2024, 23326, "Xã Ia Chim", 99999999999, 20, 30, 40.0]]
    issue = next(i for i in validate_bytes(db, xlsx(rows), "t.xlsx").errors if i.key == "value.too_large")
    assert (issue.row, issue.column) == (2, "Tổng số hộ")


def test_reference_xlsx_and_padded_duplicates(db):
    wb = Workbook()
    ws = wb.active
    for r in [["level", "code", "name", "is_mountainous"], ["commune", 2566, "x", "true"],
              ["commune", "02566", "x", "false"]]:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    report = validate_reference_bytes(db, "unit_attributes", buf.getvalue(), "a.xlsx")
    assert sorted(i.row for i in report.errors if i.key == "reference.duplicate") == [2, 3]


@pytest.mark.parametrize("header,column", [("Tổng số hộ (hộ)", "households"), ("TC1 - Quy hoạch", "c01"),
                                           ("Tên xã, phường, thị trấn", "commune_name")])
def test_header_variants(header, column):
    from ntm.ingest.columns import canonical_column
    assert canonical_column(header) == column
