"""The analyst's upload in a real browser: sign in, upload a real file, read the report, confirm, and
see the imported figures on a page; a broken file shows its located errors and cannot be imported."""

from __future__ import annotations

import re

import pytest

from ntm.domain.columns import BY_NAME
from ntm.domain.rules import CRITERIA
from ntm.store.connection import connect
from ntm.text import fmt_percent

from .conftest import ANALYST, full_screenshot, wait_rendered

pytestmark = pytest.mark.browser


def quang_ngai_file(db_path, tmp_path, change: dict | None = None, name: str = "quang_ngai_2026.csv"):
    """The new Quảng Ngãi's 2026 figures in force (new units, QĐ 51/2025) as an upload file with Vietnamese
    headers (optionally changed)."""
    con = connect(db_path, read_only=True)
    try:
        df = con.execute("""SELECT f.*, u.name AS commune_name FROM commune_year f JOIN units u USING (unit_id)
                            WHERE f.is_current AND f.year = 2026 AND f.province_code = '51'
                            ORDER BY f.commune_code""").df()
    finally:
        con.close()
    cols = ["year", "commune_code", "commune_name", "households", "population", "poor_households",
            "near_poor_households", "escaped_poverty", "fell_back_into_poverty", "newly_poor",
            "ethnic_minority_households", "ethnic_minority_poor_households", "income_per_capita", "ntm_status",
            "ntm_recognition_year", "criteria_met", "commune_group", *CRITERIA[:10]]
    out = df[cols].copy()
    for c in CRITERIA[:10]:
        out[c] = out[c].map({True: 1, False: 0})
    for (row, col), value in (change or {}).items():
        out[col] = out[col].astype(object)
        out.loc[row, col] = value
    out.columns = [BY_NAME[c].header_vi for c in out.columns]
    path = tmp_path / name
    out.to_csv(path, index=False, encoding="utf-8-sig")
    return path, df


def fewer_poor_file(db_path, tmp_path):
    """The new Quảng Ngãi's 2026 file (the first review under NĐ 351/2025: no flows) with up to five poor
    households fewer in each commune: (file, figures in force, poor households in the file)."""
    _, df = quang_ngai_file(db_path, tmp_path)
    change = {}
    for i in df.index[df["poor_households"] > 0]:
        poor = int(df.loc[i, "poor_households"]) - min(int(df.loc[i, "poor_households"]), 5)
        change.update({(i, "poor_households"): poor,
                       (i, "ethnic_minority_poor_households"): min(int(df.loc[i, "ethnic_minority_poor_households"]), poor)})
    path, _ = quang_ngai_file(db_path, tmp_path, change)
    return path, df, sum(v for (_, col), v in change.items() if col == "poor_households") + int(
        df.loc[df["poor_households"] <= 0, "poor_households"].sum())


def shipped_districts(db_path, province: str):
    """code, name, geojson of a province's districts as the database ships them (old units)."""
    con = connect(db_path, read_only=True)
    try:
        return con.execute("""SELECT b.code, u.name, b.geojson FROM boundaries b
                              JOIN units u ON u.system = b.system AND u.level = b.level AND u.code = b.code
                              WHERE b.level = 'district' AND b.system = 'pre2025' AND u.province_code = ?
                                AND b.batch_id IS NULL ORDER BY b.code""", [province]).df()
    finally:
        con.close()


def sign_in(page, server_url, query: str = ""):
    """Open the upload page (with `query`, e.g. "?province=51&year=2026") and sign in as the analyst."""
    page.goto(f"{server_url}/upload{query}")
    wait_rendered(page, '[data-testid="stForm"]')
    page.get_by_label("Tên đăng nhập").fill(ANALYST[0])
    page.get_by_label("Mật khẩu").fill(ANALYST[1])
    page.get_by_role("button", name="Đăng nhập").click()
    wait_rendered(page, 'input[type="file"]', text="Số liệu năm")


def upload_and_confirm(page, path, year: int = 2026) -> int:
    """Send a yearly file through the signed-in page, acknowledge its warnings, press Import; the batch id."""
    page.locator('input[type="file"]').first.set_input_files(str(path))
    wait_rendered(page, text="Xem trước thay đổi")
    ack = page.get_by_text("Tôi đã xem", exact=False)
    if ack.count():
        ack.first.click()
        wait_rendered(page)
    page.get_by_role("button", name="Nhập", exact=False).filter(has_text=f"năm {year}").click()
    wait_rendered(page, text="Đã nhập")
    return int(re.search(r"mã lô (\d+)", page.locator('[data-testid="stMain"]').inner_text()).group(1))


