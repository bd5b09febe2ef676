"""Map building: indicators, classes and legend, boundaries (uploaded over schematic), archipelagos,
plain-text tooltips and the pydeck spec."""

from __future__ import annotations

import json
import pickle
import re
from urllib.parse import unquote

import numpy as np
import pandas as pd
import pytest
import shapely

from ntm.present import maps
from ntm.present.maps import classes as map_classes
from ntm.present.maps import deck as map_deck
from ntm.present.maps import geometry as map_geometry
from ntm.present.maps import style as map_style
from ntm.present.maps import view as map_view
from ntm.text import t
from ntm.present.state import METRICS
from ntm.read import geography
from ntm.read import scope as scope_q
from ntm.store import geo as store_geo
from ntm.read.scope import filtered_scope
from ntm.store.connection import connect, transaction

# -------------------------------------------------------------------------------------------------
# Classes and labels (pure)


def test_quantile_breaks():
    assert map_classes.quantile_breaks(np.arange(1, 101), 5, 0) == (21.0, 41.0, 60.0, 80.0)
    assert map_classes.quantile_breaks([np.nan, np.nan]) == ()
    assert map_classes.quantile_breaks([3.0, 3.0, 3.0]) == ()
    # many zeros: zeros get a class of their own, the positives share the rest
    values = [0.0] * 80 + list(np.linspace(0.1, 2.0, 20))
    breaks = map_classes.quantile_breaks(values, 5, 2)
    assert breaks[0] == map_classes.ZERO_BREAK and len(breaks) == 4
    idx = map_classes.classify(values, breaks)
    assert set(idx[:80]) == {0} and idx[80:].min() == 1


def test_classify_and_labels():
    breaks = (2, 5, 10)
    assert list(map_classes.classify([1.99, 2, 4.9, 10, 55, np.nan], breaks)) == [0, 1, 1, 3, 3, -1]
    assert map_classes.class_labels(breaks, 2, "vi") == ["< 2", "2 – < 5", "5 – < 10", "≥ 10"]
    assert map_classes.class_labels((-1.5, 0.5), 2, "vi") == ["< -1,5", "-1,5 – < 0,5", "≥ 0,5"]
    assert map_classes.class_labels((-1.5, 0.5), 2, "en") == ["< -1.5", "-1.5 – < 0.5", "≥ 0.5"]
    assert map_classes.class_labels((map_classes.ZERO_BREAK, 0.25, 1), 2, "vi") == ["0", "> 0 – < 0,25", "0,25 – < 1,00", "≥ 1,00"]
    assert map_classes.class_labels((), 2, "en") == ["All values"]
    assert map_classes.pick_colours(map_style.PALETTES["Greens"], 3) == [map_style.PALETTES["Greens"][i] for i in (0, 2, 4)]
    assert map_classes.pick_colours(map_style.PALETTES["Greens"], 1) == [map_style.PALETTES["Greens"][2]]


def test_format_value_in_both_languages():
    assert map_classes.format_value(12.3456, "poor_rate", "district", "vi") == "12,35%"
    assert map_classes.format_value(12.3456, "poor_rate", "district", "en") == "12.35%"
    assert map_classes.format_value(-1.2, "poor_rate_change", "province", "vi") == "-1,20 điểm %"
    assert map_classes.format_value(0.8, "poor_rate_change", "province", "en") == "+0.80 pp"
    assert map_classes.format_value(1234.5, "escaped_per100", "commune", "vi") == "1.234,50 hộ/100 hộ"
    assert map_classes.format_value("advanced", "ntm_status", "commune", "vi") == "NTM nâng cao"
    assert map_classes.format_value(None, "ntm_status", "commune", "en") == "Wards, townships (NTM does not apply)"
    assert map_classes.format_value(None, "poor_rate", "province", "en") == "No data"


def _figures() -> pd.DataFrame:
    return pd.DataFrame({
        "code": ["a", "b", "c"], "households": [1000, 200, 0], "poor": [100, 10, 0], "near_poor": [50, 10, 0],
        "escaped": [20, None, 0], "fell_back": [2, 0, 0], "newly_poor": [5, 1, 0], "rural": [4, 0, 0],
        "recognised": [3, 0, 0], "criteria_avg": [17.5, None, None], "status": ["model", None, "none"],
        "criteria_met": [19, None, 12], "households_prev": [1000, 200, None], "poor_prev": [120, 10, None],
    })


