"""A change of poverty standard is marked wherever a chart or a finding compares across it (docs/domain.md
§2.7): a dashed line between the two years labelled with the new standard ("unconfirmed" where its review
years are), rate lines broken there, each point's standard in its hover, a reduction across it hatched and
not judged, and findings that never say "fell by x pp" across two standards. Hand-built series for the
2020 → 2021 break (QĐ 59/2015 → NĐ 07/2021), the demo for 2025 → 2026 (NĐ 07/2021 → NĐ 351/2025)."""

from __future__ import annotations

import pandas as pd

from ntm.present import findings as F
from ntm.present.charts import CHARTS
from ntm.present.charts.frame import ChartContext
from ntm.read import poverty as P
from ntm.read.scope import resolve_scope

CTX = ChartContext("Tỉnh Thử", (2019, 2020, 2021, 2022), False)


def rates_2019_2022() -> pd.DataFrame:
    """Poor and near-poor rates of a province across the 2021 change of standard: the new, higher line
    makes the rate jump although nothing got worse."""
    rows = []
    for measure, values in (("poor", (6.0, 5.0, 9.0, 7.5)), ("near_poor", (4.0, 3.5, 6.0, 5.0)),
                            ("poor_and_near_poor", (10.0, 8.5, 15.0, 12.5))):
        for year, rate, std, prev in zip((2019, 2020, 2021, 2022), values,
                                         ("QD59_2015", "QD59_2015", "ND07_2021", "ND07_2021"),
                                         (None, "QD59_2015", "QD59_2015", "ND07_2021")):
            rows.append({"year": year, "measure": measure, "households_in_class": rate * 1000, "households": 100_000,
                         "rate_pct": rate, "change_pp": None, "poverty_standard": std, "standard_prev": prev,
                         "standard_break": year == 2021})
    return pd.DataFrame(rows)


def breaks(fig) -> list[tuple[float, str]]:
    """The dashed break lines of a figure (x, once however many panels it crosses) with the label drawn
    at the top of each."""
    lines = sorted({s.x0 for s in fig.layout.shapes if s.name == "break"})
    labels = {a.x: a.text for a in fig.layout.annotations if a.name == "break"}
    return [(x, labels.get(x, "")) for x in lines]


def test_a_trend_across_2020_2021_has_the_line_the_label_and_a_gap():
    fig = CHARTS["poverty_trend"].draw(rates_2019_2022(), CTX, "vi")
    assert breaks(fig) == [(2020.5, "Đổi chuẩn nghèo: NĐ 07/2021")]        # a confirmed standard: no [U] label
    poor = next(tr for tr in fig.data if tr.name == "Hộ nghèo")
    assert list(poor.x) == [2019, 2020, 2020.5, 2021, 2022] and poor.y[2] is None   # the line does not join them
    assert "Chuẩn nghèo: QĐ 59/2015" in poor.hovertext[1] and "Chuẩn nghèo: NĐ 07/2021" in poor.hovertext[3]
    assert any(tr.name == "Đổi chuẩn nghèo (không so sánh qua vạch)" for tr in fig.data)
    en = CHARTS["poverty_trend"].draw(rates_2019_2022(), CTX, "en")
    assert breaks(en) == [(2020.5, "New poverty standard: NĐ 07/2021")]


def test_the_trend_finding_compares_only_within_a_standard():
    vi = F.poverty_trend(rates_2019_2022(), 2022, "vi")
    assert vi.startswith("Tỷ lệ hộ nghèo giảm từ 9,00% (2021) xuống 7,50% (2022)")
    assert "trước đó theo QĐ 59/2015: 6,00% (2019) → 5,00% (2020) — hai chuẩn nghèo không so sánh trực tiếp" in vi
    assert "tăng" not in vi                       # 5% → 7.5% across the break is no rise


def test_2026_charts_of_the_demo_mark_the_new_standard_as_unconfirmed(db):
    scope = resolve_scope(db, "51", 2026, "new")
    ctx = ChartContext(scope.name, (2021, 2026), True)
    for key, series in (("poverty_trend", P.poverty_rates), ("em_poor", P.ethnic_minority_poverty),
                        ("reduction_target", P.poverty_reduction)):
        fig = CHARTS[key].draw(series(db, scope), ctx, "vi")
        assert breaks(fig) == [(2025.5, "Đổi chuẩn nghèo: NĐ 351/2025<br>[năm áp dụng chưa xác nhận]")], key
    fig = CHARTS["em_poor"].draw(P.ethnic_minority_poverty(db, scope), ctx, "vi")
    assert len([s for s in fig.layout.shapes if s.name == "break"]) == 2     # on both panels


def test_the_2026_baseline_has_no_fall_back_to_compare(db):
    """2026, the baseline under NĐ 351/2025, reports no flows: the fall-back series ends with 2025 and its
    finding for 2026 says why instead of 'no figures'."""
    df = P.fallback_share(db, resolve_scope(db, "51", 2026, "new"))
    assert df["year"].max() == 2025
    vi, en = F.fallback(df, 2026, "vi"), F.fallback(df, 2026, "en")
    assert vi.startswith("Năm 2026 là lần rà soát đầu tiên theo NĐ 351/2025 [năm áp dụng chưa xác nhận]")
    assert "không so sánh qua hai chuẩn nghèo" in vi and "Chưa có số liệu" not in vi
    assert en.startswith("2026 is the first review under NĐ 351/2025 [years applied unconfirmed]")


