"""Benchmark: the leaders' pages in a real browser, at national scale.

    .venv/bin/python benchmarks/bench_pages.py [--cold 2] [--warm 3] [--no-write] [--profile]

In one run (~5–7 min on 2 cores), all inside a temporary folder (nothing under `data/` is touched):

1. builds a fresh database with the demo provinces (`ntm.build.init_database(path, with_demo=True)`),
   loads the national synthetic files 2021–2025 (`ntm.synth`) as one import batch per year with
   `bench_core_queries.load_year` — rows of the four demo provinces (62, 51, 38, 22) are left out of the
   synthetic files, so those provinces keep their demo stories (demo notice, at-risk communes, district
   figures) and every other province gets synthetic figures — then draws schematic district and commune
   polygons for all 63 provinces (`ntm.store.boundaries.load_boundaries(con, schematic_provinces=<all>)`), so the
   national commune map has one polygon per pre-reform commune (10,035);
2. starts two servers with the same flags (`--server.headless true --server.address 127.0.0.1`, usage
   statistics off, the project's `.streamlit/config.toml`): the dashboard on that database, and a bare
   page (`st.title` and one `st.write`) as the floor;
3. times navigation → rendered (and → settled: the main thread free of long tasks, i.e. the map drawn)
   in Debian's Chromium (Playwright), one fresh browser context per visit, for every leader's page at
   province scope (Kon Tum, 62) and at national scope, plus the national commune-level map: first visit
   after server start, cold (Streamlit's `st.cache_data` cleared just before the visit) and warm
   (cached), against the bare page;
4. counts the DuckDB queries the server runs per script run while a leader changes the year, goes back to
   a year already seen, and switches the language;
5. replaces the section "Leaders' pages in a real browser" of docs/benchmarks.md.

"Rendered" is the condition implemented by
`tests/browser/conftest.py::wait_rendered` (reused here): the app's script state is `notRunning`, nothing
is stale, no skeleton, and the page's own element is present (a metric card, a Plotly `.main-svg`, the
deck.gl canvas). The time is taken in the page itself: a poller installed before the page loads (an
init script evaluating the same `RENDERED_JS` every 20 ms) records when the condition last became true,
relative to the navigation start; `wait_rendered` then confirms it held (twice, 300 ms apart).

How queries are counted, without changing product code: both servers are started through this file
(`bench_pages.py _serve run <script> …`), which patches `duckdb.DuckDBPyConnection.execute`,
`executemany`, `sql` and `query` in the server process to record each call (SQL text and parameters, in
a thread-local list), and wraps Streamlit's `exec_func_with_error_handling` (one call per script run) to
append one JSON line per run to a log file: queries run, how many of them are the `data_version()`
fingerprint, how many repeat a query (same SQL, same parameters) already run since the caches were last
cleared, and the run's duration. A flag file asks the next script run to clear `st.cache_data` first
(that is how "cold" visits are made). With `--profile`, each script run of the dashboard is also
profiled with cProfile and the slowest run's top functions are printed.

Not a test: it prints and writes numbers; nothing here asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SECTION = "Leaders' pages in a real browser"
COMMAND = ".venv/bin/python benchmarks/bench_pages.py"
YEARS = list(range(2021, 2026))
PROVINCE = "62"                      # Kon Tum, a demo province
COMMUNE = "23353"                    # Xã Đăk Pék (Kon Tum), the commune the browser tests open
YEAR, OTHER_YEAR = 2024, 2023
NEW_YEAR, NEW_PROVINCE = 2025, "51"  # the first year on the new units; Quảng Ngãi (with Kon Tum)
RATIO_TARGET = 1.5                   # province scope within 1.5× the bare page
COMMUNE_MAP_TARGET_S = 3.0           # national commune-level map under 3 s
RENDER_TIMEOUT = 90_000              # ms; a cold national commune map on a busy machine is slow
CLEAR_FLAG = "clear-caches"
# The store's own bookkeeping behind dashboard.session.data_version(): the snapshot check of `sync`.
FINGERPRINT_MARKS = ("ducklake_current_snapshot", "_store_snapshot", "ducklake_snapshots")
TRANSACTION_CONTROL = ("BEGIN TRANSACTION", "ROLLBACK", "COMMIT")


def is_fingerprint(sql: str) -> bool:
    """Whether a query is the store's snapshot check rather than a data query."""
    return sql in TRANSACTION_CONTROL or any(mark in sql for mark in FINGERPRINT_MARKS)


# =================================================================================================
# Inside the server process: count queries per script run (started as `bench_pages.py _serve …`)

def _instrument() -> None:
    """Patch DuckDB's query entry points and Streamlit's script execution (see the module docstring)."""
    import itertools
    import threading

    import duckdb
    from streamlit.runtime.scriptrunner import script_runner

    log_path = Path(os.environ["NTM_BENCH_QUERY_LOG"])
    control = Path(os.environ["NTM_BENCH_CONTROL"])
    profile_dir = os.environ.get("NTM_BENCH_PROFILE")
    local = threading.local()
    lock = threading.Lock()
    seen: set[tuple[str, str]] = set()
    seq = itertools.count(1)

    def pending() -> list:
        if not hasattr(local, "queries"):
            local.queries = []
        return local.queries

    def counting(name: str):
        original = getattr(duckdb.DuckDBPyConnection, name)

        def counted(self, query, *args, **kwargs):
            t0 = time.perf_counter()
            try:
                return original(self, query, *args, **kwargs)
            finally:
                ms = (time.perf_counter() - t0) * 1000
                sql = " ".join(str(query).split())
                params = args[0] if args else kwargs.get("parameters", kwargs.get("params"))
                key = (sql, repr(params))
                with lock:
                    repeat = key in seen
                    seen.add(key)
                pending().append({"sql": sql[:100], "fp": is_fingerprint(sql), "repeat": repeat,
                                  "ms": round(ms, 2)})
        counted.__name__ = name
        setattr(duckdb.DuckDBPyConnection, name, counted)

    for name in ("execute", "executemany", "sql", "query"):
        counting(name)

    original_exec = script_runner.exec_func_with_error_handling

    def write(record: dict) -> None:
        with lock, open(log_path, "a", encoding="utf-8") as out:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")

    def exec_and_log(func, ctx):
        flag = control / CLEAR_FLAG
        if flag.exists():
            import streamlit as st

            session = sys.modules.get("dashboard.session")
            if session is not None:
                session.clear_caches()         # results, options, names and built figures
            else:
                st.cache_data.clear()
            with lock:
                seen.clear()
            flag.unlink(missing_ok=True)
            write({"event": "cleared", "t": time.time()})
        n = next(seq)
        profiler = None
        if profile_dir:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        t0 = time.perf_counter()
        try:
            return original_exec(func, ctx)
        finally:
            run_ms = (time.perf_counter() - t0) * 1000
            if profiler is not None:
                profiler.disable()
                profiler.dump_stats(str(Path(profile_dir) / f"run-{n:04d}.prof"))
            queries, local.queries = pending(), []
            write({"event": "run", "seq": n, "t": time.time(), "query_string": getattr(ctx, "query_string", ""),
                   "run_ms": round(run_ms, 1), "queries": queries})

    script_runner.exec_func_with_error_handling = exec_and_log