def test_metric_values():
    f = _figures()
    assert list(map_classes.metric_values(f, "poor_rate", "district").round(2).fillna(-1)) == [10.0, 5.0, -1]
    assert list(map_classes.metric_values(f, "poor_near_rate", "district").round(2)[:2]) == [15.0, 10.0]
    assert list(map_classes.metric_values(f, "poor_rate_change", "district").round(2)[:2]) == [-2.0, 0.0]
    assert map_classes.metric_values(f, "poor_rate_change", "district").isna()[2]
    assert list(map_classes.metric_values(f, "escaped_per100", "district").round(2).fillna(-1)) == [2.0, -1, -1]
    assert map_classes.metric_values(f, "ntm_status", "district").round(2).tolist()[0] == 75.0
    assert map_classes.metric_values(f, "ntm_status", "district").isna()[1]        # no rural communes
    assert map_classes.metric_values(f, "ntm_status", "commune").tolist() == ["model", None, "none"]
    assert map_classes.metric_values(f, "criteria_met", "commune").tolist()[0] == 19
    assert map_classes.metric_values(f, "criteria_met", "province").tolist()[0] == 17.5
    with pytest.raises(ValueError):
        map_classes.metric_values(f, "nonsense", "province")


def test_make_classes():
    cat = map_classes.make_classes(pd.Series(["none", "model", None, "standard"]), "ntm_status", "commune", "en")
    assert list(cat.index) == [0, 3, -1, 1]
    assert cat.labels == ["Not yet NTM", "NTM standard", "Advanced NTM", "Model NTM"]
    fixed = map_classes.make_classes(pd.Series([1.0, 25.0, np.nan]), "poor_rate", "district", "vi")
    assert list(fixed.index) == [0, 4, -1] and len(fixed.colours) == len(fixed.labels) == 6
    assert fixed.note == "Ngưỡng cố định, so sánh được giữa các năm"
    change = map_classes.make_classes(pd.Series([-5.0, 0.0, 3.0]), "poor_rate_change", "province", "en")
    assert change.colours == list(map_style.PALETTES["RdYlGn"])        # diverging: a fall is green, a rise red
    assert list(change.index) == [0, 3, 5]


def test_specs_cover_every_metric():
    assert set(map_classes.METRICS) == set(METRICS)


def test_bounds_view_fits_vietnam():
    view = map_geometry.bounds_view((102.1, 6.5, 117.8, 23.4))
    assert 15.0 < view["latitude"] < 16.5 and 109 < view["longitude"] < 110.5
    assert 4.0 < view["zoom"] < 5.5
    assert map_geometry.bounds_view((107.5, 14.0, 108.5, 15.0))["zoom"] > 7


def test_basemap_setting():
    assert maps.basemap_setting("") == {"map_provider": None}
    assert maps.basemap_setting("off") == {"map_provider": None}
    assert maps.basemap_setting("carto") == {"map_provider": "carto", "map_style": "light"}
    assert maps.basemap_setting("https://example.org/style.json")["map_style"] == "https://example.org/style.json"
    raster = maps.basemap_setting("https://tiles.example.org/{z}/{x}/{y}.png")
    assert raster["map_provider"] == "carto" and raster["map_style"].startswith("data:application/json,")
    style = json.loads(unquote(raster["map_style"].split(",", 1)[1]))      # Streamlit wants a style *URL*
    assert style["sources"]["tiles"]["tiles"] == ["https://tiles.example.org/{z}/{x}/{y}.png"]
    assert maps.basemap_setting("ftp://nonsense") == {"map_provider": None}


# -------------------------------------------------------------------------------------------------
# Building maps from the demo database


def test_national_province_map(db):
    view = maps.build_map(db, level="province", year=2024, metric="poor_rate", lang="vi")
    assert view.n_units == 63 and view.n_with_data == 4
    assert view.title == "Tỷ lệ hộ nghèo (%) theo tỉnh, năm 2024"
    assert not view.schematic and view.is_demo
    assert view.sources == [store_geo.PRE2025_SOURCE]
    assert map_view.source_names(view, "vi")[0].startswith("Tỉnh cũ ghép từ các xã mới của bản đồ sáp nhập 2025")
    # Hoàng Sa and Trường Sa: drawn, labelled, and inside the initial view
    names = {f["properties"]["name"] for f in view.archipelagos["features"]}
    assert names == {"Quần đảo Hoàng Sa", "Quần đảo Trường Sa"}
    texts = " ".join(label["text"] for label in view.labels)
    assert "Quần đảo Hoàng Sa" in texts and "Quần đảo Trường Sa" in texts and "Kon Tum" in texts
    assert view.view["zoom"] < 5.5 and 13 < view.view["latitude"] < 17
    # legend: counts add up, the no-data class last
    assert sum(item.count for item in view.legend) == 63
    assert view.legend[-1].label == "Không có số liệu" and view.legend[-1].count == 59
    # every unit has a plain-text tooltip and an RGBA fill
    assert maps.tooltip_text(view, "62").startswith("Tỉnh Kon Tum (62)\nTỷ lệ hộ nghèo 2024: ")
    assert all(len(f["properties"]["fill"]) == 4 for f in view.units["features"])
    pickle.loads(pickle.dumps(view))                      # cacheable


