"""Benchmark: every province's meeting pack for a year in one command, against the same packs built one
command at a time — at national scale (34 provinces on the new units, 2026).

    .venv/bin/python benchmarks/bench_every_pack.py [--no-write]

1. builds the demo store in a temporary folder and loads the synthetic national 2025 and 2026 files
   (`ntm.store.synth`) for every province the demo does not cover, untimed: 34 provinces with 2026
   figures;
2. runs `python -m ntm pack --all-provinces --year 2026 -o DIR` as a whole command (one process, one
   Chromium for every pack);
3. the baseline, in the same run: `python -m ntm pack --unit CODE --year 2026 -o FILE` once per
   province, each a whole command (its own process, store copy and Chromium), as a coordinator without
   the option would;
4. checks that both made one file per province, then replaces the section "Every province's pack" of
   docs/benchmarks.md (`benchmarks/report.py`).

Target: the one command within a third of the 34 single commands' total time.
Not a test: it prints and writes numbers; nothing here asserts.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_core_queries import load_year  # noqa: E402
from benchmarks.bench_pack import machine_facts  # noqa: E402
from benchmarks.report import write_section  # noqa: E402

TITLE = "Every province's pack"
COMMAND = ".venv/bin/python benchmarks/bench_every_pack.py"
YEAR = 2026
TARGET_SHARE = 1 / 3


def build_store(tmp: Path) -> Path:
    """The demo store with the synthetic 2025–2026 figures of every other province (new units)."""
    import pandas as pd

    from ntm.domain.names import normalise_code
    from ntm.store.build import init_database
    from ntm.store.connection import connect
    from ntm.store.synth import write_national_files

    path = tmp / "ntm.ducklake"
    init_database(path, with_demo=True, log=lambda *_: None)
    files = write_national_files([2025, YEAR], tmp / "synth")
    con = connect(path)
    try:
        province_of = dict(con.execute("SELECT code, province_code FROM units WHERE system = 'post2025' "
                                       "AND level = 'commune'").fetchall())
        demo = {r[0] for r in con.execute("SELECT DISTINCT province_code FROM commune_year WHERE year = ?",
                                          [YEAR]).fetchall()}
        for year, file in zip((2025, YEAR), files):
            df = pd.read_csv(file, dtype=str, keep_default_na=False)
            keep = ~df["commune_code"].map(normalise_code).map(province_of).isin(demo)
            other = file.with_name(f"other_{file.name}")
            df[keep].to_csv(other, index=False)
            load_year(con, other, year)
    finally:
        con.close()
    return path


def timed(args: list[str], env: dict) -> tuple[float, subprocess.CompletedProcess]:
    """Seconds a whole command takes, and its result."""
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "ntm", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                       timeout=3600)
    return time.perf_counter() - t0, r


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ntm-bench-every-pack-") as tmp_name:
        tmp = Path(tmp_name)
        t0 = time.perf_counter()
        store = build_store(tmp)
        print(f"store built in {time.perf_counter() - t0:.0f} s", flush=True)
        env = dict(os.environ, NTM_DB=str(store))
        env.pop("NTM_STORE", None)
        from ntm.read.status import reporting_status
        from ntm.store.connection import connect

        con = connect(store, read_only=True)
        status = reporting_status(con, YEAR)
        con.close()
        provinces = status.loc[status["communes_reported"] + status["wards_reported"] > 0, "province_code"].tolist()
        print(f"{len(provinces)} provinces with {YEAR} figures", flush=True)

        together_s, r = timed(["pack", "--all-provinces", "--year", str(YEAR), "-o", str(tmp / "together"),
                               "--quiet"], env)
        built_together = len(list((tmp / "together").glob("*.pptx")))
        print(f"all at once: {together_s:.1f} s, {built_together} files (exit {r.returncode})", flush=True)
        if r.returncode:
            print(r.stderr[-2000:])

        singles: list[float] = []
        for code in provinces:
            seconds, r = timed(["pack", "--unit", code, "--year", str(YEAR), "-o", str(tmp / "one" / f"{code}.pptx"),
                                "--quiet"], env)
            singles.append(seconds)
            print(f"  {code}: {seconds:.1f} s (exit {r.returncode})", flush=True)
        built_singly = len(list((tmp / "one").glob("*.pptx")))
    total = sum(singles)
    share = together_s / total
    lines = [
        f"Measured {datetime.now():%Y-%m-%d %H:%M} with `{COMMAND}`. {machine_facts()}",
        "",
        f"The demo store plus the synthetic national 2025–{YEAR} files for every other province: "
        f"**{len(provinces)} provinces** with {YEAR} figures (new units), each pack of every section. "
        "Whole commands, each its own process.",
        "",
        "| | time | files |",
        "|---|---:|---:|",
        f"| `python -m ntm pack --all-provinces --year {YEAR}` (one command: the provinces shared between two "
        f"processes, each with one Chromium, reading the next pack while one is drawn) | {together_s:.1f} s "
        f"| {built_together} |",
        f"| {len(singles)} × `python -m ntm pack --unit CODE --year {YEAR}` (baseline, same run) | {total:.1f} s "
        f"| {built_singly} |",
        f"| one single command: min / median / max | {min(singles):.1f} / {sorted(singles)[len(singles) // 2]:.1f} / "
        f"{max(singles):.1f} s | |",
        "",
        f"All at once takes **{share:.2f}** of the single commands' total "
        f"({'meets' if share <= TARGET_SHARE else 'misses'} the target of at most 1/3); "
        f"{together_s / max(built_together, 1):.1f} s per pack against {total / max(len(singles), 1):.1f} s.",
    ]
    body = "\n".join(lines)
    print(body)
    if not args.no_write:
        write_section(TITLE, body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
