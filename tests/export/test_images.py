"""ntm.export_images: charts and maps leave the dashboard as 16:9 images with title, unit, source, date
and the demo / schematic notices inside; one Chromium serves many images; maps need no CDN.

Three real renders (kaleido + Debian Chromium): a chart as PNG and SVG, and the static map as PNG. The
PNGs are written to test-output/ for a person to look at.
"""

from __future__ import annotations

import html
import io
from datetime import date

import numpy as np
import plotly.graph_objects as go
import pytest
from PIL import Image

from ntm.export import images as E
from ntm.export import map_image
from ntm.present import maps
from ntm.present.charts import frame
from ntm.present.charts import poverty as poverty_charts
from ntm.present.maps import classes as map_classes
from ntm.present.maps import style as map_style
from ntm.read import poverty as poverty_q
from ntm.read import summary as summary_q
from ntm.read.scope import resolve_scope
from ntm.text import t

YEARS = (2021, 2022, 2023, 2024)
WHEN = date(2024, 12, 31)


@pytest.fixture(scope="module")
def kon_tum(demo_db_path):
    from ntm.store.connection import connect

    con = connect(demo_db_path, read_only=True)
    scope = resolve_scope(con, "62", 2024)
    ctx = frame.ChartContext(scope.name, YEARS, summary_q.is_demo(con, scope, YEARS))
    trend = poverty_charts.poverty_rate_trend(poverty_q.poverty_rates(con, scope, YEARS), ctx, "vi")
    view = maps.build_map(con, level="district", year=2024, scope=scope, metric="poor_rate", lang="vi")
    con.close()
    return scope, ctx, trend, view


@pytest.fixture(scope="module")
def rendered(kon_tum):
    """The three images, rendered in one kaleido session (one Chromium)."""
    scope, ctx, trend, view = kon_tum
    running_before = E._server_running()
    with E.kaleido_session():
        assert E._server_running()
        with E.kaleido_session():                       # nested sessions share the server
            png = E.to_png(trend, ctx, "vi", when=WHEN)
        svg = E.to_svg(trend, ctx, "vi", when=WHEN)
        map_png = E.to_png(map_image.map_figure(view, scope.name), ctx, "vi", when=WHEN)
    assert E._server_running() == running_before       # stopped again when this session started it
    return png, svg, map_png


def rgb(im: Image.Image, size: tuple[int, int]) -> np.ndarray:
    """Pixels of the image scaled to `size`, as an (n, 3) array."""
    return np.asarray(im.resize(size)).reshape(-1, 3).astype(int)


def pixels(png: bytes) -> tuple[Image.Image, set, float]:
    """The image, its distinct colours, and the share of pixels that are not (near) white."""
    im = Image.open(io.BytesIO(png)).convert("RGB")
    small = rgb(im, (480, 270))
    return im, {tuple(p) for p in small}, float((small.min(axis=1) < 235).mean())


def has_colour(im: Image.Image, colour, tolerance: int = 30) -> bool:
    return bool((np.abs(rgb(im, (960, 540)) - np.array(colour)).sum(axis=1) < tolerance).any())


def test_chart_png_is_16_9_full_hd_and_not_blank(rendered, test_output_dir):
    png, _, _ = rendered
    (test_output_dir / "export_chart_kon_tum.png").write_bytes(png)
    assert E.png_size(png) == (1920, 1080)
    im, colours, non_white = pixels(png)
    assert im.size == (1920, 1080)
    assert len(colours) > 50 and non_white > 0.02
    assert has_colour(im, (0x00, 0x72, 0xB2))          # the poor-rate line colour of ntm.charts


def test_chart_svg_carries_title_unit_source_date_and_demo_notice(rendered, test_output_dir):
    _, svg, _ = rendered
    (test_output_dir / "export_chart_kon_tum.svg").write_bytes(svg)
    text = html.unescape(svg.decode("utf-8"))
    assert text.lstrip().startswith("<svg")
    for part in ("Tỷ lệ hộ nghèo, hộ cận nghèo", "Tỉnh Kon Tum", "2021–2024", "Đơn vị: % số hộ", "Nguồn:",
                 "DỮ LIỆU MINH HỌA / DEMO", "Xuất ngày 31/12/2024"):
        assert part in text, part


