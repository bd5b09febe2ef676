"""A rebuild beside a running dashboard, in a real browser: with a page drawn (the dashboard holds the
database), `init --force` and the other writing commands are refused, name the dashboard and change
nothing; an upload through the page afterwards lands, and is still there after the dashboard restarts."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys

import pytest

from ntm.store.connection import connect
from ntm.text import fmt_percent
from ntm.store.copy import clone_local

from .conftest import ROOT, serve, wait_rendered
from .test_upload_browser import fewer_poor_file, sign_in, upload_and_confirm

pytestmark = pytest.mark.browser


def cli(db, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ntm", *args, "--db", str(db)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env=dict(os.environ, PYTHONPATH=str(ROOT)))


def state(path) -> tuple:
    """The file (inode and bytes) and what lies beside it, but the write lock's own empty file."""
    return (path.stat().st_ino, hashlib.sha256(path.read_bytes()).hexdigest(),
            sorted(p.name for p in path.parent.iterdir() if p.name != path.name + ".lock"))


def test_a_rebuild_beside_the_running_dashboard_is_refused_and_uploads_land(browser_context, browser_db, users_file,
                                                                              tmp_path, test_output_dir):
    db = tmp_path / "store" / "ntm.duckdb"
    db.parent.mkdir()
    clone_local(browser_db, db)
    upload, df, poor = fewer_poor_file(browser_db, tmp_path)
    expected_rate = fmt_percent(100 * poor / int(df["households"].sum()), "vi")
    page = browser_context.new_page()
    try:
        with serve(db, users_file, tmp_path / "server.log") as url:
            page.goto(f"{url}/?province=51&year=2026")
            wait_rendered(page, '[data-testid="stMetric"]')      # a page drawn: the dashboard holds the file
            before = state(db)
            for args in (("init", "--force"), ("init", "--force", "--no-demo")):
                r = cli(db, *args)
                assert r.returncode == 3, r.stdout + r.stderr
                assert re.search(r"Không dựng lại cơ sở dữ liệu .*: bảng điều khiển \(tiến trình \d+, người dùng",
                                 r.stderr), r.stderr
                assert "Hãy dừng bảng điều khiển rồi chạy lại lệnh" in r.stderr and "Traceback" not in r.stderr
            r = cli(db, "import", str(upload), "--accept-warnings")
            assert r.returncode == 3 and "đang được mở bởi bảng điều khiển" in r.stderr, r.stderr
            assert state(db) == before

            sign_in(page, url)
            batch = upload_and_confirm(page, upload)

        with serve(db, users_file, tmp_path / "server-again.log") as url:       # stopped, then started again
            page.goto(f"{url}/?province=51&year=2026")
            wait_rendered(page, text=expected_rate)          # the overview's poor rate uses the uploaded figures
            page.screenshot(path=str(test_output_dir / "browser" / "overview_after_restart_vi.png"))
        con = connect(db, read_only=True)
        try:
            row = con.execute("SELECT status, n_rows FROM import_batches WHERE batch_id = ?", [batch]).fetchone()
        finally:
            con.close()
        assert row == ("active", len(df))
        assert not list(db.parent.glob("*before-rebuild*")) and not db.with_name(db.name + ".building").exists()
    finally:
        page.close()
