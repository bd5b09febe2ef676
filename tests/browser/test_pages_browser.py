"""The dashboard in a real Chromium: every page draws in Vietnamese and in English without browser
errors or requests leaving the server, a click on the map drills down to a commune's profile, and a
copied link restores the view. Screenshots go to `test_output_dir/browser/`."""

from __future__ import annotations

import math
import re

import pytest

from ntm.present import maps
from ntm.present.maps.placement import HALO_PX, text_size_px
from ntm.read import scope as scope_q

pytestmark = pytest.mark.browser

PLOTLY = '[data-testid="stPlotlyChart"] .main-svg'
CHART = '[data-testid="stPlotlyChart"]'
DECK = '[data-testid="stDeckGlJsonChart"] canvas'
METRIC = '[data-testid="stMetric"]'

# page path, query, element that proves the page drew, title (vi, en)
PAGES = [
    ("", "province=62&year=2024", METRIC, ("Tổng quan", "Overview")),
    ("map", "province=62&year=2024", DECK, ("Bản đồ", "Map")),
    ("ntm_pipeline", "province=62&year=2024", PLOTLY, ("Nông thôn mới", "New rural development")),
    ("poverty", "province=62&year=2024", PLOTLY, ("Giảm nghèo", "Poverty reduction")),
    ("commune_profile", "province=62&commune=23353&year=2024", PLOTLY, ("Hồ sơ xã", "Commune profile")),
]


# After the reform: 2026 on the new units (the new Quảng Ngãi, with old Kon Tum), the map of its new communes,
# and a profile whose history crosses the reform (the new Đăk Môn: Đắk Môn and Đắk Kroong before 2025).
PAGES_2026 = [
    ("", "province=51&year=2026", METRIC, ("Tổng quan", "Overview")),
    ("map", "province=51&year=2026&level=commune", DECK, ("Bản đồ", "Map")),
    ("ntm_pipeline", "province=51&year=2026", PLOTLY, ("Nông thôn mới", "New rural development")),
    ("poverty", "province=51&year=2026", PLOTLY, ("Giảm nghèo", "Poverty reduction")),
    ("commune_profile", "province=51&commune=23374&year=2026", PLOTLY, ("Hồ sơ xã", "Commune profile")),
]


def title_of(page) -> str:
    return page.locator("h1").first.inner_text().strip()


def assert_no_browser_errors(page) -> None:
    assert page.errors.all() == []


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("path, query, selector, titles", PAGES, ids=[p[0] or "overview" for p in PAGES])
def test_page_draws(page, server_url, rendered, screenshot, path, query, selector, titles, lang):
    suffix = "&lang=en" if lang == "en" else ""
    page.goto(f"{server_url}/{path}?{query}{suffix}")
    title = titles[0] if lang == "vi" else titles[1]
    rendered(page, selector, text=title)
    assert title_of(page) == title
    notice = "DỮ LIỆU MINH HỌA" if lang == "vi" else "DEMO DATA"
    assert page.locator('[data-testid="stAlert"]', has_text=notice).count() >= 1
    if selector == PLOTLY:
        assert page.locator(CHART).count() >= 2                    # the first section's charts
    if selector == DECK:
        box = page.locator(DECK).first.bounding_box()
        assert box["width"] > 400 and box["height"] >= 500
    screenshot(page, f"{path or 'overview'}-{lang}")
    assert_no_browser_errors(page)


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("path, query, selector, titles", PAGES_2026, ids=[p[0] or "overview" for p in PAGES_2026])
def test_page_draws_2026_on_the_new_units(page, server_url, rendered, screenshot, path, query, selector, titles,
                                          lang):
    suffix = "&lang=en" if lang == "en" else ""
    page.goto(f"{server_url}/{path}?{query}{suffix}")
    title = titles[0] if lang == "vi" else titles[1]
    rendered(page, selector, text=title)
    assert title_of(page) == title
    units = "Địa giới mới" if lang == "vi" else "New units"
    assert page.get_by_text(units).count() >= 1
    if path == "map":
        box = page.locator(DECK).first.bounding_box()
        assert box["width"] > 400 and box["height"] >= 500
    if path == "commune_profile":
        history = "Các năm trước 2025" if lang == "vi" else "Years before 2025"
        assert page.locator('[data-testid="stAlert"]', has_text=history).count() == 1
    screenshot(page, f"{path or 'overview'}-2026-{lang}")
    assert_no_browser_errors(page)


