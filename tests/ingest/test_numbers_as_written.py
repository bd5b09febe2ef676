"""Numbers read the way the file wrote them: the decimal and thousands separators are decided per column,
never per cell, so "65.876" and "36.828" in one income column are both decimals; a column that only its
kind or the file's way could decide says how it was read; numbers a workbook holds as numbers are exact."""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import Workbook

from ntm.domain.columns import BY_NAME
from ntm.ingest.yearly import preview, validate_bytes
from tests.ingest.test_yearly import kon_tum_rows, to_csv

INCOME = BY_NAME["income_per_capita"].header_vi
HOUSEHOLDS = BY_NAME["households"].header_vi


def with_incomes(db, incomes: list) -> pd.DataFrame:
    """Kon Tum's 2024 figures in force, the first communes' income per capita written as given."""
    df = kon_tum_rows(db).head(len(incomes)).copy()
    df["income_per_capita"] = incomes
    return df


def number_lines(report) -> list:
    return [i for i in report.issues if i.key.startswith("number.")]


def test_an_income_column_mixing_65_876_and_36_828_is_read_as_decimals_both_ways_of_saving(db):
    for sep in (",", ";"):                       # an English-style and a Vietnamese-style (semicolon) CSV
        report = validate_bytes(db, to_csv(with_incomes(db, ["65.876", "36.828"]), sep=sep), "thu_nhap.csv")
        assert report.errors == []
        assert report.rows["income_per_capita"].tolist() == [65.876, 36.828]


def test_the_column_read_by_its_plausible_range_says_so_with_the_column_and_how(db):
    report = validate_bytes(db, to_csv(with_incomes(db, ["65.876", "36.828"]), sep=";"), "thu_nhap.csv")
    [line] = number_lines(report)
    assert (line.severity, line.key, line.row, line.column, line.value) == (
        "info", "number.ambiguous_range", 2, INCOME, "65.876")
    vi, en = line.message("thu_nhap.csv", "vi"), line.message("thu_nhap.csv", "en")
    assert "Tệp thu_nhap.csv" in vi and "2 ô" in vi
    assert "“65.876” là 65,876" in vi and "dấu chấm là dấu thập phân" in vi and "(65.876)" in vi
    assert "“65.876” is 65.876" in en and "point as the decimal separator" in en and "(65,876)" in en
    assert "8–300" in vi and "upload again" in en


def test_one_cell_that_can_be_read_only_one_way_decides_the_whole_column(db):
    report = validate_bytes(db, to_csv(with_incomes(db, ["65.8765", "36.828"])), "f.csv")
    assert report.rows["income_per_capita"].tolist() == [65.8765, 36.828]
    assert number_lines(report) == []
    report = validate_bytes(db, to_csv(with_incomes(db, ["36,8", "45,125", "1.234,5"]), sep=";"), "f.csv")
    assert report.rows["income_per_capita"].tolist() == [36.8, 45.125, 1234.5]
    assert number_lines(report) == []


def test_a_decimal_comma_in_a_comma_separated_file_is_a_decimal(db):
    """'36,8' (quoted by the CSV writer) is 36.8 in any file, never 368."""
    report = validate_bytes(db, to_csv(with_incomes(db, ["36,8", "52.5"])), "f.csv")
    assert report.rows["income_per_capita"].tolist() == [36.8, 52.5]


def test_a_column_only_the_file_can_decide_is_a_warning_naming_both_readings(db):
    """'1.234' million VND is neither 1.234 nor 1,234 in the plausible range: the file's way (a semicolon
    file writes the Vietnamese way) decides, and the report says what it read and what else it could be."""
    report = validate_bytes(db, to_csv(with_incomes(db, ["1.234", "2.345"]), sep=";"), "f.csv")
    assert report.rows["income_per_capita"].tolist() == [1234.0, 2345.0]
    [line] = number_lines(report)
    assert (line.severity, line.key, line.row, line.column) == ("warning", "number.ambiguous_file", 2, INCOME)
    text = line.message("f.csv", "en")
    assert "“1.234” is 1,234" in text and "the other reading: 1.234" in text
    assert {(i.key, i.row) for i in report.warnings} >= {("range.income_per_capita", 2), ("range.income_per_capita", 3)}


def test_a_whole_number_column_groups_thousands_whatever_the_file(db):
    good = kon_tum_rows(db)
    df = good[good["households"] >= 1000].head(2).copy()
    first, second = (int(v) for v in df["households"])
    df["households"] = [f"{first:,}".replace(",", "."), f"{second:,}"]      # 1.234 and 2,345
    report = validate_bytes(db, to_csv(df), "f.csv")
    assert report.rows["households"].tolist() == [first, second]
    assert number_lines(report) == [] and report.errors == []


def test_numbers_in_a_workbook_are_exact_and_only_its_text_cells_are_decided(db):
    df = with_incomes(db, [65.876, 36.828, "36.828"])          # two number cells, one typed as text
    wb = Workbook()
    ws = wb.active
    ws.append([BY_NAME[c].header_vi for c in df.columns])
    for row in df.itertuples(index=False):
        ws.append([None if not isinstance(v, str) and pd.isna(v) else v for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    report = validate_bytes(db, buf.getvalue(), "f.xlsx")
    assert report.rows["income_per_capita"].tolist() == [65.876, 36.828, 36.828]
    assert [(i.key, i.row) for i in number_lines(report)] == [("number.ambiguous_range", 4)]


def test_the_preview_shows_no_thousandfold_change_for_a_decimal_income(db):
    """The upload preview compares with the figures in force: a file that writes last year's incomes with
    three decimals changes nothing."""
    df = kon_tum_rows(db).head(3).copy()
    df["income_per_capita"] = df["income_per_capita"].map(lambda v: f"{v:.3f}")
    report = validate_bytes(db, to_csv(df), "f.csv")
    assert report.rows["income_per_capita"].round(3).tolist() == kon_tum_rows(db).head(3)["income_per_capita"].round(3).tolist()
    assert "income_per_capita" not in set(preview(db, report).changed["column"])
