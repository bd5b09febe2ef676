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
# Servers (plain: no query counting)

class Server:
    """`streamlit run <script>` with the project's flags, on a free port."""

    def __init__(self, script: Path, log: Path, env: dict[str, str] | None = None) -> None:
        from tests.browser.conftest import _free_port

        port = _free_port()
        self.url, self.log = f"http://127.0.0.1:{port}", log
        cmd = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
               "--server.headless", "true", "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"]
        with open(log, "w") as out:
            self.proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                         env=dict(os.environ, STREAMLIT_BROWSER_GATHER_USAGE_STATS="false", **(env or {})))

    def wait_healthy(self) -> None:
        from tests.browser.conftest import _wait_healthy

        _wait_healthy(self.url, self.proc, self.log)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


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
    """Every SAMPLE_S: the server's RSS, and the CPU seconds of every process descending from this one,
    grouped as server / browser (Chromium) / driver (Playwright's node) — the last value seen of each
    process is kept, so processes that end (a closed context's renderer) still count."""

    def __init__(self, server_pid: int) -> None:
        super().__init__(daemon=True)
        self.server_pid, self.stop_event = server_pid, threading.Event()
        self.first: dict[int, float] = {}
        self.last: dict[int, tuple[str, float]] = {}
        self.peak_rss = 0.0
        self._sample(first=True)

    def _group(self, pid: int, name: str) -> str:
        if pid == self.server_pid:
            return "server"
        return "browser" if "chrom" in name.lower() else "driver" if "node" in name.lower() else "other"

    def _sample(self, first: bool = False) -> None:
        me, parents, seen = os.getpid(), {}, {}
        for entry in os.listdir("/proc"):
            if entry.isdigit() and (s := _stat(int(entry))):
                parents[int(entry)] = s[0]
                seen[int(entry)] = s
        for pid, (_, name, cpu) in seen.items():
            p, hops = pid, 0
            while p not in (0, 1, me) and hops < 20:
                p, hops = parents.get(p, 0), hops + 1
            if p != me or pid == me:
                continue
            if first:
                self.first[pid] = cpu
            self.last[pid] = (self._group(pid, name), cpu)
        self.peak_rss = max(self.peak_rss, _status_mb(self.server_pid))

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
        return {"cpu": cpu, "peak_rss_mb": self.peak_rss, "rss_mb": _status_mb(self.server_pid)}


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


def measure(server: Server, pages, n: int, seconds: float) -> dict:
    sampler = Sampler(server.proc.pid)
    sampler.start()
    visits, wall = asyncio.run(load_level(server.url, pages, n, seconds))
    usage = sampler.finish()
    times = sorted(v["s"] for v in visits if not v["error"])
    errors = [v["error"] for v in visits if v["error"]]
    p95 = times[min(len(times) - 1, int(0.95 * len(times)))] if times else float("nan")
    return {"n": n, "visits": len(visits), "errors": len(errors), "error_kinds": sorted(set(errors)),
            "median_s": statistics.median(times) if times else float("nan"), "p95_s": p95,
            "per_min": 60 * len(visits) / wall, "wall_s": wall, **usage}


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

