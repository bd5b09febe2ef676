"""Yearly files across the 2025 reform, on the demo database: files on the new units compared with the
same places the year before (no false cross-year warnings, changes measured on the same area), unit
systems detected and never mixed, old codes named with their new commune, and the 2026–2030 criteria."""

from __future__ import annotations

import pandas as pd
import pytest

from ntm.domain.rules import CRITERIA
from ntm.ingest.yearly import import_report, preview, validate_bytes
from ntm.read.scope import resolve_scope
from ntm.read.summary import summary
from ntm.store.connection import connect
from ntm.store.figures import figures_sql

CROSS_YEAR = ("flow.", "jump.", "code.", "system.mixed", "name.mismatch")


def carried(con, year: int, province: str = "51") -> pd.DataFrame:
    """A file for `year` on the new units whose figures are last year's in the new geography (old units
    summed through the crosswalk where last year was on them), with no flows: nothing changed."""
    df = con.execute(f"""SELECT f.*, u.name AS commune_name FROM {figures_sql('new')} f JOIN units u USING (unit_id)
                         WHERE f.year = ? AND f.province_code = ? ORDER BY f.commune_code""",
                     [year - 1, province]).df()
    cols = ["commune_code", "commune_name", "households", "population", "poor_households", "near_poor_households",
            "ethnic_minority_households", "ethnic_minority_poor_households", "ntm_status"]
    out = df[cols].copy()
    out.insert(0, "year", year)
    out["escaped_poverty"] = out["fell_back_into_poverty"] = out["newly_poor"] = 0
    if year >= 2026:   # the QĐ 51/2025 levels: recognised communes stay recognised, meeting all ten criteria
        out["ntm_status"] = out["ntm_status"].map(lambda s: None if pd.isna(s) else "none" if s == "none" else "standard")
        out["criteria_met"] = out["ntm_status"].map(lambda s: None if pd.isna(s) else 10 if s == "standard" else 6)
        for i, c in enumerate(CRITERIA[:10], start=1):
            out[c] = out["criteria_met"].map(lambda n, i=i: None if pd.isna(n) else int(i <= n))
    return out


def csv(df: pd.DataFrame) -> bytes:
    return df.to_csv(index=False).encode()


def cross_year(report) -> list[str]:
    return [i.message(report.file_name, "en") for i in report.issues if i.key.startswith(CROSS_YEAR)]


@pytest.mark.parametrize("year", [2025, 2026])
def test_a_file_carried_through_the_crosswalk_has_no_false_cross_year_warning(writable_db, year):
    con = connect(writable_db)
    try:
        df = carried(con, year)
        report = validate_bytes(con, csv(df), f"quang_ngai_{year}.csv")
        assert report.system == "post2025" and report.errors == []
        assert cross_year(report) == []
        assert not [i for i in report.issues if i.key.startswith("risk.")] if year == 2026 else True
        before = summary(con, resolve_scope(con, "51", year - 1, "new"), year - 1)
        import_report(con, report, user="cli:lan", accept_warnings=True, db_path=writable_db)
        after = summary(con, resolve_scope(con, "51", year), year)
        # The same area both years: same households, same poor households, no change.
        assert after["households"] == before["households"]
        assert after["poor"]["count"] == before["poor"]["count"]
        assert after["poor_rate_change_pp"] == pytest.approx(0, abs=1e-9)
    finally:
        con.close()


def test_an_old_code_in_a_2026_file_names_the_new_commune(db):
    df = carried(db, 2026).head(3)
    df.loc[1, ["commune_code", "commune_name"]] = ["23353", "Xã Đắk Pék"]          # before 1 July 2025
    report = validate_bytes(db, csv(df), "mix.csv")
    old = [i for i in report.errors if i.key == "code.old_unit"]
    assert [(i.row, i.value) for i in old] == [(3, "23353")]
    assert "Xã Đăk Pék (code 23341)" in old[0].message("mix.csv", "en")
    assert "Xã Đăk Pék (mã 23341)" in old[0].message("mix.csv", "vi")