def test_english_archipelago_labels_on_every_national_map_only(db):
    national = maps.build_map(db, level="district", year=2024, metric="ntm_status", lang="en")
    texts = [label["text"] for label in national.labels]
    assert "Hoang Sa archipelago\n(Viet Nam)" in texts and "Truong Sa archipelago\n(Viet Nam)" in texts
    view = maps.build_map(db, level="district", year=2024, scope=scope_q.resolve_scope(db, "62", 2024),
                          metric="ntm_status", lang="en")
    assert not view.archipelagos["features"]            # a province's view never reaches them
    assert not any("archipelago" in label["text"] for label in view.labels)
    assert view.title == "Share of communes recognised NTM (%) by district, 2024"


def test_district_and_commune_maps_are_schematic_and_outline_mountains(db):
    scope = scope_q.resolve_scope(db, "62", 2024)
    districts = maps.build_map(db, level="district", year=2024, scope=scope, metric="poor_rate")
    assert districts.n_units == 10 and districts.schematic and districts.sources == ["schematic"]
    emphasised = districts.emphasised["features"]                      # all Kon Tum is mountainous
    assert len(emphasised) == 10 and {f["properties"]["line_w"] for f in emphasised} == {3}
    assert "Huyện miền núi" in maps.tooltip_text(districts, "610")
    assert "Ranh giới sơ đồ" in maps.tooltip_text(districts, "610")

    communes = maps.build_map(db, level="commune", year=2024, scope=scope, metric="ntm_status",
                              selected="23326")
    assert communes.n_units == 102 and communes.categorical and communes.outlines is not None
    assert len(communes.outlines["features"]) == 10
    [ia_chim] = communes.emphasised["features"]                      # the selected commune stands out
    assert ia_chim["properties"]["code"] == "23326" and ia_chim["properties"]["line_w"] == 4
    assert [i.label for i in communes.legend][-1] == "Phường, thị trấn (không xét NTM)"
    assert communes.table.set_index("code").loc["23326", "value_text"] == "Đạt chuẩn NTM"


@pytest.mark.parametrize("metric", METRICS)
@pytest.mark.parametrize("level", ["province", "district", "commune"])
def test_every_metric_at_every_level(db, metric, level):
    scope = scope_q.resolve_scope(db, "62", 2023) if level != "province" else scope_q.NATIONAL
    view = maps.build_map(db, level=level, year=2023, scope=scope, metric=metric, lang="en")
    assert view.n_with_data > 0
    assert sum(i.count for i in view.legend) == view.n_units
    json.loads(maps.to_deck(view).to_json())


def test_no_previous_year_means_no_change(db):
    view = maps.build_map(db, level="district", year=2021, scope=scope_q.resolve_scope(db, "62", 2021),
                          metric="poor_rate_change", lang="vi")
    assert view.n_with_data == 0
    assert "Chưa có số liệu năm 2020 để so sánh." in maps.tooltip_text(view, view.units["features"][0]["properties"]["code"])


def test_filters_restrict_the_units_with_data(db):
    scope = filtered_scope(scope_q.resolve_scope(db, "38", 2024), mountainous_only=True)
    view = maps.build_map(db, level="district", year=2024, scope=scope, metric="poor_rate", filtered=True)
    assert view.n_units == 26 and view.n_with_data == 11               # Thanh Hóa: 11 of 26 districts mountainous
    assert view.legend[-1].label == "Không có số liệu / ngoài bộ lọc"
    with_data = view.table[view.table["value"].notna()]
    assert with_data["mountainous"].all()


def test_uploaded_boundaries_win_over_schematic(writable_db):
    con = connect(writable_db)
    try:
        square = '{"type":"Polygon","coordinates":[[[107.6,15.0],[107.9,15.0],[107.9,15.2],[107.6,15.2],[107.6,15.0]]]}'
        with transaction(con) as cur:
            cur.execute("INSERT INTO boundaries (system, level, code, geojson, source, is_schematic) "
                        "VALUES ('pre2025', 'district', '610', ?, 'geoBoundaries VNM ADM2 (upload)', FALSE)", [square])
        polys = geography.read_boundaries(con, "district", 2024, scope_q.resolve_scope(con, "62", 2024))
        assert len(polys) == 10
        row = polys.set_index("code").loc["610"]
        assert (row["source"], bool(row["is_schematic"])) == ("geoBoundaries VNM ADM2 (upload)", False)
        view = maps.build_map(con, level="district", year=2024, scope=scope_q.resolve_scope(con, "62", 2024))
        assert view.sources == ["geoBoundaries VNM ADM2 (upload)", "schematic"]
        assert view.schematic                                       # the other nine are still schematic
        assert "Ranh giới sơ đồ" not in maps.tooltip_text(view, "610")
        assert "Ranh giới sơ đồ" in maps.tooltip_text(view, "611")
    finally:
        con.close()


