"""`python -m ntm pack`: the meeting pack (16:9 PowerPoint) for a unit and a year.

    python -m ntm pack --unit 62 --year 2024 -o kon_tum_2024.pptx
    python -m ntm pack --unit 38 --year 2024 --sections overview,targets,at_risk --lang en -o th.pptx

`ntm.cli.build_parser` registers it with `add_pack_parser(sub)`. The handler only parses, opens the
database read-only, resolves the unit and calls `ntm.pack.build_pack`; it prints the output path
(progress goes to stderr). Exit 2 for an unknown unit or section.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ntm.text.catalogue import t
from ntm.export.pack import SECTIONS, normalise_sections


def add_pack_parser(sub) -> argparse.ArgumentParser:
    """Register the `pack` command on the sub-parsers of `python -m ntm`."""
    p = sub.add_parser(
        "pack", help="meeting pack: a 16:9 PowerPoint for a unit and year (charts, findings, tables)",
        description="Build the meeting pack (giao ban): a title slide, then one slide per section with a one-line "
                    "finding computed from the data, charts as pictures, the at-risk communes, targets and "
                    "criteria by department as native tables, and a sources slide. Sections: "
                    + ", ".join(SECTIONS) + ".")
    p.add_argument("--db", type=Path, default=None, help="DuckDB file (default: $NTM_DB or data/ntm.duckdb)")
    p.add_argument("--lang", choices=("vi", "en"), default="vi", help="language of the slides (default vi)")
    p.add_argument("--unit", required=True, help="unit code (e.g. 62 Kon Tum, 611 Ngọc Hồi, 23326 Ia Chim) or VN")
    p.add_argument("--year", type=int, required=True, help="reporting year")
    p.add_argument("--sections", default=None,
                   help="comma-separated sections in slide order (default: all): " + ",".join(SECTIONS))
    p.add_argument("-o", "--output", type=Path, required=True, help="output .pptx file")
    p.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    p.set_defaults(func=cmd_pack)
    return p


def cmd_pack(args) -> int:
    from ntm.cli.commands import open_database
    from ntm.export.pack import build_pack
    from ntm.read.queries import resolve_scope

    try:
        sections = normalise_sections(args.sections)
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    con, _ = open_database(args, read_only=True)
    try:
        scope = resolve_scope(con, args.unit, args.year)
        if scope is None:
            print(t("unit_not_found", args.lang, code=args.unit, year=args.year), file=sys.stderr)
            return 2

        def progress(i: int, n: int, text: str) -> None:
            if not args.quiet:
                print(f"[{i}/{n}] {text}", file=sys.stderr, flush=True)

        out = build_pack(con, scope, args.year, sections, args.lang, args.output, progress)
    finally:
        con.close()
    print(out)
    return 0