def test_a_2025_file_mixing_old_and_new_units_is_refused_with_the_rows_named(db):
    new = carried(db, 2025).head(4)
    old = db.execute("""SELECT f.commune_code, u.name AS commune_name, f.households, f.poor_households,
                               f.near_poor_households FROM commune_year f JOIN units u USING (unit_id)
                        WHERE f.year = 2024 AND f.is_current AND f.province_code = '62' ORDER BY 1 LIMIT 2""").df()
    old.insert(0, "year", 2025)
    report = validate_bytes(db, csv(pd.concat([new, old], ignore_index=True)), "mixed_2025.csv")
    assert report.system == "post2025"
    mixed = [i for i in report.errors if i.key == "system.mixed"]
    assert [i.row for i in mixed] == [6, 7]
    assert "old units" in mixed[0].message("mixed_2025.csv", "en")


def test_a_2025_file_on_the_new_units_knows_the_special_zone_of_ly_son(db):
    df = pd.DataFrame({"year": [2025], "commune_code": ["21548"], "commune_name": ["Đặc khu Lý Sơn"],
                       "households": [6000], "poor_households": [300], "near_poor_households": [200]})
    report = validate_bytes(db, csv(df), "ly_son.csv")
    assert report.system == "post2025" and report.errors == []


def test_a_2026_file_follows_the_qd51_criteria(db):
    df = carried(db, 2026).head(6).reset_index(drop=True)
    rural = df.index[df["ntm_status"].notna()]
    r0, r1, r2 = rural[:3]
    df.loc[r0, "ntm_status"] = "Nâng cao"                         # a 2021–2025 level
    df.loc[r1, "criteria_met"] = 11
    df["c11"] = None
    df.loc[r2, "c11"] = 1                                          # no TC11 under QĐ 51/2025
    df.loc[rural[3], "ntm_status"] = "NTM hiện đại"
    report = validate_bytes(db, csv(df), "qd51.csv")
    assert report.criteria_set == "QD51_2025"
    keys = {i.key: i for i in report.errors}
    assert {"status.not_in_set", "criteria.range", "criteria.column_not_in_set"} <= set(keys)
    assert "Modern NTM (pilot)" in keys["status.not_in_set"].message("qd51.csv", "en")
    assert "0 and 10" in keys["criteria.range"].message("qd51.csv", "en")
    assert not any(i.key == "status.invalid" for i in report.errors)    # "NTM hiện đại" is a status


def test_a_recognised_2026_commune_below_the_criteria_is_warned_against_ten_with_the_default_rule(db):
    df = carried(db, 2026).head(8).reset_index(drop=True)
    i = df.index[df["ntm_status"] == "standard"][0]
    df.loc[i, ["criteria_met", "c03", "c06", "c07"]] = [7, 0, 0, 0]                 # c03 is a key criterion
    report = validate_bytes(db, csv(df), "risk.csv")
    risk = [x for x in report.warnings if x.key.startswith("risk.")]
    assert len(risk) == 1 and risk[0].key == "risk.revocation"
    text = risk[0].message("risk.csv", "en")
    assert "7/10" in text and "no revocation rule for 2026–2030 is confirmed" in text
    assert "/19" not in text


def test_the_preview_of_a_2025_file_on_the_new_units_says_what_it_replaces(writable_db):
    con = connect(writable_db)
    try:
        # Put the old units' 2025 figures back in force (roll back the demo's new-unit 2025 batch) first.
        from ntm.store.batches import rollback
        batch = con.execute("SELECT batch_id FROM import_batches WHERE year = 2025 AND unit_system = 'post2025'").fetchone()[0]
        rollback(con, batch, writable_db, "cli:lan")
        report = validate_bytes(con, csv(carried(con, 2025, "22")), "quang_ninh_2025.csv")
        pv = preview(con, report)
        old = con.execute("""SELECT count(*), sum(households) FROM commune_year WHERE is_current AND year = 2025
                             AND unit_system = 'pre2025' AND province_code = '22'""").fetchone()
        assert (len(pv.replaced), int(pv.replaced["households"].sum())) == (old[0], old[1]) == (171, old[1])
    finally:
        con.close()
