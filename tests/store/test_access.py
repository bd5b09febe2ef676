"""Who may change what, enforced by the engine: a province analyst changes only the provinces on the
account — under both unit systems — a coordinator every province and the targets, an administrator the
accounts; a refused write says whose data it is and who may change it, and writes nothing."""

from __future__ import annotations

import pandas as pd
import pytest

from ntm.errors import AccountError, NotPermitted
from ntm.ingest.boundaries import import_boundaries, match_boundaries, read_boundary_file
from ntm.ingest.reference import import_reference, validate_reference_bytes
from ntm.ingest.yearly import import_report, validate_bytes
from ntm.store import accounts as auth
from ntm.store.batches import batch_status, rollback
from ntm.store.connection import connect
from tests.ingest.test_boundary_upload import communes_file, geojson_bytes
from tests.ingest.test_yearly import db_fingerprint, kon_tum_rows, to_csv
from tests.ingest.test_yearly_reform import carried, csv

OPERATOR = "cli:operator"
PASSWORD = "mat-khau-dai"


@pytest.fixture
def con(writable_db):
    """A private demo store with one account of each kind: analysts of Quảng Ninh (22), of the new Quảng
    Ngãi (51: old Quảng Ngãi and old Kon Tum merged into it), of old Kon Tum only (62); a coordinator, an
    administrator and a viewer."""
    c = connect(writable_db)
    for name, role, provinces in (("quang_ninh", "analyst", ["22"]), ("quang_ngai", "analyst", ["51"]),
                                  ("kon_tum_cu", "analyst", ["62"]), ("dieu_phoi", "coordinator", []),
                                  ("quan_tri", "admin", []), ("xem", "viewer", [])):
        auth.add_user(c, name, PASSWORD, role, provinces, by=OPERATOR)
    yield c
    c.close()


def kon_tum_2024(con):
    """Kon Tum's 2024 figures on the old units, as a file (old province 62, now part of the new 51)."""
    return validate_bytes(con, to_csv(kon_tum_rows(con)), "kon_tum_2024.csv", 2024)


def quang_ngai_2025(con):
    """Quảng Ngãi's 2025 figures on the new units (new province 51)."""
    return validate_bytes(con, csv(carried(con, 2025)), "quang_ngai_2025.csv")


def refused(action, con) -> NotPermitted:
    """The refusal `action()` meets; nothing it would have written is in the store."""
    before = db_fingerprint(con)
    with pytest.raises(NotPermitted) as exc:
        action()
    assert db_fingerprint(con) == before
    return exc.value


def test_an_analyst_of_another_province_is_refused_an_import_and_told_whose_data_it_is(con, writable_db):
    report = kon_tum_2024(con)
    assert report.errors == [] and report.system == "pre2025"
    exc = refused(lambda: import_report(con, report, user="quang_ninh", accept_warnings=True, db_path=writable_db),
                  con)
    vi, en = exc.message("vi"), exc.message("en")
    assert "Kon Tum (62)" in vi and "Quảng Ninh (22)" in vi and "Không có gì được ghi" in vi
    # who may change it instead: the analysts owning Kon Tum under either system, and the coordinator
    assert "dieu_phoi, kon_tum_cu, quang_ngai" in en and "quang_ninh" not in en.split("Who may")[1].split(".")[0]
    assert "Nothing was written" in en


def test_an_analyst_of_the_new_province_owns_the_old_provinces_merged_into_it(con, writable_db):
    old = import_report(con, kon_tum_2024(con), user="quang_ngai", accept_warnings=True, db_path=writable_db)
    new_report = quang_ngai_2025(con)
    assert new_report.system == "post2025"
    new = import_report(con, new_report, user="quang_ngai", accept_warnings=True, db_path=writable_db)
    rows = dict(con.execute("SELECT batch_id, provinces FROM import_batches WHERE batch_id IN (?, ?)",
                            [old, new]).fetchall())
    assert rows == {old: ["62"], new: ["51"]}
    assert {batch_status(con, old), batch_status(con, new)} == {"active"}


def test_an_analyst_of_an_old_province_only_keeps_to_its_history(con, writable_db):
    assert import_report(con, kon_tum_2024(con), user="kon_tum_cu", accept_warnings=True, db_path=writable_db)
    exc = refused(lambda: import_report(con, quang_ngai_2025(con), user="kon_tum_cu", accept_warnings=True,
                                        db_path=writable_db), con)
    assert "Quảng Ngãi (51)" in exc.message("vi")


def test_a_rollback_of_another_province_s_batch_is_refused_and_the_batch_stays(con, writable_db):
    batch = import_report(con, kon_tum_2024(con), user="quang_ngai", accept_warnings=True, db_path=writable_db)
    exc = refused(lambda: rollback(con, batch, writable_db, user="quang_ninh"), con)
    assert "Kon Tum (62)" in exc.message("vi")
    assert batch_status(con, batch) == "active"
    # the demo's 2024 batch covers four provinces: an analyst of one of them may not undo it
    demo_2024 = con.execute("SELECT batch_id FROM import_batches WHERE is_demo AND year = 2024 "
                            "AND kind = 'commune_year'").fetchone()[0]
    refused(lambda: rollback(con, demo_2024, writable_db, user="quang_ngai"), con)
    assert rollback(con, batch, writable_db, user="kon_tum_cu") != [] and batch_status(con, batch) == "rolled_back"


