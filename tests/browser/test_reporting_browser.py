"""The reporting status in a real browser, in Vietnamese and English: a coordinator signs in on the page,
reads how many provinces are complete, sees the national map coloured by completeness and the table of
every province, names the units a province still lacks, and reads the audit log."""

from __future__ import annotations

import re

import pytest

from ntm.text import t

from ntm.store.connection import connect

from .conftest import ADMIN, ANALYST, wait_rendered

pytestmark = pytest.mark.browser


def sign_in_on_reporting(page, server_url: str, account: tuple[str, str] = ANALYST) -> None:
    """Open the reporting page (the sign-in form is in Vietnamese) and sign in (the coordinator by default)."""
    page.goto(f"{server_url}/reporting")
    wait_rendered(page, '[data-testid="stForm"]')
    page.get_by_label("Tên đăng nhập").fill(account[0])
    page.get_by_label("Mật khẩu").fill(account[1])
    page.get_by_role("button", name="Đăng nhập").click()
    wait_rendered(page, '[data-testid="stDeckGlJsonChart"]', text=t("reporting.metric_complete", "vi"))


def main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_coordinator_reads_who_has_reported_in_both_languages(page, server_url, screenshot, lang):
    sign_in_on_reporting(page, server_url)
    if lang == "en":
        page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
        page.wait_for_url(re.compile(r"lang=en"))
        wait_rendered(page, '[data-testid="stDeckGlJsonChart"]', text=t("reporting.metric_complete", "en"))
    text = main_text(page)
    for key in ("complete", "partial", "none"):
        assert t(f"reporting.metric_{key}", lang) in text
    assert t("reporting.deadline", lang) in text
    assert t("demo_notice", lang)[:20] in text                      # the demo's figures say so
    assert page.locator('[data-testid="stDeckGlJsonChart"] canvas').count() >= 1      # the national map is drawn
    # the new Quảng Ngãi's 2026 file leaves out one unit: it is named
    screenshot(page, f"reporting_status_{lang}")
    chosen = page.evaluate("""() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stSelectbox"]')]
        .map((s) => s.textContent + ' ' + [...s.querySelectorAll('input')].map((i) => i.value).join(' '))""")
    assert any("Quảng Ngãi (51)" in c for c in chosen), chosen
    page.get_by_role("tab", name=t("audit.title", lang)).click()
    wait_rendered(page, text=t("audit.filter_by", lang))
    counted = re.search(r"(\d+) (?:trong|of) (\d+) (?:thao tác|events)", main_text(page))
    assert counted and int(counted.group(1)) == int(counted.group(2)) >= 2       # every event, none filtered out
    screenshot(page, f"reporting_audit_{lang}")
    assert not page.errors.all(), page.errors.all()


def test_an_administrator_makes_a_province_analyst_and_the_change_is_kept(page, server_url, server_db, screenshot):
    sign_in_on_reporting(page, server_url, ADMIN)
    page.get_by_role("tab", name=t("accounts.title", "vi")).click()
    form = page.locator('[data-testid="stForm"]')
    form.get_by_label("Tên đăng nhập").fill("kon_tum_moi")
    form.get_by_label(t("accounts.provinces", "vi")).click()
    page.keyboard.type("Quảng Ngãi (51)")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    form.get_by_role("textbox", name="Mật khẩu").fill("mat-khau-moi-2026")
    form.get_by_role("button", name=t("accounts.save", "vi")).click()
    wait_rendered(page, text="Đã lưu tài khoản kon_tum_moi")
    screenshot(page, "reporting_accounts_vi")
    con = connect(server_db, read_only=True)
    try:
        assert con.execute("SELECT role, provinces FROM accounts WHERE name = 'kon_tum_moi'").fetchone() == (
            "analyst", ["51"])
        assert con.execute("SELECT changed_by, change FROM account_changes WHERE name = 'kon_tum_moi'").fetchall() == [
            (ADMIN[0], "created")]
    finally:
        con.close()
    assert not page.errors.all(), page.errors.all()


def test_a_coordinator_builds_every_province_s_pack_from_the_page(page, server_url, tmp_path):
    """One button: every province with 2026 figures gets its pack, in one ZIP, each pack opening."""
    import io
    import zipfile

    from pptx import Presentation

    sign_in_on_reporting(page, server_url)
    page.get_by_role("button", name=re.compile("Tạo 3 báo cáo giao ban năm 2026")).click()
    wait_rendered(page, text=t("reporting.packs_built", "vi", built=3, total=3), timeout=300_000)
    with page.expect_download() as download:
        page.get_by_role("button", name=t("reporting.packs_download", "vi")).click()
    path = tmp_path / "packs.zip"
    download.value.save_as(path)
    with zipfile.ZipFile(path) as z:
        names = sorted(z.namelist())
        assert len(names) == 3 and all(n.endswith("_2026.pptx") for n in names), names
        assert all(len(Presentation(io.BytesIO(z.read(n))).slides) > 5 for n in names)
    assert not page.errors.all(), page.errors.all()
