"""A year's poverty figures are the review at the end of that year, so the standard they are recorded under
is the one of the review year (docs/domain.md §2.5, §2.7): a 2026 file imported through the real path
is under NĐ 351/2025 (2.2 / 2.8 million VND) and says that this transition is not yet confirmed, a 2025
file under NĐ 07/2021; a 2026 file naming NĐ 07/2021 is kept as written with a warning, a 2021 file
naming QĐ 59/2015 is refused; the template offers the standards of the review year."""

from __future__ import annotations

from ntm.domain.periods import poverty_standard_for_year, poverty_standards
from ntm.ingest.template import accepted_values
from ntm.ingest.yearly import import_report, validate_bytes
from tests.ingest.test_poverty_standards import province_rows


def stored_standards(con, batch: int) -> set[str]:
    return {r[0] for r in con.execute("SELECT DISTINCT poverty_standard FROM commune_year WHERE batch_id = ?",
                                      [batch]).fetchall()}


def test_the_review_years_of_each_standard():
    assert [poverty_standard_for_year(y) for y in (2020, 2021, 2025, 2026, 2030)] == \
        ["QD59_2015", "ND07_2021", "ND07_2021", "ND351_2025", "ND351_2025"]
    specs = poverty_standards().set_index("poverty_standard")
    assert specs.loc["ND351_2025", ["income_rural_vnd", "income_urban_vnd"]].tolist() == ["2200000", "2800000"]
    # The transition to the new lines is a reading, not a confirmed rule: it says so, and what would confirm it.
    assert not specs.at["ND351_2025", "years_verified"] and specs.at["ND07_2021", "years_verified"]
    assert "transition article" in specs.at["ND351_2025", "years_basis"]


def test_a_2026_file_is_imported_under_the_new_standard_and_says_it_is_unconfirmed(wcon, writable_db):
    report = validate_bytes(wcon, province_rows(wcon, "22", 2026, None, "post2025"), "quangninh_2026.csv")
    assert report.year == 2026 and not report.errors
    note = next(i for i in report.issues if i.key == "poverty_standard.assumed")
    assert note.severity == "info"
    vi, en = note.message(report.file_name, "vi"), note.message(report.file_name, "en")
    assert "NĐ 351/2025/NĐ-CP" in vi and "2.200.000 / 2.800.000" in vi and "chưa xác nhận" in vi
    assert "2,200,000 / 2,800,000" in en and "unconfirmed" in en
    batch = import_report(wcon, report, user="cli:lan", accept_warnings=True, db_path=writable_db)
    assert stored_standards(wcon, batch) == {"ND351_2025"}


def test_a_2025_file_stays_under_nd07_without_a_note(wcon, writable_db):
    report = validate_bytes(wcon, province_rows(wcon, "22", 2025, None, "post2025"), "quangninh_2025.csv")
    assert report.year == 2025 and not report.errors
    assert "poverty_standard.assumed" not in {i.key for i in report.issues}
    batch = import_report(wcon, report, user="cli:lan", accept_warnings=True, db_path=writable_db)
    assert stored_standards(wcon, batch) == {"ND07_2021"}


def test_a_2026_file_naming_the_old_standard_is_kept_as_written_with_a_warning(db):
    report = validate_bytes(db, province_rows(db, "22", 2026, "ND07_2021", "post2025"), "qn_2026_nd07.csv")
    assert not report.errors
    warning = next(i for i in report.warnings if i.key == "poverty_standard.year_unconfirmed")
    said = warning.message(report.file_name)
    assert "NĐ 351/2025/NĐ-CP" in said and "NĐ 07/2021/NĐ-CP" in said and "chưa xác nhận" in said
    assert set(report.rows["poverty_standard"]) == {"ND07_2021"}


def test_a_standard_outside_its_confirmed_review_years_is_refused(db):
    report = validate_bytes(db, province_rows(db, "62", 2021, "QD59_2015", "pre2025"), "kontum_2021.csv")
    error = next(i for i in report.errors if i.key == "poverty_standard.year")
    assert "rà soát các năm 2015–2020" in error.message(report.file_name)
    assert "NĐ 07/2021/NĐ-CP" in error.message(report.file_name)


def test_the_template_offers_the_standards_of_the_review_year():
    assert accepted_values("poverty_standard", 2026, "vi") == ["NĐ 351/2025/NĐ-CP"]
    assert set(accepted_values("poverty_standard", 2025, "vi")) == {"NĐ 07/2021/NĐ-CP",
                                                                   "NQ 13/2023/NQ-HĐND tỉnh Quảng Ninh"}
    assert accepted_values("poverty_standard", 2021, "vi") == ["NĐ 07/2021/NĐ-CP"]
