"""Boundary files whose coordinates are not where they claim: no or a wrong coordinate system, swapped
longitude and latitude, a feature far from the unit its code names. Each gets a message that says which
coordinate system was read, where the features landed and what to do — never just "0 matched"."""

from __future__ import annotations

import io
import warnings
import zipfile

import geopandas as gpd
import pytest
import shapely
from shapely.affinity import translate

from ntm.errors import BoundaryError
from ntm.ingest.boundaries import match_boundaries, read_boundary_file, report_table
from tests.ingest.test_boundary_upload import kon_tum_districts


def zipped_shapefile(gdf: gpd.GeoDataFrame, tmp_path, keep_prj: bool = True) -> bytes:
    folder = tmp_path / "shp"
    folder.mkdir()
    with warnings.catch_warnings():                  # a file without a coordinate system is the point here
        warnings.filterwarnings("ignore", "'crs' was not provided", UserWarning)
        gdf.to_file(folder / "huyen.shp")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for p in folder.iterdir():
            if keep_prj or p.suffix != ".prj":
                zf.write(p, p.name)
    return buf.getvalue()


def refusal(data: bytes, name: str) -> BoundaryError:
    with pytest.raises(BoundaryError) as info:
        read_boundary_file(data, name)
    return info.value


def swapped(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    out = gdf.copy()
    out["geometry"] = shapely.transform(gdf.geometry.to_numpy(), lambda xy: xy[:, ::-1])
    return out


def test_metres_in_a_geojson_say_they_are_metres_read_as_degrees(db):
    """A GIS office's UTM coordinates written to GeoJSON without a crs member: GeoJSON is lon/lat, so
    the features land far outside Vietnam — the message says so, with the numbers and the fix."""
    gdf = kon_tum_districts(db).to_crs(32648).set_crs(None, allow_override=True)
    err = refusal(gdf.to_json().encode(), "kontum.geojson")
    assert err.key == "boundary.outside_vietnam"
    vi, en = err.message("vi"), err.message("en")
    assert "WGS 84 (EPSG:4326)" in vi and "tính bằng mét" in vi and "xuất lại tệp theo WGS 84" in vi
    assert "in metres" in en and "outside Vietnam" in en
    x, y = err.params["x_number"], err.params["y_number"]
    assert 700_000 < x < 900_000 and 1_500_000 < y < 1_700_000      # Kon Tum in UTM 48N, as the file has it
    assert f"x = {x:,.0f}".replace(",", ".") in vi                   # written the reader's way


def test_a_shapefile_without_prj_in_metres_asks_for_the_prj(db, tmp_path):
    gdf = kon_tum_districts(db).to_crs(32648)
    err = refusal(zipped_shapefile(gdf, tmp_path, keep_prj=False), "huyen.zip")
    assert err.key == "boundary.no_crs"
    assert "gửi kèm tệp .prj" in err.message("vi") and "include the .prj file" in err.message("en")


def test_degrees_under_a_projected_prj_say_the_prj_is_wrong(db, tmp_path):
    """Lon/lat coordinates with a .prj claiming VN-2000 / UTM 48N: the message names the system read and
    says the numbers are lon/lat in Vietnam, so the .prj is wrong."""
    gdf = kon_tum_districts(db).set_crs(3405, allow_override=True)
    err = refusal(zipped_shapefile(gdf, tmp_path), "huyen.zip")
    assert err.key == "boundary.outside_vietnam"
    assert "VN-2000 / UTM zone 48N (EPSG:3405)" in err.message("vi")
    assert "hệ tọa độ khai báo trong tệp bị sai: hãy khai báo WGS 84 (EPSG:4326)" in err.message("vi")


def test_a_file_drawn_next_door_is_refused_as_a_whole(db):
    """Kon Tum's districts moved 3° west (where a wrong VN-2000 central meridian puts them): they lie in
    Laos and Cambodia, inside Vietnam's bounding box but in none of its provinces — the file is refused
    with where it lies, not joined feature by feature."""
    gdf = kon_tum_districts(db)
    gdf["geometry"] = gdf.geometry.translate(xoff=-3)
    err = refusal(gdf.to_json().encode(), "kontum.geojson")
    assert err.key == "boundary.outside_vietnam"
    assert "Hãy kiểm tra đây có đúng là ranh giới ở Việt Nam" in err.message("vi")


def test_a_file_without_a_coordinate_system_with_one_stray_feature_is_read(db, tmp_path):
    """No .prj, every feature in lon/lat but one written in metres: the file is read as lon/lat and the
    stray feature is reported with the join (in no province), the others join."""
    gdf = kon_tum_districts(db).drop(columns="MA_HUYEN")
    gdf.loc[0, "geometry"] = gdf.to_crs(32648).geometry[0]
    read = read_boundary_file(zipped_shapefile(gdf.set_crs(None, allow_override=True), tmp_path, keep_prj=False),
                              "huyen.zip")
    match = match_boundaries(db, read, "district")
    assert match.report.outcome.tolist() == ["unmatched"] + ["matched"] * (len(gdf) - 1)
    assert report_table(match, "vi", problems_only=True)["Ghi chú"].tolist() == [
        "không nằm trong tỉnh nào của Việt Nam. Hãy kiểm tra tọa độ của đối tượng."]


@pytest.mark.parametrize("as_shapefile", [False, True], ids=["geojson", "shapefile-without-prj"])
def test_swapped_longitude_and_latitude_are_named(db, tmp_path, as_shapefile):
    gdf = swapped(kon_tum_districts(db))
    if as_shapefile:
        err = refusal(zipped_shapefile(gdf.set_crs(None, allow_override=True), tmp_path, keep_prj=False), "h.zip")
        assert "không khai báo — đọc như kinh/vĩ độ WGS 84" in err.message("vi")
    else:
        err = refusal(gdf.to_json().encode(), "kontum.geojson")
        assert "WGS 84 (EPSG:4326)" in err.message("vi")
    assert err.key == "boundary.swapped_axes"
    assert "Kinh độ và vĩ độ trong tệp bị đổi chỗ" in err.message("vi")
    assert "Longitude and latitude are swapped" in err.message("en")


def test_a_code_naming_a_unit_in_another_province_is_misplaced_and_not_stored(db):
    """An explicit code column where two Kon Tum polygons carry codes of districts elsewhere (one of
    Quảng Ngãi, one of Hà Giang): both reported misplaced — where they are drawn, whose province the
    code belongs to — and neither stored; the rest join as before."""
    gdf = kon_tum_districts(db)
    elsewhere = dict(db.execute("""SELECT province_code, min(code) FROM units WHERE system = 'pre2025'
                                   AND level = 'district' AND province_code IN ('51', '02')
                                   GROUP BY ALL""").fetchall())
    gdf.loc[0, "MA_HUYEN"] = int(elsewhere["51"])
    gdf.loc[1, "MA_HUYEN"] = int(elsewhere["02"])
    match = match_boundaries(db, read_boundary_file(gdf.to_json().encode(), "kt.geojson"), "district", "MA_HUYEN")
    assert match.report.outcome.tolist() == ["misplaced", "misplaced"] + ["matched"] * (len(gdf) - 2)
    assert elsewhere["51"] not in set(match.units.code) and elsewhere["02"] not in set(match.units.code)
    assert len(match.units) == len(gdf) - 2 and match.summary()["misplaced"] == 2
    vi = report_table(match, "vi", problems_only=True)
    assert vi["Kết quả"].tolist() == ["Sai vị trí — không lưu"] * 2
    assert vi["Ghi chú"].str.startswith("vùng vẽ ở Tỉnh Kon Tum, xa ").all()
    assert {"Tỉnh Quảng Ngãi", "Tỉnh Hà Giang"} == {n.split(", xa ")[1].split(" (")[0] for n in vi["Ghi chú"]}
    en = report_table(match, "en", problems_only=True)
    assert en["Result"].tolist() == ["Misplaced — not stored"] * 2


def test_one_feature_off_the_map_is_reported_and_the_rest_join(db):
    """One polygon moved into the sea, 3° east: the file still reads; by code it is misplaced (drawn in no
    province), by name it is unmatched with a note that it lies in no province."""
    gdf = kon_tum_districts(db)
    gdf.loc[0, "geometry"] = translate(gdf.geometry[0], xoff=3)
    read = read_boundary_file(gdf.to_json().encode(), "kt.geojson")
    by_code = match_boundaries(db, read, "district", "MA_HUYEN")
    assert by_code.report.outcome.tolist() == ["misplaced"] + ["matched"] * (len(gdf) - 1)
    assert report_table(by_code, "vi", problems_only=True)["Ghi chú"].str.startswith("vùng vẽ ở ngoài mọi tỉnh").all()
    by_name = match_boundaries(db, read_boundary_file(gdf.drop(columns="MA_HUYEN").to_json().encode(), "kt.geojson"),
                               "district")
    assert by_name.report.outcome.tolist() == ["unmatched"] + ["matched"] * (len(gdf) - 1)
    note = report_table(by_name, "en", problems_only=True)["Note"].tolist()
    assert note == ["lies in no province of Vietnam. Check the feature's coordinates."]
