"""Validate + import of national-scale yearly files against DuckDB's own `read_csv` of the same file,
measured in the same run, on the local store and the shared store, across the 2025 reform: 2024 on the
10,035 old communes (checked against 2023), 2025 on the 3,321 new communes (checked against 2024 summed
through the crosswalk) and 2026 on the new communes under QĐ 51/2025 (checked against 2025).

    .venv/bin/python benchmarks/bench_import.py [--stores local,shared] [--repeat 5] [--no-write]

Per kind of store, a base store holding 2023–2025 is built once; every timed run validates and imports one
file into a fresh copy of it (local: `ntm.store.copy.clone_local`; shared: a new PostgreSQL database made
from the base one as its template, with a copy of its Parquet files). The runs alternate between the
stores. For the shared store the run starts a throwaway PostgreSQL server (`tests.postgres`, fsync on,
127.0.0.1 only) in its temporary folder and removes it at the end, on Ctrl-C too.

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

from benchmarks.bench_core_queries import postgres_version  # noqa: E402
from benchmarks.report import add_stores_option, stores_asked, write_section  # noqa: E402
from ntm.ingest.yearly import import_report, validate_path  # noqa: E402
from ntm.store.build import init_database  # noqa: E402
from ntm.store.connection import connect  # noqa: E402
from ntm.store.copy import clone_local  # noqa: E402
from ntm.store.location import LOCAL, SHARED, Location, location  # noqa: E402
from ntm.store.synth import write_national_files  # noqa: E402

SECTION = "Validation and import of a national yearly file"
YEARS = (2023, 2024, 2025, 2026)
CASES = {2024: "old units, against 2023", 2025: "new units, against 2024 through the crosswalk",
         2026: "new units on QĐ 51/2025, against 2025"}
BASE = "base"                       # the shared base store's database, the template of every run's copy
RATIO_TARGET, READ_TARGET, SECONDS_TARGET = 2.0, 5.0, 3.0


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


class Stores:
    """The base store of each kind and the fresh copies the timed runs write into."""

    def __init__(self, tmp: Path, server=None):
        self.tmp, self.server, self.base, self.copies = tmp, server, {}, 0

    def build_base(self, kind: str, files: dict[int, Path]) -> None:
        """Build the base store of `kind` and import the years before the last file into it (each case
        finds the year before it in the store)."""
        if kind == LOCAL:
            loc = location(self.tmp / "local" / "base.ducklake")
        else:
            loc = Location(SHARED, self.server.database(BASE), str(self.tmp / "base-files") + "/")
        print(f"[{kind}] building the base store at {loc.label} …")
        init_database(loc, with_demo=False, log=lambda *_: None)
        con = connect(loc)
        try:
            for year in YEARS[:-1]:
                import_report(con, validate_path(con, files[year]), user="bench", accept_warnings=True)
        finally:
            con.close()
        self.base[kind] = loc

    def fresh_copy(self, kind: str) -> Location:
        """A copy of the base store of `kind` for one run."""
        self.copies += 1
        name = f"run{self.copies}"
        if kind == LOCAL:
            return clone_local(self.base[LOCAL], self.tmp / "runs" / f"{name}.ducklake")
        files = self.tmp / "runs" / f"{name}-files"
        shutil.copytree(self.base[SHARED].files, files)
        return Location(SHARED, self.server.database(name, template=BASE), str(files) + "/")

    def discard(self, loc: Location) -> None:
        """Remove a run's copy."""
        if loc.kind == LOCAL:
            for suffix in ("", "-wal", "-shm", ".lock"):
                Path(loc.catalog + suffix).unlink(missing_ok=True)
        else:
            self.server.sql(f'DROP DATABASE "{loc.catalog.rsplit("/", 1)[1]}"')
        shutil.rmtree(loc.files, ignore_errors=True)


def one_run(stores: Stores, kind: str, file: Path) -> dict:
    """Bare reads, then validate + import of `file`, on a fresh copy of the base store of `kind` (seconds)."""
    loc = stores.fresh_copy(kind)
    con = connect(loc)
    try:
        bare, n = timed(lambda: con.execute("SELECT count(*) FROM read_csv(?, all_varchar = true)",
                                            [str(file)]).fetchall()[0][0])
        typed, _ = timed(lambda: con.execute("SELECT * FROM read_csv(?)", [str(file)]).df())
        t_val, report = timed(lambda: validate_path(con, file))
        t_imp, _ = timed(lambda: import_report(con, report, user="bench", accept_warnings=True))
    finally:
        con.close()
    stores.discard(loc)
    return dict(bare=bare, typed=typed, validate=t_val, imp=t_imp, n=n, errors=len(report.errors),
                warnings=len(report.warnings), system=report.system)


def measure(stores: Stores, kinds: list[str], file: Path, repeat: int) -> dict[str, dict]:
    """Per kind of store, medians (seconds) of the bare reads and of validate + import of `file`; the runs
    alternate between the stores."""
    runs = {kind: [] for kind in kinds}
    for i in range(repeat):
        for kind in kinds:
            r = one_run(stores, kind, file)
            runs[kind].append(r)
            print(f"  [{kind}] {file.name} run {i + 1}: validate {r['validate'] * 1000:.0f} ms, "
                  f"import {r['imp'] * 1000:.0f} ms (DataFrame read {r['typed'] * 1000:.0f} ms)")
    out = {}
    for kind, rows in runs.items():
        med = {k: statistics.median(r[k] for r in rows) for k in ("bare", "typed", "validate", "imp")}
        med["total"] = statistics.median(r["validate"] + r["imp"] for r in rows)
        out[kind] = med | {k: rows[0][k] for k in ("n", "errors", "warnings", "system")}
    return out