def _serve(argv: list[str]) -> None:
    """`streamlit <argv>` in this process, instrumented."""
    _instrument()
    from streamlit.web import cli

    sys.argv = ["streamlit", *argv]
    sys.exit(cli.main())


# =================================================================================================
# Database

def build_database(tmp: Path) -> dict:
    """The national-scale database of step 1; returns its facts and timings."""
    import pandas as pd

    from benchmarks.bench_core_queries import load_year
    from ntm.domain.names import normalise_code
    from ntm.domain.units import POST, PRE, REFORM_YEAR
    from ntm.store.boundaries import load_boundaries
    from ntm.store.build import init_database
    from ntm.store.connection import connect
    from ntm.store.demo import province_plans
    from ntm.store.synth import write_national_files

    demo_provinces = tuple(province_plans())
    facts: dict = {"path": tmp / "ntm.ducklake"}
    t0 = time.perf_counter()
    init_database(facts["path"], with_demo=True, log=lambda *_: None)
    facts["init_s"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    files = write_national_files(YEARS, tmp / "synth")
    facts["synth_s"] = time.perf_counter() - t0

    con = connect(facts["path"])
    try:
        province_of = {system: dict(con.execute(
            "SELECT code, province_code FROM units WHERE system = ? AND level = 'commune'", [system]).fetchall())
            for system in (PRE, POST)}
        demo_new = {r[0] for r in con.execute("SELECT DISTINCT post_province_code FROM unit_map "
                                              "WHERE pre_province_code IN ?", [list(demo_provinces)]).fetchall()}
        other = tmp / "synth-other-provinces"
        other.mkdir()
        t0 = time.perf_counter()
        loaded = 0
        for year, path in zip(YEARS, files):
            df = pd.read_csv(path, dtype=str, keep_default_na=False)
            system, demo = (POST, demo_new) if year >= REFORM_YEAR else (PRE, set(demo_provinces))
            keep = ~df["commune_code"].map(normalise_code).map(province_of[system]).isin(demo)
            df[keep].to_csv(other / path.name, index=False)
            rows, _ = load_year(con, other / path.name, year)
            loaded += rows
        facts["load_s"] = time.perf_counter() - t0
        facts["synthetic_rows"] = loaded

        provinces = tuple(r[0] for r in con.execute(
            "SELECT DISTINCT code FROM units WHERE system = ? AND level = 'province' ORDER BY 1", [PRE]).fetchall())
        t0 = time.perf_counter()
        load_boundaries(con, schematic_provinces=provinces)
        con.execute("CHECKPOINT")
        facts["boundaries_s"] = time.perf_counter() - t0
        facts["provinces"] = len(provinces)
        facts["polygons"] = dict(con.execute(
            "SELECT level, count(*) FROM boundaries WHERE system = ? GROUP BY ALL", [PRE]).fetchall())
        facts["rows_in_force"] = con.execute("SELECT count(*) FROM commune_year WHERE is_current").fetchone()[0]
        facts["demo_rows"] = con.execute(
            "SELECT count(*) FROM commune_year f JOIN import_batches b USING (batch_id) "
            "WHERE f.is_current AND b.is_demo").fetchone()[0]
    finally:
        con.close()
    files = [facts["path"], *Path(f"{facts['path']}.files").rglob("*")]    # the catalog and its Parquet files
    facts["size_mb"] = sum(f.stat().st_size for f in files if f.is_file()) / 2**20
    return facts


# =================================================================================================
# Servers

class Server:
    """A Streamlit server started through `_serve` (instrumented), with its query log and control folder."""

    def __init__(self, name: str, script: Path, tmp: Path, env: dict[str, str] | None = None,
                 profile: bool = False) -> None:
        from tests.browser.conftest import _free_port

        self.name = name
        self.dir = tmp / f"server-{name}"
        self.dir.mkdir()
        self.log = self.dir / "queries.jsonl"
        self.log.touch()
        self.stdout = self.dir / "server.log"
        self.profile_dir = self.dir / "profile" if profile else None
        if self.profile_dir:
            self.profile_dir.mkdir()
        port = _free_port()
        self.url = f"http://127.0.0.1:{port}"
        full_env = dict(os.environ, STREAMLIT_BROWSER_GATHER_USAGE_STATS="false",
                        NTM_BENCH_QUERY_LOG=str(self.log), NTM_BENCH_CONTROL=str(self.dir), **(env or {}))
        if self.profile_dir:
            full_env["NTM_BENCH_PROFILE"] = str(self.profile_dir)
        cmd = [sys.executable, str(Path(__file__).resolve()), "_serve", "run", str(script),
               "--server.port", str(port), "--server.headless", "true", "--server.address", "127.0.0.1",
               "--browser.gatherUsageStats", "false"]
        self.started = time.perf_counter()
        with open(self.stdout, "w") as out:
            self.proc = subprocess.Popen(cmd, cwd=ROOT, env=full_env, stdout=out, stderr=subprocess.STDOUT)

    def wait_healthy(self) -> float:
        from tests.browser.conftest import _wait_healthy

        _wait_healthy(self.url, self.proc, self.stdout)
        return time.perf_counter() - self.started

    def clear_caches_on_next_run(self) -> None:
        (self.dir / CLEAR_FLAG).touch()

    def offset(self) -> int:
        return self.log.stat().st_size

    def runs_since(self, offset: int) -> list[dict]:
        with open(self.log, encoding="utf-8") as f:
            f.seek(offset)
            return [r for r in map(json.loads, f.read().splitlines()) if r.get("event") == "run"]

    def rss_mb(self) -> float | None:
        try:
            for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            pass
        return None

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)


