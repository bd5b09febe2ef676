"""Validate + import of a national-scale yearly file (~10,035 communes) against DuckDB's own
`read_csv` of the same file, measured in the same run.

    .venv/bin/python benchmarks/bench_import.py [--repeat 5]

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

SECTION = "Validation and import of a national yearly file"


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="ntm-bench-import-"))
    try:
        base = init_database(tmp / "base.duckdb", with_demo=False, log=lambda *_: None)
        prev_file, file = write_national_files([2023, 2024], tmp)
        con = connect(base)
        import_report(con, validate_path(con, prev_file), user="bench", accept_warnings=True, db_path=base)
        con.close()
        rows = []
        for i in range(args.repeat):
            db = tmp / f"run{i}.duckdb"
            shutil.copy(base, db)
            con = connect(db)
            bare, n = timed(lambda: con.execute("SELECT count(*) FROM read_csv(?, all_varchar = true)",
                                                [str(file)]).fetchall()[0][0])
            typed, _ = timed(lambda: con.execute("SELECT * FROM read_csv(?)", [str(file)]).df())
            t_val, report = timed(lambda: validate_path(con, file))
            t_imp, batch = timed(lambda: import_report(con, report, user="bench", accept_warnings=True, db_path=db))
            rows.append((bare, typed, t_val, t_imp, len(report.errors), len(report.warnings)))
            con.close()
            db.unlink()
        med = lambda k: statistics.median(r[k] for r in rows)
        bare, typed, t_val, t_imp = med(0), med(1), med(2), med(3)
        total = t_val + t_imp
        lines = [
            f"Measured {date.today().isoformat()} on {os.cpu_count()} CPUs, Python {platform.python_version()}, "
            f"DuckDB {duckdb.__version__}; median of {args.repeat} runs. File: {file.name}, {n:,} communes, "
            f"{file.stat().st_size / 1e6:.1f} MB; the database holds the previous year for the cross-year checks "
            f"(flow balance, household jumps), which report {rows[0][5]:,} warnings on these synthetic figures.",
            "",
            "| step | median ms |",
            "|---|---|",
            f"| baseline: DuckDB `read_csv` (all text, count) | {bare * 1000:.0f} |",
            f"| baseline: DuckDB `read_csv` into a DataFrame (typed) | {typed * 1000:.0f} |",
            f"| read + full validation (`ntm.ingest.validate_path`) | {t_val * 1000:.0f} |",
            f"| import in one transaction (`import_report`) | {t_imp * 1000:.0f} |",
            f"| **validate + import** | **{total * 1000:.0f}** |",
            "",
            f"Ratio to DuckDB's bare read into a DataFrame: **{total / typed:.1f}×** (target ≤ 5×: "
            f"{'met' if total <= 5 * typed else 'not met'}); to the count-only read: {total / bare:.1f}×. "
            f"Under 3 s: {'met' if total < 3 else 'not met'}.",
            "",
            "Reproduce: `.venv/bin/python benchmarks/bench_import.py`",
        ]
        write_section(SECTION, "\n".join(lines))
        print("\n".join(lines))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
