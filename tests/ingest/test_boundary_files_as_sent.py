"""Boundary files as provincial GIS offices send them: province and district name columns without codes,
a national district file drawn before a round of district mergers, a commune file of the new units, codes
that lost their leading zeros, names in NFD, upper case or with abbreviated type words — each joined to
the right units and reported exactly (through the engine, the command line and its dry run)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box, shape

from ntm.ingest.boundaries import match_boundaries, read_boundary_file, report_table
from ntm.store.geo import load_province_polygons
from ntm.store.copy import clone_local

ROOT = Path(__file__).resolve().parents[2]


def district_polygons(db) -> gpd.GeoDataFrame:
    """The demo provinces' district polygons with their province's name: the raw material of the files."""
    df = db.execute("""SELECT b.code, u.name, p.name AS province, b.geojson FROM boundaries b
                       JOIN units u ON u.system = b.system AND u.level = b.level AND u.code = b.code
                       JOIN units p ON p.system = u.system AND p.level = 'province' AND p.code = u.province_code
                       WHERE b.level = 'district' AND b.system = 'pre2025' AND b.batch_id IS NULL
                       ORDER BY b.code""").df()
    return gpd.GeoDataFrame({"code": df.code, "TINH": df.province, "HUYEN": df.name},
                            geometry=[shape(json.loads(g)) for g in df.geojson], crs=4326)


def as_file(gdf: gpd.GeoDataFrame, columns: list[str], name: str = "huyen.geojson") -> gpd.GeoDataFrame:
    return read_boundary_file(gdf[columns + ["geometry"]].to_json().encode(), name)


def inside(province_code: str, size: float = 0.05):
    """A small square inside a province (for a district the demo has no polygon of)."""
    p = load_province_polygons().set_index("province_code").geometry[province_code].representative_point()
    return box(p.x - size, p.y - size, p.x + size, p.y + size)


# ---------------------------------------------------------------------------------------------
# A district file with province and district names, no codes

def test_province_and_district_name_columns_join_districts_within_the_named_province(db):
    """Kon Tum's districts as a GIS office writes them: the province column first (“Tỉnh Kon Tum” is
    also the name of a district, Thành phố Kon Tum), district names in capitals, with “H.”, in NFD and
    with stray spaces — every district lands on its own unit."""
    gdf = district_polygons(db)
    gdf = gdf[gdf.TINH == "Tỉnh Kon Tum"].reset_index(drop=True)
    written = {
        "Huyện Đăk Hà": "H. Đắk Hà",
        "Huyện Ia H'Drai": "HUYỆN IA H' DRAI",
        "Huyện Sa Thầy": "  Huyện  Sa   Thầy ",
        "Huyện Kon Plông": unicodedata.normalize("NFD", "huyện Kon Plông"),
    }
    gdf["HUYEN"] = gdf.HUYEN.map(lambda n: written.get(n, n))
    assert set(written.values()) <= set(gdf.HUYEN), "the demo's Kon Tum districts changed names"
    match = match_boundaries(db, as_file(gdf, ["TINH", "HUYEN"]), "district")
    assert match.method == "name:HUYEN + TINH" and match.system == "pre2025"
    assert sorted(match.units.code) == sorted(gdf.code)
    assert (match.report.outcome == "matched").all()
    ia_h_drai = match.report[match.report.name_in_file == "HUYỆN IA H' DRAI"]
    assert ia_h_drai.unit_name.tolist() == ["Huyện Ia H'Drai"]


def test_the_province_column_decides_where_a_name_is_looked_up(db):
    """Two polygons drawn in the wrong place (inside Kon Tum) but named for Quảng Ngãi's Lý Sơn and
    Ba Tơ: the province column, not the drawing, says which province's districts the names are in — and
    since the drawings lie far from Quảng Ngãi they are reported misplaced, in Kon Tum, and not stored."""
    gdf = gpd.GeoDataFrame({"TINH": ["Tỉnh Quảng Ngãi", "Tỉnh Quảng Ngãi", "Tỉnh Kon Tum"],
                            "HUYEN": ["Huyện Lý Sơn", "Huyện Ba Tơ", "Huyện Sa Thầy"]},
                           geometry=[inside("62", 0.05).buffer(0), inside("62", 0.02), inside("62", 0.01)], crs=4326)
    match = match_boundaries(db, as_file(gdf, ["TINH", "HUYEN"]), "district")
    names = dict(zip(match.report.name_in_file, match.report.unit_name))
    assert names == {"Huyện Lý Sơn": "Huyện Lý Sơn", "Huyện Ba Tơ": "Huyện Ba Tơ", "Huyện Sa Thầy": "Huyện Sa Thầy"}
    assert dict(zip(match.report.name_in_file, match.report.outcome)) == {
        "Huyện Lý Sơn": "misplaced", "Huyện Ba Tơ": "misplaced", "Huyện Sa Thầy": "matched"}
    codes = db.execute("SELECT name, province_code FROM units WHERE system = 'pre2025' AND level = 'district' "
                       "AND code IN (SELECT unnest(?))", [list(match.units.code)]).fetchall()
    assert codes == [("Huyện Sa Thầy", "62")]
    notes = report_table(match, "vi", problems_only=True)["Ghi chú"].tolist()
    assert notes == ["vùng vẽ ở Tỉnh Kon Tum, xa Tỉnh Quảng Ngãi (tỉnh của đơn vị mang mã / tên này). Hãy kiểm tra mã hoặc "
                     "tọa độ của đối tượng."] * 2


# ---------------------------------------------------------------------------------------------
# A national district file drawn before a round of district mergers

@pytest.fixture(scope="module")
def before_mergers(demo_db_path) -> gpd.GeoDataFrame:
    """The demo districts as a file drawn before NQ 1287/NQ-UBTVQH15 (2024): Thành phố Thanh Hóa without
    Huyện Đông Sơn, which is still its own polygon; Đông Triều still a town (thị xã); plus Huyện Mỹ Lộc
    (merged into Thành phố Nam Định in 2024, whose own polygon the file lacks) and Huyện Kỳ Sơn (Hòa
    Bình, merged in 2019 — earlier than the lineage the product knows)."""
    from ntm.store.connection import connect

    con = connect(demo_db_path, read_only=True)
    try:
        gdf = district_polygons(con)
    finally:
        con.close()
    city = gdf.index[gdf.code == "380"][0]
    geom = gdf.geometry[city]
    minx, miny, maxx, maxy = geom.bounds
    mid = (minx + maxx) / 2
    gdf.loc[city, "geometry"] = geom.intersection(box(minx, miny, mid, maxy))
    extra = gpd.GeoDataFrame(
        {"code": ["405", "358", "151"], "TINH": ["Tỉnh Thanh Hóa", "Tỉnh Nam Định", "Tỉnh Hòa Bình"],
         "HUYEN": ["Huyện Đông Sơn", "Huyện Mỹ Lộc", "Huyện Kỳ Sơn"]},
        geometry=[geom.intersection(box(mid, miny, maxx, maxy)), inside("36"), inside("17")], crs=4326)
    gdf = pd.concat([gdf, extra], ignore_index=True)
    gdf.loc[gdf.code == "205", "HUYEN"] = "Thị xã Đông Triều"
    gdf.attrs["city_area"] = geom.area
    return gdf


@pytest.mark.parametrize("columns", [["code", "TINH", "HUYEN"], ["TINH", "HUYEN"]], ids=["codes", "names"])
def test_a_file_from_before_the_district_mergers_reports_former_districts_by_their_own_names(
        db, before_mergers, columns):
    match = match_boundaries(db, as_file(before_mergers, columns), "district")
    report = match.report.set_index("name_in_file")
    # Đông Sơn no longer exists: reported by its own name (and code), with what became of it…
    dong_son = report.loc["Huyện Đông Sơn"]
    assert (dong_son.outcome, dong_son.code, dong_son.unit_name, dong_son.former_code, dong_son.decision) == (
        "dissolved", "380", "Thành phố Thanh Hóa", "405", "NQ 1287/NQ-UBTVQH15")
    # …and the city it went into is assembled from both parts, so its polygon is the city of today.
    assert report.loc["Thành phố Thanh Hóa"].outcome == "assembled"
    city = match.units.set_index("code").geometry["380"]
    assert city.area == pytest.approx(before_mergers.attrs["city_area"], rel=1e-6)
    # Đông Triều was a town then: stored on the city it became, reported as a change of type.
    dong_trieu = report.loc["Thị xã Đông Triều"]
    assert (dong_trieu.outcome, dong_trieu.change, dong_trieu.code) == ("renamed", "type_changed", "205")
    # Mỹ Lộc went into Thành phố Nam Định, which the file does not draw: reported, nothing stored for it.
    my_loc = report.loc["Huyện Mỹ Lộc"]
    assert (my_loc.outcome, my_loc.code, my_loc.unit_name) == ("dissolved", "356", "Thành phố Nam Định")
    assert "356" not in set(match.units.code)
    # Kỳ Sơn left the list before the lineage the product knows: unmatched, by its name.
    assert report.loc["Huyện Kỳ Sơn"].outcome == "unmatched"
    # Every district of today in the demo provinces gets exactly one polygon.
    assert sorted(match.units.code) == sorted(set(before_mergers.code) - {"405", "358", "151"})
    assert match.overlaps.empty


def test_the_report_names_each_former_district_in_both_languages(db, before_mergers):
    match = match_boundaries(db, as_file(before_mergers, ["TINH", "HUYEN"]), "district")
    vi = report_table(match, "vi").set_index("Tên trong tệp")
    assert vi.loc["Huyện Đông Sơn", "Kết quả"] == "Đơn vị không còn (đã sáp nhập)"
    assert vi.loc["Huyện Đông Sơn", "Đơn vị nhận ranh giới"] == "Thành phố Thanh Hóa (380)"
    assert vi.loc["Huyện Đông Sơn", "Ghi chú"].endswith("; mã cũ 405 (NQ 1287/NQ-UBTVQH15)")
    assert vi.loc["Huyện Kỳ Sơn", "Kết quả"] == "Không khớp"
    en = report_table(match, "en").set_index("Name in the file")
    assert en.loc["Thị xã Đông Triều", "Result"] == "Unit renamed / changed type"
    assert en.index[:4].tolist() == ["Huyện Đông Sơn", "Huyện Mỹ Lộc", "Huyện Kỳ Sơn", "Thị xã Đông Triều"]


def test_a_merged_district_without_all_its_parts_is_not_stored(db, before_mergers):
    """Thành phố Thanh Hóa's western half alone with Đông Sơn absent would look like the whole city:
    when the file has Đông Sơn's successor but not… (here: Đông Sơn without the city) nothing is stored
    for the city, and the report says which part is missing."""
    gdf = before_mergers[before_mergers.code != "380"]
    match = match_boundaries(db, as_file(gdf, ["TINH", "HUYEN"]), "district")
    assert "380" not in set(match.units.code)
    assert match.report.set_index("name_in_file").loc["Huyện Đông Sơn"].outcome == "dissolved"


# ---------------------------------------------------------------------------------------------
# A commune file of the new units, with lost zeros, NFD names and abbreviated type words

def new_communes(db, province: str) -> gpd.GeoDataFrame:
    df = db.execute("""SELECT b.code, u.name, b.geojson FROM boundaries b
                       JOIN units u ON u.system = b.system AND u.level = b.level AND u.code = b.code
                       WHERE b.level = 'commune' AND b.system = 'post2025' AND u.province_code = ?
                         AND b.batch_id IS NULL ORDER BY b.code""", [province]).df()
    return gpd.GeoDataFrame({"code": df.code, "name": df.name},
                            geometry=[shape(json.loads(g)) for g in df.geojson], crs=4326)


def test_new_commune_file_with_lost_zeros_and_written_names_joins_the_new_units(db):
    gdf = new_communes(db, "22")                        # Quảng Ninh: codes 06xxx lose their leading zero
    gdf["MA_XA"] = gdf.code.astype(int)
    gdf["TEN_XA"] = [unicodedata.normalize("NFD", n.upper().replace("Xã ", "X. ").replace("XÃ ", "X. "))
                     for n in gdf.name]
    match = match_boundaries(db, as_file(gdf, ["MA_XA", "TEN_XA"], "xa.geojson"), "commune")
    assert match.system == "post2025" and match.method == "code:MA_XA"
    assert sorted(match.units.code) == sorted(gdf.code)
    assert match.names_agree == len(gdf)               # the names confirm the new units, not the old codes
    by_name = match_boundaries(db, as_file(gdf, ["TEN_XA"], "xa.geojson"), "commune")
    assert by_name.system == "post2025" and sorted(by_name.units.code) == sorted(gdf.code)


# ---------------------------------------------------------------------------------------------
# The command line: dry run, exact report, store

@pytest.fixture
def cli_copy(demo_db_path, tmp_path) -> Path:
    path = tmp_path / "ntm.ducklake"
    clone_local(demo_db_path, path)
    return path


def ntm_cli(db: Path, *args: str, **env_extra: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, NTM_DB=str(db), **env_extra)
    return subprocess.run([sys.executable, "-m", "ntm", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=300)


def batches(db: Path) -> int:
    from ntm.store.connection import connect

    con = connect(db, read_only=True)
    try:
        return con.execute("SELECT count(*) FROM import_batches").fetchone()[0]
    finally:
        con.close()


def test_cli_dry_run_reports_former_districts_and_stores_nothing(cli_copy, before_mergers, tmp_path):
    path = tmp_path / "huyen_2023.geojson"
    path.write_text(before_mergers[["TINH", "HUYEN", "geometry"]].to_json(), encoding="utf-8")
    before = batches(cli_copy)
    r = ntm_cli(cli_copy, "boundaries", "import", str(path), "--level", "district", "--dry-run", "--lang", "vi")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    n = len(before_mergers) - 3
    assert lines[0] == ("Ghép theo name:HUYEN + TINH với đơn vị hành chính cũ (trước 1/7/2025: 63 tỉnh, có cấp "
                        f"huyện): {n} đơn vị có ranh giới — khớp "
                        f"{n - 2}, đổi tên/loại 1, ghép từ phần sáp nhập 1; không còn (đã sáp nhập) 2, thiếu phần "
                        "0, không khớp 1, nhập nhằng 0, sai vị trí 0 (đối tượng)")
    report = "\n".join(lines[1:])
    for name in ("Huyện Đông Sơn", "Huyện Mỹ Lộc", "Huyện Kỳ Sơn", "Thị xã Đông Triều", "Thành phố Thanh Hóa"):
        assert name in report
    assert "Thành phố Nam Định (356)" in report and "mã cũ 405" in report
    assert lines[-1] == "Chạy thử: chưa lưu gì."
    assert batches(cli_copy) == before


def test_cli_stores_a_post2025_commune_file_and_leaves_the_old_map(cli_copy, db, tmp_path):
    gdf = new_communes(db, "22")
    gdf["MA_XA"] = gdf.code.astype(int)
    path = tmp_path / "quang_ninh_xa.geojson"
    path.write_text(gdf[["MA_XA", "name", "geometry"]].to_json(), encoding="utf-8")
    from tests.conftest import with_account

    with_account(cli_copy, "lan", "mật khẩu đủ dài 2024")
    r = ntm_cli(cli_copy, "boundaries", "import", str(path), "--level", "commune", "--lang", "en", "--user", "lan")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0].startswith(
        f"Joined by code:MA_XA to the new units (from 1 July 2025: 34 provinces, 3,321 communes, no districts): "
        f"{len(gdf)} units get a boundary")
    assert r.stdout.splitlines()[-1].startswith(f"Stored the boundaries of {len(gdf)} units, batch ")
    from ntm.read.geography import read_boundaries
    from ntm.read.scope import resolve_scope
    from ntm.store.connection import connect

    con = connect(cli_copy, read_only=True)
    try:
        new = read_boundaries(con, "commune", 2026, resolve_scope(con, "22", 2026))
        old = read_boundaries(con, "commune", 2024, resolve_scope(con, "22", 2024))
    finally:
        con.close()
    assert set(new.source) == {"uploaded\tquang_ninh_xa.geojson\tlan"}
    assert old.is_schematic.all() and not old.source.str.contains("quang_ninh_xa").any()


# ---------------------------------------------------------------------------------------------
# Geometry checks: invalid polygons repaired, overlaps between neighbours reported

def test_invalid_polygons_are_repaired_and_overlaps_reported(db):
    from shapely.affinity import translate
    from shapely.geometry import Polygon

    gdf = district_polygons(db)
    gdf = gdf[gdf.TINH == "Tỉnh Kon Tum"].reset_index(drop=True)
    # a bow-tie (self-intersecting ring) where Sa Thầy was drawn, as a digitising slip leaves it
    sa_thay = gdf.index[gdf.HUYEN == "Huyện Sa Thầy"][0]
    minx, miny, maxx, maxy = gdf.geometry[sa_thay].bounds
    gdf.loc[sa_thay, "geometry"] = Polygon([(minx, miny), (maxx, maxy), (maxx, miny), (minx, maxy)])
    # Ngọc Hồi shifted east by 0.05° so that it overlaps its neighbours by whole square kilometres
    ngoc_hoi = gdf.index[gdf.HUYEN == "Huyện Ngọc Hồi"][0]
    gdf.loc[ngoc_hoi, "geometry"] = translate(gdf.geometry[ngoc_hoi], xoff=0.05)
    match = match_boundaries(db, as_file(gdf, ["TINH", "HUYEN"]), "district")
    assert match.repaired == 1
    assert match.units.geometry.is_valid.all() and len(match.units) == len(gdf)
    assert not match.overlaps.empty
    pairs = set(zip(match.overlaps.name_a, match.overlaps.name_b)) | set(zip(match.overlaps.name_b,
                                                                             match.overlaps.name_a))
    assert all("Huyện Ngọc Hồi" in pair or "Huyện Sa Thầy" in pair for pair in pairs)
    assert any("Huyện Ngọc Hồi" in pair for pair in pairs)
    assert (match.overlaps.km2 > 1).any()
