"""The meeting pack on the new units (from 1 July 2025) shows what a leader compares there: the new Quảng
Ngãi's 2026 ranking and map by commune, the nation's by province, titled so, in both languages; the old
units keep their districts. Slides read with python-pptx as a person would."""

from __future__ import annotations

import pytest
from pptx import Presentation

from ntm.export import pack as P
from ntm.read.scope import resolve_scope

SECTIONS = ["district_ranking", "map"]


def slide_texts(slide) -> str:
    return "\n".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)


def province_communes(con, province: str, year: int) -> set[str]:
    """Names of the new communes of a province with figures in the year."""
    rows = con.execute("""SELECT DISTINCT u.name FROM figures_new f JOIN units u ON u.system = 'post2025'
                          AND u.level = 'commune' AND u.code = f.commune_code
                          WHERE f.province_code = ? AND f.year = ?""", [province, year]).fetchall()
    return {r[0] for r in rows}


@pytest.mark.parametrize("lang, titles, cut", [
    ("vi", ["Báo cáo giao ban", "Xếp hạng xã theo mức giảm tỷ lệ hộ nghèo", "Bản đồ tỷ lệ hộ nghèo theo xã"],
     "14/{n} xã: 7 xã giảm nhiều nhất và 7 xã giảm ít nhất."),
    ("en", ["Meeting pack", "Communes ranked by poor-rate reduction", "Map of the poor-household rate by commune"],
     "14 of {n} communes: the 7 with the largest and the 7 with the smallest reduction."),
])
def test_the_2026_pack_of_a_province_ranks_and_maps_its_communes(con, chromium, tmp_path, lang, titles, cut):
    scope = resolve_scope(con, "51", 2026)
    prs = Presentation(P.build_pack(con, scope, 2026, SECTIONS, lang, tmp_path / f"qn_{lang}.pptx"))
    assert [s.shapes.title.text for s in prs.slides] == titles
    communes = province_communes(con, "51", 2026)
    ranking = P.tables(P.collect(con, scope, 2026, ["district_ranking"], lang))["district_ranking"].frame
    assert list(ranking.columns)[1] == {"vi": "Xã", "en": "Commune"}[lang]
    assert set(ranking.iloc[:, 1]) <= communes and len(ranking) > 40            # every commune, no district
    ranking_slide = next(s for s in prs.slides if s.name == "district_ranking")
    assert cut.format(n=len(ranking)) in slide_texts(ranking_slide)
    finding = slide_texts(ranking_slide)
    best = ranking.sort_values(ranking.columns[0]).iloc[0, 1]                 # rank 1: the largest reduction
    assert best in finding and "huyện" not in finding.lower() and "district" not in finding.lower()
    map_slide = next(s for s in prs.slides if s.name == "map")
    assert {"vi": "theo xã, năm 2026", "en": "by commune, 2026"}[lang] in slide_texts(map_slide)


def test_the_2026_pack_of_the_nation_ranks_and_maps_provinces(con):
    pack = P.collect(con, resolve_scope(con, None, 2026), 2026, SECTIONS, "vi")
    ranking, map_ = pack.sections
    assert (ranking.title, map_.title) == ("Xếp hạng tỉnh theo mức giảm tỷ lệ hộ nghèo", "Bản đồ tỷ lệ hộ nghèo theo tỉnh")
    assert set(ranking.table.frame["Tỉnh"]) == {"Tỉnh Quảng Ngãi", "Tỉnh Thanh Hóa", "Tỉnh Quảng Ninh"}
    assert "Miền núi" not in ranking.table.frame.columns                       # no such flag for a province


def test_a_2026_commune_is_ranked_and_mapped_among_its_province_communes(con):
    commune = resolve_scope(con, "23374", 2026)                                # Đăk Môn, new Quảng Ngãi
    ranking, map_ = P.collect(con, commune, 2026, SECTIONS, "vi").sections
    assert ranking.title == "Xếp hạng xã theo mức giảm tỷ lệ hộ nghèo" and ranking.caption.startswith("Tỉnh Quảng Ngãi")
    assert set(ranking.table.frame["Xã"]) <= province_communes(con, "51", 2026) and len(ranking.table.frame) > 40
    assert map_.title == "Bản đồ tỷ lệ hộ nghèo theo xã"


def test_the_old_units_keep_their_districts(con):
    ranking, map_ = P.collect(con, resolve_scope(con, "62", 2024), 2024, SECTIONS, "vi").sections
    assert (ranking.title, map_.title) == ("Xếp hạng huyện theo mức giảm tỷ lệ hộ nghèo",
                                           "Bản đồ tỷ lệ hộ nghèo theo huyện")
    assert list(ranking.table.frame.columns)[1:2] == ["Huyện"] and "Huyện nghèo" in ranking.table.frame.columns
    assert "theo huyện" in map_.caption


@pytest.mark.parametrize("lang, words, district_word", [("vi", "xã miền núi", "huyện"), ("en", "mountainous communes", "district")])
def test_on_the_new_units_mountainous_areas_are_communes(con, lang, words, district_word):
    """On the new units the mountainous comparison is between communes (each commune's own flag): the slide
    title, the chart's title and lines and the finding say communes; the old units keep their districts."""
    new = P.collect(con, resolve_scope(con, "51", 2026), 2026, ["mountainous"], lang).sections[0]
    drawn = " ".join([new.title, new.finding, new.figure.layout.title.text.replace("<br>", " ")]
                     + [tr.name for tr in new.figure.data if tr.name])
    assert words in drawn.lower() and district_word not in drawn.lower(), drawn
    old = P.collect(con, resolve_scope(con, "62", 2024), 2024, ["mountainous"], lang).sections[0]
    assert {"vi": "huyện miền núi", "en": "mountainous and other districts"}[lang] in old.title.lower()
