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


def test_empty_english_csv_template_has_every_column(tmp_path, demo_db_path):
    out = make(tmp_path, demo_db_path, "--lang", "en", "blank.csv")
    header = out.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    assert header == [c.name for c in COLUMNS]