def summarise_runs(runs: list[dict]) -> dict:
    """Queries of some script runs: all, the data_version() fingerprint, the rest, repeats among the rest."""
    queries = [q for r in runs for q in r["queries"]]
    data = [q for q in queries if not q["fp"]]
    return {"runs": len(runs), "run_ms": sum(r["run_ms"] for r in runs), "queries": len(queries),
            "fingerprint": len(queries) - len(data), "data": len(data),
            "repeats": sum(q["repeat"] for q in data), "query_ms": sum(q["ms"] for q in queries),
            "repeated_sql": sorted({q["sql"][:70] for q in data if q["repeat"]})}


# =================================================================================================
# Browser

BARE_SELECTOR = "h1"
PLOTLY_FLOOR_SELECTOR = '[data-testid="stPlotlyChart"] .main-svg'
DECK_FLOOR_SELECTOR = '[data-testid="stDeckGlJsonChart"] canvas'
# library floor: (name, path on the bare server, selector it waits for)
LIBRARY_FLOORS = (("Plotly", "/?chart=1", PLOTLY_FLOOR_SELECTOR), ("deck.gl", "/?map=1", DECK_FLOOR_SELECTOR))
# The floors: a bare page; the same page with one small Plotly chart (`?chart=1`) or one tiny deck.gl map
# (`?map=1`) — the cost of the chart or map library itself, loaded by every page that draws one; two
# bare pages under st.navigation (moving between pages inside one session).
BARE_SCRIPT = """import streamlit as st

st.title("x")
if st.query_params.get("chart"):
    import plotly.graph_objects as go

    st.plotly_chart(go.Figure(go.Bar(x=["a", "b", "c"], y=[1, 3, 2])))
elif st.query_params.get("map"):
    import pydeck as pdk

    square = {"type": "Feature", "properties": {},
              "geometry": {"type": "Polygon", "coordinates": [[[105, 20], [106, 20], [106, 21], [105, 20]]]}}
    st.pydeck_chart(pdk.Deck(layers=[pdk.Layer("GeoJsonLayer", data=square, get_fill_color=[200, 80, 40])],
                             initial_view_state=pdk.ViewState(latitude=20.5, longitude=105.5, zoom=6),
                             map_provider=None))
else:
    st.write("A bare page: the floor.")
"""
BARE_NAV_SCRIPT = """import streamlit as st


def page_a():
    st.title("Trang A")
    st.write("A bare page: the floor.")


def page_b():
    st.title("Trang B")
    st.write("Another bare page.")


st.navigation([st.Page(page_a, title="Trang A", default=True),
               st.Page(page_b, title="Trang B", url_path="b")]).run()
"""
POLLER_JS = """(() => {
    const rendered = %s;
    const selectors = %s;
    window.__bench = {since: null, long: []};
    try {
        new PerformanceObserver((list) => {
            for (const e of list.getEntries()) window.__bench.long.push([e.startTime, e.startTime + e.duration]);
        }).observe({type: 'longtask', buffered: true});
    } catch (e) {}
    setInterval(() => {
        let ok = false;
        try { ok = rendered(selectors); } catch (e) { ok = false; }
        if (ok) { if (window.__bench.since === null) window.__bench.since = performance.now(); }
        else { window.__bench.since = null; }
    }, 20);
})();"""


def targets() -> list[dict]:
    from tests.browser.test_pages_browser import DECK, METRIC, PLOTLY

    chooser = '[data-testid="stMain"] [data-testid="stSelectbox"]'
    p, y = f"province={PROVINCE}&year={YEAR}", f"year={YEAR}"
    return [
        {"page": "Overview", "scope": "province", "path": f"/?{p}", "selector": METRIC},
        {"page": "Overview", "scope": "national", "path": f"/?{y}", "selector": METRIC},
        {"page": "Map", "scope": "province", "path": f"/map?{p}", "selector": DECK, "note": "districts of Kon Tum"},
        {"page": "Map", "scope": "national", "path": f"/map?{y}", "selector": DECK, "note": "63 provinces"},
        {"page": "Map", "scope": "national · communes", "path": f"/map?{y}&level=commune", "selector": DECK,
         "note": "10,035 commune polygons"},
        {"page": "Map", "scope": "national · new communes", "path": f"/map?year={NEW_YEAR}&level=commune",
         "selector": DECK, "note": "3,321 real commune polygons (units since 1 July 2025)"},
        {"page": "Map", "scope": "province · new communes", "path": f"/map?year={NEW_YEAR}&province={NEW_PROVINCE}"
         "&level=commune", "selector": DECK, "note": "Quảng Ngãi's communes, real polygons"},
        {"page": "NTM", "scope": "province", "path": f"/ntm_pipeline?{p}", "selector": PLOTLY},
        {"page": "NTM", "scope": "national", "path": f"/ntm_pipeline?{y}", "selector": PLOTLY},
        {"page": "Poverty", "scope": "province", "path": f"/poverty?{p}", "selector": PLOTLY},
        {"page": "Poverty", "scope": "national", "path": f"/poverty?{y}", "selector": PLOTLY},
        {"page": "Commune profile", "scope": "province", "path": f"/commune_profile?{p}&commune={COMMUNE}",
         "selector": PLOTLY, "note": f"commune {COMMUNE} selected"},
        {"page": "Commune profile", "scope": "national", "path": f"/commune_profile?{y}", "selector": chooser,
         "note": "no commune: the chooser over all communes"},
    ]


