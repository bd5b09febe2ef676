"""Uploading real boundary files: formats, reprojection, joins by code or by name, limits on what a
file may contain, and maps preferring uploaded polygons over schematic ones."""

from __future__ import annotations

import io
import json
import zipfile

import geopandas as gpd
import pytest
from shapely.geometry import shape

from ntm.ingest.boundaries import BoundaryError, import_boundaries, match_boundaries, read_boundary_file
from ntm.store.batches import rollback
from ntm.store.connection import connect


def kon_tum_districts(db) -> gpd.GeoDataFrame:
    """Kon Tum's district polygons from the database, as a stand-in for a real boundary file."""
    df = db.execute("""SELECT b.code, u.name, b.geojson FROM boundaries b
                       JOIN units u ON u.system = b.system AND u.level = b.level AND u.code = b.code
                       WHERE b.level = 'district' AND u.province_code = '62' ORDER BY b.code""").df()
    return gpd.GeoDataFrame({"MA_HUYEN": df.code.astype(int), "TEN_HUYEN": df.name},
                            geometry=[shape(json.loads(g)) for g in df.geojson], crs=4326)


def geojson_bytes(gdf) -> bytes:
    return gdf.to_json().encode()


def test_geojson_in_a_projected_crs_is_reprojected_and_joined_by_detected_code(db):
    gdf = kon_tum_districts(db).to_crs(32648)               # UTM 48N, as provincial GIS offices use
    read = read_boundary_file(geojson_bytes(gdf), "kontum.geojson")
    assert read.crs.to_epsg() == 4326
    match = match_boundaries(db, read, "district")
    assert match.method == "code:MA_HUYEN"                  # codes typed as numbers, zeros restored
    assert sorted(match.units.code) == sorted(f"{c:03d}" for c in gdf.MA_HUYEN)
    assert (match.report.outcome == "matched").all()


def test_join_by_name_within_province(db):
    gdf = kon_tum_districts(db).drop(columns=["MA_HUYEN"])
    gdf.loc[0, "TEN_HUYEN"] = gdf.loc[0, "TEN_HUYEN"].upper().replace("Huyện ", "")
    gdf.loc[1, "TEN_HUYEN"] = "Huyện Không Có"
    match = match_boundaries(db, read_boundary_file(geojson_bytes(gdf), "kt.geojson"), "district")
    assert match.method == "name:TEN_HUYEN"
    assert len(match.units) == len(gdf) - 1
    assert match.rows("unmatched").name_in_file.tolist() == ["Huyện Không Có"]


def test_zipped_shapefile_and_geopackage(db, tmp_path):
    gdf = kon_tum_districts(db)
    shp_dir = tmp_path / "shp"
    shp_dir.mkdir()
    gdf.to_file(shp_dir / "huyen.shp")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in shp_dir.iterdir():
            zf.write(p, f"huyen/{p.name}")
    assert len(match_boundaries(db, read_boundary_file(buf.getvalue(), "huyen.zip"), "district").units) == len(gdf)
    gdf.to_file(tmp_path / "huyen.gpkg", driver="GPKG")
    data = (tmp_path / "huyen.gpkg").read_bytes()
    assert len(match_boundaries(db, read_boundary_file(data, "huyen.gpkg"), "district").units) == len(gdf)


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize("entries,key", [
    ({"../../etc/evil.shp": b"x"}, "boundary.zip_path"),
    ({"/abs/evil.shp": b"x"}, "boundary.zip_path"),
    ({"bomb.geojson": b"0" * 20_000_000}, "boundary.zip_bomb"),
    ({"readme.txt": b"hello"}, "boundary.no_layer"),
    ({f"f{i}.txt": b"x" for i in range(150)}, "boundary.zip_entries"),
])
def test_unsafe_or_useless_zip_is_refused(entries, key, tmp_path):
    with pytest.raises(BoundaryError) as exc:
        read_boundary_file(_zip(entries), "x.zip")
    assert exc.value.key == key
    assert not (tmp_path.parent / "etc" / "evil.shp").exists()


def test_non_polygon_and_unknown_format(db):
    points = gpd.GeoDataFrame({"a": [1]}, geometry=gpd.points_from_xy([108.0], [14.3]), crs=4326)
    with pytest.raises(BoundaryError) as exc:
        read_boundary_file(geojson_bytes(points), "p.geojson")
    assert exc.value.key == "boundary.no_polygons"
    with pytest.raises(BoundaryError) as exc:
        read_boundary_file(b"\x00\x01 not a map", "x.bin")
    assert exc.value.key == "boundary.format"
    with pytest.raises(BoundaryError) as exc:                  # a Shapefile's main part sent alone
        read_boundary_file(b"\x00\x00\x27\x0a" + b"\0" * 96, "huyen.shp")
    assert exc.value.key == "boundary.shapefile_parts" and "“huyen.shp”" in exc.value.message("vi")


