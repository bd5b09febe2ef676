"""The values a targets file may give: finite numbers in the range of their kind of target, a maximum not
below the minimum, a year of the programme periods. A refusal names the file, the row, the column and the
value and says what to write, and nothing is written. Yearly files refuse infinities the same way, and
targets an older database already holds that are not finite show as '–', never 'inf%'."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from ntm.domain.periods import programme_years
from ntm.domain.targets import TARGET_KINDS
from ntm.errors import ImportRefused
from ntm.export import pack, table_downloads
from ntm.ingest.reference import import_reference, validate_reference_bytes
from ntm.ingest.yearly import validate_bytes
from ntm.paths import data_file
from ntm.present import labels
from ntm.read.scope import find_scope
from ntm.text import has_text, t
from tests.ingest.test_yearly import kon_tum_rows, to_csv

COLUMNS = ("target_id", "scope_level", "scope_code", "scope_name", "year", "metric", "level", "value_min",
           "value_max", "unit", "source_document", "verified", "note")
A_TARGET = {"target_id": "vn-2025-thu", "scope_level": "national", "scope_code": "", "scope_name": "Toàn quốc",
            "year": "2025", "metric": "commune_share_at_level", "level": "standard", "value_min": "0.8",
            "value_max": "", "unit": "share of communes", "source_document": "QĐ thử", "verified": "false",
            "note": ""}


def targets_file(**cells: str) -> bytes:
    """A targets file of one row: a valid national target with `cells` changed."""
    row = {**A_TARGET, **cells}
    return (",".join(COLUMNS) + "\n" + ",".join(row[c] for c in COLUMNS) + "\n").encode()


def stored(con) -> tuple[pd.DataFrame, int]:
    """The targets table and the number of import batches."""
    return (con.execute("SELECT * FROM targets ORDER BY target_id").df(),
            con.execute("SELECT count(*) FROM import_batches").fetchone()[0])


REFUSED = [
    ("infinity", "value_min", "inf", "value.not_number"),
    ("beyond any number", "value_min", "1e400", "value.not_number"),
    ("minus infinity", "value_min", "-inf", "value.not_number"),
    ("not a number", "value_max", "nan", "value.not_number"),
    ("a year far ahead", "year", "99999", "target.year"),
    ("a negative year", "year", "-5", "target.year"),
    ("year zero", "year", "0", "target.year"),
    ("a year with decimals", "year", "2025.5", "reference.whole_number"),
    ("a share written in per cent", "value_min", "80", "target.value.share"),
]


@pytest.mark.parametrize("label, column, value, key", REFUSED, ids=[r[0] for r in REFUSED])
def test_impossible_target_values_are_refused_with_row_and_column(wcon, writable_db, label, column, value, key):
    before_rows, before_batches = stored(wcon)
    report = validate_reference_bytes(wcon, "targets", targets_file(**{column: value}), "muc_tieu.csv")
    assert [(i.key, i.row, i.column, i.value) for i in report.errors] == [(key, 2, column, value)]
    vi, en = report.errors[0].message("muc_tieu.csv", "vi"), report.errors[0].message("muc_tieu.csv", "en")
    assert vi.startswith(f"Tệp muc_tieu.csv, dòng 2, cột “{column}”, giá trị “{value}”: ") and "Hãy" in vi
    assert en.startswith(f"File muc_tieu.csv, row 2, column “{column}”, value “{value}”: ")
    with pytest.raises(ImportRefused):
        import_reference(wcon, "targets", report, user="cli:lan", checksum="x", db_path=writable_db)
    rows, batches = stored(wcon)
    pd.testing.assert_frame_equal(rows, before_rows)
    assert batches == before_batches


def test_target_years_are_those_of_the_programme_periods(db):
    first, last = programme_years()                     # data/programme_periods.csv
    for year in (first, last):
        assert validate_reference_bytes(db, "targets", targets_file(year=str(year)), "t.csv").ok, year
    for year in (first - 1, last + 1):
        issue = validate_reference_bytes(db, "targets", targets_file(year=str(year)), "t.csv").errors[0]
        assert issue.key == "target.year"
        assert f"từ {first} đến {last}" in issue.message("t.csv", "vi")
        assert f"from {first} to {last}" in issue.message("t.csv", "en")


KINDS = [
    ("commune_share_at_level", "standard", "1", None),
    ("commune_share_at_level", "standard", "1.2", "target.value.share"),
    ("communes_at_level", "standard", "410", None),
    ("communes_at_level", "standard", "8.5", "target.value.count"),
    ("communes_at_level", "standard", "-1", "target.value.count"),
    ("district_status", "standard", "1", None),
    ("district_status", "standard", "2", "target.value.binary"),
    ("poor_rate_reduction_pp", "", "1.5", None),
    ("poor_rate_reduction_pp", "", "150", "target.value.pp"),
    ("em_area_poor_rate_max", "", "10", None),
    ("em_area_poor_rate_max", "", "-3", "target.value.rate"),
]


@pytest.mark.parametrize("metric, level, value, key", KINDS)
def test_each_kind_of_target_takes_the_values_it_measures(db, metric, level, value, key):
    report = validate_reference_bytes(db, "targets", targets_file(metric=metric, level=level, value_min=value),
                                      "t.csv")
    assert [(i.key, i.column) for i in report.errors] == ([] if key is None else [(key, "value_min")])


def test_every_kind_of_target_can_say_its_range_in_both_languages():
    for metric in TARGET_KINDS.values():
        assert has_text(f"target.value.{metric.shape.key}"), metric.key


def test_the_range_message_says_what_to_write(db):
    issue = validate_reference_bytes(db, "targets", targets_file(value_min="80"), "t.csv").errors[0]
    assert "từ 0 đến 1 (80% ghi là 0,8)" in issue.message("t.csv", "vi")
    assert "from 0 to 1 (80% is 0.8)" in issue.message("t.csv", "en")


def test_a_maximum_below_the_minimum_is_refused(db):
    report = validate_reference_bytes(db, "targets", targets_file(metric="poor_rate_reduction_pp", level="",
                                                                  value_min="1.5", value_max="1"), "t.csv")
    assert [(i.key, i.row, i.column, i.value) for i in report.errors] == [("target.max_below_min", 2, "value_max", "1")]
    assert "minimum 1.5" in report.errors[0].message("t.csv", "en")


def test_the_shipped_targets_pass_the_same_rules(db):
    report = validate_reference_bytes(db, "targets", data_file("targets.csv").read_bytes(), "targets.csv")
    assert report.errors == []


@pytest.mark.parametrize("value", ["inf", "-inf", "1e400"])
def test_a_yearly_file_refuses_infinities_like_text(db, value):
    rows = kon_tum_rows(db).astype(object)
    rows.loc[1, "households"] = value
    report = validate_bytes(db, to_csv(rows), "kon_tum_2024.csv")
    assert [(i.key, i.row, i.value) for i in report.errors] == [("value.not_number", 3, value)]


def test_targets_an_older_database_holds_that_are_not_finite_show_a_dash(wcon):
    wcon.execute("""INSERT INTO targets (target_id, scope_level, scope_code, scope_name, year, metric, level,
                        value_min, value_max, unit, source_document, verified, note, scope_system) VALUES
        ('cu-inf', 'province', '51', 'Tỉnh Quảng Ngãi', 2026, 'commune_share_at_level', 'standard',
         'inf'::DOUBLE, NULL, '', '', false, '', 'post2025'),
        ('cu-am-inf', 'province', '51', 'Tỉnh Quảng Ngãi', 2026, 'communes_at_level', 'standard',
         '-inf'::DOUBLE, NULL, '', '', false, '', 'post2025'),
        ('cu-nan', 'national', NULL, 'Toàn quốc', 2026, 'poor_rate_reduction_pp', NULL,
         'inf'::DOUBLE, 'nan'::DOUBLE, '', '', false, '', NULL)""")
    scope = find_scope(wcon, "51", 2026, "new").scope
    shown = labels.targets_progress(wcon, scope, "vi", as_of=2026).set_index("target_id")
    assert shown.loc[["cu-inf", "cu-am-inf", "cu-nan"], "target_display"].tolist() == ["–", "–", "–"]
    assert shown.loc[["cu-inf", "cu-am-inf", "cu-nan"], "status"].tolist() == ["no_data"] * 3   # never "Đạt"
    assert shown.loc[["cu-inf", "cu-am-inf", "cu-nan"], "progress_pct"].isna().all()
    table = pack.tables(pack.collect(wcon, scope, 2026, pack.TABLE_SECTIONS, "vi"))["targets"]
    assert (table.frame[t("table.goal", "vi")] == "–").sum() == 3          # the export page's targets table
    assert not re.search(r"\b(inf|nan)\b", table_downloads.csv_bytes(table).decode("utf-8-sig"), re.IGNORECASE)