def test_a_reduction_across_the_break_is_hatched_and_not_judged(db):
    df = P.poverty_reduction(db, resolve_scope(db, "51", 2026, "new"))
    fig = CHARTS["reduction_target"].draw(df, ChartContext("Tỉnh Quảng Ngãi", (2022, 2026), True), "vi")
    bar = next(tr for tr in fig.data if tr.type == "bar" and list(tr.x) == [2026])
    assert bar.name == "Không đối chiếu mục tiêu (khác chuẩn nghèo)" and bar.marker.pattern.shape == "/"
    assert "Chuẩn nghèo: NĐ 351/2025 [năm áp dụng chưa xác nhận]" in bar.hovertext[0]
    text = F.reduction_target(df, 2026, "vi")
    assert "không đối chiếu với mục tiêu 1–1,5 điểm %" in text and "theo NĐ 07/2021" in text
    assert "giảm 0," not in text and "đạt mục tiêu" not in text


def test_the_first_review_under_a_new_standard_says_where_its_flows_start(db):
    """The demo's 2026 is the baseline under NĐ 351/2025 (no flows): the chart shows the two stocks, each
    under its standard, with the line between them and no flow bars; chart and finding say it is a
    baseline, with no '–' for flows it does not have."""
    df = P.poverty_flows(db, resolve_scope(db, "51", 2026, "new"))
    fig = CHARTS["poverty_waterfall"].draw(df, ChartContext("Tỉnh Quảng Ngãi", (2026,), True), "vi", year=2026)
    ticks = list(fig.layout.xaxis.categoryarray)
    assert ticks == ["Hộ nghèo đầu năm<br>(theo NĐ 07/2021)", "Hộ nghèo cuối năm<br>(theo NĐ 351/2025)"]
    assert [x for x, _ in breaks(fig)] == [0.5]
    row = df.set_index("year").loc[2026]
    assert [list(tr.y) for tr in fig.data] == [[row["poor_start"]], [row["poor_end"]]]
    assert row["poor_end"] > row["poor_start"]              # the higher line finds more poor households
    assert "Số liệu đầu kỳ theo chuẩn mới" in fig.layout.title.subtitle.text.replace("<br>", " ")
    text = F.poverty_waterfall(df, 2026, "vi")
    assert "lần rà soát đầu tiên theo NĐ 351/2025 [năm áp dụng chưa xác nhận], số liệu đầu kỳ" in text
    assert "không tính hộ thoát nghèo, tái nghèo, phát sinh qua hai chuẩn nghèo" in text and "–" not in text
    assert CHARTS["poverty_waterfall"].tone(df, 2026) == "neutral"        # nothing to judge across two standards
    # A year under one standard keeps the plain labels.
    fig25 = CHARTS["poverty_waterfall"].draw(df, ChartContext("Tỉnh Quảng Ngãi", (2025,), True), "vi", year=2025)
    assert list(fig25.layout.xaxis.categoryarray)[0] == "Hộ nghèo đầu năm" and breaks(fig25) == []


def test_a_2026_review_that_reports_flows_still_draws_them_across_the_break(db):
    """A province whose 2026 file reports flows (accepted, checked as any year) gets its flow bars, the two
    stocks named under their standards, and a finding that says the flows include the change of standard."""
    df = P.poverty_flows(db, resolve_scope(db, "51", 2026, "new")).set_index("year")
    start, end = int(df.at[2026, "poor_start"]), int(df.at[2026, "poor_end"])
    df.loc[2026, ["escaped", "fell_back", "newly_poor", "expected_end", "gap"]] = [3000, 20, end - start + 2980, end, 0]
    df = df.reset_index()
    fig = CHARTS["poverty_waterfall"].draw(df, ChartContext("Tỉnh Quảng Ngãi", (2026,), True), "vi", year=2026)
    ticks = list(fig.layout.xaxis.categoryarray)
    assert ticks[0].endswith("(theo NĐ 07/2021)") and ticks[-1].endswith("(theo NĐ 351/2025)") and len(ticks) == 6
    assert "Số liệu đầu kỳ" not in fig.layout.title.subtitle.text.replace("<br>", " ")
    text = F.poverty_waterfall(df, 2026, "vi")
    assert text.startswith("Năm 2026: 3.000 hộ thoát nghèo") and "gồm cả thay đổi do đổi chuẩn nghèo" in text


def test_a_ranking_across_the_break_says_so(db):
    df = P.district_ranking(db, resolve_scope(db, "51", 2026, "new"), 2021, 2026)
    fig = CHARTS["district_ranking"].draw(df, ChartContext("Tỉnh Quảng Ngãi", (2021, 2026), True), "vi")
    assert "Đổi chuẩn nghèo giữa 2021 và 2026: NĐ 07/2021 → NĐ 351/2025" in fig.layout.title.subtitle.text.replace("<br>", " ")
    assert "Qua lần đổi chuẩn nghèo năm 2026 (NĐ 07/2021 → NĐ 351/2025)" in F.district_ranking(df, "vi")
    within = P.district_ranking(db, resolve_scope(db, "51", 2025, "new"), 2021, 2025)
    assert "đổi chuẩn" not in F.district_ranking(within, "vi").lower()
