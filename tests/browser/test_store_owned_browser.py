"""The command line beside a running dashboard, in a real browser: with a page drawn, an import from the
command line lands and the page shows its figures on the next visit, without a restart; `init --force`
lands too (the page shows the rebuilt store, the replaced one is kept beside it with its import); an
upload through the page afterwards lands and is still there after the dashboard restarts."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ntm.store.connection import connect
from ntm.store.copy import clone_local
from ntm.text import fmt_percent

from .conftest import ROOT, serve, wait_rendered
from .test_upload_browser import fewer_poor_file, sign_in, upload_and_confirm

pytestmark = pytest.mark.browser
FRESH_AFTER_S = 2.5          # the dashboard checks the store's snapshot at most every 2 s


def cli(db, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ntm", *args, "--db", str(db)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, env=dict(os.environ, PYTHONPATH=str(ROOT)))


def poor_rate_shown(page) -> str:
    """The overview's poor-household rate tile as shown."""
    tile = page.locator('[data-testid="stMetric"]').filter(has_text="Tỷ lệ hộ nghèo").first
    return tile.locator('[data-testid="stMetricValue"]').inner_text().strip()


def revisit(page, url: str, text: str) -> None:
    """Open the overview again (a new visit) once the dashboard's snapshot check may have run."""
    time.sleep(FRESH_AFTER_S)
    page.goto(f"{url}/?province=51&year=2026")
    wait_rendered(page, '[data-testid="stMetric"]', text=text)


def test_imports_and_a_rebuild_beside_the_running_dashboard_land_and_show(browser_context, browser_db,
                                                                          tmp_path, test_output_dir):
    db = tmp_path / "store" / "ntm.ducklake"
    clone_local(browser_db, db)
    upload, df, poor = fewer_poor_file(browser_db, tmp_path)
    expected_rate = fmt_percent(100 * poor / int(df["households"].sum()), "vi")
    page = browser_context.new_page()
    try:
        with serve(db, tmp_path / "server.log") as url:
            page.goto(f"{url}/?province=51&year=2026")
            wait_rendered(page, '[data-testid="stMetric"]')      # a page drawn: the dashboard has the store open
            demo_rate = poor_rate_shown(page)
            assert demo_rate != expected_rate

            r = cli(db, "import", str(upload), "--accept-warnings")
            assert r.returncode == 0, r.stdout + r.stderr
            revisit(page, url, expected_rate)                     # the import shows without a restart
            page.screenshot(path=str(test_output_dir / "browser" / "overview_after_cli_import_vi.png"))

            r = cli(db, "init", "--force")
            assert r.returncode == 0, r.stdout + r.stderr
            kept = Path(re.search(r"kept at (\S+) \(1 imported batch", r.stdout).group(1))
            revisit(page, url, demo_rate)                         # the rebuilt store: the demo figures again

            sign_in(page, url)
            batch = upload_and_confirm(page, upload)

        with serve(db, tmp_path / "server-again.log") as url:       # stopped, then started again
            page.goto(f"{url}/?province=51&year=2026")
            wait_rendered(page, text=expected_rate)          # the overview's poor rate uses the uploaded figures
            page.screenshot(path=str(test_output_dir / "browser" / "overview_after_restart_vi.png"))
        for store, wanted in ((db, [("active", len(df))]), (kept, [("active", len(df))])):
            con = connect(store, read_only=True)
            try:
                got = con.execute("SELECT status, n_rows FROM import_batches WHERE NOT is_demo").fetchall()
            finally:
                con.close()
            assert got == wanted, store
        assert batch > 0
    finally:
        page.close()