def test_uploaded_boundaries_win_over_schematic_and_roll_back(writable_db):
    from ntm.store.batches import rollback_batch
    from ntm.store.connection import transaction

    con = connect(writable_db)
    try:
        gdf = kon_tum_districts(con)
        match = match_boundaries(con, read_boundary_file(geojson_bytes(gdf), "kt.geojson"), "district")
        batch = import_boundaries(con, match, file_name="kt.geojson", checksum="x", user="cli:lan", db_path=writable_db)
        shown = con.execute("""SELECT source, is_schematic FROM boundaries WHERE level = 'district' AND code = '611'
                               AND is_current ORDER BY is_schematic LIMIT 1""").fetchone()
        assert shown == ("uploaded\tkt.geojson\tcli:lan", False)
        from ntm.present.maps import build_map
        from ntm.present.maps.view import source_names
        from ntm.read.scope import resolve_scope

        view = build_map(con, level="district", year=2024, scope=resolve_scope(con, "62", 2024), lang="vi")
        assert source_names(view, "vi") == ["tệp kt.geojson do lan (dòng lệnh) tải lên"]      # said in the reader's language
        assert source_names(view, "en") == ["file kt.geojson, uploaded by lan (command line)"]
        assert con.execute("SELECT count(*) FROM boundaries WHERE is_schematic AND code = '611'").fetchone()[0] == 1
        with transaction(con) as cur:
            rollback_batch(cur, batch)
        left = con.execute("SELECT count(*) FROM boundaries WHERE NOT is_schematic AND is_current "
                           "AND level = 'district'").fetchone()[0]
        assert left == 0
    finally:
        con.close()


def test_a_vrt_disguised_as_json_cannot_read_server_files(tmp_path):
    secret = tmp_path / "secret.csv"
    secret.write_text("WKT,name\n\"POLYGON((0 0,1 0,1 1,0 0))\",TOP SECRET\n")
    vrt = (f"<OGRVRTDataSource><OGRVRTLayer name='s'><SrcDataSource>{secret}</SrcDataSource>"
           "<GeometryField encoding='WKT' field='WKT'/></OGRVRTLayer></OGRVRTDataSource>").encode()
    for name in ("evil.json", "evil.geojson"):
        with pytest.raises(BoundaryError) as exc:
            read_boundary_file(vrt, name)
        assert exc.value.key in ("boundary.unreadable", "boundary.format")
    with pytest.raises(BoundaryError):
        read_boundary_file(_zip({"evil.shp": vrt}), "evil.zip")


def communes_file(db, system: str, province: str) -> gpd.GeoDataFrame:
    """A province's commune polygons of one unit system from the database, as a stand-in boundary file."""
    df = db.execute("""SELECT b.code, u.name, b.geojson FROM boundaries b
                       JOIN units u ON u.system = b.system AND u.level = b.level AND u.code = b.code
                        AND (u.valid_to IS NULL OR u.valid_to = DATE '2025-06-30')
                       WHERE b.level = 'commune' AND b.system = ? AND u.province_code = ? ORDER BY b.code""",
                    [system, province]).df()
    return gpd.GeoDataFrame({"MA_XA": df.code, "TEN_XA": df.name},
                            geometry=[shape(json.loads(g)) for g in df.geojson], crs=4326)


@pytest.mark.parametrize("system, province", [("post2025", "51"), ("pre2025", "62")])
def test_a_commune_file_is_joined_to_the_units_it_is_drawn_on(db, system, province):
    """New codes reuse old numbers: the new Quảng Ngãi's communes must land on the new units, Kon Tum's old
    communes on the old ones — decided by the names, whatever the codes."""
    gdf = communes_file(db, system, province)
    match = match_boundaries(db, read_boundary_file(geojson_bytes(gdf), "xa.geojson"), "commune")
    assert match.system == system
    assert len(match.units) == len(gdf) and match.names_agree == len(gdf)


def test_new_commune_polygons_show_on_the_2026_map_and_not_on_the_old_units(writable_db):
    from ntm.read.geography import read_boundaries
    from ntm.read.scope import resolve_scope

    con = connect(writable_db)
    try:
        gdf = communes_file(con, "post2025", "51")
        match = match_boundaries(con, read_boundary_file(geojson_bytes(gdf), "qn_2025.geojson"), "commune")
        batch = import_boundaries(con, match, file_name="qn_2025.geojson", checksum="x", user="cli:lan",
                                  db_path=writable_db)
        new = read_boundaries(con, "commune", 2026, resolve_scope(con, "51", 2026))
        assert len(new) == len(gdf) and not new["is_schematic"].any()
        assert set(new["source"]) == {"uploaded\tqn_2025.geojson\tcli:lan"}      # the upload wins
        old = read_boundaries(con, "commune", 2024, resolve_scope(con, "51", 2024))
        assert old["is_schematic"].all()                     # the old units keep their own polygons
        rollback(con, batch, writable_db, user="cli:lan")        # undone: the shipped real polygons again
        shipped = read_boundaries(con, "commune", 2026, resolve_scope(con, "51", 2026))
        assert len(shipped) == len(gdf) and shipped["source"].str.startswith("sapnhap.bando.com.vn").all()
    finally:
        con.close()
