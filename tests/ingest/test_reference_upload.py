"""Unit attributes and targets go through validate → preview → import, and roll back exactly."""

from __future__ import annotations

import pandas as pd
import pytest

from ntm.ingest.reference import import_reference, preview_reference, validate_reference_bytes
from ntm.store.batches import rollback_batch
from ntm.store.connection import transaction


def attributes(con) -> pd.DataFrame:
    return con.execute("SELECT * EXCLUDE (batch_id) FROM unit_attributes ORDER BY level, code").df()


def test_attribute_upload_marks_a_district_mountainous_and_rolls_back(wcon, writable_db):
    before = attributes(wcon)
    csv = ("level,code,name,is_mountainous,is_island,is_poor_district,em_region,decision,verified,note\n"
           "district,392,Huyện Hà Trung,Có,không,0,,QĐ test,FALSE,\n"
           "commune,23326,Xã Ia Chim,,,,II,QĐ 861/QĐ-TTg,TRUE,\n")
    report = validate_reference_bytes(wcon, "unit_attributes", csv.encode(), "attrs.csv")
    assert report.ok, [i.message("attrs.csv") for i in report.issues]
    change = preview_reference(wcon, "unit_attributes", report).set_index("code")["change"]
    assert change["392"] == "new" and change["23326"] == "changed"
    batch = import_reference(wcon, "unit_attributes", report, user="cli:lan", checksum="x", db_path=writable_db)
    row = wcon.execute("SELECT is_mountainous, batch_id FROM unit_attributes WHERE code = '392'").fetchone()
    assert row == (True, batch)
    with transaction(wcon) as cur:
        rollback_batch(cur, batch)
    pd.testing.assert_frame_equal(attributes(wcon), before)


@pytest.mark.parametrize("line,key,column", [
    ("district,999,X,true,false,false,,,,", "reference.unknown_unit", "code"),
    ("region,392,X,true,false,false,,,,", "reference.choice", "level"),
    ("district,392,X,maybe,false,false,,,,", "reference.boolean", "is_mountainous"),
    ("district,392,X,true,false,false,IV,,,", "reference.choice", "em_region"),
])
def test_bad_attribute_rows_are_located(db, line, key, column):
    csv = "level,code,name,is_mountainous,is_island,is_poor_district,em_region,decision,verified,note\n" + line
    report = validate_reference_bytes(db, "unit_attributes", csv.encode(), "a.csv")
    issue = next(i for i in report.errors if i.key == key)
    assert issue.row == 2 and issue.column == column


def test_target_upload_validates_numbers_and_imports(wcon, writable_db):
    good = ("target_id,scope_level,scope_code,scope_name,year,metric,level,value_min,value_max,unit,"
            "source_document,verified,note\n"
            "qn-2025-mnt,district,529,Huyện Sơn Hà,2025,poor_rate_reduction_pp,,4,5,percentage points,NQ 02-NQ/TU,true,\n")
    report = validate_reference_bytes(wcon, "targets", good.encode(), "t.csv")
    assert report.ok
    batch = import_reference(wcon, "targets", report, user="cli:lan", checksum="y", db_path=writable_db)
    assert wcon.execute("SELECT value_min, value_max, batch_id FROM targets WHERE target_id = 'qn-2025-mnt'"
                        ).fetchone() == (4.0, 5.0, batch)
    bad = good.replace(",4,5,", ",bốn,5,")
    issue = validate_reference_bytes(wcon, "targets", bad.encode(), "t.csv").errors[0]
    assert (issue.key, issue.row, issue.column) == ("value.not_number", 2, "value_min")


@pytest.mark.parametrize("data, name, key", [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "chi_tieu.xls", "read.xls"),        # old Excel workbook
    (b"not a workbook", "chi_tieu.xlsx", "read.xlsx"),                                     # damaged .xlsx
])
def test_reference_files_that_cannot_be_read_say_why(db, data, name, key):
    """Same checks as the yearly upload: an .xls or a damaged .xlsx is named as such, not as 'no rows'."""
    report = validate_reference_bytes(db, "targets", data, name)
    assert [i.key for i in report.errors] == [key]


def test_unknown_unit_message_names_the_level_in_the_reader_s_language(db):
    csv = "level,code,name,is_mountainous,is_island,is_poor_district,em_region,decision,verified,note\n" \
          "commune,99999,X,true,false,false,,,,\n"
    report = validate_reference_bytes(db, "unit_attributes", csv.encode(), "a.csv")
    issue = next(i for i in report.errors if i.key == "reference.unknown_unit")
    assert "cấp Xã mang mã này" in issue.message("a.csv", "vi")
    assert "at level Commune" in issue.message("a.csv", "en")