def test_upload_confirm_and_see_figures(page, server_url, browser_db, tmp_path, test_output_dir):
    path, df, expected_poor = fewer_poor_file(browser_db, tmp_path)
    expected_rate = fmt_percent(100 * expected_poor / int(df["households"].sum()), "vi")
    before_rate = fmt_percent(100 * int(df["poor_households"].sum()) / int(df["households"].sum()), "vi")
    assert expected_rate != before_rate
    sign_in(page, server_url)
    upload_and_confirm(page, path)
    full_screenshot(page, test_output_dir / "upload_done_vi.png")
    page.goto(f"{server_url}/?province=51&year=2026")
    wait_rendered(page, text=expected_rate)          # the overview's poor rate uses the imported figures
    assert not page.errors.all(), page.errors.all()


def test_broken_file_shows_located_errors(page, server_url, browser_db, tmp_path, test_output_dir):
    path, _ = quang_ngai_file(browser_db, tmp_path, {(1, "households"): "không rõ"}, name="hong.csv")
    sign_in(page, server_url)
    page.locator('input[type="file"]').first.set_input_files(str(path))
    wait_rendered(page, text="chưa nhập")
    body = page.locator('[data-testid="stMain"]').inner_text()
    full_screenshot(page, test_output_dir / "upload_errors_vi.png")
    assert "Tệp còn 1 lỗi" in body
    assert "Tệp hong.csv, dòng 3, cột “Tổng số hộ”, giá trị “không rõ”" in body
    assert page.get_by_role("button", name="Nhập", exact=False).filter(has_text="năm 2026").count() == 0


def test_boundary_file_from_before_the_mergers_reported_then_stored(page, server_url, browser_db, tmp_path,
                                                                      test_output_dir):
    """A Thanh Hóa district file with province and district names and no codes, drawn before NQ 1287
    (Đông Sơn still a district): the page reports Đông Sơn by its own name with the city it went into,
    before anything is stored; storing puts the assembled city on the map's layer."""
    import json

    import geopandas as gpd
    from shapely.geometry import box, shape

    df = shipped_districts(browser_db, "38")
    geoms = [shape(json.loads(g)) for g in df.geojson]
    city = df.index[df.code == "380"][0]
    minx, miny, maxx, maxy = geoms[city].bounds
    mid = (minx + maxx) / 2
    east = geoms[city].intersection(box(mid, miny, maxx, maxy))
    geoms[city] = geoms[city].intersection(box(minx, miny, mid, maxy))
    gdf = gpd.GeoDataFrame({"TEN_TINH": ["Tỉnh Thanh Hóa"] * (len(df) + 1),
                            "TEN_HUYEN": [n.upper() for n in df.name] + ["H. Đông Sơn"]},
                           geometry=geoms + [east], crs=4326)
    path = tmp_path / "thanh_hoa_huyen_2023.geojson"
    path.write_text(gdf.to_json(), encoding="utf-8")

    sign_in(page, server_url)
    page.get_by_role("tab", name="Ranh giới").click()
    page.locator('input[type="file"]').nth(1).set_input_files(str(path))
    wait_rendered(page, text="H. Đông Sơn")
    main = page.locator('[data-testid="stMain"]')
    body = main.inner_text()
    full_screenshot(page, test_output_dir / "upload_boundaries_report_vi.png")
    assert "Cách ghép: name:TEN_HUYEN + TEN_TINH" in body
    assert "Đơn vị không còn (đã sáp nhập)" in body and "Thành phố Thanh Hóa (380)" in body
    assert "mã cũ 405 (NQ 1287/NQ-UBTVQH15)" in body
    assert "Ghép từ các đơn vị đã sáp nhập" in body
    page.get_by_role("button", name=f"Lưu {len(df)} ranh giới").click()
    wait_rendered(page, text=f"Đã lưu {len(df)} ranh giới")
    assert not page.errors.all(), page.errors.all()


def test_boundary_files_drawn_in_the_wrong_place_say_where_and_why(page, server_url, browser_db, tmp_path,
                                                                   test_output_dir):
    """Kon Tum's district file where one feature carries a Quảng Ngãi district's code: the report lists
    it first as misplaced (drawn in Kon Tum, far from Quảng Ngãi), not stored. The same file with
    longitude and latitude swapped: a message that says so, instead of a report of nothing matched."""
    import json

    import geopandas as gpd
    import shapely
    from shapely.geometry import shape

    df = shipped_districts(browser_db, "62")
    elsewhere = shipped_districts(browser_db, "51").code.min()
    gdf = gpd.GeoDataFrame({"MA_HUYEN": df.code.tolist(), "TEN_HUYEN": df.name.tolist()},
                           geometry=[shape(json.loads(g)) for g in df.geojson], crs=4326)
    gdf.loc[0, "MA_HUYEN"] = elsewhere
    misplaced = tmp_path / "kon_tum_huyen.geojson"
    misplaced.write_text(gdf.to_json(), encoding="utf-8")
    swapped = tmp_path / "kon_tum_huyen_dao_truc.geojson"
    gdf["geometry"] = shapely.transform(gdf.geometry.to_numpy(), lambda xy: xy[:, ::-1])
    swapped.write_text(gdf.to_json(), encoding="utf-8")

    sign_in(page, server_url)
    page.get_by_role("tab", name="Ranh giới").click()
    page.get_by_label("Cột mã (để trống để tự nhận)").fill("MA_HUYEN")
    page.locator('input[type="file"]').nth(1).set_input_files(str(misplaced))
    wait_rendered(page, text="Sai vị trí — không lưu")
    body = page.locator('[data-testid="stMain"]').inner_text()
    full_screenshot(page, test_output_dir / "upload_boundaries_misplaced_vi.png")
    assert "vùng vẽ ở Tỉnh Kon Tum, xa Tỉnh Quảng Ngãi" in body
    assert f"Lưu {len(df) - 1} ranh giới" in body

    page.locator('input[type="file"]').nth(1).set_input_files(str(swapped))
    wait_rendered(page, text="Kinh độ và vĩ độ trong tệp bị đổi chỗ")
    full_screenshot(page, test_output_dir / "upload_boundaries_swapped_vi.png")
    assert "ranh giới" not in page.get_by_role("button").all_inner_texts()
    assert not page.errors.all(), page.errors.all()