QUIET_MS = 500                      # "settled": no main-thread task over 50 ms for this long
SETTLE_TIMEOUT_S = 60


def settle(page) -> dict:
    """After rendered: wait until the page's main thread has been free of long tasks (> 50 ms) for
    QUIET_MS, and return the rendered time, the settled time (end of the last long task, if later) and
    the longest task after navigation start, all in ms since navigation start. (A page.evaluate cannot
    run during a long task, so this also waits out a task in progress.)"""
    deadline = time.monotonic() + SETTLE_TIMEOUT_S
    while True:
        b = page.evaluate("""() => ({now: performance.now(), since: window.__bench.since,
                                     long: window.__bench.long})""")
        last_end = max([end for _, end in b["long"]], default=0.0)
        settled = max(b["since"], last_end)
        if b["now"] - settled >= QUIET_MS or time.monotonic() > deadline:
            longest = max([end - start for start, end in b["long"]], default=0.0)
            return {"ms": float(b["since"]), "settled_ms": float(settled), "longest_task_ms": float(longest)}
        page.wait_for_timeout(100)


SLOW_MS = 8_000                      # a page whose visits settle after this long …
SLOW_VISITS = {"cold": 1, "warm": 2}  # … is visited only this often (each visit costs its full time)


def is_slow(result: dict) -> bool:
    done = result["cold"] + result["warm"]
    return bool(done) and statistics.median(v["settled_ms"] for v in done) > SLOW_MS


def visit(browser, server: Server, path: str, selector: str) -> dict:
    """One navigation in a fresh browser context: ms from navigation start to rendered and to settled,
    the longest main-thread task, bytes received on the websocket, and the server's script runs."""
    from tests.browser.conftest import RENDERED_JS, VIEWPORT, wait_rendered

    offset = server.offset()
    context = browser.new_context(viewport=VIEWPORT, locale="vi-VN")
    try:
        context.add_init_script(POLLER_JS % (RENDERED_JS, json.dumps([selector])))
        page = context.new_page()
        page.set_default_timeout(RENDER_TIMEOUT)
        received = [0]

        def on_ws(ws):
            ws.on("framereceived", lambda payload: received.__setitem__(0, received[0] + len(payload)))
        page.on("websocket", on_ws)
        page.goto(server.url + path, wait_until="commit")
        wait_rendered(page, selector, timeout=RENDER_TIMEOUT)
        times = settle(page)
    finally:
        context.close()
    out = summarise_runs(server.runs_since(offset))
    out.update(times, ws_mb=received[0] / 2**20)
    return out


# --- moving between pages inside one session --------------------------------------------------------

NAV_POLLER_JS = """([selectors, title]) => {
    const rendered = %s;
    window.__nav = {t0: performance.now(), since: null};
    if (window.__navTimer) clearInterval(window.__navTimer);
    window.__navTimer = setInterval(() => {
        let ok = false;
        try {
            const h1 = document.querySelector('[data-testid="stMain"] h1');
            ok = !!h1 && h1.textContent.trim().startsWith(title) && rendered(selectors);
        } catch (e) { ok = false; }
        if (ok) { if (window.__nav.since === null) window.__nav.since = performance.now(); }
        else { window.__nav.since = null; }
    }, 20);
}"""
NAV_ROUNDS = 2          # the first time a page is opened in a session, then a return to it
NAV_SESSIONS = 2


def navigate(page, title: str, selector: str) -> float:
    """Click the sidebar link `title` and return ms from the click to the new page rendered (its
    title shown and the rendered condition holding, confirmed by `wait_rendered`)."""
    import re

    from tests.browser.conftest import RENDERED_JS, wait_rendered

    page.evaluate(NAV_POLLER_JS % RENDERED_JS, [[selector], title])
    page.locator('[data-testid="stSidebarNav"] a').filter(has_text=re.compile(rf"^\s*{re.escape(title)}\s*$")).click()
    wait_rendered(page, selector, text=title, timeout=RENDER_TIMEOUT)
    b = page.evaluate("() => window.__nav")
    return float(b["since"] - b["t0"])