def test_boundaries_of_another_province_are_refused_and_its_own_allowed(con, writable_db):
    match = match_boundaries(con, read_boundary_file(geojson_bytes(communes_file(con, "post2025", "51")),
                                                     "qn.geojson"), "commune")
    exc = refused(lambda: import_boundaries(con, match, file_name="qn.geojson", checksum="x", user="quang_ninh",
                                            db_path=writable_db), con)
    assert "Quảng Ngãi (51)" in exc.message("vi")
    batch = import_boundaries(con, match, file_name="qn.geojson", checksum="x", user="quang_ngai",
                              db_path=writable_db)
    assert con.execute("SELECT unit_system, provinces FROM import_batches WHERE batch_id = ?",
                       [batch]).fetchone() == ("post2025", ["51"])
    refused(lambda: rollback(con, batch, writable_db, user="quang_ninh"), con)


def attributes_file(code: str) -> bytes:
    return pd.DataFrame([{"system": "pre2025", "level": "commune", "code": code, "is_mountainous": "true",
                          "decision": "QĐ test"}]).to_csv(index=False).encode()


def test_unit_attributes_follow_the_province_and_targets_are_the_coordinator_s(con, writable_db):
    kon_tum_commune = con.execute("SELECT code FROM units WHERE system = 'pre2025' AND level = 'commune' "
                                  "AND province_code = '62' ORDER BY code LIMIT 1").fetchone()[0]
    report = validate_reference_bytes(con, "unit_attributes", attributes_file(kon_tum_commune), "attr.csv")
    assert report.errors == []
    refused(lambda: import_reference(con, "unit_attributes", report, user="quang_ninh", checksum=None,
                                     db_path=writable_db), con)
    assert import_reference(con, "unit_attributes", report, user="kon_tum_cu", checksum=None, db_path=writable_db)
    targets = ("target_id,scope_level,scope_code,year,metric,level,value_min\n"
               "t_test,national,,2030,commune_share_at_level,standard,0.9\n").encode()
    treport = validate_reference_bytes(con, "targets", targets, "targets.csv")
    assert treport.errors == []
    exc = refused(lambda: import_reference(con, "targets", treport, user="quang_ngai", checksum=None,
                                           db_path=writable_db), con)
    assert "điều phối viên" in exc.message("vi") and "dieu_phoi" in exc.message("vi")
    assert import_reference(con, "targets", treport, user="dieu_phoi", checksum=None, db_path=writable_db)


def test_a_coordinator_changes_every_province_and_a_viewer_or_an_administrator_none(con, writable_db):
    report = kon_tum_2024(con)
    for name in ("xem", "quan_tri"):
        exc = refused(lambda: import_report(con, report, user=name, accept_warnings=True, db_path=writable_db), con)
        assert "dieu_phoi" in exc.message("en")
    refused(lambda: import_report(con, report, user="nobody", accept_warnings=True, db_path=writable_db), con)
    batch = import_report(con, report, user="dieu_phoi", accept_warnings=True, db_path=writable_db)
    assert rollback(con, batch, writable_db, user="dieu_phoi") != []


def changes(con) -> list[tuple]:
    return con.execute("SELECT changed_by, name, change, role, provinces FROM account_changes "
                       "WHERE changed_by != ? ORDER BY changed_at", [OPERATOR]).fetchall()


def test_only_an_administrator_changes_accounts_and_every_change_is_kept(con):
    for who in ("dieu_phoi", "quang_ngai", "xem"):
        with pytest.raises(NotPermitted):
            auth.add_user(con, "moi", PASSWORD, "analyst", ["22"], by=who)
    assert auth.account_of(con, "moi") is None
    auth.add_user(con, "moi", PASSWORD, "analyst", ["22"], by="quan_tri")
    auth.add_user(con, "moi", "mat-khau-moi", "analyst", ["22"], by="quan_tri")
    auth.change_user(con, "moi", "analyst", ["22", "51"], by="quan_tri")
    auth.remove_user(con, "moi", by="quan_tri")
    assert changes(con) == [("quan_tri", "moi", "created", "analyst", ["22"]),
                            ("quan_tri", "moi", "password_reset", "analyst", ["22"]),
                            ("quan_tri", "moi", "role_changed", "analyst", ["22", "51"]),
                            ("quan_tri", "moi", "removed", "analyst", ["22", "51"])]
    assert "mat-khau" not in str(con.execute("SELECT * FROM account_changes").fetchall())
    assert not auth.verify(con, "moi", "mat-khau-moi")                 # removed: no sign-in


@pytest.mark.parametrize("role, provinces, key", [
    ("analyst", [], "account.needs_province"), ("analyst", ["99"], "account.unknown_province"),
    ("coordinator", ["22"], "account.provinces_not_for_role"), ("boss", [], "account.unknown_role")])
def test_an_account_that_makes_no_sense_is_refused_with_what_to_do(con, role, provinces, key):
    with pytest.raises(AccountError) as exc:
        auth.add_user(con, "moi", PASSWORD, role, provinces, by="quan_tri")
    assert exc.value.key == key and exc.value.message("vi") != key
    assert auth.account_of(con, "moi") is None


def test_a_role_changed_a_moment_ago_counts_on_another_replica(con, writable_db):
    other = connect(writable_db)
    try:
        report = kon_tum_2024(other)
        auth.change_user(con, "quang_ninh", "analyst", ["22", "62"], by="quan_tri")
        assert import_report(other, report, user="quang_ninh", accept_warnings=True, db_path=writable_db)
        auth.change_user(con, "quang_ninh", "viewer", [], by="quan_tri")
        refused(lambda: import_report(other, report, user="quang_ninh", accept_warnings=True, db_path=writable_db),
                other)
    finally:
        other.close()
