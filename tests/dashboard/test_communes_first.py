"""On the new units (from 1 July 2025) a leader reads communes and provinces: a province's map opens on its
communes, the nation's on provinces, the former districts one choice away and titled as history; the
poverty ranking compares communes (provinces nationally), the old units keep districts; district NTM
status is history; the criteria grid shows the worst communes first with a switch to see all; a year the
other geography does not have is said, not changed silently. Through Streamlit's AppTest on a copy of the
demo database."""

from __future__ import annotations

import json

import pytest

from ntm.store.connection import connect
from ntm.text import t
from tests.dashboard.test_pages import app_db, assert_ok, open_page, tables, url  # noqa: F401  (app_db: a fixture)


def subheaders(at) -> list[str]:
    return [s.value for s in at.subheader]


def chart_titles(at) -> list[str]:
    return [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]


def chart_rows(at, key: str) -> list[str]:
    """The names on the y axis of chart `key` (one per bar or grid row)."""
    chart = next(c for c in at.get("plotly_chart") if c.key == key)
    return json.loads(chart.proto.spec)["layout"]["yaxis"]["ticktext"]


def infos(at) -> list[str]:
    return [i.value for i in at.info]


def communes_with_figures(db_path, province: str, years: tuple[int, ...]) -> int:
    """New communes of a province with households in every one of `years`."""
    con = connect(db_path, read_only=True)
    try:
        return con.execute("""SELECT count(*) FROM (SELECT commune_code FROM figures_new
                              WHERE province_code = ? AND year IN (SELECT unnest(?)) AND households > 0
                              GROUP BY commune_code HAVING count(DISTINCT year) = ?)""",
                           [province, list(years), len(years)]).fetchone()[0]
    finally:
        con.close()


# -------------------------------------------------------------------------------------------------
# The map's level


@pytest.mark.parametrize("params, level, title_end", [
    ({"province": "51", "year": "2026"}, "commune", "theo xã, năm 2026"),
    ({"year": "2026"}, "province", "theo tỉnh, năm 2026"),
    ({"province": "62", "year": "2024"}, "district", "theo huyện, năm 2024"),
    ({"year": "2024"}, "province", "theo tỉnh, năm 2024"),
])
def test_the_map_opens_on_the_units_of_the_day(app_db, params, level, title_end):
    at = open_page("map", **params)
    assert at.segmented_control(key="w_level").value == level
    assert subheaders(at)[0].endswith(title_end)
    assert "level" not in url(at)                                 # the default is not written


def test_former_districts_are_one_choice_away_and_titled_as_history(app_db):
    at = open_page("map", province="51", year="2026")
    chooser = at.segmented_control(key="w_level")
    assert chooser.options == ["Tỉnh", "Xã", "Huyện cũ (lịch sử)"]
    chooser.set_value("district").run()
    assert_ok(at)
    assert url(at)["level"] == "district"
    assert "huyện cũ" in subheaders(at)[0]
    assert t("ui.former_districts_map", "vi") in [c.value for c in at.caption]
    en = open_page("map", province="51", year="2026", lang="en")
    chooser = en.segmented_control(key="w_level")
    assert chooser.options == ["Provinces", "Communes", "Former districts"]        # "former": history


# -------------------------------------------------------------------------------------------------
# The poverty ranking


def test_2026_ranks_the_communes_of_a_province(app_db, demo_db_path):
    at = open_page("poverty", province="51", year="2026", view="ranking")
    assert [tab.label for tab in at.tabs][-1] == "Xếp hạng giảm nghèo"
    (title,) = chart_titles(at)
    assert title == "<b>Xếp hạng xã theo mức giảm tỷ lệ hộ nghèo</b><br>Tỉnh Quảng Ngãi, 2021–2026"   # wrapped, whole
    rows = chart_rows(at, "pov-ranking")
    assert not [r for r in rows if r.startswith("Huyện")] and all(r.startswith(("Xã", "Phường")) for r in rows)
    assert t("ui.ranking_table.commune", "vi", y0=2021, y1=2026) in subheaders(at)
    grid = at.dataframe[0].value                                    # every commune: a long, scrolling table
    assert list(grid.columns)[:2] == ["Thứ hạng giảm nghèo", "Xã"] and "Huyện nghèo" not in grid.columns
    assert len(grid) == communes_with_figures(demo_db_path, "51", (2021, 2026))
    assert set(grid["Miền núi"]) == {"Có", ""}


