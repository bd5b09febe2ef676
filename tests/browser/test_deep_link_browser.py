"""A link shared in a meeting invitation is often the first request a freshly started server sees. It
must open its page inside the dashboard's frame — sidebar filters, wide layout, the state it names —
not the page alone (Streamlit's `pages/` folder convention runs a page by itself until some run has
declared the navigation)."""

from __future__ import annotations


from ntm.read import options as options_q
from ntm.store.connection import connect
from ntm.text import t
from ntm.store.copy import clone_local

from .conftest import serve, wait_rendered


def test_a_deep_link_into_a_fresh_server_opens_the_page_in_its_frame(browser_context, browser_db,
                                                                       tmp_path):
    db = tmp_path / "ntm.ducklake"
    clone_local(browser_db, db)
    with connect(db, read_only=True) as con:
        provinces = options_q.unit_names(con, "new")["province"]
    code, name = sorted(provinces.items())[0]
    with serve(db, tmp_path / "server.log") as url:        # no session has run app.py yet
        page = browser_context.new_page()
        try:
            page.goto(f"{url}/map?province={code}&lang=en")
            wait_rendered(page, '[data-testid="stSidebar"]', text=t("page.map", "en"))
            sidebar = page.locator('[data-testid="stSidebar"]')
            assert sidebar.get_by_text(t("ui.filters", "en"), exact=True).is_visible()
            chosen = page.evaluate("""() => [...document.querySelectorAll('[data-testid="stSidebar"] input')]
                .map((i) => i.value)""")
            assert name in chosen                                          # the province of the link
            assert page.locator("h1").first.inner_text().strip() == t("page.map", "en")
            assert page.url.split("?")[0].endswith("/map")
            assert f"province={code}" in page.url and "lang=en" in page.url
        finally:
            page.close()
