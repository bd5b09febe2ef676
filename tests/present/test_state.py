"""The view state in the URL: parsing, validation, serialisation, and filters as a query scope."""

from __future__ import annotations

import dataclasses

import pytest

from ntm.present import labels
from ntm.present import state as vs
from ntm.present.state import StateOptions, ViewState, parse_params, to_params
from ntm.read import scope as scope_q
from ntm.read import summary as summary_q
from ntm.read.scope import filtered_scope

OPTIONS = vs.options_from_rows(
    years=[2021, 2022, 2023, 2024, 2025],
    provinces=[("62", "Tỉnh Kon Tum"), ("38", "Tỉnh Thanh Hóa")],
    communes=[("23326", "608", "62"), ("23353", "610", "62"), ("23374", "610", "62"),
              ("14755", "380", "38"), ("02566", "380", "38")],
)


def test_options_from_rows():
    assert OPTIONS.years == (2021, 2022, 2023, 2024, 2025)
    assert OPTIONS.latest_year == 2025
    assert OPTIONS.districts == {"608": "62", "610": "62", "380": "38"}
    assert OPTIONS.communes["23353"] == ("610", "62")
    assert StateOptions().latest_year is None


def test_empty_url_gives_the_default_view():
    s = parse_params({}, OPTIONS)
    assert s == ViewState(year=2025)
    assert (s.lang, s.scope_level, s.scope_code, s.map_level, s.metric) == ("vi", "national", None, "province",
                                                                          "poor_rate")
    assert not s.has_filters
    assert to_params(s) == {"year": "2025"}


def test_a_full_url_round_trips():
    params = {"province": "62", "district": "610", "commune": "23353", "year": "2023", "mountain": "1",
              "em": "III", "level": "commune", "metric": "fell_back_per100", "lang": "en"}
    s = parse_params(params, OPTIONS, page="map")
    assert s == ViewState(page="map", lang="en", province="62", district="610", commune="23353", year=2023,
                          mountainous_only=True, em_region="III", level="commune", metric="fell_back_per100")
    assert to_params(s) == params
    assert parse_params(to_params(s), OPTIONS, page="map") == s


@pytest.mark.parametrize("params", [
    {"lang": "fr"}, {"province": "99"}, {"province": "6a"}, {"province": "062"}, {"year": "1999"},
    {"year": "abc"}, {"year": "-2024"}, {"em": "IV"}, {"metric": "__import__('os').system('x')"},
    {"level": "village"}, {"mountain": "maybe"}, {"district": "999"}, {"commune": "12345"},
    {"province": "<script>"}, {"lang": "vi" * 50}, {"unknown": "1"},
])
def test_invalid_values_fall_back_silently(params):
    s = parse_params(params, OPTIONS)
    assert dataclasses.replace(s, asked=None) == ViewState(year=2025)
    # A well-formed code the geography does not have is remembered, so the page can say where it went.
    well_formed = {"province": "99", "district": "999", "commune": "12345"}
    assert s.asked == (next(iter(params.values())) if params.items() <= well_formed.items() else None)


NEW = vs.options_from_rows(years=range(2021, 2027), provinces=[("51", "Tỉnh Quảng Ngãi"), ("38", "Tỉnh Thanh Hóa")],
                           communes=[("23374", "610", "51"), ("23341", "610", "51"), ("15763", "397", "38")],
                           former_provinces=[("62", "Tỉnh Kon Tum")])
OLD = vs.options_from_rows(years=range(2021, 2025), provinces=[("62", "Tỉnh Kon Tum"), ("51", "Tỉnh Quảng Ngãi")],
                           communes=[("23374", "610", "62"), ("23353", "610", "62"), ("21025", "519", "51")])
BOTH = {"new": NEW, "old": OLD}


def test_the_geography_follows_the_year_unless_the_url_chooses():
    assert parse_params({}, BOTH).geography == "new" and parse_params({}, BOTH).year == 2026
    assert parse_params({"year": "2023"}, BOTH).geography == "old"
    s = parse_params({"year": "2023", "geo": "new"}, BOTH)
    assert (s.geography, s.year, to_params(s)) == ("new", 2023, {"year": "2023", "geo": "new"})
    # No 2026 on the old units: the old geography's newest year instead.
    assert parse_params({"year": "2026", "geo": "old"}, BOTH).year == 2024


def test_codes_are_read_in_the_geography():
    # 62 is no province on the new units: it is Kon Tum's former area there; an old commune code is asked.
    s = parse_params({"province": "62", "year": "2026"}, BOTH)
    assert s.province == "62" and s.asked is None
    moved = parse_params({"commune": "23353", "year": "2026"}, BOTH)
    assert moved.commune is None and moved.asked == "23353"
    assert parse_params({"commune": "21025", "year": "2024"}, BOTH).commune == "21025"      # the old commune


def test_another_year_keeps_the_geography_and_another_geography_drops_the_commune():
    s = parse_params({"province": "51", "commune": "23374", "year": "2026"}, BOTH)
    earlier = s.replace(year=2023)
    assert earlier.geography == "new" and earlier.commune == "23374"
    assert to_params(earlier)["geo"] == "new"
    old = s.replace(geo="old")
    assert old.commune is None and old.geography == "old"


def test_values_are_normalised():
    s = parse_params({"province": ["38", "62"], "year": " 2024 ", "em": "iii", "lang": "EN",
                      "mountain": "true", "commune": "2566"}, OPTIONS)
    assert (s.province, s.year, s.em_region, s.lang, s.mountainous_only) == ("38", 2024, "III", "en", True)
    assert s.commune == "02566"          # first value of a repeated key; a stripped code gets its zeros back


