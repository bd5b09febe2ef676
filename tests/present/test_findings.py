"""ntm.findings: one sentence per slide from small hand-built frames (the shapes ntm.series returns),
in Vietnamese (numbers 1.234,5; 'điểm %') and English, including the empty and edge cases."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from ntm.present import findings as F
from ntm.text import fmt_band, fmt_pp, fmt_short

NaN = math.nan


def reduction_frame(prev: float, now: float, lo=1.0, hi=1.5, year: int = 2022, subset: str = "all",
                    measure: str = "poor") -> pd.DataFrame:
    return pd.DataFrame({
        "year": [year - 1, year], "rate_pct": [prev, now], "rate_prev_pct": [NaN, prev],
        "reduction_pp": [NaN, prev - now], "target_min": [NaN, lo], "target_max": [NaN, hi],
        "status": ["no_data", "met"],                     # the sentence judges by the band, not this column
        "measure": [measure, measure], "subset": [subset, subset]})


# ---------------------------------------------------------------------------------------------
# Poverty reduction against the target band

def test_reduction_beating_the_band_kon_tum_2022():
    df = reduction_frame(15.320035, 10.859984)
    assert F.reduction_target(df, 2022, "vi") == (
        "Năm 2022 tỷ lệ hộ nghèo giảm 4,46 điểm % (15,32% → 10,86%), vượt mục tiêu 1–1,5 điểm %.")
    assert F.reduction_target(df, 2022, "en") == (
        "In 2022 the poor rate fell by 4.46 pp (15.32% → 10.86%), beating the target of 1–1.5 pp.")


@pytest.mark.parametrize("prev, now, verdict_vi, verdict_en", [
    (3.0, 2.1, "không đạt mục tiêu 1–1,5 điểm %", "missing the target of 1–1.5 pp"),
    (5.0, 3.6, "đạt mục tiêu 1–1,5 điểm %", "meeting the target of 1–1.5 pp"),
    (5.0, 3.5, "đạt mục tiêu 1–1,5 điểm %", "meeting the target of 1–1.5 pp"),   # the upper bound is met, not beaten
])
def test_reduction_verdicts(prev, now, verdict_vi, verdict_en):
    df = reduction_frame(prev, now, year=2024)
    assert F.reduction_target(df, 2024, "vi").endswith(verdict_vi + ".")
    assert F.reduction_target(df, 2024, "en").endswith(verdict_en + ".")


def test_reduction_rise_open_band_poor_districts_and_em():
    rise = reduction_frame(4.0, 4.5, year=2023)
    assert F.reduction_target(rise, 2023, "vi") == (
        "Năm 2023 tỷ lệ hộ nghèo tăng 0,50 điểm % (4,00% → 4,50%), không đạt mục tiêu 1–1,5 điểm %.")
    em = reduction_frame(20.6, 14.6, lo=3.0, hi=NaN, year=2022, measure="em_poor")
    assert F.reduction_target(em, 2022, "vi") == (
        "Năm 2022 tỷ lệ hộ nghèo DTTS giảm 6,00 điểm % (20,60% → 14,60%), đạt mục tiêu ≥ 3 điểm %.")
    pd_ = reduction_frame(40.0, 35.5, lo=4.0, hi=5.0, subset="poor_districts")
    assert "tỷ lệ hộ nghèo ở các huyện nghèo giảm 4,50 điểm %" in F.reduction_target(pd_, 2022, "vi")
    assert "đạt mục tiêu 4–5 điểm %" in F.reduction_target(pd_, 2022, "vi")


def test_reduction_without_target_or_previous_year():
    df = reduction_frame(10.0, 8.0, lo=NaN, hi=NaN)
    assert F.reduction_target(df, 2022, "vi").endswith("chưa có mục tiêu để so sánh.")
    assert F.reduction_target(df, 2021, "vi") == "Chưa có số liệu năm 2020 để tính mức giảm năm 2021."
    assert F.reduction_target(df, 2030, "en") == "No figures for 2030."


def test_band_and_short_numbers():
    assert fmt_band(1.0, 1.5, "vi") == "1–1,5 điểm %"
    assert fmt_band(4, 5, "en") == "4–5 pp"
    assert fmt_band(3, None, "vi") == "≥ 3 điểm %"
    assert fmt_short(1234.5, "vi") == "1.234,5"
    assert fmt_pp(-4.4601, "vi", sign="") == "4,46 điểm %"


# ---------------------------------------------------------------------------------------------
# NTM

def status_frame() -> pd.DataFrame:
    rows = []
    for year, counts in ((2023, {"none": 43, "standard": 38, "advanced": 3, "model": 1}),
                         (2024, {"none": 37, "standard": 42, "advanced": 5, "model": 1})):
        for status, n in counts.items():
            rows.append({"year": year, "status": status, "communes": n, "rural_communes": 85})
    return pd.DataFrame(rows)


def test_ntm_status():
    """Each level is counted with those above it, as the targets count it ("40% advanced" includes model)."""
    assert F.ntm_status(status_frame(), 2024, "vi") == (
        "Năm 2024: 48/85 xã đạt chuẩn NTM (56,5%), tăng 6 xã so với 2023; trong đó 6 xã đạt NTM nâng cao trở lên, "
        "1 xã NTM kiểu mẫu.")
    assert F.ntm_status(status_frame(), 2023, "en") == (
        "2023: 42 of 85 communes recognised NTM (49.4%); of which 4 Advanced NTM or above, 1 Model NTM.")
    assert F.ntm_status(status_frame().iloc[0:0], 2024, "vi") == "Chưa có số liệu năm 2024."


def test_ntm_status_in_the_first_year_of_the_new_criteria_set():
    """2026 speaks of its own ladder (NTM hiện đại, not nâng cao / kiểu mẫu), says the set changed and —
    recognition starting anew under it (an unconfirmed rule, docs/domain.md §1.9) — does not compare its
    recognitions with 2025's."""
    frame = pd.DataFrame(
        [{"year": 2025, "status": s, "communes": n, "rural_communes": 86, "criteria_set": "QD318_2022"}
         for s, n in {"none": 41, "standard": 44, "advanced": 1, "model": 0}.items()]
        + [{"year": 2026, "status": s, "communes": n, "rural_communes": 86, "criteria_set": "QD51_2025"}
           for s, n in {"none": 77, "standard": 8, "modern": 1}.items()])
    text = F.ntm_status(frame, 2026, "vi")
    assert text.startswith("Năm 2026: 9/86 xã đạt chuẩn NTM (10,5%); trong đó 1 xã NTM hiện đại (thí điểm).")
    assert "nâng cao" not in text and "QĐ 51/2025" in text and "giảm" not in text
    assert text.endswith("được tính lại từ đầu (quy tắc chưa xác nhận), không so sánh với 45 xã đạt chuẩn năm 2025 "
                         "theo bộ tiêu chí cũ.")
    en = F.ntm_status(frame, 2026, "en")
    assert "starts anew (unconfirmed rule)" in en and "fewer" not in en