def test_unit_names_stay_plain_text(writable_db):
    con = connect(writable_db)
    try:
        con.execute("UPDATE units SET name = '<img src=x onerror=alert(1)> Kon Tum' "
                    "WHERE system = 'pre2025' AND level = 'province' AND code = '62'")
        view = maps.build_map(con, level="province", year=2024, metric="poor_rate")
        spec = json.loads(maps.to_deck(view).to_json())
        assert maps.tooltip_text(view, "62").startswith("<img src=x onerror=alert(1)> Kon Tum (62)")
        assert "html" not in json.dumps(view.labels)
    finally:
        con.close()
    # the deck's tooltip is a text template: Streamlit renders it with innerText, never as HTML
    deck = maps.to_deck(view)
    assert deck._tooltip == {"text": view.tooltip} and view.tooltip.startswith("{name} ({code})\n")
    assert "html" not in (deck._tooltip or {})
    assert spec["layers"][1]["id"] == maps.UNITS_LAYER_ID


def test_deck_spec(db):
    view = maps.build_map(db, level="commune", year=2024, scope=scope_q.resolve_scope(db, "610", 2024),
                          metric="poor_rate", selected="23353")
    deck = maps.to_deck(view, basemap={"map_provider": None})
    text = deck.to_json()
    assert "\n" not in text                                   # compact: pydeck would indent every number
    assert deck.to_json() is text                             # written once per deck
    spec = json.loads(text)
    layers = {layer["id"]: layer for layer in spec["layers"]}
    assert list(layers) == ["context", "context-lines", "units", "unit-lines",    # Đắk Glei is mountainous:
                            "mountain-outlines", "selected", "labels"]        # no archipelagos off-view
    assert "mapProvider" not in spec or spec["mapProvider"] is None
    # fills are polygon layers, borders line segments (GeoJSON strokes take seconds to prepare without a GPU)
    assert {layers[i]["@@type"] for i in ("context", "units")} == {"SolidPolygonLayer"}
    assert {layer["@@type"] for i, layer in layers.items() if i.endswith(("lines", "outlines", "selected"))} \
        == {"LineLayer"}
    assert layers["selected"]["getWidth"] == 4 and layers["mountain-outlines"]["getWidth"] == 3
    # pydeck turns bare strings into JS expressions: literals must survive as literals
    assert layers["unit-lines"]["widthUnits"] == "pixels"
    assert layers["labels"]["characterSet"] == "auto" and layers["labels"]["getColor"] == "@@=color"
    assert not layers["labels"].get("background")               # one shader fewer: a halo keeps names legible
    assert layers["labels"]["outlineWidth"] > 0 and layers["labels"]["outlineColor"][:3] == [255, 255, 255]
    assert layers["labels"]["fontSettings"] == {"sdf": True}     # the halo needs a signed-distance font
    assert all(len(label["color"]) == 4 for label in view.labels)
    assert layers["labels"]["fontFamily"].startswith("Noto Sans")
    assert layers["units"]["pickable"] and not layers["context"]["pickable"]
    # each unit's colour: an index into the palette the fill expression holds
    fill = layers["units"]["getFillColor"]
    assert fill.startswith("@@=(") and fill.endswith(")[k]")
    palette = json.loads(fill[len("@@=("):-len(")[k]")])
    colours = {f["properties"]["code"]: f["properties"]["fill"] for f in view.units["features"]}
    rows = layers["units"]["data"]
    assert all(palette[row["k"]] == colours[row["code"]] for row in rows)
    assert {row["code"] for row in rows} == set(colours)
    assert spec["initialViewState"]["zoom"] > 8
    with_tiles = json.loads(maps.to_deck(view, basemap=maps.basemap_setting("carto")).to_json())
    assert with_tiles["mapProvider"] == "carto"


def test_ring_segments_draw_a_shared_border_once():
    square = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}
    right = {"type": "MultiPolygon", "coordinates": [[[[1, 0], [2, 0], [2, 1], [1, 1], [1, 0]]]]}
    segments = map_deck.ring_segments([{"geometry": square}, {"geometry": right}])
    assert len(segments) == 7                                  # 4 + 4 edges, the shared one once
    assert {"s": [1, 0], "t": [1, 1]} in segments and {"s": [1, 1], "t": [1, 0]} not in segments


# -------------------------------------------------------------------------------------------------
# Queries once, labels per language: the language, the indicator and the selection run no query