def navigation_times(browser, dashboard: Server, nav_floor: Server) -> dict:
    """Leaders move between pages through the sidebar: from the Overview (province scope, a commune
    chosen) to each page in turn, twice per session (first opening, return), in fresh sessions; and
    the floor, two bare pages under `st.navigation`, clicked back and forth as often."""
    from ntm.text import t
    from tests.browser.conftest import VIEWPORT, wait_rendered
    from tests.browser.test_pages_browser import DECK, METRIC, PLOTLY

    selectors = {"overview": METRIC, "map": DECK, "ntm": PLOTLY, "poverty": PLOTLY, "commune": PLOTLY}
    pages = [(key, t(f"page.{key}", "vi"), sel) for key, sel in selectors.items()]
    out: dict = {"pages": {key: {"first": [], "return": []} for key, _, _ in pages}, "floor": []}
    for _ in range(NAV_SESSIONS):
        context = browser.new_context(viewport=VIEWPORT, locale="vi-VN")
        try:
            page = context.new_page()
            page.set_default_timeout(RENDER_TIMEOUT)
            page.goto(dashboard.url + f"/?province={PROVINCE}&year={YEAR}&commune={COMMUNE}", wait_until="commit")
            wait_rendered(page, METRIC, timeout=RENDER_TIMEOUT)
            for rnd in range(NAV_ROUNDS):
                for key, title, sel in pages[1:] + pages[:1]:
                    ms = navigate(page, title, sel)
                    out["pages"][key]["first" if rnd == 0 else "return"].append(ms)
                    print(f"  navigate → {title:<16} {'first' if rnd == 0 else 'return'}  {ms:6.0f} ms", flush=True)
        finally:
            context.close()
        context = browser.new_context(viewport=VIEWPORT, locale="vi-VN")
        try:
            page = context.new_page()
            page.goto(nav_floor.url + "/", wait_until="commit")
            wait_rendered(page, BARE_SELECTOR, text="Trang A", timeout=RENDER_TIMEOUT)
            for _ in range(NAV_ROUNDS * len(pages) // 2):
                for title in ("Trang B", "Trang A"):
                    out["floor"].append(navigate(page, title, BARE_SELECTOR))
        finally:
            context.close()
    print(f"  navigation floor median {statistics.median(out['floor']):.0f} ms", flush=True)
    return out


# --- queries per rerun while a leader changes filters -----------------------------------------------

def _choose_year(page, year: int, label: str) -> None:
    """The sidebar's year box is a react-aria combobox: type the year and confirm (a click alone does
    not open its list when the box sits at the bottom of the viewport)."""
    box = page.locator('[data-testid="stSidebar"]').get_by_role("combobox", name=label)
    box.click()
    box.fill(str(year))
    page.keyboard.press("Enter")


def query_steps(browser, server: Server, target: dict) -> list[dict]:
    """First render (caches cleared), year → OTHER_YEAR, back to YEAR (seen), language → English:
    the queries of each step."""
    import re

    from tests.browser.conftest import VIEWPORT, wait_rendered

    sel = target["selector"]
    server.clear_caches_on_next_run()
    context = browser.new_context(viewport=VIEWPORT, locale="vi-VN")
    steps = []
    try:
        page = context.new_page()
        page.set_default_timeout(RENDER_TIMEOUT)

        def step(name: str, action, url_ok) -> None:
            offset = server.offset()
            t0 = time.perf_counter()
            action()
            page.wait_for_url(url_ok)
            wait_rendered(page, sel, timeout=RENDER_TIMEOUT)
            out = summarise_runs(server.runs_since(offset))
            out.update(step=name, wall_s=time.perf_counter() - t0 - 0.6)   # minus wait_rendered's 2 × 300 ms
            steps.append(out)

        step("first render", lambda: page.goto(server.url + target["path"], wait_until="commit"),
             re.compile(rf"year={YEAR}"))
        step(f"year → {OTHER_YEAR}", lambda: _choose_year(page, OTHER_YEAR, "Năm"),
             re.compile(rf"year={OTHER_YEAR}"))
        step(f"year back → {YEAR} (seen)", lambda: _choose_year(page, YEAR, "Năm"), re.compile(rf"year={YEAR}"))
        sidebar = page.locator('[data-testid="stSidebar"]')
        step("language → English", lambda: sidebar.get_by_text("English", exact=True).click(),
             re.compile(r"lang=en"))
    finally:
        context.close()
    return steps


# =================================================================================================
# Report

def med_max(values: list[float]) -> tuple[float, float]:
    return statistics.median(values), max(values)


def fmt_s(ms: float) -> str:
    return f"{ms / 1000:.2f}"


def render(facts: dict, db: dict, servers: dict, first: dict, results: list[dict], floors: dict,
           navigation: dict, scenarios: list[tuple[dict, list[dict]]], args, runtime_s: float,
           profile_text: str) -> str:
    med = statistics.median
    floor = floors["bare"]
    floor_ms = med(floor["ms"])
    lib_ms = {name: med(floors[name]["ms"]) for name, _, _ in LIBRARY_FLOORS}
    lib_of = {sel: name for name, _, sel in LIBRARY_FLOORS}          # page selector → its library floor
    out = [
        (f"Run on {datetime.now().strftime('%Y-%m-%d %H:%M')} in {runtime_s / 60:.1f} min. Database: a fresh build "
         f"with the demo provinces, plus the national synthetic files {YEARS[0]}–{YEARS[-1]} (`ntm.store.synth`, "
         f"seed 7) loaded as one batch per year with `bench_core_queries.load_year`, **without the rows of the "
         f"four demo provinces** (62, 51, 38, 22 keep their demo stories; the other 59 provinces get synthetic "
         f"figures): {db['rows_in_force']:,} commune-year rows in force ({db['demo_rows']:,} of them demo), "
         f"schematic polygons for all {db['provinces']} provinces "
         f"({db['polygons'].get('district', 0):,} districts, {db['polygons'].get('commune', 0):,} communes), "
         f"store {db['size_mb']:.0f} MB (catalog and Parquet files). Build {db['init_s']:.1f} s, synthetic files {db['synth_s']:.1f} s, "
         f"loads {db['load_s']:.1f} s, boundaries {db['boundaries_s']:.1f} s."),
        "",
        "Machine: " + "; ".join(f"{k} {v}" for k, v in facts.items()) + ". Browser: Debian Chromium, headless, "
        "**no GPU** (WebGL through SwiftShader, i.e. drawn on the CPU), 1440×900, one fresh context per visit "
        "(empty HTTP cache, a new Streamlit session). Servers healthy "
        f"{servers['dashboard']:.1f} s (dashboard) and {servers['bare']:.1f} s (bare page) after start.",
        "",
        ("**Rendered** = navigation start → the rendered condition of `tests/browser/conftest.py` ("
         "script `notRunning`, nothing stale, no skeleton, the page's own element present — a metric card, a "
         "Plotly `.main-svg`, the deck.gl canvas), timed in the page. **Settled** = the end of the last "
         "main-thread task over 50 ms after that (the deck.gl canvas is present before the map is drawn: "
         "drawing it is a long task of its own). "
         "**Cold**: the pages' caches (query results, options, built figures) cleared just before the visit; "
         f"**warm**: cached. Visits: {args.cold} cold and "
         f"{args.warm} warm per page, except pages that settle after more than {SLOW_MS / 1000:.0f} s "
         f"({SLOW_VISITS['cold']} cold, {SLOW_VISITS['warm']} warm). **Floor**: a bare Streamlit page "
         f"(`st.title` + `st.write`) served with the same flags, visited {len(floor['ms'])} times interleaved "
         f"with the pages (once after each): rendered median **{fmt_s(floor_ms)} s** (max {fmt_s(max(floor['ms']))} s). "
         "**Library floors**: the same page with one small Plotly bar chart (**Plotly floor**, rendered median "
         f"**{fmt_s(lib_ms['Plotly'])} s**) or one tiny deck.gl map (**deck.gl floor**, "
         f"**{fmt_s(lib_ms['deck.gl'])} s**) instead of the text, visited as often — what Streamlit's chart and "
         "map elements cost by themselves (a 4.7 MB / 3 MB script fetched and evaluated on the first chart or "
         "map of a visit, and for deck.gl the first WebGL frame), paid by every page that draws one. "
         "*Server* = the script runs' time on the server; *longest task* = the longest main-thread task in the "
         "browser; *WS* = bytes received on Streamlit's websocket; *queries* = DuckDB calls of one visit as "
         "data queries + `data_version()` fingerprints."),
        "",
        (f"First visits after server start: bare page {fmt_s(first['bare']['ms'])} s; dashboard overview "
         f"(province) {fmt_s(first['dashboard']['ms'])} s (server {fmt_s(first['dashboard']['run_ms'])} s, "
         f"{first['dashboard']['data']} + {first['dashboard']['fingerprint']} queries). Server memory (RSS) at the "
         f"end: dashboard {servers['rss_dashboard']:.0f} MB, bare page {servers['rss_bare']:.0f} MB."),
        "",
        ("| page | scope | rendered cold s (median / max) | rendered warm s (median / max) | warm ÷ floor | "
         "warm ÷ library floor | settled warm s | longest task warm s | server warm / cold s | WS MB | "
         "queries cold | queries warm |"),
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        (f"| bare page (floor) | – | – | {fmt_s(floor_ms)} / {fmt_s(max(floor['ms']))} | 1.00× | – | "
         f"{fmt_s(med(floor['settled_ms']))} | {fmt_s(med(floor['longest_task_ms']))} | – | "
         f"{med(floor['ws']):.2f} | 0 | 0 |"),
    ]
    for name, _, _ in LIBRARY_FLOORS:
        f = floors[name]
        out.append(f"| bare page + one {'Plotly chart' if name == 'Plotly' else 'deck.gl map'} ({name} floor) | – | "
                   f"– | {fmt_s(lib_ms[name])} / {fmt_s(max(f['ms']))} | {lib_ms[name] / floor_ms:.2f}× | 1.00× | "
                   f"{fmt_s(med(f['settled_ms']))} | {fmt_s(med(f['longest_task_ms']))} | – | {med(f['ws']):.2f} | "
                   "0 | 0 |")
    for r in results:
        cold, warm = r["cold"], r["warm"]
        cm, cx = med_max([v["ms"] for v in cold])
        wm, wx = med_max([v["ms"] for v in warm])
        c0, w0 = cold[-1], warm[-1]
        scope = r["scope"] + (f" ({r['note']})" if r.get("note") else "")
        visits = f" [{len(cold)}+{len(warm)} visits]" if (len(cold), len(warm)) != (args.cold, args.warm) else ""
        lib = lib_of.get(r["selector"])
        lib_text = f"{wm / lib_ms[lib]:.2f}× ({lib})" if lib else "–"
        out.append(
            f"| {r['page']} | {scope}{visits} | {fmt_s(cm)} / {fmt_s(cx)} | {fmt_s(wm)} / {fmt_s(wx)} | "
            f"{wm / floor_ms:.2f}× | {lib_text} | {fmt_s(med(v['settled_ms'] for v in warm))} | "
            f"{fmt_s(med(v['longest_task_ms'] for v in warm))} | "
            f"{fmt_s(med(v['run_ms'] for v in warm))} / {fmt_s(med(v['run_ms'] for v in cold))} | "
            f"{med(v['ws_mb'] for v in warm):.2f} | "
            f"{c0['data']} + {c0['fingerprint']} | {w0['data']} + {w0['fingerprint']} |")

    # --- targets
    prov = [r for r in results if r["scope"] == "province"]
    warm_ratio = {r["page"]: med(v["ms"] for v in r["warm"]) / floor_ms for r in prov}
    cold_ratio = {r["page"]: med(v["ms"] for v in r["cold"]) / floor_ms for r in prov}
    cmap = next(r for r in results if r["scope"].startswith("national · communes"))
    cmap_warm, cmap_cold = med(v["ms"] for v in cmap["warm"]), med(v["ms"] for v in cmap["cold"])
    cmap_settled = med(v["settled_ms"] for v in cmap["warm"])
    repeats = [(t["page"], s["step"], s["repeats"], s["repeated_sql"]) for t, steps in scenarios for s in steps
               if s["repeats"]]
    filter_steps = [(t["page"], s) for t, steps in scenarios for s in steps if s["step"] != "first render"]
    filter_repeats = sum(s["repeats"] for _, s in filter_steps)
    slow_prov = [k for k, v in warm_ratio.items() if v > RATIO_TARGET]
    lib_ratio = {r["page"]: med(v["ms"] for v in r["warm"]) / lib_ms[lib_of[r["selector"]]] for r in prov
                 if r["selector"] in lib_of}
    nav_floor = med(navigation["floor"])
    nav_ratio = {key: med(v["return"]) / nav_floor for key, v in navigation["pages"].items()}
    nav_first = {key: med(v["first"]) / nav_floor for key, v in navigation["pages"].items()}
    slow_nav = [k for k, v in nav_ratio.items() if v > RATIO_TARGET]
    limit = COMMUNE_MAP_TARGET_S * 1000
    out += ["", "### Targets", "",
            "| target | result | met |", "|---|---|:---:|",
            f"| province scope within {RATIO_TARGET}× the floor (rendered, warm median) | "
            + ", ".join(f"{k} {v:.2f}×" for k, v in warm_ratio.items())
            + f"; cold: {', '.join(f'{k} {v:.2f}×' for k, v in cold_ratio.items())} | "
            + ("yes" if not slow_prov else f"**no** ({', '.join(slow_prov)})") + " |",
            "| … pages with a Plotly chart or a map, against the floor of that library (same run) | "
            + ", ".join(f"{k} {v:.2f}×" for k, v in lib_ratio.items()) + " | "
            + ("yes" if all(v <= RATIO_TARGET for v in lib_ratio.values())
               else f"**no** ({', '.join(k for k, v in lib_ratio.items() if v > RATIO_TARGET)})") + " |",
            f"| … moving to a page inside a session (sidebar click → rendered, return visits), against two bare "
            f"pages under `st.navigation` ({fmt_s(nav_floor)} s) | "
            + ", ".join(f"{k} {v:.2f}×" for k, v in nav_ratio.items())
            + f"; first opening in the session: {', '.join(f'{k} {v:.2f}×' for k, v in nav_first.items())} | "
            + ("yes" if not slow_nav else f"**no** ({', '.join(slow_nav)})") + " |",
            (f"| national commune-level map under {COMMUNE_MAP_TARGET_S:.0f} s | rendered: warm median "
             f"{fmt_s(cmap_warm)} s (max {fmt_s(max(v['ms'] for v in cmap['warm']))} s), cold median "
             f"{fmt_s(cmap_cold)} s; settled (map drawn): warm median {fmt_s(cmap_settled)} s | "
             f"{'yes' if cmap_warm < limit else '**no**'} warm, {'yes' if cmap_cold < limit else '**no**'} cold; "
             f"drawn: {'yes' if cmap_settled < limit else '**no**'} |"),
            "| changing a filter never re-runs a query whose inputs did not change | "
            + (f"{filter_repeats} data queries re-run with unchanged SQL and parameters over "
               f"{sum(1 for _, s in filter_steps if s['repeats'])} of {len(filter_steps)} filter changes"
               if filter_repeats else f"none over {len(filter_steps)} filter changes")
            + "; the store's snapshot check (`data_version()`, its statements counted) runs "
            + f"{min(s['fingerprint'] for _, s in filter_steps)}–{max(s['fingerprint'] for _, s in filter_steps)} "
            "statements per filter change (kept for 2 s: it decides whether cached results are still valid) | "
            + ("yes" if not filter_repeats else "**no**") + " |"]

    # --- navigation
    out += ["", "### Moving between pages inside a session", "",
            (f"{NAV_SESSIONS} fresh sessions each open the Overview (Kon Tum, {YEAR}, commune {COMMUNE} chosen), "
             f"then click every page in the sidebar in turn, {NAV_ROUNDS} rounds: the first round opens each page "
             "for the first time in the session (its browser code is fetched then), the second returns to it. "
             "Time = click → the page's title shown and the rendered condition holding, timed in the page. "
             f"Floor: two bare pages under `st.navigation`, clicked back and forth {len(navigation['floor'])} "
             f"times: median **{fmt_s(nav_floor)} s** (max {fmt_s(max(navigation['floor']))} s)."), "",
            "| page | first opening s (median / max) | return s (median / max) | return ÷ floor |",
            "|---|---:|---:|---:|"]
    for key, v in navigation["pages"].items():
        fm, fx = med_max(v["first"])
        rm, rx = med_max(v["return"])
        out.append(f"| {key} | {fmt_s(fm)} / {fmt_s(fx)} | {fmt_s(rm)} / {fmt_s(rx)} | {rm / nav_floor:.2f}× |")

    # --- queries per rerun
    out += ["", "### DuckDB queries per rerun", "",
            ("Each page at province scope (Kon Tum), in one browser session: first render with the caches "
             f"cleared, then the sidebar's year → {OTHER_YEAR}, back to {YEAR} (already seen), and the language "
             "→ English. *data* = queries other than the `data_version()` fingerprint; *repeats* = data queries "
             "with the same SQL and parameters as one already run since the caches were cleared (work a cache "
             "should have saved); *fp* = statements of the store's snapshot check (`dashboard.session.data_version`: "
             "a transaction reading the newest snapshot and the copy's, at most once every 2 s; with a change, the "
             "copy's update); *server s* = the script runs' time."), "",
            "| page | step | script runs | data | repeats | fp | server s |", "|---|---|---:|---:|---:|---:|---:|"]
    for t, steps in scenarios:
        for s in steps:
            out.append(f"| {t['page']} | {s['step']} | {s['runs']} | {s['data']} | "
                       f"{'**' + str(s['repeats']) + '**' if s['repeats'] else 0} | {s['fingerprint']} | "
                       f"{s['run_ms'] / 1000:.2f} |")
    if repeats:
        out += ["", "Data queries re-run with unchanged SQL and parameters (first 70 characters):", ""]
        for page, step, n, sqls in repeats:
            out.append(f"- {page}, {step}: {n} — " + "; ".join(f"`{q}…`" for q in sqls))
    if profile_text:
        out += ["", "### Profile of the slowest dashboard script run", "", "```", profile_text.strip(), "```"]
    out += ["", "Diagnosis of the misses and how the numbers are taken: `benchmarks/README.md`.", "",
            ("Reproduce (from the repository root; ~5–7 min on 2 cores, depending on the load; needs Debian's "
             "Chromium at /usr/bin/chromium):"),
            "", "```", COMMAND + (f" --cold {args.cold} --warm {args.warm}" if (args.cold, args.warm) != (2, 3) else ""),
            "```", ""]
    return "\n".join(out)


def slowest_profile(server: Server, top: int = 25) -> str:
    """cProfile's top functions (cumulative) of the slowest profiled script run."""
    import io
    import pstats

    runs = server.runs_since(0)
    if not runs or not server.profile_dir:
        return ""
    worst = max(runs, key=lambda r: r["run_ms"])
    path = server.profile_dir / f"run-{worst['seq']:04d}.prof"
    if not path.exists():
        return ""
    buf = io.StringIO()
    buf.write(f"run {worst['seq']} ({worst['query_string']}): {worst['run_ms'] / 1000:.2f} s\n")
    pstats.Stats(str(path), stream=buf).sort_stats("cumulative").print_stats(top)
    return buf.getvalue()


# =================================================================================================

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cold", type=int, default=2, help="cold visits per page (default 2)")
    ap.add_argument("--warm", type=int, default=3, help="warm visits per page (default 3)")
    ap.add_argument("--doc", type=Path, default=None, help="report file (default docs/benchmarks.md)")
    ap.add_argument("--no-write", action="store_true", help="print only; do not touch the report file")
    ap.add_argument("--profile", action="store_true", help="cProfile every dashboard script run; print the slowest")
    args = ap.parse_args(argv)

    from playwright.sync_api import sync_playwright

    from benchmarks.bench_core_queries import machine_facts
    from benchmarks.report import DOC, write_section
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    if not CHROMIUM.exists():
        print(f"Chromium not found at {CHROMIUM} (apt-get install chromium; never `playwright install`)")
        return 2
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="ntm-bench-pages-") as tmp:
        tmp = Path(tmp)
        bare_script = tmp / "bare" / "bare.py"
        bare_script.parent.mkdir()
        bare_script.write_text(BARE_SCRIPT)
        nav_script = tmp / "bare-nav" / "bare_nav.py"
        nav_script.parent.mkdir()
        nav_script.write_text(BARE_NAV_SCRIPT)
        bare = bare_nav = dashboard = None
        load_before = "{:.1f} / {:.1f} / {:.1f}".format(*os.getloadavg())
        try:
            print("building the national-scale database …", flush=True)
            db = build_database(tmp)
            bare = Server("bare", bare_script, tmp)
            bare_nav = Server("bare-nav", nav_script, tmp)
            print(f"  {db['rows_in_force']:,} rows in force, {db['polygons']} polygons "
                  f"({time.perf_counter() - started:.0f} s)", flush=True)
            dashboard = Server("dashboard", ROOT / "app.py", tmp, profile=args.profile,
                               env={"NTM_DB": str(db["path"]), "NTM_BASEMAP_TILES": "", "NTM_REQUIRE_LOGIN": "0",
                                    "NTM_USERS_FILE": str(tmp / "users.json")})
            servers = {"bare": bare.wait_healthy(), "dashboard": dashboard.wait_healthy(),
                       "bare-nav": bare_nav.wait_healthy()}
            pages = targets()
            results = [dict(t, cold=[], warm=[]) for t in pages]
            floor: dict = {"ms": [], "settled_ms": [], "longest_task_ms": [], "ws": []}
            library_floors = {name: {"ms": [], "settled_ms": [], "longest_task_ms": [], "ws": []}
                              for name, _, _ in LIBRARY_FLOORS}
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
                try:
                    first = {"bare": visit(browser, bare, "/", BARE_SELECTOR),
                             "dashboard": visit(browser, dashboard, pages[0]["path"], pages[0]["selector"])}
                    print(f"first visits: bare {first['bare']['ms']:.0f} ms, "
                          f"dashboard {first['dashboard']['ms']:.0f} ms", flush=True)
                    # Page by page: cold visits (caches cleared before each), then warm ones (the cold
                    # visits filled the caches), then the bare page once, so the floor follows the load.
                    for r in results:
                        for label, reps in (("cold", args.cold), ("warm", args.warm)):
                            for rep in range(reps):
                                if is_slow(r) and len(r[label]) >= SLOW_VISITS[label]:
                                    break             # keeps the run short: see SLOW_MS
                                if label == "cold":
                                    dashboard.clear_caches_on_next_run()
                                v = visit(browser, dashboard, r["path"], r["selector"])
                                r[label].append(v)
                                print(f"  {label} {rep + 1}/{reps} {r['page']:<16} {r['scope']:<20} "
                                      f"rendered {v['ms']:6.0f} ms  settled {v['settled_ms']:6.0f} ms  "
                                      f"server {v['run_ms']:6.0f} ms  {v['queries']:3d} q  {v['ws_mb']:.2f} MB",
                                      flush=True)
                        for acc, path, sel in ((floor, "/", BARE_SELECTOR),          # the floors, interleaved
                                               *((library_floors[n], path, sel) for n, path, sel in LIBRARY_FLOORS)):
                            f = visit(browser, bare, path, sel)
                            for key in ("ms", "settled_ms", "longest_task_ms"):
                                acc[key].append(f[key])
                            acc["ws"].append(f["ws_mb"])
                    print(f"floor median {statistics.median(floor['ms']):.0f} ms; "
                          + ", ".join(f"{n} floor {statistics.median(v['ms']):.0f} ms"
                                      for n, v in library_floors.items()), flush=True)
                    navigation = navigation_times(browser, dashboard, bare_nav)
                    scenarios = []
                    for t in (r for r in results if r["scope"] == "province"):
                        steps = query_steps(browser, dashboard, t)
                        scenarios.append((t, steps))
                        for s in steps:
                            print(f"  queries {t['page']:<16} {s['step']:<36} data {s['data']:3d}  "
                                  f"repeats {s['repeats']:3d}  fp {s['fingerprint']:3d}  "
                                  f"server {s['run_ms']:6.0f} ms", flush=True)
                finally:
                    browser.close()
            servers.update(rss_dashboard=dashboard.rss_mb() or 0, rss_bare=bare.rss_mb() or 0)
            profile_text = slowest_profile(dashboard) if args.profile else ""
        finally:
            for server in (bare, bare_nav, dashboard):
                if server is not None:
                    server.stop()

    facts = machine_facts()
    facts["load average (1/5/15 min) before the run"] = load_before
    body = render(facts, db, servers, first, results, {"bare": floor, **library_floors}, navigation,
                  scenarios, args, time.perf_counter() - started, profile_text)
    if args.no_write:
        print(f"## {SECTION}\n\n{body}")
    else:
        doc = args.doc or DOC
        write_section(SECTION, body, doc)
        print(body)
        print(f"wrote section '{SECTION}' of {doc}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_serve":
        _serve(sys.argv[2:])
    else:
        raise SystemExit(main())
