"""`python -m ntm pack`: the meeting pack (16:9 PowerPoint) for a unit and a year.

    python -m ntm pack --unit 62 --year 2024 -o kon_tum_2024.pptx
    python -m ntm pack --unit 38 --year 2024 --sections overview,targets,at_risk --lang en -o th.pptx

The handler only parses, opens the database read-only, resolves the unit and calls
`ntm.export.pack.build_pack`; it prints the output path (progress goes to stderr). Exit 2 for an
unknown unit or section.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ntm.cli.options import db_arg, lang_arg, open_scope, unit_year_args
from ntm.export.pack import SECTIONS, normalise_sections


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
    unit_year_args(p, "unit code (e.g. 62 Kon Tum, 611 Ngọc Hồi, 23326 Ia Chim) or VN")
    p.add_argument("--sections", default=None,
                   help="comma-separated sections in slide order (default: all): " + ",".join(SECTIONS))
    p.add_argument("-o", "--output", type=Path, required=True, help="output .pptx file")
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
