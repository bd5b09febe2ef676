"""Text from uploaded files stays text in a real browser: a commune name that is a spreadsheet formula with
a web address or Markdown image syntax, a file named like a web address, and a target whose scope, source
document and note call a web service are shown as typed on the upload report, in the import history and
on the export page — never as a link or an image."""

from __future__ import annotations


import pytest

from .conftest import full_screenshot, serve, wait_rendered
from .test_upload_browser import quang_ngai_file, sign_in
from ntm.store.copy import clone_local

pytestmark = pytest.mark.browser

LINK_FORMULA = '=HYPERLINK("http://evil.example/x","Bấm")'
IMAGE = "![x](http://evil.example/i.png)"
WEB_CALL = '=WEBSERVICE("http://evil.example")'
TARGETS_HEADER = ("target_id,scope_level,scope_code,scope_name,year,metric,level,value_min,value_max,unit,"
                  "source_document,verified,note,scope_system\n")


@pytest.fixture(scope="module")
def own_server(browser_db, tmp_path_factory):
    """A dashboard on its own copy of the data: the target imported here stays out of the other tests."""
    folder = tmp_path_factory.mktemp("text-stays-text")
    clone_local(browser_db, folder / "ntm.ducklake")
    with serve(folder / "ntm.ducklake", folder / "server.log") as url:
        yield url


def links_to_evil(page) -> list[str]:
    """Links and images anywhere on the page that point at evil.example."""
    return page.evaluate("""() => [...document.querySelectorAll('a[href*="evil"], img[src*="evil"]')]
                                  .map((e) => e.outerHTML)""")


def shown(page) -> str:
    """The main area's text as the reader sees it (invisible word joiners dropped)."""
    return page.locator('[data-testid="stMain"]').inner_text().replace("\u2060", "")


def test_names_that_look_like_links_show_as_typed(page, own_server, browser_db, tmp_path, test_output_dir):
    path, _ = quang_ngai_file(browser_db, tmp_path, {(0, "commune_name"): LINK_FORMULA, (1, "commune_name"): IMAGE},
                              name="ten_xa_la.csv")
    sign_in(page, own_server)
    page.locator('input[type="file"]').first.set_input_files(str(path))
    wait_rendered(page, text="không khớp với mã")
    full_screenshot(page, test_output_dir / "text_stays_text_report_vi.png")
    assert f"giá trị “{LINK_FORMULA}”" in shown(page) and f"giá trị “{IMAGE}”" in shown(page)
    assert links_to_evil(page) == []
    assert not page.errors.all(), page.errors.all()


def test_target_texts_show_as_typed_in_the_history_and_on_the_export_page(page, own_server, tmp_path,
                                                                          test_output_dir):
    quoted = WEB_CALL.replace('"', '""')
    path = tmp_path / "www.evil.example.csv"
    path.write_text(TARGETS_HEADER + f'qn-2026-thu,province,51,"{quoted}",2026,commune_share_at_level,standard,'
                    f'0.7,,share of communes,"{quoted}",false,"{quoted} {IMAGE}",post2025\n', encoding="utf-8")
    sign_in(page, own_server)
    page.get_by_role("tab", name="Thuộc tính & mục tiêu").click()
    tab = page.locator('[role="tabpanel"]:visible')
    tab.get_by_text("Mục tiêu", exact=True).click()
    wait_rendered(page)
    tab.locator('input[type="file"]').set_input_files(str(path))
    page.get_by_role("button", name="Nhập 1 dòng").click()
    wait_rendered(page, text="Đã nhập 1 dòng")
    page.get_by_role("tab", name="Lịch sử nhập").click()
    wait_rendered(page, text="Lô cần hoàn tác")
    assert path.name in shown(page)                          # the history table names the file as it was sent
    assert links_to_evil(page) == []

    page.goto(f"{own_server}/meeting_pack?province=51&year=2026")
    wait_rendered(page, text="WEBSERVICE", timeout=90_000)
    full_screenshot(page, test_output_dir / "text_stays_text_export_vi.png")
    assert shown(page).count(WEB_CALL) >= 2                  # the target's scope and its source document
    assert links_to_evil(page) == []
    assert not page.errors.all(), page.errors.all()
