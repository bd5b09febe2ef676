"""`boundaries import` and `reference import`: real boundaries, unit attributes and targets."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from ntm.cli.options import db_arg, lang_arg, open_database, print_report, user_arg, user_name, writing
from ntm.text import fmt_number, t


def register(sub) -> None:
    """Add `boundaries import` and `reference import` to the sub-commands."""
    p = sub.add_parser("boundaries", help="upload real district or commune boundaries",
                       description="Boundary files (GeoJSON, zipped Shapefile, GeoPackage).")
    bsub = p.add_subparsers(dest="boundaries_command", required=True, metavar="ACTION")
    pb = bsub.add_parser("import", help="join a boundary file to unit codes and store it",
                         description="Read, reproject to WGS84, join by code column (or by name within the "
                                     "province), simplify and store the polygons as one batch.")
    db_arg(pb)
    lang_arg(pb)
    pb.add_argument("file", type=Path, help="GeoJSON, .zip with a Shapefile, or .gpkg")
    pb.add_argument("--level", choices=("district", "commune"), required=True, help="unit level of the polygons")
    pb.add_argument("--code-column", help="attribute column holding the unit codes (detected if omitted)")
    pb.add_argument("--dry-run", action="store_true", help="report the join only; store nothing")
    user_arg(pb)
    pb.set_defaults(func=cmd_boundaries_import)

    p = sub.add_parser("reference", help="upload unit attributes or targets",
                       description="Unit attributes (mountainous, island, poor district, EM region) and targets.")
    rsub = p.add_subparsers(dest="reference_command", required=True, metavar="ACTION")
    pr = rsub.add_parser("import", help="validate, preview and import a reference table",
                         description="Validate the file, show what changes, and import it as one batch.")
    db_arg(pr)
    lang_arg(pr)
    pr.add_argument("kind", choices=("unit_attributes", "targets"), help="which table")
    pr.add_argument("file", type=Path, help="CSV or XLSX with the table's columns (see data/*.csv)")
    user_arg(pr)
    pr.add_argument("--dry-run", action="store_true", help="validate and preview only")
    pr.set_defaults(func=cmd_reference_import)


@writing
def cmd_boundaries_import(args) -> int:
    """Join a boundary file to the units, report the join and store it as one batch."""
    from ntm.errors import BoundaryError
    from ntm.ingest.boundaries import import_boundaries, match_boundaries, read_boundary_file

    con, path = open_database(args)
    data = args.file.read_bytes()
    try:
        match = match_boundaries(con, read_boundary_file(data, args.file.name), args.level, args.code_column)
        print_boundary_report(match, args.lang)
        if args.dry_run:
            print(t("cli.dry_run_nothing_stored", args.lang))
            return 0
        batch = import_boundaries(con, match, file_name=args.file.name, checksum=hashlib.sha256(data).hexdigest(),
                                  user=user_name(args), db_path=path)
    except BoundaryError as exc:
        print(exc.message(args.lang), file=sys.stderr)
        return 1
    print(t("cli.boundaries_stored", args.lang, n=len(match.units), batch=batch))
    return 0


def print_boundary_report(match, lang: str) -> None:
    """The join summary, then every feature that did not simply match, then overlaps and repairs."""
    from ntm.ingest.boundaries import report_table

    s = match.summary()
    print(t("cli.boundary_summary", lang, **{**s, "system": t(f"system.{s['system']}", lang)}))
    problems = report_table(match, lang, problems_only=True)
    if len(problems):
        print(problems.to_string(index=False))
    for r in match.overlaps.itertuples():
        print(t("cli.boundary_overlap", lang, a=f"{r.name_a} ({r.code_a})", b=f"{r.name_b} ({r.code_b})",
                km2=fmt_number(r.km2, lang, 2)))
    if match.repaired:
        print(t("cli.boundary_repaired", lang, n=match.repaired))


@writing
def cmd_reference_import(args) -> int:
    """Validate, preview and import a unit-attributes or targets file."""
    from ntm.errors import ImportRefused
    from ntm.ingest.reference import import_reference, preview_reference, validate_reference_bytes

    con, path = open_database(args)
    data = args.file.read_bytes()
    report = validate_reference_bytes(con, args.kind, data, args.file.name, args.lang)
    print_report(report, args.lang)
    if not report.ok:
        return 1
    changes = preview_reference(con, args.kind, report)["change"].value_counts().to_dict()
    print(", ".join(f"{k}: {v}" for k, v in sorted(changes.items())))
    if args.dry_run:
        return 0
    try:
        batch = import_reference(con, args.kind, report, user=user_name(args),
                                 checksum=hashlib.sha256(data).hexdigest(), db_path=path)
    except ImportRefused as exc:
        print(exc.message(args.lang), file=sys.stderr)
        return 1
    print(batch)
    return 0
