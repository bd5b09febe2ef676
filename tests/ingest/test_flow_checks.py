"""The poverty flows of a yearly file as an analyst checks them (docs/domain.md §2.4, §6.7): no more
households escape poverty than were poor at the start of the year (last year's end, through the
crosswalk), the households that became poor during the year are on the end-of-year list, and the balance
holds within its tolerance. Each failure names the commune, the row and the columns; the impossible ones
stop the import; the demo's figures in force pass them all."""

from __future__ import annotations

import pytest

from ntm.domain.columns import BY_NAME
from ntm.errors import ImportRefused
from ntm.ingest.yearly import import_report, validate_bytes
from tests.ingest.test_yearly import kon_tum_rows, to_csv
from tests.ingest.test_yearly_reform import carried, csv

ESCAPED, POOR = BY_NAME["escaped_poverty"].header_vi, BY_NAME["poor_households"].header_vi


def poor_at_end_of(db, year: int, code: str) -> int:
    return db.execute("SELECT poor_households FROM commune_year WHERE is_current AND year = ? AND commune_code = ?",
                      [year, code]).fetchone()[0]


def a_commune_with_poor(db, df, least: int = 10) -> int:
    """The index of the first commune of a Kon Tum 2024 file with at least `least` poor at the start."""
    return next(i for i, code in df["commune_code"].items() if poor_at_end_of(db, 2023, code) >= least)


def test_more_escaping_than_were_poor_at_the_start_is_refused_with_commune_row_and_columns(db):
    df = kon_tum_rows(db)
    i = a_commune_with_poor(db, df)
    code, name = df.loc[i, "commune_code"], df.loc[i, "commune_name"]
    start = poor_at_end_of(db, 2023, code)
    df.loc[i, ["escaped_poverty", "fell_back_into_poverty", "newly_poor", "near_poor_to_poor", "poor_households"]] = [
        start + 3, 0, 0, 0, 0]
    report = validate_bytes(db, to_csv(df), "f.csv")
    [error] = [e for e in report.errors if e.key == "flow.escaped_gt_start"]
    assert (error.row, error.column, error.value) == (i + 2, ESCAPED, str(start + 3))
    vi, en = error.message("f.csv", "vi"), error.message("f.csv", "en")
    assert f"{name} (mã {code})" in vi and f"({start}: số hộ nghèo cuối năm 2023 của xã)" in vi
    assert f"{name} (code {code})" in en and f"“{ESCAPED}”" in en and "Correct" in en
    # The impossible row is said once, as what it is, not again as an imbalance.
    assert not [w for w in report.warnings if w.row == i + 2 and w.key.startswith("flow.")]
    with pytest.raises(ImportRefused) as refused:
        import_report(db, report, user="cli:lan", accept_warnings=True)
    assert refused.value.key == "import.has_errors"


def test_poor_at_the_end_below_the_households_that_became_poor_is_refused(db):
    """Quảng Ninh's case: 0 poor households at the end of the year with 3 fallen back and 40 newly poor."""
    df = kon_tum_rows(db)
    i = a_commune_with_poor(db, df, least=50)
    df.loc[i, ["escaped_poverty", "fell_back_into_poverty", "newly_poor", "near_poor_to_poor", "poor_households"]] = [
        poor_at_end_of(db, 2023, df.loc[i, "commune_code"]), 3, 40, 0, 0]
    report = validate_bytes(db, to_csv(df), "f.csv")
    [error] = [e for e in report.errors if e.key == "flow.inflows_gt_end"]
    assert (error.row, error.column, error.value) == (i + 2, POOR, "0")
    text = error.message("f.csv", "en")
    assert "ends with 0 poor households" in text and "43 households became poor" in text
    assert "3 fell back + 40 newly poor + 0 near-poor became poor" in text
    assert f"“{BY_NAME['fell_back_into_poverty'].header_vi}”, “{BY_NAME['newly_poor'].header_vi}”" in text


