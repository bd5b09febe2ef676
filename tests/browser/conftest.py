"""Real-browser fixtures: one dashboard server and one Chromium for the whole session.

The server runs `streamlit run app.py` on a free port over a private copy of the demo database
(NTM_DB), headless, without basemap tiles. Chromium is Debian's /usr/bin/chromium driven by
Playwright's sync API (never `playwright install`). A missing Chromium is a failure, not a skip:
CI installs it (scripts/setup.sh --with-test-system-packages).
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest
from ntm.store.copy import clone_local
from tests.conftest import with_account

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("NTM_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1440, "height": 900}
SERVER_START_TIMEOUT_S = 60
# An analyst account created for the session's server (tests of the upload page sign in with it).
ANALYST = ("phan_tich_thu", "mat-khau-thu-nghiem-2024")            # a coordinator (every province)
ADMIN = ("quan_tri_thu", "mat-khau-quan-tri-2026")                  # an administrator (accounts)
RENDER_TIMEOUT_MS = 30_000

# Console errors that are not failures of the dashboard. "Failed to load resource" carries no URL:
# failed requests are checked on the network events instead (with their URL).
IGNORED_CONSOLE = (
    "Failed to load resource",
    "GPU stall due to ReadPixels",                       # SwiftShader performance notice
    "Automatic fallback to software WebGL",              # headless WebGL through SwiftShader
)
# Opened on a page path (/map), Streamlit's frontend first probes /map/_stcore/… and falls back to
# /_stcore/… on a 404: expected, harmless.
BENIGN_404 = re.compile(r"^http://127\.0\.0\.1:\d+/[^/?]+/_stcore/(health|host-config)$")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def free_port_run(count: int) -> int:
    """A free port whose next `count` ports are free too (nginx, then the replicas of a cluster)."""
    def free(port: int) -> bool:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
                return True
            except OSError:
                return False

    for _ in range(50):
        base = _free_port()
        if base < 65000 and all(free(base + i) for i in range(1, count + 1)):
            return base
    raise RuntimeError("no free ports")


def _wait_healthy(url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"streamlit not healthy after {SERVER_START_TIMEOUT_S}s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def browser_db(demo_db_path, tmp_path_factory) -> Path:
    """The data the server starts from, with the ANALYST account: a store tests read and never change
    (the session's server runs on its own copy, `server_db`, which uploads change)."""
    path = tmp_path_factory.mktemp("browser-db") / "ntm.ducklake"
    clone_local(demo_db_path, path)
    with_account(path, *ANALYST)
    with_account(path, *ADMIN, "admin")
    return path


@pytest.fixture(scope="session")
def server_db(browser_db, tmp_path_factory) -> Path:
    """The server's private read-write copy."""
    path = tmp_path_factory.mktemp("server-db") / "ntm.ducklake"
    clone_local(browser_db, path)
    return path


@contextlib.contextmanager
def serve(db: Path, log: Path, **env: str):
    """A dashboard on the local store `db`, on a free port, with `env` added to its environment; yields
    its URL."""
    port = _free_port()
    full_env = dict(os.environ, NTM_STORE="", NTM_DB=str(db), NTM_BASEMAP_TILES="",
                    NTM_REQUIRE_LOGIN="0", STREAMLIT_BROWSER_GATHER_USAGE_STATS="false", **env)
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
           "--server.headless", "true", "--server.address", "127.0.0.1"]
    with open(log, "w") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=full_env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc, log)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


