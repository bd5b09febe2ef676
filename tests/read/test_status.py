"""Who has reported a year: each province's expected communes (from the unit list) and reported ones, the
missing ones by name, files, warnings acknowledged, the last import and the deadline."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest

from ntm.domain.settings import reporting_deadline
from ntm.ingest.yearly import import_report, validate_bytes
from ntm.read.status import missing_units, reporting_status
from ntm.read.units import communes_in
from ntm.store.batches import rollback
from ntm.store.connection import connect
from ntm.store.synth import national_frames

DEMO_PROVINCES = {"22", "38", "51", "62"}      # the demo's old provinces in 2021–2024


def unit_list_counts(con, province: str, year: int, system: str) -> tuple[int, int]:
    """(communes, wards/towns/special zones) of a province in a year, from the unit list the templates use."""
    units = communes_in(con, province, year, system)
    kinds = con.execute("SELECT code, is_rural FROM units WHERE system = ? AND level = 'commune' "
                        "AND code IN (SELECT unnest(?))", [system, units["code"].tolist()]).df()
    rural = units["code"].map(dict(zip(kinds["code"], kinds["is_rural"])))
    return int(rural.sum()), int((~rural.astype(bool)).sum())


def test_the_demo_s_2024_lists_every_old_province_and_its_four_complete(db):
    df = reporting_status(db, 2024).set_index("province_code")
    assert len(df) == 63                                        # the old units: every province, reported or not
    assert set(df.index[df["files"] > 0]) == DEMO_PROVINCES
    for code in DEMO_PROVINCES:
        communes, wards = unit_list_counts(db, code, 2024, "pre2025")
        row = df.loc[code]
        assert (row.communes_expected, row.wards_expected) == (communes, wards)
        assert (row.communes_reported, row.wards_reported, row.missing) == (communes, wards, 0)
        assert row.completeness == "complete" and row.is_demo and row.last_import_by == "demo"
    hanoi = df.loc["01"]
    assert hanoi.completeness == "none" and hanoi.communes_reported == 0 and hanoi.files == 0
    assert hanoi.missing == sum(unit_list_counts(db, "01", 2024, "pre2025"))
    assert set(df["deadline"]) == {reporting_deadline(2024)} == {date(2025, 1, 15)}


def test_a_unit_missing_from_the_file_is_named(db):
    """The demo's 2025 figures of the new Quảng Ngãi leave out the special zone of Lý Sơn."""
    df = reporting_status(db, 2025).set_index("province_code")
    assert len(df) == 34 and df.loc["51", "completeness"] == "partial"
    gone = missing_units(db, 2025, "51")
    assert len(gone) == df.loc["51", "missing"] >= 1
    assert all(isinstance(n, str) and n for n in gone["name"])
    in_force = set(db.execute("SELECT commune_code FROM commune_year WHERE is_current AND year = 2025 "
                              "AND unit_system = 'post2025'").df()["commune_code"])
    assert not set(gone["code"]) & in_force


@pytest.fixture
def hanoi_half(writable_db):
    """A store where Hà Nội sent 2024's figures for the first half of its communes only."""
    con = connect(writable_db)
    codes = communes_in(con, "01", 2024, "pre2025")["code"].tolist()
    frame = national_frames([2024])[2024]
    half = frame[frame["commune_code"].isin(codes[: len(codes) // 2])]
    report = validate_bytes(con, half.to_csv(index=False).encode(), "ha_noi_2024.csv", 2024)
    assert report.errors == [], report.errors[:3]
    batch = import_report(con, report, user="cli:operator", accept_warnings=True, db_path=writable_db)
    yield con, codes, batch, len(report.warnings)
    con.close()


def test_a_province_with_half_its_communes_is_partial_and_lists_the_rest(hanoi_half):
    con, codes, batch, warnings = hanoi_half
    row = reporting_status(con, 2024).set_index("province_code").loc["01"]
    assert row.completeness == "partial"
    assert row.communes_reported + row.wards_reported == len(codes) // 2
    assert row.missing == len(codes) - len(codes) // 2
    assert row.files == 1 and row.last_import_by == "cli:operator" and not row.is_demo
    assert row.warnings_acknowledged == warnings
    assert row.timeliness == "late"                    # incomplete after 15 January 2025
    assert sorted(missing_units(con, 2024, "01")["code"]) == sorted(codes[len(codes) // 2:])
    before = reporting_status(con, 2024, now=datetime(2025, 1, 10)).set_index("province_code").loc["01"]
    assert before.timeliness == "not_yet"              # the same, seen before the deadline


def test_a_rolled_back_file_counts_as_not_sent(hanoi_half, writable_db):
    con, codes, batch, _ = hanoi_half
    rollback(con, batch, writable_db, user="cli:operator")
    row = reporting_status(con, 2024).set_index("province_code").loc["01"]
    assert (row.completeness, row.files, row.rolled_back) == ("none", 0, 1)


def test_a_complete_province_is_on_time_when_its_last_unit_arrived_by_the_deadline(db, monkeypatch):
    import ntm.read.status as status

    monkeypatch.setattr(status, "reporting_deadline", lambda year: date(2999, 1, 15))
    df = reporting_status(db, 2026)
    assert set(df.loc[df["completeness"] == "complete", "timeliness"]) == {"on_time"}
    assert set(df.loc[df["completeness"] == "none", "timeliness"]) == {"not_yet"}
    monkeypatch.setattr(status, "reporting_deadline", lambda year: date(2000, 1, 15))
    df = reporting_status(db, 2026)
    assert set(df["timeliness"]) == {"late"}
