"""A province's own poverty standard (DOMAIN §2.6: Quảng Ninh, NQ 13/2023/NQ-HĐND, 2.1 / 2.6 million VND
for 2023–2025) is recorded per file, checked against its province and years, asked about when a
file of that province does not say, and named under every chart that compares poverty rates."""

from __future__ import annotations

from ntm.domain.columns import BY_NAME, COLUMNS
from ntm.domain.rules import CRITERIA
from ntm.ingest.yearly import import_report, validate_bytes
from ntm.present import labels
from ntm.present.charts import CHARTS
from ntm.present.charts.frame import ChartContext, source_text
from ntm.read.poverty import local_standards_used
from ntm.read.scope import resolve_scope

LOCAL = "QN_NQ13_2023"


def province_rows(con, province: str, year: int, standard: str | None, system: str = "pre2025") -> bytes:
    """The figures in force for a province (of `system`) in a year as an upload (Vietnamese headers), with
    or without a poverty-standard column."""
    cols = [c.name for c in COLUMNS if c.name not in ("commune_name", "district_name", "province_name",
                                                      "poverty_standard")]
    df = con.execute("""SELECT f.* FROM commune_year f WHERE f.is_current AND f.year = ? AND f.province_code = ?
                        AND f.unit_system = ? ORDER BY f.commune_code""", [year, province, system]).df()[cols]
    for c in CRITERIA:
        df[c] = df[c].map({True: 1, False: 0})
    if standard is not None:
        df["poverty_standard"] = standard
    df.columns = [BY_NAME[c].header_vi for c in df.columns]
    return df.to_csv(index=False).encode()


def keys(report, severity: str) -> set[str]:
    return {i.key for i in report.issues if i.severity == severity}


def test_a_quang_ninh_file_without_a_standard_is_asked_which_one(db):
    report = validate_bytes(db, province_rows(db, "22", 2023, None), "quangninh_2023.csv")
    assert "poverty_standard.local_available" in keys(report, "warning")
    text = next(i.message(report.file_name, "vi") for i in report.warnings if i.key == "poverty_standard.local_available")
    assert "NQ 13/2023/NQ-HĐND tỉnh Quảng Ninh" in text and "NĐ 07/2021/NĐ-CP" in text
    assert "QN_NQ13_2023" not in text and "ND07_2021" not in text          # documents by name, not codes
    assert "quangninh_2023.csv" in text
    assert set(report.rows["poverty_standard"]) == {"ND07_2021"}          # recorded as national until told


def test_the_standard_is_checked_against_province_and_years(db):
    ok = validate_bytes(db, province_rows(db, "22", 2023, "qn_nq13_2023"), "qn.csv")
    assert not ok.errors and set(ok.rows["poverty_standard"]) == {LOCAL}
    assert "poverty_standard.local_available" not in keys(ok, "warning")
    wrong_province = validate_bytes(db, province_rows(db, "62", 2023, LOCAL), "kontum.csv")
    assert keys(wrong_province, "error") == {"poverty_standard.other_province"}
    wrong_year = validate_bytes(db, province_rows(db, "22", 2022, LOCAL), "qn_2022.csv")
    assert "poverty_standard.year" in keys(wrong_year, "error")
    unknown = validate_bytes(db, province_rows(db, "22", 2023, "chuẩn riêng"), "qn.csv")
    assert "poverty_standard.invalid" in keys(unknown, "error")


def test_a_standard_belongs_to_a_province_of_one_unit_system(db, monkeypatch):
    """The reform reused codes: the new Quảng Ngãi (51) took in Kon Tum. A standard of the old Quảng
    Ngãi (51 before 1 July 2025) is not the new province's — its 2025 file is neither asked about it nor
    allowed to use it — while the old province's 2024 file is."""
    import pandas as pd

    import ntm.domain.periods as periods
    import ntm.ingest.systems as systems
    import ntm.ingest.validation as validation

    real = periods.poverty_standards()
    old_only = {**real.iloc[-1].to_dict(), "poverty_standard": "QNG_OLD", "province_pre2025": "51",
                "province_post2025": "", "first_year": 2024, "last_year": 2025,
                "decision": "NQ 99/2024/NQ-HĐND tỉnh Quảng Ngãi", "short_name": "NQ 99/2024 Quảng Ngãi"}
    table = pd.concat([real, pd.DataFrame([old_only])], ignore_index=True)
    for module in (periods, systems, validation, labels):
        monkeypatch.setattr(module, "poverty_standards", lambda: table.copy())
    old = validate_bytes(db, province_rows(db, "51", 2024, None), "quangngai_2024.csv")
    assert any(i.key == "poverty_standard.local_available" and "NQ 99/2024/NQ-HĐND" in i.message(old.file_name)
               for i in old.warnings)
    new = validate_bytes(db, province_rows(db, "51", 2025, None, "post2025"), "quangngai_2025.csv")
    assert new.system == "post2025" and "poverty_standard.local_available" not in keys(new, "warning")
    claimed = validate_bytes(db, province_rows(db, "51", 2025, "QNG_OLD", "post2025"), "quangngai_2025.csv")
    assert keys(claimed, "error") == {"poverty_standard.other_system"}
    said = next(i for i in claimed.errors).message(claimed.file_name)
    assert "tỉnh mã 51 theo đơn vị hành chính cũ (trước 1/7/2025" in said and "NĐ 07/2021/NĐ-CP" in said


def test_rates_compared_across_provinces_name_the_local_standard(wcon, writable_db):
    report = validate_bytes(wcon, province_rows(wcon, "22", 2023, LOCAL), "qn_2023.csv")
    import_report(wcon, report, user="cli:lan", accept_warnings=True, db_path=writable_db)
    nation = resolve_scope(wcon, None, 2023, "old")
    used = local_standards_used(wcon, nation, [2022, 2023, 2024])
    assert used[["province_code", "year", "poverty_standard"]].values.tolist() == [["22", 2023, LOCAL]]
    vi, en = labels.standards_note(used, "vi"), labels.standards_note(used, "en")
    assert "Tỉnh Quảng Ninh 2023" in vi and "2,1 / 2,6 triệu đồng" in vi and "NQ 13/2023/NQ-HĐND" in vi
    assert "VND 2.1 / 2.6 million" in en
    ctx = ChartContext("Toàn quốc", (2023,), True, note=vi)
    assert "NQ 13/2023/NQ-HĐND" in source_text(ctx, "vi")
    assert CHARTS["poverty_trend"].rates and CHARTS["district_ranking"].rates and not CHARTS["ntm_status"].rates
    # A scope without the province's figures has nothing to say.
    assert labels.standards_note(local_standards_used(wcon, resolve_scope(wcon, "62", 2023, "old"), None), "vi") == ""