def test_an_old_province_link_after_the_reform_opens_its_former_area_and_links_the_new_one(page, server_url,
                                                                                           rendered, screenshot):
    page.goto(f"{server_url}/?province=62&year=2026")
    rendered(page, METRIC, text="Tổng quan")
    assert page.locator('[data-testid="stAlert"]', has_text="nay thuộc Tỉnh Quảng Ngãi (51)").count() == 1
    page.get_by_role("button", name="Xem Tỉnh Quảng Ngãi (địa giới mới)").click()
    page.wait_for_url(re.compile(r"province=51"))
    rendered(page, METRIC, text="Tỉnh Quảng Ngãi · năm 2026")
    screenshot(page, "overview-2026-after-link")
    assert_no_browser_errors(page)


# -------------------------------------------------------------------------------------------------
# Map: click to drill down, then open the commune's profile


def _merc(lon: float, lat: float) -> tuple[float, float]:
    x = (lon + 180.0) / 360.0
    y = (1.0 - math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / math.pi) / 2.0
    return x, y


def lonlat_to_pixel(page, view: dict, lon: float, lat: float) -> tuple[float, float]:
    """Page coordinates of a longitude/latitude on the deck canvas, for the Web-Mercator `view`."""
    box = page.locator(DECK).first.bounding_box()
    world = 512.0 * 2 ** view["zoom"]
    cx, cy = _merc(view["longitude"], view["latitude"])
    x, y = _merc(lon, lat)
    px = box["x"] + box["width"] / 2 + (x - cx) * world
    py = box["y"] + box["height"] / 2 + (y - cy) * world
    assert box["x"] < px < box["x"] + box["width"] and box["y"] < py < box["y"] + box["height"]
    return px, py


def click_lonlat(page, view: dict, lon: float, lat: float) -> None:
    """Click the deck canvas at a longitude/latitude."""
    px, py = lonlat_to_pixel(page, view, lon, lat)
    page.mouse.move(px, py)
    page.wait_for_timeout(300)
    page.mouse.click(px, py)


def inner_point(view: maps.MapView, code: str) -> tuple[float, float]:
    from shapely.geometry import shape

    feature = next(f for f in view.units["features"] if f["properties"]["code"] == code)
    p = shape(feature["geometry"]).representative_point()
    return p.x, p.y


def test_click_on_the_map_drills_down_to_a_commune_profile(page, server_url, db, rendered, screenshot):
    # the maps the server draws (built on the original demo file: the server holds its copy's lock)
    national = maps.build_map(db, level="province", year=2024, metric="poor_rate")
    kon_tum = maps.build_map(db, level="district", year=2024, scope=scope_q.resolve_scope(db, "62", 2024))
    dak_glei = maps.build_map(db, level="commune", year=2024, scope=scope_q.resolve_scope(db, "610", 2024))

    page.goto(f"{server_url}/map?year=2024")
    rendered(page, DECK, text="theo tỉnh")
    click_lonlat(page, national.view, *inner_point(national, "62"))          # a province: drill down
    page.wait_for_url(re.compile(r"province=62"))
    rendered(page, DECK, text="theo huyện")
    assert "Tỉnh Kon Tum" in page.locator('[data-testid="stMain"] [data-testid="stCaptionContainer"]').first.inner_text()

    click_lonlat(page, kon_tum.view, *inner_point(kon_tum, "610"))            # a district: drill down
    page.wait_for_url(re.compile(r"district=610"))
    rendered(page, DECK, text="theo xã")

    click_lonlat(page, dak_glei.view, *inner_point(dak_glei, "23353"))        # a commune: select it
    page.wait_for_url(re.compile(r"commune=23353"))
    rendered(page, DECK, text="Đang chọn: Xã Đăk Pék")
    screenshot(page, "map-commune-selected")
    page.get_by_role("link", name="Mở hồ sơ xã").click()
    page.wait_for_url(re.compile(r"/commune_profile\?.*commune=23353"))
    rendered(page, PLOTLY, text="Xã Đăk Pék")
    assert title_of(page) == "Hồ sơ xã"
    assert page.locator("h3", has_text="Xã Đăk Pék").count() == 1
    assert_no_browser_errors(page)


