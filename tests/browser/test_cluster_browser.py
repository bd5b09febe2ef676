"""Two replicas of the dashboard behind nginx on the shared store (PostgreSQL), in a real browser: each
browser stays on its replica (the route cookie), an upload through one replica is seen through the other,
a rollback through the other is seen through the first; a replica killed, its viewers carry on on the
other one, and the supervisor starts it again."""

from __future__ import annotations

import os
import signal
import time

import pytest

from ntm.serve.cluster import REPLICA_HEADER, Cluster
from ntm.store.copy import copy_store
from ntm.store.location import SHARED, Location
from ntm.text import fmt_percent

from .conftest import VIEWPORT, free_port_run, wait_rendered
from .test_store_owned_browser import poor_rate_shown
from .test_upload_browser import fewer_poor_file, sign_in, upload_and_confirm

pytestmark = pytest.mark.browser
FRESH_AFTER_S = 2.5          # a replica checks the store's snapshot at most every 2 s


@pytest.fixture(scope="module")
def cluster(postgres, browser_db, tmp_path_factory):
    folder = tmp_path_factory.mktemp("cluster")
    store = Location(SHARED, postgres.database("cluster"), str(folder / "files") + "/")
    copy_store(browser_db, store)                        # with its analyst account
    env = dict(store.settings, NTM_BASEMAP_TILES="", NTM_REQUIRE_LOGIN="0")
    with Cluster(2, free_port_run(2), run_dir=folder / "run", env=env) as running:
        running.store = store
        yield running


def open_on(browser, url: str, avoid: str | None = None):
    """A new browser (context) and page whose overview came from a replica other than `avoid`; (context,
    page, replica)."""
    for _ in range(12):
        context = browser.new_context(viewport=VIEWPORT, locale="vi-VN")
        page = context.new_page()
        response = page.goto(f"{url}/?province=51&year=2026")
        replica = response.headers.get(REPLICA_HEADER.lower(), "")
        if replica and replica != avoid:
            wait_rendered(page, '[data-testid="stMetric"]')
            return context, page, replica
        context.close()
    raise AssertionError(f"every new browser landed on {avoid}")


def stays_on(page, url: str, replica: str) -> None:
    """Every later request of this browser reaches the same replica."""
    for _ in range(3):
        response = page.goto(f"{url}/?province=51&year=2026")
        assert response.headers.get(REPLICA_HEADER.lower()) == replica


def test_an_upload_on_one_replica_and_a_rollback_on_the_other_are_seen_on_both(browser, cluster, browser_db,
                                                                               tmp_path, test_output_dir):
    upload, df, poor = fewer_poor_file(browser_db, tmp_path)
    expected = fmt_percent(100 * poor / int(df["households"].sum()), "vi")
    ctx_a, a, replica_a = open_on(browser, cluster.url)
    ctx_b, b, replica_b = open_on(browser, cluster.url, avoid=replica_a)
    try:
        demo = poor_rate_shown(a)
        assert demo != expected and poor_rate_shown(b) == demo
        stays_on(a, cluster.url, replica_a)

        sign_in(a, cluster.url)                                  # the file uploader's requests stay on A's replica
        batch = upload_and_confirm(a, upload)
        time.sleep(FRESH_AFTER_S)
        b.goto(f"{cluster.url}/?province=51&year=2026")
        wait_rendered(b, '[data-testid="stMetric"]', text=expected)
        b.screenshot(path=str(test_output_dir / "browser" / "cluster_upload_seen_on_other_replica_vi.png"))

        sign_in(b, cluster.url)
        b.get_by_role("tab", name="Lịch sử nhập").click()
        wait_rendered(b, text=f"Tôi chắc chắn muốn hoàn tác lô {batch}")
        b.get_by_text(f"Tôi chắc chắn muốn hoàn tác lô {batch}", exact=False).click()
        b.get_by_role("button", name="Hoàn tác", exact=True).click()
        wait_rendered(b, text=f"Đã hoàn tác lô {batch}")
        time.sleep(FRESH_AFTER_S)
        a.goto(f"{cluster.url}/?province=51&year=2026")
        wait_rendered(a, '[data-testid="stMetric"]', text=demo)
        assert poor_rate_shown(a) == demo
    finally:
        ctx_a.close()
        ctx_b.close()


def test_a_killed_replica_s_viewers_carry_on_and_it_is_started_again(browser, cluster):
    ctx, page, replica = open_on(browser, cluster.url)
    try:
        port = int(replica.rsplit(":", 1)[1])
        os.killpg(cluster.processes[port].pid, signal.SIGKILL)
        cluster.processes[port].wait(10)
        response = page.goto(f"{cluster.url}/?province=51&year=2026")     # nginx passes over the dead one
        assert response.status == 200 and response.headers.get(REPLICA_HEADER.lower()) != replica
        wait_rendered(page, '[data-testid="stMetric"]')
        assert poor_rate_shown(page)
        assert cluster.supervise_once() == [port]
        cluster.wait_healthy(port)
    finally:
        ctx.close()


def test_streamlit_s_bundles_come_from_nginx_and_stay_in_the_browser(browser, cluster):
    """A leader's first visit fetches Streamlit's bundles (several MB): nginx serves them, marked to be
    kept, so the replicas spend nothing on them; the page itself comes from a replica."""
    context = browser.new_context(viewport=VIEWPORT, locale="vi-VN")
    page = context.new_page()
    bundles = []
    page.on("response", lambda r: bundles.append(r) if "/static/" in r.url else None)
    try:
        response = page.goto(f"{cluster.url}/?province=51&year=2026")
        wait_rendered(page, '[data-testid="stMetric"]')
        assert response.headers.get(REPLICA_HEADER.lower())
        assert len(bundles) > 5 and all(r.status == 200 for r in bundles)
        for r in bundles:
            assert REPLICA_HEADER.lower() not in r.headers, r.url
            assert "immutable" in r.headers.get("cache-control", ""), r.url
    finally:
        context.close()
