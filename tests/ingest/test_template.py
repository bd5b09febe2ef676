"""Templates analysts fill in are read back by the upload path."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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
    return path.read_text(encoding="utf-8-sig").splitlines()[0].split(",")


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