def test_labelling_runs_no_query(demo_db_path):
    con = connect(demo_db_path, read_only=True)
    scope = scope_q.resolve_scope(con, "62", 2024)
    geometry = maps.map_geometry(con, "district", 2024, scope)
    figures = geography.map_figures(con, "district", 2024, scope)
    con.close()                                                # labelling needs no database
    vi = maps.label_map(geometry, figures, metric="poor_rate", lang="vi")
    en = maps.label_map(geometry, figures, metric="poor_rate", lang="en", selected="610")
    share = maps.label_map(geometry, figures, metric="ntm_status", lang="en")
    assert vi.title == "Tỷ lệ hộ nghèo (%) theo huyện, năm 2024"
    assert en.title == "Poor household rate (%) by district, 2024"
    assert share.title == "Share of communes recognised NTM (%) by district, 2024"
    assert maps.tooltip_text(en, "611").startswith("Huyện Ngọc Hồi (611)\nPoor household rate 2024: ")
    assert "Mountainous district" in maps.tooltip_text(en, "611")
    assert en.emphasised["features"][-1]["properties"] == {"code": "610", "line": list(map_style.SELECTED_LINE),
                                                           "line_w": 4}
    assert [f["properties"]["fill"] for f in vi.units["features"]] == \
        [f["properties"]["fill"] for f in en.units["features"]]
    assert vi.table["value_text"].str.contains(",").any() and en.table["value_text"].str.contains(r"\.").any()
    build = maps.build_map(connect(demo_db_path, read_only=True), level="district", year=2024, scope=scope,
                           lang="en", selected="610")
    assert maps.tooltip_text(build, "611") == maps.tooltip_text(en, "611")


def test_tooltip_fields_exist_on_every_unit_and_stay_plain_text(writable_db):
    con = connect(writable_db)
    try:
        con.execute("UPDATE units SET name = 'Huyện <b>Đắk</b> Glei {v}' "
                    "WHERE system = 'pre2025' AND level = 'district' AND code = '610'")
        view = maps.build_map(con, level="district", year=2024, scope=scope_q.resolve_scope(con, "62", 2024))
    finally:
        con.close()
    fields = re.findall(r"{(.*?)}", view.tooltip)
    assert fields[:2] == ["name", "code"]
    for feature in view.units["features"]:
        assert set(fields) <= set(feature["properties"])
        assert all(isinstance(feature["properties"][f], str) for f in fields)
    assert maps.tooltip_text(view, "610").startswith("Huyện <b>Đắk</b> Glei {v} (610)\nTỷ lệ hộ nghèo 2024: ")
    deck = maps.to_deck(view, basemap={"map_provider": None})
    assert deck._tooltip == {"text": view.tooltip}              # text, never html
    rows = json.loads(deck.to_json())["layers"][2]["data"]
    assert next(r for r in rows if r["code"] == "610")["name"] == "Huyện <b>Đắk</b> Glei {v}"
    # lines only some units have go whole into their field; the others get an empty one
    assert map_view.tooltip_template([("m", "Mountainous", [None, "", None])]) == \
        ("{name} ({code}){m}", {"m": ["", "\nMountainous", ""]})
    assert map_view.tooltip_template([("h", "Households: ", ["1", "2"]), ("s", "Schematic", ["", ""])]) == \
        ("{name} ({code})\nHouseholds: {h}\nSchematic", {"h": ["1", "2"]})


def test_national_commune_map_is_light_and_keeps_every_commune(db):
    view = maps.build_map(db, level="commune", year=2024, metric="poor_rate")
    codes = [f["properties"]["code"] for f in view.units["features"]]
    assert len(codes) == len(set(codes)) == view.n_units == 990
    shapes = shapely.from_geojson([json.dumps(f["geometry"]) for f in view.units["features"]])
    assert (shapely.area(shapes) > 0).all()                    # no commune lost to the simplification
    tolerance, decimals = map_geometry.simplification(view.view["zoom"])      # about 5.5: four provinces
    assert tolerance > 0.0005 and decimals == 4
    assert all(len(str(x).split(".")[-1]) <= decimals for f in view.units["features"][:50]
               for ring in f["geometry"]["coordinates"][:1] for x in np.ravel(ring))
    text = maps.to_deck(view, basemap={"map_provider": None}).to_json()
    # 990 communes, their borders and the country, whose provinces are drawn from the real communes (coasts
    # and islands; the islets under a pixel are left out: 1.85 MB with them)
    assert len(text.encode()) < 1_200_000
    assert "tooltip" not in text and '"line"' not in text      # no per-unit tooltip text or line style


def test_simplification_never_drops_a_unit():
    tiny = shapely.box(105.0, 21.0, 105.00001, 21.00001)       # ~1 m: flattened by a 0.001° grid
    big = shapely.Polygon([(100 + i / 100, 20 + (i % 2) / 1000) for i in range(200)] + [(101.99, 19), (100, 19)])
    light = map_geometry.lighten([tiny, big], tolerance=0.01, decimals=3)
    assert (shapely.area(light) > 0).all()
    assert shapely.get_num_coordinates(light[1]) < shapely.get_num_coordinates(big) / 10
    assert map_geometry.simplification(4.6) == pytest.approx((0.00181, 3), rel=0.01)      # the whole country: 3 decimals
    assert map_geometry.simplification(10.0)[1] == map_geometry.COORD_DECIMALS