def test_map_tooltip_is_plain_text(page, server_url, db, rendered):
    view = maps.build_map(db, level="district", year=2024, scope=scope_q.resolve_scope(db, "62", 2024))
    page.goto(f"{server_url}/map?province=62&year=2024")
    rendered(page, DECK, text="theo huyện")
    px, py = lonlat_to_pixel(page, view.view, *inner_point(view, "611"))
    page.mouse.move(px, py)
    tooltip = page.locator(".deck-tooltip")
    tooltip.wait_for(state="visible", timeout=10_000)
    text = tooltip.inner_text()
    assert text.startswith("Huyện Ngọc Hồi (611)\nTỷ lệ hộ nghèo 2024: ")
    assert "Huyện miền núi" in text and "Ranh giới sơ đồ" in text
    assert_no_browser_errors(page)


# -------------------------------------------------------------------------------------------------
# Filters in the URL: set them through the UI, copy the link, open it elsewhere


def choose(page, label: str, option: str) -> None:
    page.locator('[data-testid="stSelectbox"]', has_text=label).first.click()
    page.locator('[role="option"]', has_text=option).first.click()


def test_a_copied_link_restores_the_view(page, browser, server_url, rendered, screenshot):
    page.goto(f"{server_url}/?year=2024")
    rendered(page, METRIC, text="Tổng quan")
    choose(page, "Tỉnh", "Tỉnh Thanh Hóa")
    page.wait_for_url(re.compile(r"province=38"))
    rendered(page, METRIC, text="Tỉnh Thanh Hóa · năm 2024")
    page.get_by_text("Chỉ huyện miền núi").click()
    page.wait_for_url(re.compile(r"mountain=1"))
    rendered(page, METRIC, text="huyện miền núi")
    page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
    page.wait_for_url(re.compile(r"lang=en"))
    rendered(page, METRIC, text="Overview")
    headline = page.locator(METRIC).first.inner_text()

    # switching page in the sidebar keeps the filters
    page.locator('[data-testid="stSidebarNav"] a', has_text="Map").click()
    page.wait_for_url(re.compile(r"/map\?"))
    rendered(page, DECK, text="Map")
    link = page.url
    assert all(part in link for part in ("province=38", "mountain=1", "lang=en", "year=2024"))
    assert_no_browser_errors(page)

    # a colleague opens the copied link in another browser session
    other = browser.new_context(viewport={"width": 1440, "height": 900})
    try:
        fresh = other.new_page()
        fresh.goto(link)
        rendered(fresh, DECK, text="Tỉnh Thanh Hóa · 2024 · Old units (before 1 July 2025) · Filtered to: mountainous districts")
        assert title_of(fresh) == "Map"
        assert fresh.url == link
        fresh.locator('[data-testid="stSidebarNav"] a', has_text="Overview").click()
        rendered(fresh, METRIC, text="Overview")
        assert fresh.locator(METRIC).first.inner_text() == headline
        screenshot(fresh, "copied-link-overview-en")
    finally:
        other.close()


def test_a_section_tab_opens_its_charts_and_stays_in_the_link(page, browser, server_url, rendered, screenshot):
    page.goto(f"{server_url}/poverty?province=62&year=2024")
    rendered(page, PLOTLY, text="Giảm nghèo")
    page.get_by_role("tab", name="Thoát nghèo, tái nghèo, phát sinh").click()
    page.wait_for_url(re.compile(r"view=flows"))
    rendered(page, PLOTLY, text="Thoát nghèo, tái nghèo, phát sinh")
    page.locator(PLOTLY, has_text="Biến động hộ nghèo trong năm").first.wait_for()
    assert page.locator(CHART).count() == 2                        # waterfall and fall-back share only
    screenshot(page, "poverty-flows-vi")
    link = page.url
    assert_no_browser_errors(page)

    other = browser.new_context(viewport={"width": 1440, "height": 900})
    try:
        fresh = other.new_page()
        fresh.goto(link)
        rendered(fresh, PLOTLY, text="Giảm nghèo")
        assert fresh.get_by_role("tab", selected=True).inner_text().strip() == "Thoát nghèo, tái nghèo, phát sinh"
        assert fresh.locator(CHART).count() == 2
        assert fresh.url == link
    finally:
        other.close()


