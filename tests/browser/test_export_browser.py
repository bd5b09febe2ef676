"""The export page ("Xuất báo cáo") in a real Chromium: build the meeting pack and download it as a
real .pptx, download a chart image (PNG 1920 wide) and the images' zip, and see the page's labels in
English. The downloads and screenshots go to `test_output_dir/browser/`."""

from __future__ import annotations

import io
import time
import zipfile

import pytest

from .conftest import CHROMIUM, full_screenshot, serve, wait_rendered
from ntm.store.copy import clone_local

pytestmark = pytest.mark.browser

QUERY = "province=62&year=2024"
DOWNLOAD = '[data-testid="stDownloadButton"] button'
BUILD_TIMEOUT_MS = 90_000          # building the pack / rendering the images: ~5–30 s on a busy 2-core machine
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def open_export(page, server_url, lang: str = "vi") -> None:
    suffix = "&lang=en" if lang == "en" else ""
    page.goto(f"{server_url}/meeting_pack?{QUERY}{suffix}")
    wait_rendered(page, '[data-testid="stButton"] button', text="Xuất báo cáo" if lang == "vi" else "Export")


def click_and_wait(page, button: str, download_label: str) -> float:
    """Click the button named `button`, wait until the download button `download_label` shows and the
    run has finished; returns the seconds it took."""
    started = time.monotonic()
    page.get_by_role("button", name=button).click()
    page.locator(DOWNLOAD, has_text=download_label).first.wait_for(state="visible", timeout=BUILD_TIMEOUT_MS)
    wait_rendered(page, DOWNLOAD)
    return time.monotonic() - started