def test_building_leaves_garbage_collection_as_it_was(db):
    import gc

    maps.build_map(db, level="district", year=2024, scope=scope_q.resolve_scope(db, "62", 2024))
    assert gc.isenabled()
    gc.disable()
    try:
        maps.build_map(db, level="province", year=2024)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_names_never_overlap_and_priority_decides_who_is_named():
    from ntm.present.maps.placement import place_labels
    view = {"longitude": 108.25, "latitude": 14.5, "zoom": 8, "width": 540, "height": 600}
    a = {"position": [108.0, 14.5], "text": "Xã Đăk Pék", "size": 12}
    b = {"position": [108.001, 14.5], "text": "Xã Đăk Môn", "size": 12}        # 100 m away: overlaps at zoom 8
    c = {"position": [108.5, 14.5], "text": "Xã Ia Chim", "size": 12}
    assert place_labels([[a], [b], [c]], view) == [a, c]
    assert place_labels([[b], [a], [c]], view) == [b, c]                       # priority decides who stays
    assert place_labels([[a], [b], [c]], {**view, "zoom": 18}) == [a, b, c]    # close in, both fit
    # a unit with another spot of its own takes it rather than be left out
    b_below = {**b, "position": [108.001, 14.4]}
    assert place_labels([[a], [b, b_below], [c]], view) == [a, b_below, c]
    # the first unit picks, of its spots, the one that leaves the next unit a place
    a_left = {**a, "position": [107.7, 14.5]}
    assert place_labels([[a, a_left], [b]], view) == [a_left, b]


def test_a_name_is_measured_as_the_map_font_draws_it():
    """The box a name takes follows the glyphs (a capital M is wider than an i), so names at the
    canvas edge are not cut and short names are not pushed off for nothing."""
    from ntm.export import fonts
    from ntm.present.maps.placement import HALO_PX, text_size_px
    for name in ("Nghĩa Hành", "Lý Sơn", "Ia H'Drai", "Mộ Đức", "Thành phố Hồ Chí Minh", "Mường Nhé"):
        estimate = text_size_px(name, 12)[0] - 2 * HALO_PX
        assert 0.85 < estimate / fonts.text_width(name, 12) < 1.3, name
    assert text_size_px("Sơn\nTịnh", 12)[1] > 2 * 12 > text_size_px("Sơn Tịnh", 12)[1]


def test_a_province_map_of_new_communes_names_communes_without_piles(db):
    view = maps.build_map(db, level="commune", year=2026, scope=scope_q.resolve_scope(db, "51", 2026), lang="vi")
    names = [lb for lb in view.labels if "\n" not in lb["text"]]             # not the archipelago notes
    assert len(names) >= 20                                                   # many communes are named
    national = maps.build_map(db, level="commune", year=2026, lang="vi")
    assert [lb for lb in national.labels if "\n" not in lb["text"]] == []   # 3,321 names would be a pile


def test_former_districts_on_the_new_units_follow_the_real_commune_edges(db):
    """On the new units a map of former districts, and the outlines over a commune map, are the real new
    communes grouped by the district most of their predecessors were in: nothing schematic is drawn."""
    scope = scope_q.resolve_scope(db, "51", 2026)
    communes = maps.build_map(db, level="commune", year=2026, scope=scope, lang="vi")
    districts = maps.build_map(db, level="district", year=2026, scope=scope, lang="vi")
    assert not communes.schematic and not districts.schematic
    assert len(communes.outlines["features"]) == districts.n_units > 10
    assert districts.title == "Tỷ lệ hộ nghèo (%) theo huyện cũ, năm 2026"     # no districts after the reform
    assert t("ui.boundary_post2025", "vi") in map_view.source_names(communes, "vi")
    old = maps.build_map(db, level="commune", year=2024, scope=scope_q.resolve_scope(db, "62", 2024), lang="vi")
    assert old.schematic and t("ui.boundary_schematic", "vi") in map_view.source_names(old, "vi")


def test_the_ranking_sorts_numbers_as_numbers_and_shows_them_the_readers_way(db):
    """Households 505 and 1,009 must sort 505 first (as text "1.009" < "505"); they read "1.009" in
    Vietnamese and "1,009" in English."""
    view = maps.build_map(db, level="commune", year=2024, scope=scope_q.resolve_scope(db, "62", 2024))
    for lang, thousands in (("vi", "."), ("en", ",")):
        styler = maps.ranking_table(view.table, lang)
        data = styler.data
        households = data.iloc[:, 3]
        assert pd.api.types.is_numeric_dtype(households) and pd.api.types.is_numeric_dtype(data.iloc[:, 2])
        ordered = households.dropna().sort_values().tolist()
        assert ordered == sorted(ordered) and ordered[-1] >= 1000 > ordered[0]
        html = styler.to_html()
        big = int(ordered[-1])
        assert f"{big // 1000}{thousands}{big % 1000:03d}" in html
        assert view.table["value_text"].iloc[0] in html


