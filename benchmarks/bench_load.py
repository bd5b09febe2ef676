"""Benchmark: concurrent viewers on the national database, and the refusal of a crafted workbook.

    .venv/bin/python benchmarks/bench_load.py [--levels 1,5,10,20] [--seconds 60] [--floor-seconds 30] [--no-write]

In one run (~12 min on 2 cores), all inside a temporary folder (nothing under `data/` is touched):

1. builds the national-scale database of `bench_pages.py` (demo provinces + synthetic figures for the other
   59, schematic polygons for every commune);
2. starts the dashboard on it and a bare Streamlit page (`st.title` + `st.write`, the floor), both with
   the project's flags (`--server.headless true --server.address 127.0.0.1`, no usage statistics) and no
   instrumentation;
3. for N = 1, 5, 10, 20 concurrent viewers: N browser contexts in one headless Chromium (Playwright), each
   a leader opening the leaders' pages one after another (Overview, Map, NTM, Poverty, Commune profile, at
   Kon Tum's scope and national scope, each viewer starting at a different page) for `--seconds`; every
   visit is a new Streamlit session timed from navigation to rendered (`tests/browser/conftest.py:
   RENDERED_JS`). Then the same N viewers on the bare page for `--floor-seconds`. Recorded: visits, page
   times (median, p95), errors (not rendered within 90 s, a Streamlit exception on the page, a page error,
   an HTTP 5xx), the server's CPU seconds and resident memory (peak, sampled every 0.5 s from /proc) and, beside
   them, the CPU seconds of Chromium's own processes and of the Playwright driver — the browsers run on the
   same 2 cores, so the server's share is what the server column says;
4. times `python -m ntm validate` on a 0.5 MB workbook that unpacks to 3 million rows (refused by the row
   limit) against the same command on Kon Tum's real-size workbook, with each process's peak memory
   (its own high-water mark);
5. replaces the section "Concurrent viewers" of docs/benchmarks.md.

Not a test: it prints and writes numbers; nothing here asserts.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SECTION = "Concurrent viewers"
COMMAND = ".venv/bin/python benchmarks/bench_load.py"
LEVELS = (1, 5, 10, 20)
RENDER_TIMEOUT_MS = 90_000
SAMPLE_S = 0.5
TICKS = os.sysconf("SC_CLK_TCK")
EXCEPTION = '[data-testid="stException"]'


# =================================================================================================
# Processes: CPU and memory from /proc

def _stat(pid: int) -> tuple[int, str, float] | None:
    """(parent pid, command name, CPU seconds) of a process, None when it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    name = raw[raw.index("(") + 1:raw.rindex(")")]
    fields = raw[raw.rindex(")") + 2:].split()
    return int(fields[1]), name, (int(fields[11]) + int(fields[12])) / TICKS


