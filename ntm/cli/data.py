"""The analyst's commands for yearly figures: `init`, `synth`, `validate`, `import`, `batches`, `rollback`
and `template`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ntm.domain.names import is_digits
from ntm.cli.options import db_arg, lang_arg, open_database, print_report, user_arg, user_name, writing
from ntm.text import t


def register(sub) -> None:
    """Add the yearly-figures commands to the sub-commands."""
    p = sub.add_parser("init", help="build the database: units, attributes, boundaries, demo data",
                       description="Build the embedded DuckDB database (idempotent).")
    db_arg(p)
    lang_arg(p, "a refusal")
    p.add_argument("--force", action="store_true", help="rebuild even if the database exists (refused while "
                                                          "another process has it open; a replaced database "
                                                          "holding imports is kept beside it)")
    p.add_argument("--no-demo", action="store_true", help="do not load the demo figures")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("synth", help="write national-scale synthetic yearly CSVs",
                       description="Write one synthetic upload file per year for all ~10,000 pre-reform communes.")
    p.add_argument("--years", default="2021-2025", help="years, e.g. 2021-2025 or 2022,2024")
    p.add_argument("--out", type=Path, required=True, help="output folder")
    p.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    p.set_defaults(func=cmd_synth)

    for name, func, help_, description in (
            ("validate", cmd_validate, "check a yearly commune file (CSV/XLSX) without importing it",
             "Validate a yearly file; exit 0 when it has no errors, 1 when it has."),
            ("import", cmd_import, "validate and import a yearly commune file in one transaction",
             "Validate, then import the file as one batch; exits non-zero and writes nothing on any error.")):
        p = sub.add_parser(name, help=help_, description=description)
        db_arg(p)
        lang_arg(p)
        p.add_argument("file", type=Path, help="CSV or XLSX file")
        p.add_argument("--year", type=int, help="reporting year (when the file has no year column)")
        if name == "validate":
            p.add_argument("--json", action="store_true", help="print the report as JSON")
        else:
            user_arg(p)
            p.add_argument("--accept-warnings", action="store_true", help="acknowledge the warnings and import")
        p.set_defaults(func=func)

    p = sub.add_parser("batches", help="list import batches (audit)",
                       description="List import batches: who, when, file, checksum, rows, status.")
    db_arg(p)
    p.add_argument("--csv", action="store_true", help="print CSV")
    p.set_defaults(func=cmd_batches)

    p = sub.add_parser("rollback", help="undo one import batch",
                       description="Undo a batch: the figures in force before it come back.")
    db_arg(p)
    lang_arg(p)
    p.add_argument("batch_id", type=int, help="batch id (see `batches`)")
    p.add_argument("--user", default=None, help="analyst account recorded as undoing the batch (default: $USER, "
                                                "recorded as a command-line operator)")
    p.set_defaults(func=cmd_rollback)

    p = sub.add_parser("template", help="write an empty yearly file with the right headers",
                       description="Write the yearly template; with --unit, one row per commune pre-filled.")
    db_arg(p)
    lang_arg(p, "the headers")
    p.add_argument("--format", choices=("csv", "xlsx"), default=None, help="file format (default from -o)")
    p.add_argument("--unit", help="province (2 digits) or district (3 digits) whose communes to pre-fill")
    p.add_argument("--year", type=int, default=2025, help="reporting year for the pre-filled rows")
    p.add_argument("-o", "--output", type=Path, required=True, help="output file")
    p.set_defaults(func=cmd_template)


def cmd_init(args) -> int:
    """Build the database unless it is built (migrate it when an earlier release made it)."""
    from ntm.store.build import init_database

    init_database(args.db, force=args.force, with_demo=not args.no_demo)
    return 0


def cmd_synth(args) -> int:
    """Write the national synthetic yearly files and print their paths."""
    from ntm.store.synth import parse_years, write_national_files

    for p in write_national_files(parse_years(args.years), args.out, args.seed):
        print(p)
    return 0


def cmd_validate(args) -> int:
    """Validate a yearly file; exit 1 when it has errors."""
    from ntm.ingest.yearly import validate_path

    con, _ = open_database(args, read_only=True)
    report = validate_path(con, args.file, args.year, args.lang)
    if args.json:
        print(json.dumps(report.to_dict(args.lang), ensure_ascii=False, indent=2, default=str))
    else:
        print_report(report, args.lang)
    return 0 if report.ok else 1


@writing
def cmd_import(args) -> int:
    """Validate and import a yearly file as one batch; exit 1 when refused."""
    from ntm.errors import ImportRefused
    from ntm.ingest.yearly import import_report, validate_path

    con, path = open_database(args)
    report = validate_path(con, args.file, args.year, args.lang)
    print_report(report, args.lang)
    try:
        batch = import_report(con, report, user=user_name(args), accept_warnings=args.accept_warnings, db_path=path)
    except ImportRefused as exc:
        print(exc.message(args.lang), file=sys.stderr)
        return 1
    print(t("import.done", args.lang, rows=len(report.rows), year=report.year, batch=batch))
    print(batch)
    return 0


def cmd_batches(args) -> int:
    """Print the import batches, newest first."""
    import pandas as pd

    from ntm.text.spreadsheets import write_csv
    from ntm.store.batches import list_batches

    con, _ = open_database(args, read_only=True)
    df = list_batches(con.cursor())
    if args.csv:
        write_csv(df, sys.stdout)
    else:
        with pd.option_context("display.width", 200, "display.max_columns", 20):
            print(df.drop(columns=["checksum"]).to_string(index=False))
    return 0


@writing
def cmd_rollback(args) -> int:
    """Undo one batch (recording who); exit 1 when blocked or already undone, 2 when unknown."""
    from ntm.errors import RollbackBlocked, UnknownBatch
    from ntm.store.batches import batch_status, rollback

    con, path = open_database(args)
    if batch_status(con, args.batch_id) == "rolled_back":
        print(t("cli.already_rolled_back", args.lang, batch=args.batch_id), file=sys.stderr)
        return 1
    try:
        restored = rollback(con, args.batch_id, path, user_name(args))
    except RollbackBlocked as exc:
        print(exc.message(args.lang), file=sys.stderr)
        return 1
    except UnknownBatch as exc:
        print(exc.message(args.lang), file=sys.stderr)
        return 2
    print(t("upload.rollback_done", args.lang, batch=args.batch_id, restored=", ".join(map(str, restored)) or "–"))
    return 0


def cmd_template(args) -> int:
    """Write the yearly template (pre-filled with a unit's communes with --unit)."""
    from ntm.ingest.template import template_frame, write_template

    fmt = args.format or ("xlsx" if args.output.suffix.lower() == ".xlsx" else "csv")
    con = None
    if args.unit and (len(args.unit) not in (2, 3, 5) or not is_digits(args.unit)):
        print(t("unit_not_found", args.lang, code=args.unit, year=args.year), file=sys.stderr)
        return 2
    if args.unit:
        con, _ = open_database(args, read_only=True)
    df = template_frame(con, args.lang, args.unit, args.year)
    if args.unit and df.empty:
        print(t("unit_not_found", args.lang, code=args.unit, year=args.year), file=sys.stderr)
        return 2
    print(write_template(df, args.output, fmt))
    return 0