def test_2026_ranks_the_provinces_of_the_nation_in_english(app_db):
    at = open_page("poverty", year="2026", view="ranking", lang="en")
    assert [tab.label for tab in at.tabs][-1] == "Poverty-reduction ranking"
    assert chart_titles(at)[0].startswith("<b>Provinces ranked by poor-rate reduction</b>")
    assert set(chart_rows(at, "pov-ranking")) == {"Tỉnh Quảng Ngãi", "Tỉnh Thanh Hóa", "Tỉnh Quảng Ninh"}
    table = tables(at)[0]
    assert list(table.columns)[:2] == ["Reduction rank", "Province"] and "Mountainous" not in table.columns


def test_2024_on_the_old_units_keeps_ranking_districts(app_db):
    at = open_page("poverty", province="62", year="2024", view="ranking")
    assert chart_titles(at)[0].startswith("<b>Xếp hạng huyện theo mức giảm tỷ lệ hộ nghèo</b><br>Tỉnh Kon Tum")
    assert all(r.startswith(("Huyện", "Thành phố")) for r in chart_rows(at, "pov-ranking"))
    table = tables(at)[0]
    assert list(table.columns)[1:2] == ["Huyện"] and "Huyện nghèo" in table.columns
    assert t("ui.ranking_table.district", "vi", y0=2021, y1=2024) in subheaders(at)


# -------------------------------------------------------------------------------------------------
# The NTM page


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_district_ntm_status_is_titled_as_history(app_db, lang):
    at = open_page("ntm", province="51", year="2026", view="districts", lang=lang)
    assert [tab.label for tab in at.tabs][1] == {"vi": "Huyện nông thôn mới (đến 2024)", "en": "NTM districts (to 2024)"}[lang]
    assert t("ui.districts_history", lang) in [c.value for c in at.caption]
    old = open_page("ntm", province="62", year="2024", view="districts", lang=lang)
    assert t("ui.districts_history", lang) not in [c.value for c in old.caption]


def test_the_2026_criteria_grid_shows_the_worst_communes_then_all(app_db, demo_db_path):
    con = connect(demo_db_path, read_only=True)
    rural = con.execute("SELECT count(*) FROM figures_new WHERE year = 2026 AND province_code = '51' AND is_rural "
                        "AND criteria_met IS NOT NULL").fetchone()[0]
    con.close()
    assert rural > 40
    at = open_page("ntm", province="51", year="2026", view="criteria")
    captions = " ".join(c.value for c in at.caption)
    assert t("ui.criteria_worst_first", "vi", n=40, total=rural) in captions
    assert "huyện" not in captions.lower()                         # communes are the unit: no district asked for
    assert len(chart_rows(at, "ntm-criteria")) == 40
    switch = at.toggle(key="ntm-all-communes")
    assert switch.label == f"Xem đủ {rural} xã"
    switch.set_value(True).run()
    assert_ok(at)
    assert len(chart_rows(at, "ntm-criteria")) == rural
    old = open_page("ntm", province="62", year="2024", view="criteria")    # the old units: a district narrows
    assert any(c.value.endswith("Chọn một huyện để xem đủ các xã.") for c in old.caption)
    assert not [w for w in old.toggle if w.key == "ntm-all-communes"]


# -------------------------------------------------------------------------------------------------
# A year the other geography does not have


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_switching_to_the_old_units_says_the_year_moved(app_db, lang):
    at = open_page("overview", province="51", year="2026", lang=lang)
    assert not [i for i in infos(at) if "2026" in i and "2024" in i]
    at.sidebar.segmented_control(key="w_geo").set_value("old").run()
    assert_ok(at)
    assert url(at)["year"] == "2024"
    notice = t("ui.year_moved", lang, geo=t("geo.old", lang), asked=2026, year=2024)
    assert notice in infos(at)
    assert {"vi": "không có số liệu năm 2026: đang xem năm 2024", "en": "have no figures for 2026: showing 2024"}[lang] \
        in notice
    at.sidebar.selectbox(key="w_year").set_value(2023).run()          # said once: another choice, no notice
    assert_ok(at)
    assert notice not in infos(at)


def test_switching_geography_within_a_shared_year_says_nothing(app_db):
    at = open_page("overview", province="51", year="2024")
    at.sidebar.segmented_control(key="w_geo").set_value("new").run()
    assert_ok(at)
    assert url(at) == {"province": "51", "year": "2024", "geo": "new"}
    assert not [i for i in infos(at) if t("geo.new", "vi") in i]