def test_map_png_shows_the_classes(rendered, test_output_dir):
    _, _, map_png = rendered
    (test_output_dir / "export_map_kon_tum.png").write_bytes(map_png)
    assert E.png_size(map_png) == (1920, 1080)
    im, colours, non_white = pixels(map_png)
    assert len(colours) > 30 and non_white > 0.05
    classes = map_style.PALETTES[map_classes.METRICS["poor_rate"].palette][:4]      # Kon Tum 2024: districts in the four lowest classes
    assert sum(has_colour(im, c, 12) for c in classes) >= 3


def test_map_figure_is_offline_and_says_schematic(kon_tum):
    scope, _, _, view = kon_tum
    fig = map_image.map_figure(view, scope.name)
    assert {tr.type for tr in fig.data} == {"scatter"}          # no geo subplot: no topojson from a CDN
    assert fig.layout.yaxis.scaleanchor == "x"
    source = next(a.text for a in fig.layout.annotations if a.name == "source")
    assert t("schematic_notice", "vi") in html.unescape(source)
    assert "MINH HỌA" in source
    names = [html.unescape(tr.name) for tr in fig.data if tr.name]
    assert any(n.startswith("2 – < 5 (") for n in names) and any("Không có số liệu" in n for n in names)
    assert "Tỷ lệ hộ nghèo (%) theo huyện, năm 2024" in fig.layout.title.text.replace("<br>", " ")


def test_stamp_adds_what_a_bare_figure_lacks():
    bare = go.Figure(go.Bar(x=[2022, 2023], y=[1, 2]))
    ctx = frame.ChartContext("Tỉnh Kon Tum", (2022, 2023), True)
    out = E.stamp(bare, ctx, "vi", when=WHEN, notices=("Ranh giới sơ đồ",))
    names = {a.name for a in out.layout.annotations}
    assert {"source", E.DATE_NAME, E.NOTICE_NAME} <= names
    assert "Tỉnh Kon Tum, 2022–2023" in out.layout.title.text.replace("<br>", " ")
    text = html.unescape(" ".join(a.text for a in out.layout.annotations))
    assert "DỮ LIỆU MINH HỌA" in text and "Ranh giới sơ đồ" in text and "Xuất ngày 31/12/2024" in text
    assert not bare.layout.annotations                          # the original is untouched
    en = E.stamp(bare, frame.ChartContext("Kon Tum", (2022,), False), "en", when=WHEN)
    text = " ".join(a.text for a in en.layout.annotations)
    assert "Exported 2024-12-31" in text and "DEMO" not in text and E.NOTICE_NAME not in {a.name for a in en.layout.annotations}


def test_stamp_keeps_a_chart_source_line_once(kon_tum):
    _, ctx, trend, _ = kon_tum
    out = E.stamp(trend, ctx, "vi", when=WHEN)
    assert [a.name for a in out.layout.annotations].count("source") == 1
    assert E.NOTICE_NAME not in {a.name for a in out.layout.annotations}   # the chart already says DEMO


def test_file_stems_are_ascii():
    assert E.file_stem("Tỷ lệ hộ nghèo", "Đắk Glei", 2024) == "ty-le-ho-ngheo_dak-glei_2024"
    assert E.file_stem("", None) == "none"


def test_exported_images_use_projector_type_sizes():
    """At 1920 px wide (a layout of 1600 px × 1.2), tick, legend and axis labels are at least 18 px and
    the title at least 28 px — read from a room, whatever size the chart had on the page."""
    import plotly.graph_objects as go

    from ntm.export.images import EXPORT_WIDTH, stamp
    from ntm.present.charts.frame import EXPORT_SIZE, ChartContext, finish

    fig = go.Figure(go.Bar(x=["Huyện A", "Huyện B"], y=[1, 2], name="A"))
    fig = finish(fig, ChartContext("Tỉnh Kon Tum", (2024,), True), "vi", "Tiêu đề", "Đơn vị", "Trục x", "Trục y")
    fig.update_xaxes(tickfont_size=11)                              # a chart drawn small for the page
    out = stamp(fig, ChartContext("Tỉnh Kon Tum", (2024,), True), "vi")
    scale = EXPORT_WIDTH / EXPORT_SIZE[0]
    assert out.layout.title.font.size * scale >= 28
    for axis in (out.layout.xaxis, out.layout.yaxis):
        assert axis.tickfont.size * scale >= 18 and axis.title.font.size * scale >= 18
    assert out.layout.legend.font.size * scale >= 18 and out.layout.font.size * scale >= 18
    assert fig.layout.xaxis.tickfont.size == 11                     # the page's figure is left as it was
