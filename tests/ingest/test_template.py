"""Templates analysts fill in are read back by the upload path."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

from ntm.domain.columns import COLUMNS
from ntm.ingest.yearly import validate_path

ROOT = Path(__file__).resolve().parents[2]


def make(tmp_path, demo_db_path, *args) -> Path:
    out = tmp_path / args[-1]
    r = subprocess.run([sys.executable, "-m", "ntm", "template", "--db", str(demo_db_path), *args[:-1], "-o", str(out)],
                       cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return out


def test_prefilled_xlsx_template_lists_the_district_communes(tmp_path, demo_db_path, db):
    out = make(tmp_path, demo_db_path, "--unit", "611", "--year", "2024", "ngoc_hoi.xlsx")
    report = validate_path(db, out)
    codes = set(report.rows["commune_code"])
    expected = {r[0] for r in db.execute("SELECT code FROM units WHERE system='pre2025' AND level='commune' "
                                         "AND district_code='611'").fetchall()}
    assert codes == expected
    # Only the figures are missing: each required figure cell is reported at its row and column.
    keys = {i.key for i in report.errors}
    assert keys == {"value.required"}
    assert {i.column for i in report.errors} == {"Tổng số hộ", "Số hộ nghèo", "Số hộ cận nghèo"}


def header_of(path: Path) -> list[str]:
    return next(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def test_empty_english_csv_templates_follow_the_year(tmp_path, demo_db_path):
    """2024: old units (with the district) and the 19 criteria of QĐ 318; 2026: the new units (no district),
    TC1–TC10 of QĐ 51/2025 and the commune group."""
    names = [c.name for c in COLUMNS]
    old = header_of(make(tmp_path, demo_db_path, "--lang", "en", "--year", "2024", "blank_2024.csv"))
    assert old == [n for n in names if n != "commune_group"]
    new = header_of(make(tmp_path, demo_db_path, "--lang", "en", "--year", "2026", "blank_2026.csv"))
    assert "district_name" not in new and "c10" in new and "c11" not in new and "commune_group" in new
    assert new == [n for n in names if n not in ("district_name", *[f"c{i}" for i in range(11, 20)])]


def test_prefilled_2026_template_of_the_new_quang_ngai_validates_but_for_the_figures(tmp_path, demo_db_path, db):
    out = make(tmp_path, demo_db_path, "--unit", "51", "--year", "2026", "quang_ngai_2026.xlsx")
    report = validate_path(db, out)
    assert report.system == "post2025" and report.criteria_set == "QD51_2025"
    assert len(report.rows) == 96 and "21548" in set(report.rows["commune_code"])      # Đặc khu Lý Sơn
    assert {i.key for i in report.errors} == {"value.required"}


def drop_down(book, rule) -> list[str]:
    """The values a list rule offers: the cells it names on the workbook's lists sheet."""
    sheet, cells = rule.formula1.rsplit("!", 1)
    return [row[0].value for row in book[sheet.strip("'")][cells.replace("$", "")]]


def test_xlsx_template_helps_the_analyst(tmp_path, demo_db_path, db):
    """Drop-down lists for status, criteria marks and commune group; an instructions sheet in Vietnamese
    and English; frozen header; codes stored as text; names pre-filled — and a file filled in with the
    drop-down values validates."""
    from openpyxl import load_workbook

    out = make(tmp_path, demo_db_path, "--unit", "51", "--year", "2026", "quang_ngai_2026.xlsx")
    book = load_workbook(out)
    data, guide, lists_sheet = book.worksheets
    assert (data.title, guide.title) == ("Số liệu", "Hướng dẫn")
    assert lists_sheet.sheet_state == "hidden"
    assert data.freeze_panes == "A2"
    headers = [c.value for c in data[1]]
    lists = {}
    for rule in data.data_validations.dataValidation:
        column = headers[next(iter(rule.sqref.ranges)).min_col - 1]
        lists[column] = drop_down(book, rule)
    assert lists["Mức đạt chuẩn NTM"] == ["Chưa đạt chuẩn", "Đạt chuẩn NTM", "NTM hiện đại (thí điểm)"]
    assert lists["TC1"] == ["Đạt", "Chưa đạt"] and "TC11" not in lists
    assert lists["Nhóm xã"] == ["1", "2", "3"]
    code_col = headers.index("Mã xã") + 1
    assert data.cell(2, code_col).number_format == "@" and isinstance(data.cell(2, code_col).value, str)
    assert data.cell(2, headers.index("Tên xã") + 1).value                 # names pre-filled
    guide_rows = [[c.value for c in row] for row in guide.iter_rows()]
    assert guide_rows[0][:2] == ["Cột (tiếng Việt)", "Column (English)"]
    status_row = next(r for r in guide_rows if r[2] == "ntm_status")
    assert status_row[4] == "mức đạt chuẩn NTM: Chưa đạt chuẩn, Đạt chuẩn NTM, NTM hiện đại (thí điểm)"
    assert status_row[5] == "NTM status: Not yet NTM, NTM standard, Modern NTM (pilot)"
    # filled in with the offered words, the file passes validation for those columns
    filled = [r for r in range(2, data.max_row + 1) if data.cell(r, code_col).value]
    for row in filled:
        for header, value in (("Tổng số hộ", 1000), ("Số hộ nghèo", 50), ("Số hộ cận nghèo", 40),
                              ("Mức đạt chuẩn NTM", "Đạt chuẩn NTM"), ("TC1", "Đạt"), ("TC2", "Chưa đạt"),
                              ("Nhóm xã", "2")):
            data.cell(row, headers.index(header) + 1).value = value
    book.save(out)
    report = validate_path(db, out)
    assert len(report.rows) == len(filled)               # the formatted empty rows below are not rows
    wrong = [i for i in report.errors if i.key in ("status.invalid", "flag.invalid") or i.key.startswith("value.")]
    assert wrong == []


@pytest.mark.parametrize("year", [2024, 2026])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_status_the_template_offers_reads_back(year, lang):
    """The drop-down's words (“NTM hiện đại (thí điểm)” included) are statuses the upload reads."""
    import pandas as pd

    from ntm.ingest.template import accepted_values
    from ntm.ingest.validation import parse_status

    offered = accepted_values("ntm_status", year, lang)
    values, bad = parse_status(pd.Series(offered))
    assert not bad.any() and values.notna().all(), list(zip(offered, values))