def test_a_small_imbalance_stays_a_warning_naming_the_commune(db):
    df = kon_tum_rows(db)
    i = a_commune_with_poor(db, df)
    df.loc[i, "poor_households"] = int(df.loc[i, "poor_households"]) + 40
    report = validate_bytes(db, to_csv(df), "f.csv")
    [warning] = [w for w in report.warnings if w.key == "flow.imbalance"]
    assert warning.row == i + 2 and report.ok
    assert f"(mã {df.loc[i, 'commune_code']})" in warning.message("f.csv", "vi")


def test_across_a_split_commune_more_escaping_than_the_estimated_start_is_a_warning(db):
    """Last year's poor of a new commune that took in part of a split old commune is an estimate: the
    same impossibility is a warning that says the comparison is approximate."""
    code = db.execute("""SELECT commune_code FROM figures_new WHERE year = 2024 AND approximate AND province_code = '38'
                         AND poor_households >= 10 ORDER BY commune_code LIMIT 1""").fetchone()[0]
    start = db.execute("SELECT poor_households FROM figures_new WHERE year = 2024 AND commune_code = ?", [code]).fetchone()[0]
    df = carried(db, 2025, "38")
    df = df[df["commune_code"] == code].reset_index(drop=True)
    df.loc[0, ["escaped_poverty", "poor_households"]] = [start + 2, 0]
    report = validate_bytes(db, csv(df), "f.csv")
    [warning] = [w for w in report.warnings if w.key.startswith("flow.")]
    assert (warning.key, warning.row, warning.column) == ("flow.escaped_gt_start_approx", 2, "escaped_poverty")
    assert "an approximate comparison" in warning.message("f.csv", "en")
    assert not [e for e in report.errors if e.key.startswith("flow.")]


def test_a_commune_merged_during_the_year_starts_from_its_predecessors_poor(db):
    """Xã Xuân Lộc (15736, Thanh Hóa) was formed on 1/12/2024 from Xuân Thịnh (the old 15736) and 15739:
    its 2024 start is both predecessors' 2023 poor households, not the old code's alone."""
    start = db.execute("""SELECT sum(poor_households) FROM commune_year WHERE is_current AND year = 2023
                          AND commune_code IN ('15736', '15739')""").fetchone()[0]
    row = db.execute("""SELECT f.*, u.name AS commune_name FROM commune_year f JOIN units u USING (unit_id)
                        WHERE f.is_current AND f.year = 2024 AND f.commune_code = '15736'""").df()
    df = row[["year", "commune_code", "commune_name", "households", "poor_households", "near_poor_households"]].copy()
    df["escaped_poverty"], df["fell_back_into_poverty"], df["newly_poor"] = start, 0, 0
    df["poor_households"] = 0
    assert not [i for i in validate_bytes(db, csv(df), "f.csv").issues if i.key.startswith("flow.")]
    df["escaped_poverty"] = start + 1
    [error] = [e for e in validate_bytes(db, csv(df), "f.csv").errors if e.key == "flow.escaped_gt_start"]
    assert f"({start}: the commune's poor households at the end of 2023)" in error.message("f.csv", "en")


def test_the_figures_in_force_of_every_demo_province_and_year_pass_the_flow_checks(db):
    """The round trip of the demo's figures in force imports: every demo row satisfies the flow identity
    and its bounds exactly."""
    combos = db.execute("""SELECT DISTINCT year, province_code, unit_system FROM commune_year WHERE is_current
                           ORDER BY ALL""").fetchall()
    failing = {}
    for year, province, system in combos:
        rows = db.execute("""SELECT f.*, u.name AS commune_name FROM commune_year f JOIN units u USING (unit_id)
                             WHERE f.is_current AND f.year = ? AND f.province_code = ? AND f.unit_system = ?
                             ORDER BY f.commune_code""", [year, province, system]).df()
        df = rows[[c for c in kon_tum_rows(db).columns if c in rows]].copy()
        for c in [c for c in df.columns if c.startswith("c") and c[1:].isdigit()]:
            df[c] = df[c].map({True: 1, False: 0})
        report = validate_bytes(db, to_csv(df), f"{province}_{year}.csv")
        found = sorted({i.key for i in report.issues if i.key.startswith("flow.")} | {i.key for i in report.errors})
        if found:
            failing[(year, province)] = found
    assert failing == {}
