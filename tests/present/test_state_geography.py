"""The view state on the two geographies (`ntm.present.state`): the new units open a province's map on its
communes with the former districts last in the chooser, the old units on districts; a year the chosen
geography does not have moves to its newest year and is said, in the reader's language."""

from __future__ import annotations

import pytest

from ntm.present import state as vs
from ntm.present.state import parse_params, to_params

NEW = vs.options_from_rows(years=range(2021, 2027), provinces=[("51", "Tỉnh Quảng Ngãi")],
                           communes=[("23374", "610", "51"), ("23341", "610", "51")])
OLD = vs.options_from_rows(years=range(2021, 2025), provinces=[("62", "Tỉnh Kon Tum")],
                           communes=[("23374", "610", "62"), ("23353", "610", "62")])
BOTH = {"new": NEW, "old": OLD}


@pytest.mark.parametrize("params, level", [
    ({"province": "51", "year": "2026"}, "commune"), ({"year": "2026"}, "province"),
    ({"province": "51", "year": "2023", "geo": "new"}, "commune"), ({"province": "51", "district": "610"}, "commune"),
    ({"province": "62", "year": "2024"}, "district"), ({"year": "2024"}, "province"),
    ({"province": "51", "year": "2026", "level": "district"}, "district"),     # history, when asked for
])
def test_the_map_level_by_geography_and_scope(params, level):
    assert parse_params(params, BOTH, page="map").map_level == level


def test_the_chooser_puts_the_former_districts_last_on_the_new_units():
    assert vs.map_levels("province", "new") == ["province", "commune", "district"]
    assert vs.map_levels("province", "old") == ["province", "district", "commune"]
    assert vs.map_levels("national", "new") == ["province", "commune", "district"]
    assert vs.map_levels("district", "new") == ["commune", "district"]


def test_another_geography_keeps_a_chosen_level_and_follows_the_default_otherwise():
    s = parse_params({"province": "51", "year": "2024", "geo": "new"}, BOTH)
    assert s.map_level == "commune" and s.replace(geo="old").map_level == "district"
    chosen = s.replace(level="district")
    assert chosen.replace(geo="old").map_level == "district"


@pytest.mark.parametrize("lang, text", [
    ("vi", "Địa giới cũ (trước 1/7/2025) không có số liệu năm 2026: đang xem năm 2024, năm gần nhất có số liệu."),
    ("en", "Old units (before 1 July 2025) have no figures for 2026: showing 2024, the latest year they have."),
])
def test_a_year_only_the_other_geography_has_is_said(lang, text):
    s = parse_params({"province": "51", "year": "2026", "geo": "old", "lang": lang}, BOTH)
    assert (s.year, s.geography, s.year_asked) == (2024, "old", 2026)
    assert vs.year_notice(s) == text
    assert to_params(s)["year"] == "2024" and "geo" not in to_params(s)       # the link names the year shown
    again = parse_params(to_params(s), BOTH)                                  # said once: not after the link
    assert again.year_asked is None and vs.year_notice(again) is None


@pytest.mark.parametrize("params", [
    {"year": "2026"}, {"year": "2023", "geo": "new"}, {"year": "2023", "geo": "old"}, {"year": "1999"}, {"year": "x"},
    {"geo": "old"},
])
def test_no_notice_when_the_year_is_there_or_never_was(params):
    s = parse_params(params, BOTH)
    assert s.year_asked is None and vs.year_notice(s) is None