def test_files_the_readers_do_not_take_still_get_an_answer_in_vietnamese(page, server_url, tmp_path, test_output_dir):
    """An old Excel workbook (.xls) and a lone .shp are let through the upload boxes (the browser would
    otherwise refuse them with an English tooltip), and the page says how to send them instead."""
    xls, shp = tmp_path / "bieu_2024.xls", tmp_path / "huyen.shp"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)      # an OLE2 (Excel 97–2003) file
    shp.write_bytes(b"\x00\x00\x27\x0a" + b"\0" * 96)
    sign_in(page, server_url)
    page.locator('input[type="file"]').first.set_input_files(str(xls))
    wait_rendered(page, text="Định dạng Excel cũ (.xls) không được hỗ trợ")
    page.get_by_role("tab", name="Ranh giới").click()
    page.locator('input[type="file"]').nth(1).set_input_files(str(shp))
    wait_rendered(page, text="“huyen.shp” chỉ là một phần của Shapefile")
    full_screenshot(page, test_output_dir / "upload_lone_shapefile_vi.png")
    assert not page.errors.all(), page.errors.all()


def test_a_rollback_shows_in_the_history_at_once(page, server_url, test_output_dir):
    """The newest batch undone from the history tab: the page says so and the history already reads the
    new state (the batch is no longer offered for undoing; statuses and dates in Vietnamese)."""
    sign_in(page, server_url)
    page.get_by_role("tab", name="Lịch sử nhập").click()
    wait_rendered(page, text="Lô cần hoàn tác")
    def offered() -> str:
        box = page.locator('[data-testid="stSelectbox"]', has_text="Lô cần hoàn tác")
        value = box.locator("input")
        return (value.input_value() if value.count() else "") or box.inner_text().split("\n")[-1].strip()

    newest = offered().split(" · ")[0].strip()
    assert newest.isdigit(), offered()
    page.get_by_text(f"Tôi chắc chắn muốn hoàn tác lô {newest}", exact=False).click()
    page.get_by_role("button", name="Hoàn tác", exact=True).click()
    wait_rendered(page, text=f"Đã hoàn tác lô {newest}")
    full_screenshot(page, test_output_dir / "upload_history_after_rollback_vi.png")
    assert page.get_by_role("tab", name="Lịch sử nhập", selected=True).count() == 1
    assert not offered().startswith(f"{newest} ·"), offered()
    assert not page.errors.all(), page.errors.all()


def test_the_template_offered_on_the_page_holds_the_chosen_province_communes(page, server_url, browser_db, tmp_path):
    """The template the page's messages point to is on the page: for the sidebar's province and year, one row
    per commune of that year's units, with the year's columns (QĐ 51 set, commune group)."""
    from openpyxl import load_workbook

    con = connect(browser_db, read_only=True)
    try:
        expected = sorted(r[0] for r in con.execute(
            "SELECT code FROM units WHERE system = 'post2025' AND level = 'commune' AND province_code = '51'").fetchall())
    finally:
        con.close()
    sign_in(page, server_url, "?province=51&year=2026")
    wait_rendered(page, text="Tải tệp mẫu năm 2026 (Tỉnh Quảng Ngãi)")
    with page.expect_download() as got:
        page.get_by_role("button", name="Tải tệp mẫu năm 2026 (Tỉnh Quảng Ngãi)").click()
    path = tmp_path / got.value.suggested_filename
    got.value.save_as(path)
    sheet = load_workbook(path, read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    headers = list(rows[0])
    assert {BY_NAME[c].header_vi for c in ("commune_code", "commune_group", CRITERIA[0])} <= set(headers), headers
    codes = [r[headers.index("Mã xã")] for r in rows[1:] if r[headers.index("Mã xã")]]
    assert sorted(map(str, codes)) == expected and len(expected) > 50
    assert not page.errors.all(), page.errors.all()