@pytest.fixture(scope="session")
def server_url(server_db, tmp_path_factory) -> str:
    """URL of a dashboard served for this test session."""
    with serve(server_db, tmp_path_factory.mktemp("streamlit-log") / "server.log") as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session."""
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install it with "
                    "`bash scripts/setup.sh --with-test-system-packages` (apt-get install chromium). "
                    "Do not run `playwright install`.", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


class PageErrors:
    """Browser-side failures seen by one page: console errors, uncaught exceptions, failed or
    erroneous requests, and any request that leaves the local server (the dashboard is offline-safe)."""

    def __init__(self) -> None:
        self.console: list[str] = []
        self.page: list[str] = []
        self.network: list[str] = []
        self.external: list[str] = []

    def attach(self, page) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.page.append(str(exc)))
        page.on("request", self._on_request)
        page.on("requestfailed", lambda r: self.network.append(f"{r.url}: {r.failure}"))
        page.on("response", self._on_response)

    def _on_console(self, msg) -> None:
        if msg.type == "error" and not any(s in msg.text for s in IGNORED_CONSOLE):
            self.console.append(msg.text)

    def _on_request(self, request) -> None:
        host = urlparse(request.url).hostname
        if request.url.startswith(("http://", "https://", "ws://", "wss://")) and host not in ("127.0.0.1", "localhost"):
            self.external.append(request.url)

    def _on_response(self, response) -> None:
        if response.status >= 400 and not (response.status == 404 and BENIGN_404.match(response.url)):
            self.network.append(f"{response.status} {response.url}")

    def all(self) -> list[str]:
        return self.page + self.console + self.network + [f"external request: {u}" for u in self.external]

    def clear(self) -> None:
        for items in (self.console, self.page, self.network, self.external):
            items.clear()


@pytest.fixture(scope="session")
def browser_context(browser):
    """One browser context for the session: pages share its HTTP cache (Streamlit's scripts load once)."""
    context = browser.new_context(viewport=VIEWPORT, locale="vi-VN")
    yield context
    context.close()


@pytest.fixture
def page(browser_context):
    """A fresh page (its own Streamlit session); `page.errors` collects browser-side errors."""
    pg = browser_context.new_page()
    pg.set_default_timeout(RENDER_TIMEOUT_MS)
    errors = PageErrors()
    errors.attach(pg)
    pg.errors = errors
    yield pg
    pg.close()


RENDERED_JS = """(selectors) => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
    if (document.querySelector('[data-stale="true"]')) return false;
    if (document.querySelector('[data-testid="stSkeleton"]')) return false;
    return selectors.every((s) => document.querySelector(s) !== null);
}"""


def wait_rendered(page, *selectors: str, text: str | None = None, timeout: int = RENDER_TIMEOUT_MS) -> None:
    """Wait until the script finished, nothing is stale, and `selectors` (and `text`) are on the page.

    Streamlit may report `notRunning` for a moment before a rerun starts, so the condition must hold
    twice, 300 ms apart."""
    deadline = time.monotonic() + timeout / 1000
    for _ in range(2):
        if text is not None:
            page.get_by_text(text, exact=False).first.wait_for(
                state="visible", timeout=max(1, int((deadline - time.monotonic()) * 1000)))
        page.wait_for_function(RENDERED_JS, arg=list(selectors),
                               timeout=max(1, int((deadline - time.monotonic()) * 1000)), polling=100)
        page.wait_for_timeout(300)


def full_screenshot(page, path: Path) -> Path:
    """Screenshot of the whole page: Streamlit scrolls an inner container, so grow the viewport to
    its scroll height first (and restore it afterwards)."""
    height = page.evaluate("""() => {
        const els = ['[data-testid="stMain"]', '[data-testid="stAppViewContainer"]',
                     '[data-testid="stMainBlockContainer"]', 'section.main']
            .map((s) => document.querySelector(s)).filter(Boolean);
        return Math.max(window.innerHeight, ...els.map((e) => e.scrollHeight));
    }""")
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": min(int(height) + 40, 8000)})
    page.wait_for_timeout(400)
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)
    return path


@pytest.fixture(scope="session")
def rendered():
    """`rendered(page, *selectors, text=...)`: wait until the page has drawn (see `wait_rendered`)."""
    return wait_rendered


@pytest.fixture
def screenshot(test_output_dir):
    """`screenshot(page, name)`: a full-page PNG under `test_output_dir/browser/`."""
    def take(page, name: str) -> Path:
        return full_screenshot(page, test_output_dir / "browser" / f"{name}.png")
    return take