def test_movements_name_the_revoked_and_downgraded():
    df = pd.DataFrame({"year_from": 2023, "year_to": 2024,
                       "movement": ["up", "same", "revoked", "down", "down"],
                       "communes": [43, 300, 1, 1, 1],
                       "names": ["A; B; …", "C", "Xã Mỹ Tân", "Xã Hành Trung", "Xã Khác"]})
    # "up" is any move up a level (none → standard, standard → advanced…): worded so, not "reached NTM"
    assert F.movements(df, "vi") == ("2023 → 2024: 43 xã lên mức cao hơn, 2 xã xuống mức thấp hơn (Xã Hành Trung, "
                                     "Xã Khác), 1 xã bị thu hồi công nhận (Xã Mỹ Tân).")
    assert F.movements(df[df.movement.isin(["up", "same"])], "en") == (
        "2023 → 2024: 43 communes moved up a level, 0 moved down a level, 0 lost recognition.")


def test_movements_into_a_new_criteria_set_say_only_recognition_compares():
    df = pd.DataFrame({"year_from": 2025, "year_to": 2026, "movement": ["same", "reset"], "communes": [44, 2],
                       "names": ["A", "B; C"]})
    text = F.movements(df, "vi")
    assert "0 xã bị thu hồi" in text and "QĐ 51/2025" in text and "không so sánh mức" in text
    assert "2 xã đã đạt chuẩn giai đoạn trước chưa được công nhận lại" in text