def test_a_coast_loses_its_specks_but_an_archipelago_keeps_every_islet():
    mainland = shapely.box(105.0, 20.0, 106.0, 21.0)
    speck = shapely.box(106.5, 20.5, 106.5001, 20.5001)               # ~11 m: far under a pixel
    islets = [shapely.box(112 + i / 10, 16.0, 112 + i / 10 + 0.0002, 16.0002) for i in range(5)]
    coast, archipelago = map_geometry.without_islets(
        np.array([shapely.MultiPolygon([mainland, speck]), shapely.MultiPolygon(islets)], dtype=object), 0.002)
    assert shapely.get_num_geometries(coast) == 1 and coast.equals(mainland)
    assert shapely.get_num_geometries(archipelago) == 5


# -------------------------------------------------------------------------------------------------
# Names on their own units: inside the polygon, on the canvas, every unit named or left out by the rule

LABELLED_MAPS = [("province-2024", "province", 2024, None), ("province-2026", "province", 2026, None),
                 ("kon-tum-districts-2024", "district", 2024, "62"), ("kon-tum-communes-2024", "commune", 2024, "62"),
                 ("quang-ngai-communes-2026", "commune", 2026, "51"),
                 ("quang-ngai-former-districts-2026", "district", 2026, "51")]


def _drawn(view) -> dict:
    """Each unit's polygon as the map draws it, by code."""
    return {f["properties"]["code"]: shapely.geometry.shape(f["geometry"]) for f in view.units["features"]}