def render(facts: dict, db: dict, levels: list[dict], floors: list[dict], refusals: list[dict], seconds: float,
           floor_seconds: float) -> str:
    def row(label: str, r: dict) -> str:
        cores = r["wall_s"] * (os.cpu_count() or 1)
        cpu = r["cpu"]
        per_visit = cpu.get("server", 0) / r["visits"] if r["visits"] else float("nan")
        return (f"| {label} | {r['n']} | {r['visits']} | {r['errors']} | {r['median_s']:.2f} | {r['p95_s']:.2f} | "
                f"{r['per_min']:.1f} | {cpu.get('server', 0):.0f} ({100 * cpu.get('server', 0) / cores:.0f}%) | "
                f"{per_visit:.2f} | "
                f"{r['peak_rss_mb']:.0f} | {cpu.get('browser', 0):.0f} ({100 * cpu.get('browser', 0) / cores:.0f}%) | "
                f"{cpu.get('driver', 0):.0f} |")

    lines = [
        f"Run on {datetime.now():%Y-%m-%d %H:%M}. Database: {db['rows_in_force']:,} commune-year rows in force "
        f"({db['size_mb']:.0f} MB; the database of *Leaders' pages in a real browser*: demo provinces plus "
        f"synthetic figures for the other 59, {db['polygons'].get('commune', 0):,} commune polygons).",
        "",
        f"Machine: {facts['CPU']}; RAM {facts['RAM']}; Python {facts['Python']}; DuckDB {facts['DuckDB']}. "
        "Server and browsers share the same cores: the CPU columns say who used them (seconds over the window, "
        "and that as a share of all cores).",
        "",
        f"Each viewer is one browser context opening the leaders' pages in turn ({len(leader_pages())} pages: "
        "Overview, Map, NTM, Poverty, Commune profile at Kon Tum's and national scope), every visit a new "
        f"session, timed from navigation to rendered; {seconds:.0f} s per level (visits under way at the end "
        f"finish and count). The floor: the same number of viewers on a bare Streamlit page for "
        f"{floor_seconds:.0f} s in the same run.",
        "",
        "| page | viewers | visits | errors | median s | p95 s | visits/min | server CPU s (share) | "
        "server CPU s per visit | server RSS peak MB | Chromium CPU s (share) | driver CPU s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r, f in zip(levels, floors):
        lines.append(row("dashboard", r))
        lines.append(row("bare page (floor)", f))
    kinds = sorted({k for r in levels + floors for k in r["error_kinds"]})
    lines += ["", f"Errors seen: {', '.join(kinds) if kinds else 'none'}."]
    cores = os.cpu_count() or 1
    server = max(r["cpu"].get("server", 0) / (r["wall_s"] * cores) for r in levels)
    browsers = max(r["cpu"].get("browser", 0) / (r["wall_s"] * cores) for r in levels)
    per_visit = statistics.median(r["cpu"].get("server", 0) / r["visits"] for r in levels if r["visits"])
    low, high = levels[0], levels[-1]
    starved = "; a timeout is a viewer's tab starved of CPU by the others" if kinds else ""
    lines += ["", f"Reading it: at every level the server used at most {100 * server:.0f}% of the cores and the "
              f"viewers' headless Chromium up to {100 * browsers:.0f}% (each tab draws the charts, and the maps "
              "with WebGL on the CPU); the bare page slows down with the number of viewers in the same way. Page "
              f"times here measure {cores} cores shared by every viewer's browser, not the server: the server "
              f"spent a median {per_visit:.2f} CPU s per visit, so on its own it would serve about "
              f"{60 * cores / per_visit:.0f} page visits a minute on these cores{starved}. The server's peak "
              f"memory went from {low['peak_rss_mb']:.0f} MB ({low['n']} viewer) to {high['peak_rss_mb']:.0f} MB "
              f"({high['n']} viewers)."]
    lines += ["", "### A workbook that unpacks to 3 million rows", "",
              "`python -m ntm validate FILE` as a whole process (start, imports, read, report), median of 3 "
              "runs; peak memory of the process (its own high-water mark).", "",
              "| file | size | median s | peak MB | exit | what it says |", "|---|---:|---:|---:|---:|---|"]
    for r in refusals:
        lines.append(f"| {r['file']} | {r['bytes'] / 1024:.0f} KB | {r['median_s']:.2f} | {r['peak_mb']:.0f} | "
                     f"{r['exit']} | {r['said'][:160]} |")
    lines += ["", f"Reproduce: `{COMMAND}` (options: `--levels 1,5,10,20 --seconds 60 --floor-seconds 30`)."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", default=",".join(map(str, LEVELS)))
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--floor-seconds", type=float, default=30)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    from benchmarks.bench_core_queries import machine_facts
    from benchmarks.bench_pages import BARE_SCRIPT, build_database
    from benchmarks.report import write_section

    with tempfile.TemporaryDirectory(prefix="ntm-load-") as tmp_name:
        tmp = Path(tmp_name)
        print("building the national database …", flush=True)
        db = build_database(tmp)
        bare_script = tmp / "bare.py"
        bare_script.write_text(BARE_SCRIPT)
        dashboard = Server(ROOT / "app.py", tmp / "dashboard.log", {"NTM_DB": str(db["path"])})
        bare = Server(bare_script, tmp / "bare.log")
        levels, floors = [], []
        try:
            dashboard.wait_healthy()
            bare.wait_healthy()
            pages = leader_pages()
            measure(dashboard, pages, 1, 15)                 # warm-up: caches filled, as on a server in use
            for n in map(int, args.levels.split(",")):
                levels.append(measure(dashboard, pages, n, args.seconds))
                print(f"dashboard N={n}: {levels[-1]['visits']} visits, {levels[-1]['errors']} errors, "
                      f"median {levels[-1]['median_s']:.2f} s", flush=True)
                floors.append(measure(bare, [("/", "h1")], n, args.floor_seconds))
        finally:
            dashboard.stop()
            bare.stop()
        print("the 3-million-row workbook …", flush=True)
        refusals = refusal(tmp, db["path"])
        body = render(machine_facts(), db, levels, floors, refusals, args.seconds, args.floor_seconds)
    print(body)
    if not args.no_write:
        write_section(SECTION, body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