def _status_mb(pid: int, field: str = "VmRSS:") -> float:
    """A memory figure of /proc/<pid>/status in MB (0 when the process is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class Sampler(threading.Thread):
    """Every SAMPLE_S: the servers' RSS, and the CPU seconds of the processes that serve or load, grouped as
    server (the Streamlit processes `server_pids`), nginx, database (the PostgreSQL cluster whose postmaster
    is `database_pid`, all its backends), browser (Chromium) and driver (Playwright's node) — the last value
    seen of each process is kept, so processes that end (a closed context's renderer, a backend) still
    count."""

    def __init__(self, server_pids: set[int], database_pid: int | None = None) -> None:
        super().__init__(daemon=True)
        self.server_pids, self.database_pid = set(server_pids), database_pid
        self.stop_event = threading.Event()
        self.first: dict[int, float] = {}
        self.last: dict[int, tuple[str, float]] = {}
        self.peak_rss = 0.0
        self._sample(first=True)

    def _group(self, pid: int, name: str, ancestors: list[int]) -> str | None:
        if pid in self.server_pids:
            return "server"
        if self.database_pid is not None and self.database_pid in (pid, *ancestors):
            return "database"
        if os.getpid() not in ancestors:
            return None
        lowered = name.lower()
        return ("nginx" if lowered.startswith("nginx") else "browser" if "chrom" in lowered
                else "driver" if "node" in lowered else "other")

    def _sample(self, first: bool = False) -> None:
        parents, seen = {}, {}
        for entry in os.listdir("/proc"):
            if entry.isdigit() and (s := _stat(int(entry))):
                parents[int(entry)] = s[0]
                seen[int(entry)] = s
        for pid, (_, name, cpu) in seen.items():
            ancestors, p = [], parents.get(pid, 0)
            while p not in (0, 1) and len(ancestors) < 20:
                ancestors.append(p)
                p = parents.get(p, 0)
            group = self._group(pid, name, ancestors)
            if group is None or pid == os.getpid():
                continue
            if pid not in self.first:
                self.first[pid] = cpu if first else 0.0
            self.last[pid] = (group, cpu)
        self.peak_rss = max(self.peak_rss, sum(_status_mb(pid) for pid in self.server_pids))

    def run(self) -> None:
        while not self.stop_event.wait(SAMPLE_S):
            self._sample()

    def finish(self) -> dict:
        self.stop_event.set()
        self.join()
        self._sample()
        cpu: dict[str, float] = {}
        for pid, (group, value) in self.last.items():
            cpu[group] = cpu.get(group, 0.0) + value - self.first.get(pid, 0.0)
        return {"cpu": cpu, "peak_rss_mb": self.peak_rss}


# =================================================================================================
# Viewers

def leader_pages() -> list[tuple[str, str]]:
    """(path, selector) of the leaders' pages a viewer opens in turn: province scope and national scope."""
    from benchmarks.bench_pages import targets

    return [(t["path"], t["selector"]) for t in targets() if "communes" not in t["scope"]]


async def viewer(browser, base: str, pages: list[tuple[str, str]], start: int, until: float,
                 visits: list[dict]) -> None:
    """One leader's session: open the pages in turn until `until`, each visit timed and checked."""
    from tests.browser.conftest import RENDERED_JS, VIEWPORT

    context = await browser.new_context(viewport=VIEWPORT)
    page = await context.new_page()
    failures: list[str] = []
    page.on("pageerror", lambda e: failures.append(f"page error: {str(e)[:80]}"))
    page.on("response", lambda r: failures.append(f"HTTP {r.status}") if r.status >= 500 else None)
    k = start
    try:
        while time.monotonic() < until:
            path, selector = pages[k % len(pages)]
            k += 1
            failures.clear()
            started = time.perf_counter()
            error = None
            try:
                await page.goto(base + path, wait_until="commit", timeout=RENDER_TIMEOUT_MS)
                await page.wait_for_function(RENDERED_JS, arg=[selector], timeout=RENDER_TIMEOUT_MS, polling=100)
                if await page.query_selector(EXCEPTION):
                    error = "exception on the page"
            except Exception as exc:                      # a timeout or a closed page: an error
                error = type(exc).__name__
            error = error or (failures[0] if failures else None)
            visits.append({"path": path, "s": time.perf_counter() - started, "error": error})
    finally:
        await context.close()


async def load_level(base: str, pages: list[tuple[str, str]], n: int, seconds: float) -> tuple[list[dict], float]:
    """N viewers for `seconds` (visits under way at the end finish and are counted); returns the visits
    and the wall time."""
    from playwright.async_api import async_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    visits: list[dict] = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        started = time.monotonic()
        await asyncio.gather(*(viewer(browser, base, pages, i * 3, started + seconds, visits) for i in range(n)))
        wall = time.monotonic() - started
        await browser.close()
    return visits, wall


async def visit_each(base: str, pages: list[tuple[str, str]]) -> None:
    """One viewer opening every page once (a replica's caches filled, as on a server in use)."""
    from playwright.async_api import async_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, RENDERED_JS, VIEWPORT

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = await (await browser.new_context(viewport=VIEWPORT)).new_page()
        for path, selector in pages:
            await page.goto(base + path, wait_until="commit", timeout=RENDER_TIMEOUT_MS)
            await page.wait_for_function(RENDERED_JS, arg=[selector], timeout=RENDER_TIMEOUT_MS, polling=100)
        await browser.close()


async def first_visits(base: str, path: str, selector: str, k: int) -> int:
    """`k` first visits, one after another: each a new browser context (an empty cache, as a leader
    opening the dashboard for the first time that day); the number rendered."""
    from playwright.async_api import async_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, RENDERED_JS, VIEWPORT

    done = 0
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for _ in range(k):
            context = await browser.new_context(viewport=VIEWPORT)
            page = await context.new_page()
            await page.goto(base + path, wait_until="commit", timeout=RENDER_TIMEOUT_MS)
            await page.wait_for_function(RENDERED_JS, arg=[selector], timeout=RENDER_TIMEOUT_MS, polling=100)
            await page.wait_for_timeout(300)                 # the session's last messages
            await context.close()
            done += 1
        await browser.close()
    return done


def measure(target: "Target", pages, n: int, seconds: float) -> dict:
    sampler = Sampler(target.server_pids(), target.database_pid)
    sampler.start()
    visits, wall = asyncio.run(load_level(target.url, pages, n, seconds))
    usage = sampler.finish()
    times = sorted(v["s"] for v in visits if not v["error"])
    errors = [v["error"] for v in visits if v["error"]]
    p95 = times[min(len(times) - 1, int(0.95 * len(times)))] if times else float("nan")
    return {"n": n, "visits": len(visits), "errors": len(errors), "error_kinds": sorted(set(errors)),
            "median_s": statistics.median(times) if times else float("nan"), "p95_s": p95,
            "per_min": 60 * len(visits) / wall, "wall_s": wall, **usage}


def measure_first(target: "Target", path: str, selector: str, k: int) -> dict:
    """Server CPU per first visit (an empty browser cache: Streamlit's bundles fetched too)."""
    sampler = Sampler(target.server_pids(), target.database_pid)
    sampler.start()
    visits = asyncio.run(first_visits(target.url, path, selector, k))
    usage = sampler.finish()
    return {"visits": visits, **usage}


def per_visit(r: dict, group: str) -> float:
    return r["cpu"].get(group, 0.0) / r["visits"] if r["visits"] else float("nan")


class Target:
    """What the viewers load: a bare page (one Streamlit process) or the dashboard's cluster (replicas
    behind nginx on the shared store)."""

    def __init__(self, label: str, url: str, pids, database_pid: int | None = None) -> None:
        self.label, self.url, self._pids, self.database_pid = label, url, pids, database_pid

    def server_pids(self) -> set[int]:
        return set(self._pids())


# =================================================================================================
# The crafted workbook

def timed_process(cmd: list[str]) -> tuple[float, float, int, str]:
    """Wall seconds, peak memory (MB) and exit code of one process, and its first finding (else its last
    line of output). The peak is the process's own high-water mark (VmHWM, read every 10 ms while it
    runs): `ru_maxrss` would include this large process's memory, inherited through fork."""
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+", encoding="utf-8") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, text=True)
        peak = 0.0
        while proc.poll() is None:
            peak = max(peak, _status_mb(proc.pid, "VmHWM:"))
            time.sleep(0.01)
        wall = time.perf_counter() - started
        out.seek(0)
        lines = out.read().strip().splitlines() or [""]
    said = next((line for line in lines if line.startswith("[")), lines[-1])
    return wall, peak, proc.returncode, said


def refusal(tmp: Path, db: Path, reps: int = 3) -> list[dict]:
    """`python -m ntm validate` on the 3-million-row workbook against Kon Tum's real-size one."""
    import pandas as pd
    from openpyxl import Workbook

    from ntm.domain.columns import BY_NAME
    from ntm.store.connection import connect
    from tests.ingest.test_read_limits import bomb_xlsx
    from tests.ingest.test_yearly import kon_tum_rows

    bomb = tmp / "ba_trieu_dong.xlsx"
    bomb.write_bytes(bomb_xlsx(3_000_000))
    con = connect(db, read_only=True)
    rows = kon_tum_rows(con)
    con.close()
    wb = Workbook()
    wb.active.append([BY_NAME[c].header_vi for c in rows.columns])
    for r in rows.itertuples(index=False):
        wb.active.append([None if pd.isna(v) else v for v in r])
    real = tmp / "kontum_2024.xlsx"
    wb.save(real)
    out = []
    for label, path in (("3 million rows (refused)", bomb), ("Kon Tum 2024, real size (baseline)", real)):
        runs = [timed_process([sys.executable, "-m", "ntm", "validate", str(path), "--db", str(db)])
                for _ in range(reps)]
        out.append({"file": label, "bytes": path.stat().st_size, "median_s": statistics.median(r[0] for r in runs),
                    "peak_mb": max(r[1] for r in runs), "exit": runs[0][2], "said": runs[0][3]})
    return out


# =================================================================================================
# Report

LEADERS, WINDOW_MIN, PAGES_PER_LEADER = 500, 10, 3.5      # a national meeting's peak (the figure)
BUSY_AT_MOST = 0.5                                           # a core kept at most half busy: room for bursts


def sizing(first: float, warm: float, side: float, rss_mb: float) -> dict:
    """Replicas and cores for LEADERS each opening PAGES_PER_LEADER pages within WINDOW_MIN minutes: the
    first page with an empty browser cache (`first` CPU s on the replicas and nginx), the rest `warm`;
    `side` = nginx + PostgreSQL CPU s per visit. A replica is one Python process: it uses one core at most."""
    visits = LEADERS * PAGES_PER_LEADER
    replica_cpu = (LEADERS * first + (visits - LEADERS) * warm) / (WINDOW_MIN * 60)
    side_cpu = visits * side / (WINDOW_MIN * 60)
    burst = LEADERS * (first + side) / 60                    # every leader's first page within one minute
    replicas = max(2, math.ceil(max(replica_cpu, burst) / BUSY_AT_MOST))   # two at least: one may be restarted
    cores = math.ceil(max(replica_cpu + side_cpu, burst) / BUSY_AT_MOST)
    return {"visits": visits, "per_s": visits / (WINDOW_MIN * 60), "replica_cpu": replica_cpu, "side_cpu": side_cpu,
            "burst": burst, "replicas": replicas, "cores": max(cores, replicas), "memory_gb": replicas * rss_mb / 1024}


def render(facts: dict, db: dict, pg_version: str, runs: dict, floors: dict, firsts: dict, refusals: list[dict],
           seconds: float, floor_seconds: float) -> str:
    cores = os.cpu_count() or 1

    def row(label: str, r: dict, replicas: int | None) -> str:
        share = lambda g: 100 * r["cpu"].get(g, 0) / (r["wall_s"] * cores)     # noqa: E731
        side = f"{per_visit(r, 'nginx'):.3f} | " + (f"{per_visit(r, 'database'):.3f}" if replicas else "–")
        return (f"| {label} | {r['n']} | {r['visits']} | {r['errors']} | {r['median_s']:.2f} | {r['p95_s']:.2f} | "
                f"{r['per_min']:.1f} | **{per_visit(r, 'server'):.3f}** | {side} | {r['peak_rss_mb']:.0f} | "
                f"{share('server'):.0f}% | {share('browser'):.0f}% |")

    levels = sorted(next(iter(runs.values())))
    lines = [
        f"Run on {datetime.now():%Y-%m-%d %H:%M}. Store: the database of *Leaders' pages in a real browser* "
        f"(demo provinces plus synthetic figures for the other 59 provinces, {db['rows_in_force']:,} commune-year "
        f"rows in force, {db['polygons'].get('commune', 0):,} commune polygons) copied with `python -m ntm store "
        f"copy` into a shared store: DuckLake catalog in {pg_version} (Debian's package, a cluster started by "
        "the benchmark on this machine, fsync on), Parquet files in a local folder.",
        "",
        f"Machine: {facts['CPU']}; RAM {facts['RAM']}; Python {facts['Python']}; DuckDB {facts['DuckDB']}. "
        "The replicas, nginx, PostgreSQL and the viewers' browsers share these cores: the CPU columns say who "
        "used them.",
        "",
        "**Dashboard**: `python -m ntm serve --replicas R` (`ntm.serve.Cluster`): R Streamlit processes behind "
        "nginx (sticky by cookie, Streamlit's bundles served by nginx). **Bare page**: one Streamlit process "
        "showing `st.title` + `st.write` behind the same nginx, with the project's settings "
        "(`.streamlit/config.toml`) — the floor; and the same bare page with Streamlit's default runner settings (a garbage collection and "
        "the code rewriting of *magic* on every run), as Streamlit comes.",
        "",
        f"Each viewer is one browser context opening the leaders' pages in turn ({len(leader_pages())} pages: "
        "Overview, Map, NTM, Poverty, Commune profile at Kon Tum's and national scope), every visit a new "
        "Streamlit session timed from navigation to rendered, the browser's cache kept between visits (a leader "
        f"moving through the pages); {seconds:.0f} s per level for the dashboard, {floor_seconds:.0f} s for the "
        "bare pages (visits under way at the end finish and count). *Server CPU s per visit*: the Streamlit "
        "processes' CPU seconds over the window ÷ visits; *nginx*, *PostgreSQL*: the same for them.",
        "",
        "| target | viewers | visits | errors | median s | p95 s | visits/min | server CPU s per visit | "
        "nginx CPU s per visit | PostgreSQL CPU s per visit | server RSS peak MB | server CPU share | "
        "Chromium CPU share |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n in levels:
        for replicas, by_level in runs.items():
            lines.append(row(f"dashboard, {replicas} replica{'s' if replicas > 1 else ''}", by_level[n], replicas))
        for label, by_level in floors.items():
            lines.append(row(label, by_level[n], None))
    kinds = sorted({k for group in (*runs.values(), *floors.values()) for r in group.values() for k in r["error_kinds"]})
    lines += ["", f"Errors seen: {', '.join(kinds) if kinds else 'none'}."]

    one = runs[min(runs)]
    warm = statistics.median(per_visit(r, "server") for r in one.values())
    side = statistics.median(per_visit(r, "nginx") + per_visit(r, "database") for r in one.values())
    floor_label, defaults_label = list(floors)
    bare = statistics.median(per_visit(r, "server") for r in floors[floor_label].values())
    bare_defaults = statistics.median(per_visit(r, "server") for r in floors[defaults_label].values())
    first_dash = firsts["dashboard"]
    first = (first_dash["cpu"].get("server", 0) + first_dash["cpu"].get("nginx", 0)) / first_dash["visits"]
    first_bare = (firsts["bare"]["cpu"].get("server", 0) + firsts["bare"]["cpu"].get("nginx", 0)) / firsts["bare"]["visits"]
    rss = max(r["peak_rss_mb"] for r in one.values())
    size = sizing(first, warm, side, rss)
    met = warm <= 2 * bare
    lines += [
        "", "### Server CPU per page visit", "",
        "| visit | dashboard (one replica) CPU s | bare page CPU s | ratio |", "|---|---:|---:|---:|",
        f"| a page, browser cache kept (median over the levels) | {warm:.3f} | {bare:.3f} (project's settings) | "
        f"**{warm / bare:.1f}×** |",
        f"| … against the bare page as Streamlit comes | {warm:.3f} | {bare_defaults:.3f} (Streamlit's defaults) | "
        f"{warm / bare_defaults:.1f}× |",
        f"| a first visit, empty browser cache (the overview, {first_dash['visits']} visits; the Streamlit process "
        f"and nginx) | {first:.3f} | {first_bare:.3f} | {first / first_bare:.1f}× |",
        "",
        f"Target: the dashboard's server CPU per visit within 2× a bare Streamlit page's, measured in the same "
        f"run — {'**met**' if warm <= 2 * bare_defaults else '**not met**'}: {warm / bare_defaults:.1f}× the bare "
        f"page as Streamlit comes ({bare_defaults:.3f} CPU s; the target was set against such a page). "
        f"The bare page with this project's runner settings costs {bare:.3f} CPU s: against it the dashboard is "
        f"{warm / bare:.1f}× — {'within' if met else 'not within'} 2×; the difference is what a leader's page "
        "does beyond an empty one (its elements and charts serialised and sent, its cached calls looked up; "
        "`benchmarks/README.md`).",
        "",
        "### Replicas and cores for 500 leaders in 10 minutes", "",
        f"{LEADERS} leaders each opening {PAGES_PER_LEADER:g} pages within {WINDOW_MIN} minutes: {size['visits']:,.0f} "
        f"visits, {size['per_s']:.1f} per second; each leader's first page with an empty browser cache "
        f"({first:.3f} CPU s), the others {warm:.3f} CPU s on a replica, and {side:.3f} CPU s of nginx and "
        f"PostgreSQL per visit (the measurements above). That is {size['replica_cpu']:.2f} cores busy on "
        f"replicas and {size['side_cpu']:.2f} on nginx and PostgreSQL on average over the 10 minutes; if every "
        f"leader opens the first page within the same minute (a meeting starting), {size['burst']:.2f} cores "
        "for that minute. Keeping "
        f"every core at most {100 * BUSY_AT_MOST:.0f}% busy (visits come in bursts when a meeting starts) and "
        "one replica per core (one Python process uses one core at most), with two at least (one may be "
        f"restarting): **{size['replicas']} replicas on {size['cores']} cores**, about "
        f"{size['memory_gb']:.1f} GB of memory for the replicas ({rss:.0f} MB each at most in this run), plus "
        "PostgreSQL. Page times in the table are not the server's: on this machine the viewers' headless "
        "Chromium (drawing charts and WebGL maps on the CPU) takes most of the cores, so adding replicas here "
        "cannot show more visits per minute — their CPU per visit is what scales.",
    ]
    lines += ["", "### A workbook that unpacks to 3 million rows", "",
              "`python -m ntm validate FILE` as a whole process (start, imports, read, report), median of 3 "
              "runs; peak memory of the process (its own high-water mark).", "",
              "| file | size | median s | peak MB | exit | what it says |", "|---|---:|---:|---:|---:|---|"]
    for r in refusals:
        lines.append(f"| {r['file']} | {r['bytes'] / 1024:.0f} KB | {r['median_s']:.2f} | {r['peak_mb']:.0f} | "
                     f"{r['exit']} | {r['said'][:160]} |")
    lines += ["", f"Reproduce: `{COMMAND}` (options: `--levels 1,5,10,20 --replicas 1,2 --seconds 45 "
              "--floor-seconds 20 --first 6`)."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", default=",".join(map(str, LEVELS)))
    parser.add_argument("--replicas", default="1,2")
    parser.add_argument("--seconds", type=float, default=45)
    parser.add_argument("--floor-seconds", type=float, default=20)
    parser.add_argument("--first", type=int, default=6, help="first visits (empty browser cache) per target")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    from benchmarks.bench_core_queries import machine_facts, postgres_version
    from benchmarks.bench_pages import BARE_SCRIPT, build_database
    from benchmarks.report import write_section
    from ntm.serve.cluster import Cluster
    from ntm.store.copy import copy_store
    from ntm.store.location import SHARED, Location
    from tests.browser.conftest import free_port_run
    from tests.postgres import PostgresServer

    levels = [int(n) for n in args.levels.split(",")]
    with tempfile.TemporaryDirectory(prefix="ntm-load-") as tmp_name:
        tmp = Path(tmp_name)
        print("building the national database …", flush=True)
        db = build_database(tmp)
        pg = PostgresServer(Path(tempfile.mkdtemp(prefix="ntm-load-pg-")), durable=True).create()  # postgres reaches it
        try:
            pg_version = "PostgreSQL " + postgres_version()
            store = Location(SHARED, pg.database("ntm"), str(tmp / "store-files") + "/")
            print("copying it into the shared store …", flush=True)
            copy_store(db["path"], store)
            database_pid = int((pg.data / "postmaster.pid").read_text().split()[0])
            pages = leader_pages()

            bare_script = tmp / "bare.py"
            bare_script.write_text(BARE_SCRIPT)
            floors: dict[str, dict[int, dict]] = {}
            firsts: dict[str, dict] = {}
            for label, env in (("bare page (floor)", {}),
                               ("bare page, Streamlit's defaults", {"STREAMLIT_RUNNER_POST_SCRIPT_GC": "true",
                                                                     "STREAMLIT_RUNNER_MAGIC_ENABLED": "true"})):
                # behind the same nginx as the dashboard (Streamlit's bundles served by nginx): the same
                # conditions, only the page differs
                with Cluster(1, free_port_run(1), run_dir=tmp / f"bare-{len(floors)}", env=env,
                             script=str(bare_script)) as bare:
                    target = Target(label, bare.url, lambda c=bare: [p.pid for p in c.processes.values()])
                    asyncio.run(load_level(bare.url, [("/", "h1")], 1, 5))
                    floors[label] = {}
                    for n in levels:
                        floors[label][n] = measure(target, [("/", "h1")], n, args.floor_seconds)
                        print(f"{label} N={n}: {floors[label][n]['visits']} visits, "
                              f"{per_visit(floors[label][n], 'server'):.3f} CPU s/visit", flush=True)
                    if not firsts:
                        firsts["bare"] = measure_first(target, "/", "h1", args.first)

            runs: dict[int, dict[int, dict]] = {}
            for replicas in map(int, args.replicas.split(",")):
                with Cluster(replicas, free_port_run(replicas), run_dir=tmp / f"cluster-{replicas}",
                             env=dict(store.settings)) as cluster:
                    target = Target(f"{replicas} replicas", cluster.url,
                                    lambda c=cluster: [p.pid for p in c.processes.values()], database_pid)
                    for port in cluster.replica_ports:      # warm-up: every replica's caches filled, as in use
                        asyncio.run(visit_each(f"http://127.0.0.1:{port}", pages))
                    if not runs:
                        path, selector = pages[0]
                        firsts["dashboard"] = measure_first(target, path, selector, args.first)
                    runs[replicas] = {}
                    for n in levels:
                        r = runs[replicas][n] = measure(target, pages, n, args.seconds)
                        print(f"dashboard {replicas} replicas N={n}: {r['visits']} visits, {r['errors']} errors, "
                              f"median {r['median_s']:.2f} s, server {per_visit(r, 'server'):.3f} CPU s/visit",
                              flush=True)
        finally:
            pg.remove()
        print("the 3-million-row workbook …", flush=True)
        refusals = refusal(tmp, db["path"])
        body = render(machine_facts(), db, pg_version, runs, floors, firsts, refusals, args.seconds,
                      args.floor_seconds)
    print(body)
    if not args.no_write:
        write_section(SECTION, body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
