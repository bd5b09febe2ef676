"""Tests of ntm.store.geo on the shipped boundary files (old provinces, the real post-2025 units) and the
vietnamadminunits data."""
from __future__ import annotations

import csv
import json

import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import Point
from vietnamadminunits.database import query

from ntm.paths import data_file
from ntm.store import geo
from ntm.store.unit_list import legacy_units, post2025_units, province_crosswalk

KON_TUM_CITY = Point(108.0, 14.35)
AREA_TOLERANCE = 1e-9  # square degrees (~0.01 km2)
ISO_CSV = data_file("province_iso_codes.csv")


@pytest.fixture(scope="module")
def provinces():
    return geo.load_province_polygons()


@pytest.fixture(scope="module")
def legacy_provinces() -> dict[str, str]:
    rows = query("SELECT DISTINCT provinceCode, province FROM admin_units_legacy")
    return {r["provinceCode"]: r["province"] for r in rows}


def _communes(province_code: str) -> pd.DataFrame:
    return pd.DataFrame(query(
        "SELECT wardCode AS commune_code, districtCode AS district_code, "
        "provinceCode AS province_code, wardLat AS lat, wardLon AS lon "
        f"FROM admin_units_legacy WHERE provinceCode = '{province_code}'"
    ))


@pytest.fixture(scope="module")
def kon_tum_communes() -> pd.DataFrame:
    return _communes("62")


def _province(provinces, code: str):
    return provinces.loc[provinces["province_code"] == code].geometry.iloc[0]


def assert_partition(polygons, area) -> None:
    """Polygons are non-empty, lie in ``area``, do not overlap and together cover it."""
    geoms = np.asarray(polygons)
    assert not shapely.is_empty(geoms).any()
    assert shapely.is_valid(geoms).all()
    assert all(shapely.difference(g, area).area < AREA_TOLERANCE for g in geoms)
    union = shapely.union_all(geoms)
    assert shapely.area(geoms).sum() - union.area < AREA_TOLERANCE  # no overlaps
    assert abs(union.area - area.area) < 1e-6 * area.area  # covers the province


@pytest.fixture(scope="module")
def natural_earth():
    return geo.load_province_polygons(geo.NATURAL_EARTH_PATH)


def test_all_63_provinces_load_with_valid_geometry(provinces, legacy_provinces):
    assert provinces.crs.to_epsg() == 4326
    assert len(provinces) == 63
    assert dict(zip(provinces["province_code"], provinces["name"])) == legacy_provinces
    assert provinces.geometry.is_valid.all() and not provinces.geometry.is_empty.any()
    assert set(provinces["source"]) == {geo.PRE2025_SOURCE}
    geoms = provinces.geometry.to_numpy()
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    km2 = sum(shapely.intersection(geoms[i], geoms[j]).area for i, j in zip(left, right) if i < j) * 111.32 ** 2
    assert km2 < 0.1                                               # neighbours meet, slivers of the 10 m grid


def test_the_old_provinces_make_up_the_new_ones(provinces):
    """Each new province is exactly its old provinces (the merger was by whole communes)."""
    old_to_new = province_crosswalk()
    new = geo.load_post2025("province").set_index("code").geometry
    for code, group in provinces.groupby(provinces["province_code"].map(old_to_new)):
        union = shapely.union_all(group.geometry.to_numpy())
        assert shapely.symmetric_difference(union, new[code]).area < 1e-6 * new[code].area, code


def test_the_old_provinces_have_their_official_areas(provinces):
    """Every outline within 10 % of the official area (statistical yearbook 2023; where none was found,
    the merged province's, NQ 202/2025/QH15, against its old provinces together) — except the two whose
    special zones (Hoàng Sa, Trường Sa) are drawn as the sea around their islets."""
    official = pd.read_csv(data_file("boundaries/official_areas.csv"), dtype={"province_code": str})
    km2 = provinces.set_index("province_code").to_crs("EPSG:6933").area / 1e6
    old = official[official["system"] == "pre2025"].set_index("province_code")["area_km2"].drop(["48", "56"])
    assert len(old) > 40
    assert ((km2.reindex(old.index) / old - 1).abs() < 0.10).all()
    new = official[official["system"] == "post2025"].set_index("province_code")["area_km2"].drop(["48", "56"])
    by_new = km2.groupby(km2.index.map(province_crosswalk())).sum()
    assert ((by_new.reindex(new.index) / new - 1).abs() < 0.10).all()


