"""A leader of the new Quảng Ngãi in 2026, in a real Chromium at 1440×900: the map opens on the communes (the
level chooser on "Xã", former districts offered as history), and the poverty ranking compares communes
with every bar's label drawn whole inside the chart ("33,39 điểm %", never "33,39 điểm").

Screenshots: `test_output_dir/browser/communes_first_map_2026.png`, `communes_first_ranking_2026.png`.
"""

from __future__ import annotations

import pytest

from ntm.text import t

pytestmark = pytest.mark.browser

CHART = '[data-testid="stPlotlyChart"]'
MAP = '[data-testid="stDeckGlJsonChart"]'
TOLERANCE_PX = 1

# Every bar label of the charts on the page, with the right and left edges of its chart's frame.
BAR_LABELS_JS = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"] .main-svg')]
    .filter((svg) => svg.querySelector('.bartext'))
    .flatMap((svg) => {
        const frame = svg.getBoundingClientRect();
        return [...svg.querySelectorAll('.bartext')].map((label) => {
            const box = label.getBoundingClientRect();
            return {text: label.textContent, left: box.left - frame.left, right: frame.right - box.right};
        });
    })"""


def test_the_2026_map_opens_on_communes(page, server_url, rendered, screenshot):
    page.goto(f"{server_url}/map?province=51&year=2026")
    rendered(page, MAP, text="theo xã, năm 2026")
    page.wait_for_timeout(1500)                       # the deck draws its polygons after the element appears
    chooser = page.get_by_role("radiogroup", name=t("ui.map_level", "vi"))
    assert chooser.get_by_role("radio", checked=True).inner_text().strip() == "Xã"
    assert [o.strip() for o in chooser.get_by_role("radio").all_inner_texts()] == ["Tỉnh", "Xã", "Huyện cũ (lịch sử)"]
    screenshot(page, "communes_first_map_2026")
    assert not page.errors.all(), page.errors.all()


def test_the_2026_ranking_compares_communes_with_whole_labels(page, server_url, rendered, screenshot):
    page.goto(f"{server_url}/poverty?province=51&year=2026&view=ranking")
    rendered(page, f"{CHART} .main-svg", text=t("ui.ranking_table.commune", "vi", y0=2021, y1=2026))
    page.wait_for_timeout(800)
    title = page.locator(f"{CHART} .gtitle").first.text_content()
    assert title.startswith("Xếp hạng xã theo mức giảm tỷ lệ hộ nghèo")
    labels = page.evaluate(BAR_LABELS_JS)
    assert len(labels) == 30                                           # the 15 best and 15 worst communes
    assert all(label["text"].endswith("điểm %") for label in labels)
    clipped = [label for label in labels if min(label["left"], label["right"]) < -TOLERANCE_PX]
    assert not clipped, clipped
    screenshot(page, "communes_first_ranking_2026")
    page.set_viewport_size({"width": 1280, "height": 720})            # the projector
    page.wait_for_timeout(1500)
    clipped = [label for label in page.evaluate(BAR_LABELS_JS) if min(label["left"], label["right"]) < -TOLERANCE_PX]
    assert not clipped, clipped
    assert not page.errors.all(), page.errors.all()
