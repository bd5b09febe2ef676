"""The meeting pack of 2026 carries the change of poverty standard (docs/domain.md §2.7): the real PPTX,
opened with python-pptx, says on its poverty slides and in its targets table that 2025 and 2026 follow
different standards (NĐ 07/2021 → NĐ 351/2025, the latter "unconfirmed" for the review of 2026), and
never calls the 2026 reduction met or missed, and says that 2026 is the baseline review under the new
standard (no flows) where 2025 had its flows; a 2025 pack says nothing of it."""

from __future__ import annotations

import pytest
from pptx import Presentation

from ntm.export import images as E
from ntm.export import pack as P
from ntm.read.scope import resolve_scope
from ntm.store.connection import connect

SECTIONS = "overview,targets,poverty_waterfall,poverty_trend,reduction_target,fallback,sources"
MARK = "Đổi chuẩn nghèo giữa 2025 và 2026: NĐ 07/2021 → NĐ 351/2025 [năm áp dụng chưa xác nhận]"


@pytest.fixture(scope="module")
def packs(demo_db_path, tmp_path_factory):
    """The Vietnamese packs of Quảng Ngãi for 2026 and 2025 (poverty sections, targets, overview)."""
    con = connect(demo_db_path, read_only=True)
    out = tmp_path_factory.mktemp("pack")
    with E.kaleido_session():
        made = {year: Presentation(P.build_pack(con, resolve_scope(con, "51", year), year, SECTIONS, "vi",
                                                out_path=out / f"quang_ngai_{year}.pptx")) for year in (2025, 2026)}
    con.close()
    return made


def slide_text(prs, key: str) -> str:
    """Every text of a section's (first) slide: finding, caption, footer notes and table cells."""
    slide = next(s for s in prs.slides if s.name == key)
    parts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
    parts += [c.text for s in slide.shapes if s.has_table for row in s.table.rows for c in row.cells]
    return "\n".join(parts)


def footer(prs, key: str) -> str:
    slide = next(s for s in prs.slides if s.name == key)
    return next(s for s in slide.shapes if s.name == "Footer").text_frame.text


@pytest.mark.parametrize("key", ["poverty_trend", "reduction_target", "poverty_waterfall", "overview"])
def test_every_poverty_slide_of_2026_carries_the_mark(packs, key):
    assert MARK in footer(packs[2026], key), key


def test_the_2026_pack_says_the_year_is_the_baseline_under_the_new_standard(packs):
    """No '–' flow counts in 2026: the overview's flows tile and the flows slide say it is the first review
    under NĐ 351/2025, a baseline; 2025 keeps its escaped households."""
    overview = slide_text(packs[2026], "overview")
    assert "Biến động hộ nghèo" in overview and "Đầu kỳ" in overview
    assert "lần rà soát đầu tiên theo NĐ 351/2025: không so sánh qua hai chuẩn" in overview
    assert "Hộ thoát nghèo" not in overview and "tái nghèo –" not in overview
    flows = slide_text(packs[2026], "poverty_waterfall")
    assert "Năm 2026 là lần rà soát đầu tiên theo NĐ 351/2025 [năm áp dụng chưa xác nhận], số liệu đầu kỳ" in flows
    assert "không tính hộ thoát nghèo, tái nghèo, phát sinh qua hai chuẩn nghèo" in flows
    before = slide_text(packs[2025], "overview")
    assert "Hộ thoát nghèo" in before and "Đầu kỳ" not in before and "tái nghèo –" not in before


def test_the_findings_say_the_change_across_two_standards(packs):
    prs = packs[2026]
    assert "hai chuẩn nghèo không so sánh trực tiếp" in slide_text(prs, "poverty_trend")
    reduction = slide_text(prs, "reduction_target")
    assert "không đối chiếu với mục tiêu 1–1,5 điểm %" in reduction and "đạt mục tiêu" not in reduction
    overview = slide_text(prs, "overview")
    assert "năm 2025 theo NĐ 07/2021, đổi chuẩn nghèo nên không so sánh trực tiếp" in overview
    assert "năm 2025 theo NĐ 07/2021: đổi chuẩn nghèo" in overview          # the poor-rate tile


def test_the_2026_reduction_target_is_marked_not_judged(packs):
    prs = packs[2026]
    slide = next(s for s in prs.slides if s.name == "targets")
    table = next(s for s in slide.shapes if s.has_table).table
    header = [c.text for c in table.rows[0].cells]
    rows = [[c.text for c in row.cells] for row in list(table.rows)[1:]]
    reduction = next(r for r in rows if r[0].startswith("Giảm tỷ lệ hộ nghèo") and r[header.index("Hạn")] == "2026")
    assert "đổi chuẩn nghèo so với 2025: NĐ 07/2021 → NĐ 351/2025" in reduction[header.index("Thực hiện")]
    assert reduction[header.index("Đánh giá")] == "Không đối chiếu mục tiêu (khác chuẩn nghèo)"
    assert MARK in footer(prs, "targets")
    assert ("1 mục tiêu giảm nghèo năm 2026 so với năm 2025 theo chuẩn khác (NĐ 07/2021 → NĐ 351/2025 [năm áp dụng "
            "chưa xác nhận]): không so sánh trực tiếp, không tính đạt hay không đạt.") in slide_text(prs, "targets")


def test_the_legal_basis_of_2026_says_the_review_year_rule_is_unconfirmed(packs):
    text = slide_text(packs[2026], "sources")
    assert "số liệu từ rà soát cuối năm 2026 được ghi theo chuẩn này — chưa xác nhận" in text


def test_a_pack_within_one_standard_has_no_mark(packs):
    prs = packs[2025]
    for key in ("poverty_trend", "reduction_target", "overview", "targets"):
        assert "Đổi chuẩn nghèo" not in slide_text(prs, key), key