def test_iso_table_matches_the_natural_earth_file(natural_earth):
    with open(ISO_CSV, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 63
    table = {r["iso_3166_2"]: r["province_code"] for r in rows}
    assert table == dict(zip(natural_earth["iso_3166_2"], natural_earth["province_code"]))
    # the three provinces whose Natural Earth names are wrong
    assert (table["VN-39"], table["VN-53"], table["VN-66"]) == ("75", "06", "33")


def test_kon_tum_polygon_contains_kon_tum_city(provinces):
    assert _province(provinces, "62").contains(KON_TUM_CITY)
    assert not _province(provinces, "51").contains(KON_TUM_CITY)


@pytest.mark.parametrize("point, code", [
    (Point(106.61, 8.70), "77"),   # Côn Đảo: Natural Earth files it under Sóc Trăng
    (Point(107.0, 20.8), "31"),    # Cát Bà: Natural Earth files it under Quảng Ninh
])
def test_misfiled_islands_are_in_their_province(provinces, natural_earth, point, code):
    assert provinces.loc[provinces.contains(point), "province_code"].tolist() == [code]
    assert natural_earth.loc[natural_earth.contains(point), "province_code"].tolist() == [code]


ISLAND_DISTRICTS = {"318": "Bạch Long Vĩ", "471": "Cồn Cỏ", "536": "Lý Sơn", "912": "Kiên Hải",
                    "755": "Côn Đảo", "911": "Phú Quốc"}
MOVED_DISTRICTS = {"110": "Than Uyên", "111": "Tân Uyên", "919": "Cái Răng", "916": "Ninh Kiều"}


@pytest.mark.parametrize("code", [*ISLAND_DISTRICTS, *MOVED_DISTRICTS])
def test_islands_and_districts_moved_between_provinces_are_in_their_old_province(provinces, code):
    """The unit list's point of each island district (Bạch Long Vĩ, Cồn Cỏ, Lý Sơn, Kiên Hải, Côn Đảo,
    Phú Quốc) and of districts that changed province in 2004–2008 or that Natural Earth draws in a
    neighbour (Than Uyên, Tân Uyên: Lai Châu; Cái Răng, Ninh Kiều: Cần Thơ) lies in its old province."""
    d = legacy_units().set_index("code").query("level == 'district'").loc[code]
    assert d["short_name"] == {**ISLAND_DISTRICTS, **MOVED_DISTRICTS}[code]
    point = Point(d["lon"], d["lat"])
    assert provinces.loc[provinces.contains(point), "province_code"].tolist() == [d["province_code"]]


def test_natural_earth_lacks_the_small_islands(natural_earth):
    """Why the outlines are built from the communes: Natural Earth has no Bạch Long Vĩ, Cồn Cỏ or Lý Sơn."""
    districts = legacy_units().set_index("code").query("level == 'district'")
    for code in ("318", "471", "536"):
        point = Point(districts.loc[code, "lon"], districts.loc[code, "lat"])
        assert shapely.distance(natural_earth.geometry.to_numpy(), point).min() > 0.2   # degrees (>20 km)


@pytest.fixture(scope="module")
def post_communes():
    return geo.load_post2025("commune")


def test_every_new_commune_has_exactly_one_valid_polygon(post_communes):
    units = post2025_units()
    communes = units[units["level"] == "commune"]
    assert sorted(post_communes["code"]) == sorted(communes["code"])          # codes join, none twice
    assert post_communes.geometry.is_valid.all() and not post_communes.geometry.is_empty.any()
    assert set(post_communes.geom_type) <= {"Polygon", "MultiPolygon"}
    ba_che = post_communes.loc[post_communes["code"] == "06970", "name"].tolist()
    assert ba_che == ["Xã Ba Chẽ"]                                  # 06978 in the source, 06970 in the list


def test_neighbouring_new_communes_do_not_overlap(post_communes):
    geoms = post_communes.geometry.to_numpy()
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    pairs = [(i, j) for i, j in zip(left, right) if i < j]
    km2 = np.array([shapely.area(shapely.intersection(geoms[i], geoms[j])) for i, j in pairs]) * 111.32 ** 2
    assert len(pairs) > 8000                                        # they do touch: shared edges
    assert km2.max() < 0.05 and km2.sum() < 0.5                     # slivers from the 10 m grid at most


def test_new_provinces_are_their_communes_dissolved(post_communes):
    provinces = geo.load_post2025("province")
    assert len(provinces) == 34 and provinces.geometry.is_valid.all()
    by_province = post_communes.dissolve(by="province_code")
    for row in provinces.itertuples():
        diff = shapely.symmetric_difference(row.geometry, by_province.loc[row.code].geometry).area
        assert diff < 1e-6 * max(row.geometry.area, 1e-3), row.code
    quang_ngai = provinces.loc[provinces["code"] == "51"].geometry.iloc[0]
    assert quang_ngai.contains(KON_TUM_CITY)                          # Kon Tum is part of Quảng Ngãi now


def test_the_archipelagos_are_special_zones_of_their_provinces(post_communes):
    zones = post_communes.set_index("code").loc[["20333", "22736"]]
    assert zones["name"].tolist() == ["Đặc khu Hoàng Sa", "Đặc khu Trường Sa"]
    assert zones["province_code"].tolist() == ["48", "56"]
    arch = geo.load_archipelagos().set_index("province_code")
    for code, zone in zones.iterrows():
        assert zone.geometry.distance(arch.loc[zone["province_code"]].geometry) < 0.5


def test_schematic_polygons_for_kon_tum(provinces, kon_tum_communes):
    communes, districts = geo.schematic_polygons(kon_tum_communes, provinces)
    assert len(kon_tum_communes) == 102
    assert sorted(communes["commune_code"]) == sorted(kon_tum_communes["commune_code"])
    assert list(communes.columns) == [
        "commune_code", "district_code", "province_code", "geometry", "source"]
    assert list(districts.columns) == ["district_code", "province_code", "geometry", "source"]
    assert len(districts) == 10
    assert set(communes["source"]) == set(districts["source"]) == {"schematic"}
    area = _province(provinces, "62")
    assert_partition(communes.geometry, area)
    assert_partition(districts.geometry, area)
    # Ia Chim (23326) lies in TP Kon Tum (district 608)
    ia_chim = communes.loc[communes["commune_code"] == "23326"].iloc[0]
    assert ia_chim["district_code"] == "608"
    assert ia_chim.geometry.within(districts.loc[districts["district_code"] == "608"]
                                   .geometry.iloc[0].buffer(1e-9))


def test_schematic_polygons_survive_bad_points(provinces, kon_tum_communes):
    bad = kon_tum_communes.copy()
    bad.loc[0:4, ["lat", "lon"]] = np.nan                         # missing
    bad.loc[5:9, ["lat", "lon"]] = bad.loc[10, ["lat", "lon"]].to_numpy()  # duplicates
    bad.loc[11, ["lat", "lon"]] = (0.0, 0.0)                      # absurd
    bad.loc[12, ["lat", "lon"]] = (14.0, 110.0)                   # in the sea
    bad["commune_code"] = bad["commune_code"].astype(int)         # leading zeros lost
    first, _ = geo.schematic_polygons(bad, provinces)
    again, _ = geo.schematic_polygons(bad.sample(frac=1, random_state=1), provinces)
    assert len(first) == 102 and first["commune_code"].str.len().eq(5).all()
    assert_partition(first.geometry, _province(provinces, "62"))
    assert first.geometry.geom_equals_exact(again.geometry, 0).all()  # order-independent


def test_schematic_polygons_reject_unknown_province(provinces, kon_tum_communes):
    with pytest.raises(ValueError, match="99"):
        geo.schematic_polygons(kon_tum_communes.assign(province_code="99"), provinces)


def test_archipelagos_are_at_their_real_locations():
    arch = geo.load_archipelagos().set_index("name")
    assert arch.crs.to_epsg() == 4326
    assert set(arch.index) == {"Quần đảo Hoàng Sa", "Quần đảo Trường Sa"}
    hoang_sa, truong_sa = arch.loc["Quần đảo Hoàng Sa"], arch.loc["Quần đảo Trường Sa"]
    assert (hoang_sa["province_code"], truong_sa["province_code"]) == ("48", "56")
    assert hoang_sa["name_en"] == "Hoang Sa archipelago"
    assert shapely.box(111.0, 15.5, 113.0, 17.2).contains(hoang_sa.geometry)
    assert shapely.box(111.5, 6.5, 117.5, 11.5).contains(truong_sa.geometry)
    assert arch.geometry.is_valid.all()


def test_geojson_is_plain_json(provinces):
    collection = geo.to_geojson_dict(provinces, ["province_code", "name"])
    json.dumps(collection)  # plain JSON types only
    assert len(collection["features"]) == 63
    assert collection["features"][0]["properties"].keys() == {"province_code", "name"}
