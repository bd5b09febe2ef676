"""Validate + import of national-scale yearly files against DuckDB's own `read_csv` of the same file,
measured in the same run, across the 2025 reform: 2024 on the 10,035 old communes (checked against 2023),
2025 on the 3,321 new communes (checked against 2024 summed through the crosswalk) and 2026 on the new
communes under QĐ 51/2025 (checked against 2025).

    .venv/bin/python benchmarks/bench_import.py [--repeat 5] [--no-write]

Writes the section "Validation and import of a national yearly file" of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

from benchmarks.report import write_section  # noqa: E402
from ntm.ingest.yearly import import_report, validate_path  # noqa: E402
from ntm.store.build import init_database  # noqa: E402
from ntm.store.connection import connect  # noqa: E402
from ntm.store.synth import write_national_files  # noqa: E402
from ntm.store.copy import clone_local

SECTION = "Validation and import of a national yearly file"
YEARS = (2023, 2024, 2025, 2026)
CASES = {2024: "old units, against 2023", 2025: "new units, against 2024 through the crosswalk",
         2026: "new units on QĐ 51/2025, against 2025"}


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def measure(base: Path, tmp: Path, file: Path, repeat: int) -> dict:
    """Medians (seconds) of the bare reads and of validate + import of `file` into copies of `base`."""
    rows = []
    for i in range(repeat):
        db = tmp / f"run{i}.ducklake"
        clone_local(base, db)
        con = connect(db)
        bare, n = timed(lambda: con.execute("SELECT count(*) FROM read_csv(?, all_varchar = true)",
                                            [str(file)]).fetchall()[0][0])
        typed, _ = timed(lambda: con.execute("SELECT * FROM read_csv(?)", [str(file)]).df())
        t_val, report = timed(lambda: validate_path(con, file))
        t_imp, _ = timed(lambda: import_report(con, report, user="bench", accept_warnings=True, db_path=db))
        rows.append(dict(bare=bare, typed=typed, validate=t_val, imp=t_imp, n=n, errors=len(report.errors),
                         warnings=len(report.warnings), system=report.system))
        con.close()
        db.unlink()
    out = {k: statistics.median(r[k] for r in rows) for k in ("bare", "typed", "validate", "imp")}
    return out | {k: rows[0][k] for k in ("n", "errors", "warnings", "system")}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--no-write", action="store_true", help="print only; do not touch the report file")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="ntm-bench-import-"))
    try:
        base = init_database(tmp / "base.ducklake", with_demo=False, log=lambda *_: None)
        files = dict(zip(YEARS, write_national_files(list(YEARS), tmp)))
        con = connect(base)
        for year in YEARS[:-1]:           # each case finds the year before it in the database
            import_report(con, validate_path(con, files[year]), user="bench", accept_warnings=True, db_path=base)
        con.close()
        results = {year: measure(base, tmp, files[year], args.repeat) for year in CASES}
        lines = [
            f"Measured {date.today().isoformat()} on {os.cpu_count()} CPUs, Python {platform.python_version()}, "
            f"DuckDB {duckdb.__version__}; median of {args.repeat} runs per file. Files from `ntm.store.synth` "
            "(seed 7); the database holds the year before each file for the cross-year checks (flow balance, "
            "household jumps), on the old units or summed onto the new ones through the crosswalk.",
            "",
            "| file | communes | MB | `read_csv` count ms | `read_csv` DataFrame ms | validate ms | import ms | "
            "**validate + import ms** | ÷ DataFrame read | warnings |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for year, label in CASES.items():
            r = results[year]
            total = r["validate"] + r["imp"]
            lines.append(f"| {year} ({label}) | {r['n']:,} | {files[year].stat().st_size / 1e6:.1f} | "
                         f"{r['bare'] * 1000:.0f} | {r['typed'] * 1000:.0f} | {r['validate'] * 1000:.0f} | "
                         f"{r['imp'] * 1000:.0f} | **{total * 1000:.0f}** | **{total / r['typed']:.1f}×** | "
                         f"{r['warnings']:,} |")
        met = [y for y in CASES if results[y]["validate"] + results[y]["imp"] <= 5 * results[y]["typed"]]
        lines += ["", f"Target: validate + import within 5× DuckDB's bare read of the same file into a DataFrame — "
                  f"met for {', '.join(map(str, met)) or 'none'}"
                  + (f"; not met for {', '.join(str(y) for y in CASES if y not in met)}" if len(met) < len(CASES) else "")
                  + f". Every file under 3 s: {'met' if all(results[y]['validate'] + results[y]['imp'] < 3 for y in CASES) else 'not met'}.",
                  "", "Reproduce: `.venv/bin/python benchmarks/bench_import.py`"]
        if args.no_write:
            print("\n".join(lines))
        else:
            write_section(SECTION, "\n".join(lines))
            print("\n".join(lines))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
