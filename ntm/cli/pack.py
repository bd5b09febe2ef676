"""`python -m ntm pack`: the meeting pack (16:9 PowerPoint) for a unit and a year.

    python -m ntm pack --unit 62 --year 2024 -o kon_tum_2024.pptx
    python -m ntm pack --unit 38 --year 2024 --sections overview,targets,at_risk --lang en -o th.pptx
    python -m ntm pack --all-provinces --year 2026 -o packs_2026/

The handler only parses, opens the database read-only, resolves the unit and calls
`ntm.export.pack.build_pack`; it prints the output path (progress goes to stderr). Exit 2 for an
unknown unit or section. With `--all-provinces` every province with figures for the year gets its pack in
the folder `-o` (`ntm.export.pack.every_province`), one Chromium for all; the summary says what was built
and what failed and why (exit 1 when any failed).
"""

from __future__ import annotations

import sys
from pathlib import Path

from ntm.cli.options import db_arg, lang_arg, open_database, open_scope, unit_year_args
from ntm.export.pack import SECTIONS, normalise_sections
from ntm.text import fmt_number, t


def register(sub) -> None:
    """Add `pack` to the sub-commands."""
    p = sub.add_parser(
        "pack", help="meeting pack: a 16:9 PowerPoint for a unit and year (charts, findings, tables)",
        description="Build the meeting pack (giao ban): a title slide, then one slide per section with a one-line "
                    "finding computed from the data, charts as pictures, the at-risk communes, targets and "
                    "criteria by department as native tables, and a sources slide. Sections: "
                    + ", ".join(SECTIONS) + ".")
    db_arg(p)
    lang_arg(p, "the slides")
    unit_year_args(p, "unit code (e.g. 62 Kon Tum, 611 Ngọc Hồi, 23326 Ia Chim) or VN", unit_required=False)
    p.add_argument("--all-provinces", action="store_true",
                   help="the pack of every province with figures for the year, one file each in the folder -o")
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help="with --all-provinces: processes sharing the provinces, each with its own Chromium "
                        "(default: one per core, at most 2; 1 = a single Chromium for the whole run)")
    p.add_argument("--sections", default=None,
                   help="comma-separated sections in slide order (default: all): " + ",".join(SECTIONS))
    p.add_argument("-o", "--output", type=Path, required=True, help="output .pptx file (a folder with --all-provinces)")
    p.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    p.set_defaults(func=cmd_pack)


def cmd_pack(args) -> int:
    """Build the meeting pack and print its path; exit 2 for an unknown unit or section."""
    from ntm.export.pack import build_pack

    try:
        sections = normalise_sections(args.sections)
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    if args.all_provinces:
        return every_pack(args, sections)
    if not args.unit:
        print(t("cli.pack_needs_unit", args.lang), file=sys.stderr)
        return 2
    con, scope = open_scope(args)
    try:
        if scope is None:
            return 2

        def progress(i: int, n: int, text: str) -> None:
            if not args.quiet:
                print(f"[{i}/{n}] {text}", file=sys.stderr, flush=True)

        out = build_pack(con, scope, args.year, sections, args.lang, args.output, progress)
    finally:
        con.close()
    print(out)
    return 0


def every_pack(args, sections) -> int:
    """Build every province's pack for the year into the folder `-o`; print each file and the summary."""
    import time

    from ntm.export.pack.every_province import build_every_pack

    con, _ = open_database(args, read_only=True)
    started = time.perf_counter()

    def progress(i: int, n: int, name: str) -> None:
        if not args.quiet and name:
            print(f"[{i + 1}/{n}] {name}", file=sys.stderr, flush=True)

    try:
        results = build_every_pack(con, args.year, args.output, sections, args.lang, progress, args.workers)
    finally:
        con.close()
    if not results:
        print(t("pack.every_none", args.lang, year=args.year), file=sys.stderr)
        return 1
    for r in results:
        if r.path:
            print(r.path)
        else:
            print(t("pack.every_failed", args.lang, code=r.code, name=r.name, error=r.error), file=sys.stderr)
    built = sum(1 for r in results if r.path)
    print(t("pack.every_done", args.lang, built=built, total=len(results), folder=str(args.output),
            seconds=fmt_number(time.perf_counter() - started, args.lang, 1)), file=sys.stderr)
    return 0 if built == len(results) else 1