@pytest.mark.parametrize("level, year, code", [m[1:] for m in LABELLED_MAPS], ids=[m[0] for m in LABELLED_MAPS])
def test_every_name_lies_on_its_own_unit_and_only_the_rule_leaves_one_out(db, level, year, code):
    from ntm.present.maps.placement import GAP_PX, MIN_ROOM_PX, label_box, on_canvas, overlaps

    scope = scope_q.resolve_scope(db, code, year) if code else None
    geometry = maps.map_geometry(db, level, year, scope)
    view = maps.label_map(geometry, geography.map_figures(db, level, year, scope), lang="vi")
    drawn, names = _drawn(view), [lb for lb in view.labels if lb["code"] is not None]
    assert names
    for label in names:                                    # the anchor on its own unit, the text on the canvas
        assert drawn[label["code"]].contains(shapely.Point(label["position"])), label["text"]
        assert on_canvas(label_box(label, view.view), view.view), label["text"]
    boxes = [label_box(lb, view.view) for lb in view.labels]
    assert not any(overlaps(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    assert len({lb["code"] for lb in names}) == len(names)             # one name per unit
    # a unit left unnamed is too small to see, or each of its spots would cover a name (their gap included)
    named = {lb["code"] for lb in names}
    spaced = [label_box(lb, view.view, GAP_PX / 2) for lb in view.labels]
    headline = maps.view.headline_codes(view.table)
    assert set(headline) <= named                          # the units the map's finding names are named
    with_data = set(view.table.loc[view.table["households"].notna(), "code"])
    expected = [c for c in geometry.units["code"] if c in with_data or level != "province"]
    assert view.n_unnamed == len(set(expected) - named)
    for i, unit in geometry.units.iterrows():
        if unit["code"] in named or unit["code"] not in expected or geometry.label_room[i] < MIN_ROOM_PX:
            continue
        for lon, lat, anchor, text in geometry.label_spots[i]:
            spot = {"position": [lon, lat], "anchor": anchor, "text": text, "size": 12}
            assert any(overlaps(label_box(spot, view.view, GAP_PX / 2), b) for b in spaced), (unit["name"], text)


def test_the_former_districts_of_quang_ngai_are_each_named_on_their_own_polygon(db):
    """The former-district map of the new Quảng Ngãi printed "Nghĩa Hành" over Minh Long (its point on the
    surface was 5 pixels from the edge, the name centred on it spilled west and covered Minh Long's
    place) and left Minh Long, the poorest, Mộ Đức and TP Quảng Ngãi unnamed."""
    scope = scope_q.resolve_scope(db, "51", 2026)
    view = maps.build_map(db, level="district", year=2026, scope=scope, lang="vi")
    assert view.n_unnamed == 0 and len([lb for lb in view.labels if lb["code"]]) == view.n_units
    by_text = {lb["text"].replace("\n", " "): lb for lb in view.labels}
    drawn = _drawn(view)
    for name, code in (("Nghĩa Hành", "532"), ("Minh Long", "531"), ("Mộ Đức", "533"), ("Quảng Ngãi", "522")):
        assert drawn[code].contains(shapely.Point(by_text[name]["position"])), name
    poorest = view.table.sort_values("value", ascending=False).iloc[0]
    assert poorest["code"] in {lb["code"] for lb in view.labels}


@pytest.mark.parametrize("level, year, code", [m[1:] for m in LABELLED_MAPS], ids=[m[0] for m in LABELLED_MAPS])
def test_the_initial_view_shows_every_unit_whole(db, level, year, code):
    """On the narrowest map canvas (1280 x 720 with the sidebar open), no unit is cut at an edge."""
    from ntm.present.maps.projection import to_px

    scope = scope_q.resolve_scope(db, code, year) if code else None
    view = maps.build_map(db, level=level, year=year, scope=scope)
    assert view.view["width"] <= 546 and view.view["height"] == map_geometry.MAP_HEIGHT
    for code_, shape in _drawn(view).items():
        x0, y0, x1, y1 = shape.bounds
        for lon, lat in ((x0, y0), (x1, y1)):
            x, y = to_px(lon, lat, view.view)
            assert abs(x) <= view.view["width"] / 2 and abs(y) <= view.view["height"] / 2, code_


def test_an_island_at_the_edge_keeps_its_whole_name_on_its_own_island(db):
    """Lý Sơn, an island at the east end of the new Quảng Ngãi, showed as "Lý": its name is now written
    from the island towards the inside of the canvas when it cannot be centred on it."""
    from ntm.present.maps.placement import label_box, on_canvas

    view = maps.build_map(db, level="commune", year=2026, scope=scope_q.resolve_scope(db, "51", 2026), lang="vi")
    [ly_son] = [lb for lb in view.labels if lb["text"].replace("\n", " ") == "Lý Sơn"]
    assert _drawn(view)[ly_son["code"]].contains(shapely.Point(ly_son["position"]))
    assert on_canvas(label_box(ly_son, view.view), view.view)


# -------------------------------------------------------------------------------------------------
# A commune's own mountainous flag; flows in the baseline year


def test_the_ranking_shows_each_new_communes_own_mountainous_flag_as_the_filter_reads_it(db):
    scope = scope_q.resolve_scope(db, "51", 2026)
    view = maps.build_map(db, level="commune", year=2026, scope=scope, lang="vi")
    flags = db.execute("SELECT commune_code, is_mountainous, attributes_derived FROM figures_new "
                       "WHERE year = 2026 AND province_code = '51'").df().set_index("commune_code")
    table = view.table.set_index("code")
    with_figures = table.index.intersection(flags.index)
    assert len(with_figures) > 50
    assert (table.loc[with_figures, "mountainous"] == flags.loc[with_figures, "is_mountainous"]).all()
    assert table["mountainous"].any() and not table["mountainous"].all()
    derived = flags["is_mountainous"] & flags["attributes_derived"]
    assert (table.loc[with_figures, "mountainous_derived"] == derived.loc[with_figures]).all()
    shown = maps.ranking_table(view.table, "vi").data
    column = shown[t("ui.col_mountainous", "vi")]
    assert set(column[view.table["mountainous_derived"].to_numpy()]) == {"Có (suy ra)"}
    code = table.index[table["mountainous_derived"]][0]
    assert "Xã miền núi (suy ra từ các xã cũ)" in maps.tooltip_text(view, code)
    # with "mountainous communes only", the communes with figures are the ones the column says "Có"
    only = maps.build_map(db, level="commune", year=2026, scope=filtered_scope(scope, mountainous_only=True),
                          filtered=True)
    with_data = only.table["value"].notna()
    assert with_data.any() and only.table.loc[with_data, "mountainous"].all()
    assert set(only.table.loc[with_data, "code"]) == set(table.index[table["mountainous"] & table["households"].notna()])


def test_flows_in_the_baseline_year_say_why_there_are_none(db):
    scope = scope_q.resolve_scope(db, "51", 2026)
    for lang in ("vi", "en"):
        view = maps.build_map(db, level="commune", year=2026, scope=scope, metric="escaped_per100", lang=lang)
        assert view.n_with_data == 0
        assert view.notice.startswith(t("finding.baseline", lang, year=2026, standard="")[:12])
        assert view.legend[-1].label == t("ui.map_baseline_class", lang) and view.legend[-1].count == view.n_units
        code = view.units["features"][0]["properties"]["code"]
        assert t("ui.map_baseline_value", lang) in maps.tooltip_text(view, code)
        assert t("ui.no_data", lang) not in maps.tooltip_text(view, code)
    # a year with flows, and a level in that baseline year with a stock, say nothing of the kind
    assert maps.build_map(db, level="district", year=2024, scope=scope_q.resolve_scope(db, "62", 2024),
                          metric="escaped_per100").notice == ""
    assert maps.build_map(db, level="commune", year=2026, scope=scope, metric="poor_rate").notice == ""
