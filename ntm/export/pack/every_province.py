"""Every province's meeting pack for a year in one run: one Chromium for all of them (the images of every
pack are drawn in one `kaleido_session`), the next pack read while one is drawn, the provinces shared among two processes on a machine with two cores or
more, one file per province
named by it, and a summary of what was built and what failed and why — a pack that fails does not stop
the others. Each pack is the one `build_pack` makes alone (`collect`, then `render_pptx`).

    results = build_every_pack(con, 2026, Path("packs"), progress=print)
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import time
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from ntm.domain.units import default_geography
from ntm.errors import NtmError
from ntm.export import images
from ntm.export.pack.content import collect, normalise_sections
from ntm.export.pack.render import pack_file_name, render_pptx
from ntm.read.scope import find_scope
from ntm.read.status import reporting_status
from ntm.store.connection import store_of
from ntm.text import t

MAX_WORKERS = 2               # processes sharing the provinces (each holds a copy of the store and a Chromium)
ProvinceProgress = Callable[[int, int, str], None]     # (province i of n, its name) before each pack


@dataclass(frozen=True)
class PackResult:
    """One province's pack: its file, or why it failed (`error`: the message in the run's language)."""

    code: str
    name: str
    path: Path | None
    seconds: float
    error: str = ""


def provinces_with_figures(con, year: int) -> list[tuple[str, str]]:
    """(code, name) of the provinces of the year's unit system that have figures in force for it."""
    df = reporting_status(con, year)
    df = df[df["communes_reported"] + df["wards_reported"] > 0]
    return list(zip(df["province_code"], df["province_name"]))


def build_every_pack(con, year: int, out_dir: Path, sections: Sequence[str] | str | None = None, lang: str = "vi",
                     progress: ProvinceProgress | None = None, workers: int | None = None) -> list[PackResult]:
    """The pack of every province with figures for `year`, written to `out_dir` (created); one result per
    province, in code order. The provinces are shared among `workers` processes (default: one per core, at
    most two), each with its own copy of the store and its own Chromium; in each, the next pack is read
    while one is drawn. ExportUnavailable when Chromium cannot be started at all."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    provinces = provinces_with_figures(con, year)
    keys = normalise_sections(sections)
    workers = min(workers or min(MAX_WORKERS, os.cpu_count() or 1), len(provinces))
    store = store_of(con)
    if workers <= 1 or store is None:
        return _build_these(con, provinces, year, out_dir, keys, lang, progress)
    context = multiprocessing.get_context("spawn")           # a clean interpreter: no threads, no open store
    with context.Manager() as manager, ProcessPoolExecutor(workers, mp_context=context) as pool:
        told = manager.Queue()
        shares = [pool.submit(_worker, store, provinces[i::workers], year, out_dir, keys, lang, told)
                  for i in range(workers)]
        done = 0
        while not all(f.done() for f in shares) or not told.empty():
            try:
                name = told.get(timeout=0.2)
            except queue.Empty:
                continue
            if progress:
                progress(done, len(provinces), name)
            done += 1
        results = [r for f in shares for r in f.result()]
    if progress:
        progress(len(provinces), len(provinces), "")
    return sorted(results, key=lambda r: r.code)


def _worker(store, provinces: list[tuple[str, str]], year: int, out_dir: Path, keys, lang: str, told) -> list[PackResult]:
    """One process's share of the provinces, on its own copy of the store; each name is told as it starts."""
    from ntm.store.connection import connect

    con = connect(store, read_only=True)
    try:
        return _build_these(con, provinces, year, out_dir, keys, lang, lambda i, n, name: name and told.put(name))
    finally:
        con.close()


def _build_these(con, provinces: list[tuple[str, str]], year: int, out_dir: Path, keys, lang: str,
                 progress: ProvinceProgress | None) -> list[PackResult]:
    """The packs of `provinces` in one Chromium, the next pack read (in a second thread) while one is drawn."""
    geo = default_geography(year)

    def read(code: str):
        """(scope, collected pack) of one province, in the reading thread (its own cursor of `con`)."""
        cur = con.cursor()
        scope = find_scope(cur, code, year, geo).scope
        return scope, collect(cur, scope, year, keys, lang)

    results: list[PackResult] = []
    with images.kaleido_session(), ThreadPoolExecutor(max_workers=1, thread_name_prefix="ntm-pack-read") as pool:
        ahead = pool.submit(read, provinces[0][0]) if provinces else None
        for i, (code, name) in enumerate(provinces):
            if progress:
                progress(i, len(provinces), name)
            started = time.perf_counter()
            current, ahead = ahead, (pool.submit(read, provinces[i + 1][0]) if i + 1 < len(provinces) else None)
            results.append(_drawn(current, code, name, out_dir, year, lang, started))
    return results


def _drawn(reading: Future, code: str, name: str, out_dir: Path, year: int, lang: str, started: float) -> PackResult:
    """Draw and save one province's pack once its figures are read; its result, or why it failed (a fault
    in one pack does not cost the others theirs)."""
    try:
        scope, pack = reading.result()
        path = render_pptx(pack, out_dir / pack_file_name(scope, year, lang))
    except NtmError as exc:                          # e.g. Chromium died or hung on this pack
        return PackResult(code, name, None, time.perf_counter() - started, exc.message(lang))
    except Exception as exc:
        return PackResult(code, name, None, time.perf_counter() - started,
                          t("pack.failed_unexpected", lang, error=f"{type(exc).__name__}: {exc}"))
    return PackResult(code, name, path, time.perf_counter() - started)


def every_pack_zip(con, year: int, lang: str = "vi", progress: ProvinceProgress | None = None
                   ) -> tuple[bytes, list[PackResult]]:
    """Every province's pack for `year` as one ZIP (file name → pack), and the results (for the summary)."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="ntm-packs-") as folder:
        results = build_every_pack(con, year, Path(folder), lang=lang, progress=progress)
        return images.zip_bytes({r.path.name: r.path.read_bytes() for r in results if r.path}), results