def test_at_risk_names_the_shared_key_criterion():
    df = pd.DataFrame({"commune_name": ["Xã Ia Chim", "Xã Đăk Pék", "Xã Đăk Môn"],
                       "failed_key_criteria": ["TC17 Môi trường", "TC10 Thu nhập; TC17 Môi trường", "TC10 Thu nhập; TC17 Môi trường"]})
    assert F.at_risk(df, 2024, "vi") == ("3 xã đã đạt chuẩn có nguy cơ bị thu hồi công nhận NTM năm 2024; 3/3 xã không đạt "
                                         "tiêu chí then chốt TC17 Môi trường.")
    assert F.at_risk(df.iloc[0:0], 2022, "en") == "In 2022 no commune is at risk of losing NTM recognition."


def test_targets_due_missed_and_later():
    df = pd.DataFrame({
        "year": [2024, 2024, 2024, 2025],
        "status": ["met", "not_met", "not_met", "pending"],
        "target": ["Huyện đạt chuẩn NTM", "Tỷ lệ xã NTM duy trì đủ 19 tiêu chí", "Giảm tỷ lệ hộ nghèo", "Tỷ lệ xã đạt chuẩn"],
        "progress_pct": [100.0, 87.5, 90.0, 70.0],
        "actual_display": ["Đạt chuẩn NTM", "87,5%", "0,90 điểm %", "56,5%"],
        "target_display": ["Đạt chuẩn NTM", "100,0%", "1,0–1,5 điểm %", "80,0%"]})
    assert F.targets(df, 2024, "vi") == ("3 mục tiêu đến hạn năm 2024: đạt 1, không đạt 2 (xa nhất: Tỷ lệ xã NTM duy trì "
                                         "đủ 19 tiêu chí, 87,5% so với 100,0%); 1 mục tiêu đến hạn sau.")
    assert F.targets(df[df.year == 2025], 2024, "en") == "No target falls due in 2024; 1 due later."
    assert F.targets(df.iloc[:1], 2024, "en") == "1 target due in 2024: 1 met, 0 not met."
    assert F.targets(df.iloc[0:0], 2024, "vi") == "Chưa có mục tiêu nào cho địa bàn này."


def test_criteria_departments():
    df = pd.DataFrame({
        "commune_code": ["1", "1", "2", "2", "3"],
        "criterion": ["c10", "c13", "c10", "c02", "c10"],
        "criterion_name": ["TC10 Thu nhập", "TC13 Tổ chức sản xuất", "TC10 Thu nhập", "TC2 Giao thông", "TC10 Thu nhập"],
        "department": ["Sở NN", "Sở NN", "Sở NN", "Sở GTVT", "Sở NN"],
        "met": pd.array([False, False, False, False, True], dtype="boolean")})
    assert F.criteria_departments(df, 2024, "vi") == (
        "Sở NN phụ trách nhiều tiêu chí chưa đạt nhất: 3 lượt ở 2 xã (nhiều nhất TC10 Thu nhập: 2 xã).")
    assert F.criteria_departments(df.assign(met=True), 2024, "en") == "In 2024 every commune meets all its criteria."


# ---------------------------------------------------------------------------------------------
# Poverty

def test_waterfall_flows_and_unexplained_gap():
    df = pd.DataFrame({"year": [2022], "poor_start": [21989.0], "escaped": [6782.0], "fell_back": [13.0],
                       "newly_poor": [594.0], "poor_end": [15943.0], "gap": [129.0], "balanced": [True]})
    assert F.poverty_waterfall(df, 2022, "vi") == (
        "Năm 2022: 6.782 hộ thoát nghèo, 13 hộ tái nghèo, 594 hộ nghèo phát sinh; số hộ nghèo giảm từ 21.989 xuống 15.943 hộ.")
    off = df.assign(balanced=False, gap=-400.0)
    assert F.poverty_waterfall(off, 2022, "en").endswith("Unexplained gap: −400 households.")
    assert F.poverty_waterfall(df.assign(poor_start=NaN), 2022, "vi") == "Chưa có số liệu năm 2022."