def test_children_imply_their_parents_and_must_agree():
    assert parse_params({"district": "610"}, OPTIONS).province == "62"
    s = parse_params({"commune": "23353"}, OPTIONS)
    assert (s.province, s.district, s.commune) == ("62", None, "23353")
    s = parse_params({"province": "38", "district": "610"}, OPTIONS)      # district of another province
    assert (s.province, s.district) == ("38", None)
    s = parse_params({"district": "608", "commune": "23353"}, OPTIONS)    # commune of another district
    assert (s.province, s.district, s.commune) == ("62", "608", None)


def test_map_level_must_fit_the_scope():
    assert parse_params({"province": "62", "level": "province"}, OPTIONS).level == "province"
    assert parse_params({"district": "610", "level": "province"}, OPTIONS).level is None
    assert parse_params({"district": "610"}, OPTIONS).map_level == "commune"
    assert parse_params({"province": "62", "year": "2024"}, OPTIONS).map_level == "district"     # the old units
    assert parse_params({"province": "62"}, OPTIONS).map_level == "commune"     # 2025: the new units, communes
    assert vs.level_fits("commune", "national") and not vs.level_fits("district", "commune")


def test_replace_keeps_the_hierarchy_whole():
    s = parse_params({"district": "610", "commune": "23353", "level": "district"}, OPTIONS)
    moved = s.replace(province="38")
    assert (moved.province, moved.district, moved.commune) == ("38", None, None)
    assert s.replace(district="608").commune is None
    assert s.replace(year=2021).commune == "23353"
    national = s.replace(province=None)
    assert national.scope_level == "national" and national.level == "district"
    assert ViewState(province="62", district="610", level="district").replace(district="608").level == "district"
    assert ViewState(province="62", level="province").replace(district="610").level is None


def test_the_page_comes_from_the_path_not_the_query():
    assert parse_params({"page": "map"}, OPTIONS).page == "overview"
    assert parse_params({}, OPTIONS, page="poverty").page == "poverty"
    assert parse_params({}, OPTIONS, page="evil").page == "overview"
    assert "page" not in to_params(ViewState(page="map", year=2024))


def test_no_years_means_no_year():
    assert parse_params({"year": "2024"}, StateOptions()).year is None
    assert to_params(parse_params({}, StateOptions())) == {}


# -------------------------------------------------------------------------------------------------
# Filters as a query scope

def test_filtered_scope_adds_conditions_only_when_filtering():
    base = scope_q.Scope("province", "62", "Tỉnh Kon Tum", "62")
    assert filtered_scope(base) is base
    assert filtered_scope(base, em_region="IV") is base
    scope = filtered_scope(base, mountainous_only=True, em_region="II")
    where, params = scope.predicate("f")
    assert params == ["62", "II"]
    assert where.startswith("f.province_code = ?") and "is_mountainous" in where and "em_region = ?" in where
    assert (scope.level, scope.code, scope.name) == ("province", "62", "Tỉnh Kon Tum")


def test_filters_restrict_the_engine_queries(db):
    scope = scope_q.resolve_scope(db, "38", 2024)
    everything = summary_q.summary(db, scope, 2024)
    mountain = summary_q.summary(db, filtered_scope(scope, mountainous_only=True), 2024)
    region3 = summary_q.summary(db, filtered_scope(scope, em_region="III"), 2024)
    expected = db.execute("""
        SELECT count(*) FROM commune_year f JOIN unit_attributes a ON a.level = 'district'
          AND a.code = f.district_code AND a.is_mountainous
        WHERE f.is_current AND f.year = 2024 AND f.province_code = '38'""").fetchone()[0]
    assert mountain["communes"] == expected
    assert 0 < mountain["communes"] < everything["communes"]
    assert 0 < region3["communes"] < everything["communes"]
    assert mountain["poor"]["percent"] > everything["poor"]["percent"]   # the demo story: mountains lag
    assert mountain["is_demo"]
    # the at-risk list honours the filters too (Kon Tum: every district is mountainous)
    kon_tum = scope_q.resolve_scope(db, "62", 2024)
    assert len(labels.at_risk_list(db, filtered_scope(kon_tum, mountainous_only=True), 2024)) == \
        len(labels.at_risk_list(db, kon_tum, 2024)) == 4


# Crafted values for every parameter a link can carry: digits that are not ASCII ('²', '①', Arabic-Indic),
# signs, huge numbers, control and markup characters, empty lists, non-strings.
CRAFTED = ["²", "①", "2024²", "٢٠٢٤", "２０２４", "-1", "+2024", "1e3", "9" * 40, "", " ", "\x00", "\n2024",
           "<script>", "'; DROP TABLE x;--", "ⅻ", "𝟚𝟘𝟚𝟜", ["2024", "2023"], [], None, 2024, 3.5]


@pytest.mark.parametrize("key", ["year", "province", "district", "commune", "geo", "lang", "level", "metric",
                                 "view", "em", "mountain", "unknown"])
def test_every_url_parameter_survives_crafted_values(key):
    """A link with any value in any parameter opens a view (the default for what it cannot read), never
    an exception: `str.isdigit` accepts '²' and '①', which `int` refuses."""
    for value in CRAFTED:
        state = parse_params({key: value, "year": value if key != "year" else value}, OPTIONS, "ntm")
        assert state.year in OPTIONS.years and state.lang in ("vi", "en")
        if key in ("province", "district", "commune"):
            assert getattr(state, key) in (None, *getattr(OPTIONS, key + "s"))