def render(results: dict, sizes: dict[int, int], kinds: list[str], repeat: int, pg_version: str | None) -> str:
    both = kinds == [LOCAL, SHARED]
    stores_said = {LOCAL: "the local store (its catalog a SQLite file)",
                   SHARED: "the shared store (its catalog in PostgreSQL)"}
    lines = [
        f"Measured {date.today().isoformat()} on {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"DuckDB {duckdb.__version__}, on " + " and on ".join(stores_said[k] for k in kinds)
        + (" in the same run" if both else "") + f"; median of {repeat} runs per file and store"
        + (", the runs alternating between the stores" if both else "") + ". Each run validates and imports "
        "the file into a fresh copy of a base store that holds the years before it (local: the catalog and "
        "Parquet files copied; shared: a new PostgreSQL database made from the base one as its template, "
        "and its Parquet files copied), so the cross-year checks (flow balance, household jumps) have the "
        "year before, on the old units or summed onto the new ones through the crosswalk. Files from "
        "`ntm.store.synth` (seed 7)."
        + (f" PostgreSQL {pg_version}, a server the run starts on the same machine (fsync on, PostgreSQL's "
           "default), reached over TCP on 127.0.0.1." if pg_version else ""),
        "",
        "| file | store | communes | MB | `read_csv` count ms | `read_csv` DataFrame ms | validate ms | import ms | "
        "**validate + import ms** | ÷ DataFrame read |" + (" shared ÷ local |" if both else "") + " warnings |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|" + ("---:|" if both else "") + "---:|",
    ]
    for year, label in CASES.items():
        for kind in kinds:
            r = results[year][kind]
            versus = ""
            if both:
                versus = (f" **{r['total'] / results[year][LOCAL]['total']:.2f}×** |" if kind == SHARED else " – |")
            lines.append(f"| {year} ({label}) | {kind} | {r['n']:,} | {sizes[year] / 1e6:.1f} | "
                         f"{r['bare'] * 1000:.0f} | {r['typed'] * 1000:.0f} | {r['validate'] * 1000:.0f} | "
                         f"{r['imp'] * 1000:.0f} | **{r['total'] * 1000:.0f}** | {r['total'] / r['typed']:.1f}× |"
                         f"{versus} {r['warnings']:,} |")
    lines += ["", "Targets:", ""]
    if both:
        ratios = {y: results[y][SHARED]["total"] / results[y][LOCAL]["total"] for y in CASES}
        over = [y for y, x in ratios.items() if x > RATIO_TARGET]
        lines.append(f"- validate + import on the shared store within {RATIO_TARGET:.0f}× the local store: "
                     + ("**met** for every file" if not over else
                        f"**not met** for {', '.join(map(str, over))}") + " ("
                     + ", ".join(f"{y}: {x:.2f}×" for y, x in ratios.items()) + ").")
    for kind in kinds:
        met = [y for y in CASES if results[y][kind]["total"] <= READ_TARGET * results[y][kind]["typed"]]
        missed = [y for y in CASES if y not in met]
        lines.append(f"- {kind} store, validate + import within {READ_TARGET:.0f}× DuckDB's bare read of the "
                     "same file into a DataFrame: "
                     + (f"met for {', '.join(map(str, met))}" if met else "**met for none**")
                     + (f"; **not met** for {', '.join(map(str, missed))}" if met and missed else "")
                     + " (" + ", ".join(f"{y}: {results[y][kind]['total'] / results[y][kind]['typed']:.1f}×"
                                        for y in CASES) + ").")
        slow = [y for y in CASES if results[y][kind]["total"] >= SECONDS_TARGET]
        lines.append(f"- {kind} store, every file under {SECONDS_TARGET:.0f} s: "
                     + ("met" if not slow else f"**not met** ({', '.join(map(str, slow))})")
                     + f" (slowest {max(results[y][kind]['total'] for y in CASES):.2f} s).")
    lines += ["", "Reproduce (from the repository root; the run starts its own PostgreSQL server for the shared "
              "store and removes it at the end): `.venv/bin/python benchmarks/bench_import.py`"]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5, help="timed runs per file and store (default 5)")
    add_stores_option(ap)
    ap.add_argument("--no-write", action="store_true", help="print only; do not touch the report file")
    args = ap.parse_args()
    kinds = stores_asked(ap, args.stores)

    tmp = Path(tempfile.mkdtemp(prefix="ntm-bench-import-"))
    tmp.chmod(0o755)                  # the PostgreSQL server runs as the `postgres` user when run as root
    server, pg_version = None, None
    try:
        files = dict(zip(YEARS, write_national_files(list(YEARS), tmp / "synth")))
        sizes = {year: path.stat().st_size for year, path in files.items()}
        if SHARED in kinds:
            from tests.postgres import PostgresServer

            server = PostgresServer(tmp / "postgres", durable=True)
            server.create()
            pg_version = postgres_version()
            print(f"started PostgreSQL {pg_version} on 127.0.0.1:{server.port} (fsync on)")
        stores = Stores(tmp, server)
        for kind in kinds:
            stores.build_base(kind, files)
        results = {year: measure(stores, kinds, files[year], args.repeat) for year in CASES}
    finally:
        if server is not None:
            server.remove()
        shutil.rmtree(tmp, ignore_errors=True)
    body = render(results, sizes, kinds, args.repeat, pg_version)
    if not args.no_write:
        write_section(SECTION, body)
    print(body)


if __name__ == "__main__":
    main()