def test_trend_from_first_year():
    df = pd.DataFrame({"year": [2021, 2022, 2021, 2022], "measure": ["poor", "poor", "near_poor", "near_poor"],
                       "rate_pct": [15.32, 10.86, 5.9, 6.03]})
    assert F.poverty_trend(df, 2022, "vi") == (
        "Tỷ lệ hộ nghèo giảm từ 15,32% (2021) xuống 10,86% (2022); tỷ lệ hộ cận nghèo 6,03% năm 2022.")
    assert F.poverty_trend(df, 2021, "en") == "2021: poor rate 15.32%, near-poor rate 5.90%."


def test_mountainous_against_others_and_all_mountainous():
    both = pd.DataFrame({"year": [2024, 2024], "terrain": ["mountainous", "other"], "measure": ["poor", "poor"],
                         "rate_pct": [11.82, 1.42], "change_pp": [-2.0, -0.5]})
    assert F.mountainous(both, 2024, "vi") == (
        "Năm 2024 tỷ lệ hộ nghèo ở huyện miền núi là 11,82%, cao hơn 10,40 điểm % so với các huyện khác (1,42%).")
    only = both.iloc[:1]
    assert F.mountainous(only, 2024, "en") == "The whole area is mountainous: poor rate 11.82% in 2024, down 2.00 pp on 2023."


def test_ranking_best_worst_and_rise():
    df = pd.DataFrame({"district_name": ["Huyện A", "Huyện B", "Huyện C"], "reduction_pp": [29.99, 3.58, -0.2],
                       "year_from": 2021, "year_to": 2024})
    assert F.district_ranking(df, "vi") == ("2021–2024: Huyện A giảm nhiều nhất (29,99 điểm %), Huyện C tăng (0,20 điểm %); "
                                            "2/3 huyện giảm tỷ lệ hộ nghèo.")
    assert F.district_ranking(df.iloc[:2], "en").startswith("2021–2024: Huyện A cut the poor rate most (29.99 pp), Huyện B least")


def test_fallback_share_with_previous_year():
    df = pd.DataFrame({"year": [2023, 2024], "fell_back": [20.0, 13.0], "escaped": [6154.0, 3349.0],
                       "newly_poor": [415.0, 266.0], "fallback_share_pct": [0.324992, 0.388176]})
    assert F.fallback(df, 2024, "vi") == (
        "Năm 2024 có 13 hộ tái nghèo, bằng 0,39% số hộ thoát nghèo (3.349 hộ); năm 2023: 0,32%.")
    one = pd.DataFrame({"year": [2024], "fell_back": [1.0], "escaped": [0.0], "newly_poor": [0.0],
                        "fallback_share_pct": [NaN]})
    assert F.fallback(one, 2024, "en") == "In 2024 no household escaped poverty; 1 fell back."


def test_overview_and_map():
    s = {"year": 2024, "has_data": True, "poor": {"percent": 4.7}, "poor_rate_change_pp": -2.1399,
         "ntm": {"rural_communes": 85, "recognised": 48, "at_risk": 4}}
    assert F.overview(s, "vi") == ("Năm 2024: tỷ lệ hộ nghèo 4,70%, giảm 2,14 điểm % so với 2023; 48/85 xã đạt chuẩn NTM "
                                   "(56,5%); 4 xã có nguy cơ bị thu hồi công nhận.")
    assert F.overview({"year": 2030, "has_data": False}, "en") == "No figures for 2030."
    table = pd.DataFrame({"name": ["Huyện Ia H'Drai", "Thành phố Kon Tum", "X"], "value": [13.45, 1.85, NaN],
                          "value_text": ["13,45%", "1,85%", "Không có số liệu"]})
    assert F.map_extremes(table, "Tỷ lệ hộ nghèo", 2024, "vi") == (
        "Tỷ lệ hộ nghèo năm 2024: cao nhất Huyện Ia H'Drai (13,45%), thấp nhất Thành phố Kon Tum (1,85%).")