# -------------------------------------------------------------------------------------------------
# Maps for a meeting room: national, province and district scope, an old and a new year, both languages

MAP_SCOPES = [
    ("national-2024", "year=2024", dict(level="province", year=2024, scope=None)),
    ("province-2024", "province=62&year=2024", dict(level="district", year=2024, scope="62")),
    ("district-2024", "province=62&district=610&year=2024", dict(level="commune", year=2024, scope="610")),
    ("national-2026", "year=2026", dict(level="province", year=2026, scope=None)),
    ("province-2026", "province=51&year=2026&level=commune", dict(level="commune", year=2026, scope="51")),
    ("former-district-2026", "province=51&district=610&year=2026&level=commune",
     dict(level="commune", year=2026, scope="610")),
]


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("name, query, built", MAP_SCOPES, ids=[m[0] for m in MAP_SCOPES])
def test_map_reads_in_a_meeting_room(page, server_url, db, rendered, screenshot, name, query, built, lang):
    """Every label the map draws lies inside the canvas with room for its text, no two labels overlap,
    the legend sits beside the map (not under it) and the map is taller than a strip."""
    scope = scope_q.resolve_scope(db, built["scope"], built["year"]) if built["scope"] else None
    view = maps.build_map(db, level=built["level"], year=built["year"], scope=scope, lang=lang)
    page.goto(f"{server_url}/map?{query}" + ("&lang=en" if lang == "en" else ""))
    rendered(page, DECK, text=view.title)
    box = page.locator(DECK).first.bounding_box()
    assert box["height"] >= 500 and box["height"] == view.view["height"]         # as tall as the area needs
    legend = page.get_by_text("Chú giải" if lang == "vi" else "Legend", exact=False).first.bounding_box()
    assert legend["x"] >= box["x"] + box["width"] - 5 and legend["y"] < box["y"] + box["height"]
    boxes = []
    for label in view.labels:
        px, py = lonlat_to_pixel(page, view.view, *label["position"])
        width = text_size_px(label["text"], label["size"])[0] - 2 * HALO_PX   # as Noto Sans draws it (test_maps)
        left = {"start": px, "end": px - width}.get(label.get("anchor"), px - width / 2)   # written from its anchor
        assert box["x"] <= left and left + width <= box["x"] + box["width"], label["text"]
        assert label["size"] >= 12
        boxes.append((left, py - label["size"] / 2, left + width, py + label["size"] / 2))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not (a[0] < b[2] and a[2] > b[0] and a[1] < b[3] and a[3] > b[1]), (a, b)
    screenshot(page, f"map-{name}-{lang}")
    assert_labels_on_their_units(page, view)
    assert_no_browser_errors(page)


def assert_labels_on_their_units(page, view: maps.MapView) -> None:
    """Each unit's name is printed on that unit: the pointer at the name's anchor shows the unit's own
    tooltip (a name over a neighbour's polygon would show the neighbour's)."""
    tooltip = page.locator(".deck-tooltip")
    box, size = page.locator(DECK).first.bounding_box(), page.viewport_size
    if box["y"] + box["height"] > size["height"]:            # the pointer reaches only what is on screen
        page.set_viewport_size({"width": size["width"], "height": int(box["y"] + box["height"] + 40)})
        page.wait_for_timeout(500)
    wrong = []
    for label in (lb for lb in view.labels if lb["code"]):
        page.mouse.move(*lonlat_to_pixel(page, view.view, *label["position"]))
        tooltip.wait_for(state="visible", timeout=10_000)
        expected = maps.tooltip_text(view, label["code"]).split("\n")[0]
        for _ in range(20):                      # the tooltip follows the pointer within a few frames
            shown = tooltip.inner_text().split("\n")[0]
            if shown == expected:
                break
            page.wait_for_timeout(50)
        if shown != expected:
            wrong.append((label["text"], shown))
        page.mouse.move(0, 0)
    assert not wrong, f"names printed over another unit (name, unit under it): {wrong}"