def download(page, locator, folder):
    """Click a download button; the saved file's path."""
    with page.expect_download(timeout=BUILD_TIMEOUT_MS) as info:
        locator.click()
    dl = info.value
    assert dl.failure() is None, dl.failure()
    path = folder / dl.suggested_filename
    dl.save_as(path)
    return path


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR chunk."""
    assert data[:8] == PNG_SIGNATURE, data[:16]
    assert data[12:16] == b"IHDR"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def assert_not_blank(data: bytes) -> None:
    from PIL import Image

    img = Image.open(io.BytesIO(data)).convert("RGB")
    small = img.resize((480, img.height * 480 // img.width))
    colours = small.getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) >= 50, f"{len(colours or [])} distinct colours"
    # not one colour over (almost) everything: the background covers well under 99 % of the pixels
    assert max(n for n, _ in colours) < 0.99 * small.width * small.height


def slide_texts(slide) -> list[str]:
    out = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            out.append(shape.text_frame.text)
        if getattr(shape, "has_table", False) and shape.has_table:
            out.extend(cell.text for row in shape.table.rows for cell in row.cells)
    return out


@pytest.fixture
def out_dir(test_output_dir):
    path = test_output_dir / "browser"
    path.mkdir(parents=True, exist_ok=True)
    return path


def test_build_and_download_pack_vi(page, server_url, out_dir):
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    open_export(page, server_url)
    seconds = click_and_wait(page, "Tạo báo cáo PowerPoint", "Tải báo cáo (.pptx)")
    print(f"pack built and shown in {seconds:.1f} s")
    assert page.locator('[data-testid="stAlert"]', has_text="Đã tạo").count() == 1
    path = download(page, page.locator(DOWNLOAD, has_text="Tải báo cáo (.pptx)").first, out_dir)
    wait_rendered(page, DOWNLOAD)           # the download button's rerun keeps the built pack
    assert page.locator(DOWNLOAD, has_text="Tải báo cáo (.pptx)").count() == 1
    full_screenshot(page, out_dir / "meeting_pack-built-vi.png")

    assert path.suffix == ".pptx" and path.stat().st_size > 20_000
    assert "kon-tum" in path.name and "2024" in path.name
    prs = Presentation(str(path))
    assert abs(prs.slide_width / prs.slide_height - 16 / 9) < 0.01
    slides = list(prs.slides)
    assert len(slides) >= 3
    title = " ".join(slide_texts(slides[0]))
    assert "Kon Tum" in title and "2024" in title, title
    assert any("MINH HỌA" in text for s in slides for text in slide_texts(s))
    assert any(shape.shape_type == MSO_SHAPE_TYPE.PICTURE for s in slides for shape in s.shapes)
    assert any(getattr(shape, "has_table", False) and shape.has_table for s in slides for shape in s.shapes)
    assert page.errors.all() == []


def test_download_chart_png_and_zip_vi(page, server_url, out_dir):
    open_export(page, server_url)
    seconds = click_and_wait(page, "Chuẩn bị ảnh", "Tải tất cả ảnh (.zip)")
    print(f"images rendered and shown in {seconds:.1f} s")
    png_buttons = page.locator(DOWNLOAD, has_text="PNG")
    assert png_buttons.count() >= 3
    path = download(page, png_buttons.first, out_dir)
    wait_rendered(page, DOWNLOAD)
    assert path.suffix == ".png" and "62_2024" in path.name
    data = path.read_bytes()
    width, height = png_size(data)
    assert width == 1920 and height >= 1080, (width, height)
    assert_not_blank(data)

    zip_path = download(page, page.locator(DOWNLOAD, has_text="Tải tất cả ảnh (.zip)").first, out_dir)
    wait_rendered(page, DOWNLOAD)
    with zipfile.ZipFile(zip_path) as z:
        names = z.namelist()
        pngs = [n for n in names if n.endswith(".png")]
        assert pngs and len(pngs) == len([n for n in names if n.endswith(".svg")])
        assert path.name in names and z.read(path.name) == data
        w, h = png_size(z.read(pngs[-1]))
        assert w == 1920 and h >= 1080
    full_screenshot(page, out_dir / "meeting_pack-images-vi.png")
    assert page.errors.all() == []


def test_export_page_in_english(page, server_url, out_dir):
    open_export(page, server_url, "en")
    assert page.locator("h1").first.inner_text().strip() == "Export"
    assert page.get_by_role("button", name="Build the PowerPoint").count() == 1
    assert page.get_by_role("button", name="Prepare the images").count() == 1
    assert page.get_by_role("button", name="Tạo báo cáo PowerPoint").count() == 0
    full_screenshot(page, out_dir / "meeting_pack-en.png")
    assert page.errors.all() == []


# ---------------------------------------------------------------------------------------------
# A machine without Chromium

@pytest.fixture(scope="module")
def without_chromium(browser_db, tmp_path_factory):
    """A second dashboard whose exports find no Chromium (NTM_CHROMIUM names a file that is not there,
    as on a machine where it was never installed); yields its URL and that path."""
    folder = tmp_path_factory.mktemp("no-chromium")
    db, missing = folder / "ntm.ducklake", folder / "chromium"
    clone_local(browser_db, db)
    with serve(db, folder / "server.log", NTM_CHROMIUM=str(missing)) as url:
        yield url, missing


@pytest.mark.parametrize("lang, button, words", [
    ("vi", "Tạo báo cáo PowerPoint", "máy này chưa có trình duyệt Chromium"),
    ("en", "Prepare the images", "this machine has no Chromium browser"),
])
def test_without_chromium_the_buttons_say_what_to_do_then_work_once_it_is_there(
        page, without_chromium, out_dir, lang, button, words):
    """Each export button answers within seconds with what is missing and how to install it, in the
    reader's language, offers nothing half-built, and stays usable: once Chromium is there (the path now
    leads to one) the same button builds the export, without restarting the dashboard."""
    url, missing = without_chromium
    missing.unlink(missing_ok=True)
    open_export(page, url, lang)
    started = time.monotonic()
    page.get_by_role("button", name=button).click()
    alert = page.locator('[data-testid="stAlert"]', has_text=words)
    alert.wait_for(state="visible", timeout=30_000)
    wait_rendered(page, '[data-testid="stAlert"]')
    assert time.monotonic() - started < 30
    assert "scripts/setup.sh" in alert.inner_text()
    produced = "Tải báo cáo (.pptx)" if lang == "vi" else "Download all images (.zip)"
    assert page.locator(DOWNLOAD, has_text=produced).count() == 0
    full_screenshot(page, out_dir / f"export_without_chromium_{lang}.png")
    assert page.errors.all() == []

    missing.symlink_to(CHROMIUM)                      # installed meanwhile
    click_and_wait(page, button, produced)
    assert page.locator('[data-testid="stAlert"]', has_text=words).count() == 0
