"""Benchmark: a 10-slide meeting pack end to end (read the figures, build the charts and tables, render
the pictures in Chromium through kaleido, write the PowerPoint).

    .venv/bin/python benchmarks/bench_pack.py [--runs 3] [--db PATH] [--no-write]

1. builds the demo database in a temporary folder (or uses `--db`), untimed;
2. for Kon Tum (62: 102 communes, 10 districts) and Thanh Hóa (38: the largest demo province, 547
   communes, 26 districts), year 2024, builds the pack of the title slide and 9 sections (`SECTIONS`
   below: 5 chart pictures including the map, 3 native tables, the overview figures) with
   `ntm.pack.build_pack`, `--runs` times each. Every run starts and stops its own Chromium, as a
   button press on the export page or one `python -m ntm pack` does ("cold");
3. times the same pack with Chromium already running (a kaleido session held open around the runs),
   to show what the browser start costs;
4. splits each run into reading the figures (queries, figures, findings) and drawing the slides
   (chart pictures, tables, saving) from the progress callback;
5. replaces the section "Meeting pack (10 slides)" of docs/benchmarks.md (`benchmarks/report.py`).

Target: a 10-slide pack in under 15 s on this machine (judged on the slowest cold run).
Not a test: it prints and writes numbers; nothing here asserts.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.report import write_section  # noqa: E402
from ntm.export import images as export_images  # noqa: E402
from ntm.export.pack import build_pack  # noqa: E402
from ntm.read.scope import resolve_scope  # noqa: E402
from ntm.store.build import init_database  # noqa: E402
from ntm.store.connection import connect  # noqa: E402

TITLE = "Meeting pack (10 slides)"
COMMAND = ".venv/bin/python benchmarks/bench_pack.py"
YEAR = 2024
UNITS = ("62", "38")
SECTIONS = ("overview", "ntm_status", "targets", "at_risk", "criteria_departments", "poverty_waterfall",
            "reduction_target", "district_ranking", "map")
TARGET_S = 15.0


def machine_facts() -> str:
    cpu = ""
    try:
        cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                    if line.startswith("model name")), "")
    except OSError:
        pass
    from importlib.metadata import version

    return (f"{os.cpu_count()} logical CPUs{f' ({cpu})' if cpu else ''}; {platform.platform()}; Python "
            f"{platform.python_version()}; plotly {version('plotly')}; kaleido {version('kaleido')}; "
            f"python-pptx {version('python-pptx')}; Chromium {chromium_version()}")


def chromium_version() -> str:
    import subprocess

    for exe in ("/usr/bin/chromium", "chromium"):
        try:
            out = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=20).stdout.strip()
            if out:
                return out.split()[1] if len(out.split()) > 1 else out
        except (OSError, subprocess.SubprocessError):
            continue
    return "unknown"


def one_run(con, scope, out: Path) -> dict:
    """One pack; seconds in all, reading the figures, drawing the slides; slides and file size."""
    marks: dict[str, float] = {}
    start = time.perf_counter()

    def progress(i: int, n: int, _text: str) -> None:
        if i == len(SECTIONS):
            marks.setdefault("read", time.perf_counter() - start)

    path = build_pack(con, scope, YEAR, SECTIONS, "vi", out, progress)
    total = time.perf_counter() - start
    from pptx import Presentation

    slides = len(Presentation(path).slides)
    return {"total": total, "read": marks.get("read", float("nan")), "draw": total - marks.get("read", 0.0),
            "slides": slides, "bytes": path.stat().st_size}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3, help="packs per province and mode (default 3)")
    ap.add_argument("--db", type=Path, default=None, help="an existing dashboard database (default: build the demo)")
    ap.add_argument("--no-write", action="store_true", help="print only; do not touch docs/benchmarks.md")
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="ntm-bench-pack-") as tmp:
        tmp = Path(tmp)
        db_path = args.db
        if db_path is None:
            db_path = tmp / "demo.ducklake"
            print(f"building the demo database in {db_path} …")
            init_database(db_path, log=lambda *_: None)
        con = connect(db_path, read_only=True)
        results = []
        try:
            for code in UNITS:
                scope = resolve_scope(con, code, YEAR)
                n_communes = con.execute("SELECT count(*) FROM commune_year WHERE is_current AND year = ? "
                                         "AND province_code = ?", [YEAR, code]).fetchone()[0]
                for mode in ("cold", "warm"):
                    runs = []
                    if mode == "warm":
                        session = export_images.kaleido_session()
                        session.__enter__()
                        one_run(con, scope, tmp / "warmup.pptx")          # Chromium up before timing
                    try:
                        for k in range(args.runs):
                            r = one_run(con, scope, tmp / f"{code}_{mode}_{k}.pptx")
                            runs.append(r)
                            print(f"  {scope.name} {mode} run {k + 1}: {r['total']:.2f} s "
                                  f"(read {r['read']:.2f} s, draw {r['draw']:.2f} s), {r['slides']} slides")
                    finally:
                        if mode == "warm":
                            session.__exit__(None, None, None)
                    results.append({"scope": scope.name, "code": code, "communes": n_communes, "mode": mode,
                                    "runs": runs})
        finally:
            con.close()

    body = render(results, args.runs)
    print()
    print(f"## {TITLE}\n\n{body}")
    if not args.no_write:
        write_section(TITLE, body)
        print("\nwritten to docs/benchmarks.md")
    return 0


def render(results: list[dict], n_runs: int) -> str:
    cold = [r["total"] for res in results if res["mode"] == "cold" for r in res["runs"]]
    worst = max(cold)
    lines = [
        f"Run on {datetime.now().strftime('%Y-%m-%d %H:%M')} on the demo database, year {YEAR}. One pack = the title "
        f"slide and 9 sections ({', '.join(SECTIONS)}): 5 chart pictures (map included) rendered by kaleido in "
        "headless Chromium at 3000 px wide, 3 native PowerPoint tables, the overview figures. "
        f"{n_runs} runs per province and mode. *Cold*: each pack starts and stops its own Chromium (one button "
        "press on the export page, one `python -m ntm pack`); *warm*: Chromium already running (a kaleido session "
        "held open around the runs). *Read* = queries, figures, findings; *draw* = chart pictures, tables, saving.",
        "", f"Machine: {machine_facts()}.", "",
        "| province | communes 2024 | mode | slides | median s | slowest s | read s (median) | draw s (median) | file |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|"]
    for res in results:
        runs = res["runs"]
        tot = [r["total"] for r in runs]
        lines.append(f"| {res['scope']} ({res['code']}) | {res['communes']:,} | {res['mode']} | {runs[0]['slides']} | "
                     f"{statistics.median(tot):.2f} | {max(tot):.2f} | {statistics.median(r['read'] for r in runs):.2f} | "
                     f"{statistics.median(r['draw'] for r in runs):.2f} | {runs[0]['bytes'] / 1e6:.1f} MB |")
    verdict = "met" if worst < TARGET_S else "**missed**"
    lines += ["", f"Target: a 10-slide pack in under {TARGET_S:.0f} s — {verdict} (slowest cold run {worst:.2f} s).",
              "", "Reproduce (from the repository root):", "", "```", COMMAND, "```"]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
