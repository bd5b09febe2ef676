"""Command line: `python -m ntm COMMAND --help`. Each command parses its arguments and calls the engine."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ntm.text.catalogue import fmt_number, fmt_percent, fmt_pp, status_label, t
from ntm.cli.pack import add_pack_parser
from ntm.paths import default_db_path
from ntm.domain.rules import STATUS_LADDER


def _db_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", type=Path, default=None,
                   help="DuckDB file (default: $NTM_DB or data/ntm.duckdb)")


def _lang_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lang", choices=("vi", "en"), default="vi", help="language of the output (default vi)")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with one sub-command per task."""
    parser = argparse.ArgumentParser(
        prog="python -m ntm",
        description="Nông thôn mới & giảm nghèo bền vững — dashboard engine (NTM & sustainable poverty reduction).")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("init", help="build the database: units, attributes, boundaries, demo data",
                       description="Build the embedded DuckDB database (idempotent).")
    _db_arg(p)
    p.add_argument("--force", action="store_true", help="rebuild even if the database exists")
    p.add_argument("--no-demo", action="store_true", help="do not load the demo figures")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("synth", help="write national-scale synthetic yearly CSVs",
                       description="Write one synthetic upload file per year for all ~10,000 pre-reform communes.")
    p.add_argument("--years", default="2021-2025", help="years, e.g. 2021-2025 or 2022,2024")
    p.add_argument("--out", type=Path, required=True, help="output folder")
    p.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    p.set_defaults(func=cmd_synth)

    p = sub.add_parser("summary", help="households, poverty, flows and NTM counts for a unit and year",
                       description="Summary for a province (2-digit code), district (3) or commune (5); "
                                   "VN for the whole country.")
    _db_arg(p)
    _lang_arg(p)
    p.add_argument("--unit", required=True, help="unit code (e.g. 62 Kon Tum, 611 Ngọc Hồi, 23326 Ia Chim) or VN")
    p.add_argument("--year", type=int, required=True, help="reporting year")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_summary)

    p = sub.add_parser("at-risk", help="recognised communes at risk of revocation (QĐ 18/2022)",
                       description="Recognised NTM communes that fail ≥50% of criteria, or ≥30% including a key "
                                   "criterion, with the criteria they no longer meet.")
    _db_arg(p)
    _lang_arg(p)
    p.add_argument("--unit", required=True, help="unit code or VN")
    p.add_argument("--year", type=int, required=True, help="reporting year")
    p.add_argument("--csv", action="store_true", help="print CSV")
    p.set_defaults(func=cmd_at_risk)

    p = sub.add_parser("validate", help="check a yearly commune file (CSV/XLSX) without importing it",
                       description="Validate a yearly file; exit 0 when it has no errors, 1 when it has.")
    _db_arg(p)
    _lang_arg(p)
    p.add_argument("file", type=Path, help="CSV or XLSX file")
    p.add_argument("--year", type=int, help="reporting year (when the file has no year column)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("import", help="validate and import a yearly commune file in one transaction",
                       description="Validate, then import the file as one batch; exits non-zero and writes "
                                   "nothing on any error.")
    _db_arg(p)
    _lang_arg(p)
    p.add_argument("file", type=Path, help="CSV or XLSX file")
    p.add_argument("--year", type=int, help="reporting year (when the file has no year column)")
    p.add_argument("--user", default=None, help="analyst recorded on the batch (default: $USER)")
    p.add_argument("--accept-warnings", action="store_true", help="acknowledge the warnings and import")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("batches", help="list import batches (audit)",
                       description="List import batches: who, when, file, checksum, rows, status.")
    _db_arg(p)
    p.add_argument("--csv", action="store_true", help="print CSV")
    p.set_defaults(func=cmd_batches)

    p = sub.add_parser("rollback", help="undo one import batch",
                       description="Undo a batch: the figures in force before it come back.")
    _db_arg(p)
    _lang_arg(p)
    p.add_argument("batch_id", type=int, help="batch id (see `batches`)")
    p.set_defaults(func=cmd_rollback)

    p = sub.add_parser("template", help="write an empty yearly file with the right headers",
                       description="Write the yearly template; with --unit, one row per commune pre-filled.")
    _db_arg(p)
    p.add_argument("--lang", choices=("vi", "en"), default="vi", help="header language (default vi)")
    p.add_argument("--format", choices=("csv", "xlsx"), default=None, help="file format (default from -o)")
    p.add_argument("--unit", help="province (2 digits) or district (3 digits) whose communes to pre-fill")
    p.add_argument("--year", type=int, default=2025, help="reporting year for the pre-filled rows")
    p.add_argument("-o", "--output", type=Path, required=True, help="output file")
    p.set_defaults(func=cmd_template)

    p = sub.add_parser("boundaries", help="upload real district or commune boundaries",
                       description="Boundary files (GeoJSON, zipped Shapefile, GeoPackage).")
    bsub = p.add_subparsers(dest="boundaries_command", required=True, metavar="ACTION")
    pb = bsub.add_parser("import", help="join a boundary file to unit codes and store it",
                         description="Read, reproject to WGS84, join by code column (or by name within the "
                                     "province), simplify and store the polygons as one batch.")
    _db_arg(pb)
    _lang_arg(pb)
    pb.add_argument("file", type=Path, help="GeoJSON, .zip with a Shapefile, or .gpkg")
    pb.add_argument("--level", choices=("district", "commune"), required=True, help="unit level of the polygons")
    pb.add_argument("--code-column", help="attribute column holding the unit codes (detected if omitted)")
    pb.add_argument("--user", default=None, help="analyst recorded on the batch (default: $USER)")
    pb.set_defaults(func=cmd_boundaries_import)

    p = sub.add_parser("reference", help="upload unit attributes or targets",
                       description="Unit attributes (mountainous, island, poor district, EM region) and targets.")
    rsub = p.add_subparsers(dest="reference_command", required=True, metavar="ACTION")
    pr = rsub.add_parser("import", help="validate, preview and import a reference table",
                         description="Validate the file, show what changes, and import it as one batch.")
    _db_arg(pr)
    _lang_arg(pr)
    pr.add_argument("kind", choices=("unit_attributes", "targets"), help="which table")
    pr.add_argument("file", type=Path, help="CSV or XLSX with the table's columns (see data/*.csv)")
    pr.add_argument("--user", default=None, help="analyst recorded on the batch (default: $USER)")
    pr.add_argument("--dry-run", action="store_true", help="validate and preview only")
    pr.set_defaults(func=cmd_reference_import)

    p = sub.add_parser("user", help="manage analyst accounts", description="Analyst accounts.")
    usub = p.add_subparsers(dest="user_command", required=True, metavar="ACTION")
    pa = usub.add_parser("add", help="create or reset an analyst account",
                         description="Create or reset an analyst account; the password is asked twice "
                                     "(or read from stdin with --password-stdin).")
    pa.add_argument("name", help="user name")
    pa.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    pa.set_defaults(func=cmd_user_add)

    add_pack_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    from ntm.store.build import NotADashboardDatabase
    from ntm.store.connection import DatabaseBusy

    args = build_parser().parse_args(argv)
    lang = getattr(args, "lang", "vi")
    file = getattr(args, "file", None)
    if file is not None and not Path(file).is_file():
        print(t("cli.no_file", lang, path=str(file)), file=sys.stderr)
        return 2
    try:
        return int(args.func(args) or 0)
    except DatabaseBusy:
        print(t("import.busy", lang), file=sys.stderr)
        return 3
    except NotADashboardDatabase as exc:
        print(t("db.foreign", lang, path=str(exc)), file=sys.stderr)
        return 2


# ---------------------------------------------------------------------------------------------

def cmd_init(args) -> int:
    from ntm.store.build import init_database

    init_database(args.db, force=args.force, with_demo=not args.no_demo)
    return 0


def cmd_synth(args) -> int:
    from ntm.store.synth import parse_years, write_national_files

    for p in write_national_files(parse_years(args.years), args.out, args.seed):
        print(p)
    return 0


def open_database(args, read_only: bool = False):
    """The command's database (`--db`, `$NTM_DB` or data/ntm.duckdb, built on first use): (connection, path)."""
    from ntm.store.build import init_database
    from ntm.store.connection import connect

    path = init_database(args.db or default_db_path(), log=lambda *_: None)
    return connect(path, read_only=read_only), path


def _open_scope(args):
    from ntm.read.queries import resolve_scope

    con, _ = open_database(args, read_only=True)
    scope = resolve_scope(con, args.unit, args.year)
    if scope is None:
        print(t("unit_not_found", args.lang, code=args.unit, year=args.year), file=sys.stderr)
    return con, scope


def cmd_summary(args) -> int:
    from ntm.read.queries import summary

    con, scope = _open_scope(args)
    if scope is None:
        return 2
    s = summary(con, scope, args.year)
    if args.json:
        print(json.dumps(s, ensure_ascii=False, indent=2))
        return 0
    print(format_summary(s, args.lang))
    return 0


def format_summary(s: dict, lang: str = "vi") -> str:
    """A summary as readable text lines."""
    unit = s["unit"]
    lines = [f"{unit['name']} ({unit['code'] or 'VN'}) — {s['year']}"]
    if s["is_demo"]:
        lines.append(t("demo_notice", lang))
    if not s["has_data"]:
        lines.append(t("no_data", lang, name=unit["name"], year=s["year"]))
        return "\n".join(lines)
    n = lambda v: fmt_number(v, lang)
    lines += [
        f"{t('households', lang)}: {n(s['households'])}",
        f"{t('poor', lang)}: {n(s['poor']['count'])} ({fmt_percent(s['poor']['percent'], lang)}; "
        f"{t('change_pp', lang)}: {fmt_pp(s['poor_rate_change_pp'], lang)})",
        f"{t('near_poor', lang)}: {n(s['near_poor']['count'])} ({fmt_percent(s['near_poor']['percent'], lang)})",
        f"{t('poor_and_near_poor', lang)}: {n(s['poor_and_near_poor']['count'])} "
        f"({fmt_percent(s['poor_and_near_poor']['percent'], lang)})",
        f"{t('escaped', lang)}: {n(s['escaped'])} | {t('fell_back', lang)}: {n(s['fell_back'])} | "
        f"{t('newly_poor', lang)}: {n(s['newly_poor'])}",
        f"{t('em_poor', lang)}: {n(s['ethnic_minority_poor']['count'])} "
        f"({fmt_percent(s['ethnic_minority_poor']['percent'], lang)})",
    ]
    ntm = s["ntm"]
    if ntm["rural_communes"]:
        counts = ", ".join(f"{status_label(k, lang)} {ntm['by_status'][k]}" for k in STATUS_LADDER)
        lines += [f"{t('communes_by_status', lang)} ({n(ntm['rural_communes'])}): {counts}",
                  f"{t('avg_criteria', lang)}: {fmt_number(ntm['avg_criteria'], lang, 2)}",
                  f"{t('at_risk', lang)}: {ntm['at_risk']}"]
    return "\n".join(lines)


def cmd_at_risk(args) -> int:
    from ntm.read.queries import at_risk, summary

    con, scope = _open_scope(args)
    if scope is None:
        return 2
    df = at_risk(con, scope, args.year, args.lang)
    demo = summary(con, scope, args.year)["is_demo"]
    if args.csv:
        from ntm.export.safe import safe_frame

        # the demo flag travels with the rows; names are made safe for spreadsheets
        safe_frame(df.assign(demo_data=demo)).to_csv(sys.stdout, index=False)
        return 0
    if demo:
        print(t("demo_notice", args.lang))
    print(f"{t('at_risk', args.lang)} — {scope.name}, {args.year}: {len(df)}")
    if df.empty:
        print(t("at_risk_none", args.lang))
    for r in df.itertuples():
        print(f"- {r.commune_name} ({r.commune_code}), {r.district_name}: {status_label(r.ntm_status, args.lang)}, "
              f"{r.criteria_met}/19 — {t('criteria_not_met', args.lang)}: {r.failed_criteria}")
    return 0


# ---------------------------------------------------------------------------------------------
# Analyst commands

def _writing(func):
    """Run a writing command under the database's write lock, so concurrent imports queue up."""
    def run(args):
        from ntm.store.connection import write_lock

        with write_lock(args.db or default_db_path()):
            return func(args)
    run.__doc__ = func.__doc__
    return run


def _print_report(report, lang: str, per_kind: int = 20) -> None:
    """Every error; warnings and notes up to `per_kind` of each kind (all of them with --json)."""
    shown: dict[str, int] = {}
    for issue in report.issues:
        shown[issue.key] = shown.get(issue.key, 0) + 1
        if issue.severity == "error" or shown[issue.key] <= per_kind:
            print(f"[{t('severity.' + issue.severity, lang)}] {issue.message(report.file_name, lang)}")
    for key, n in shown.items():
        if n > per_kind and key not in {i.key for i in report.errors}:
            more = n - per_kind
            print(f"… {more} " + ("cảnh báo cùng loại nữa (xem --json)" if lang == "vi" else "more of the same (see --json)"))
    counts = f"{len(report.errors)} / {len(report.warnings)}"
    print(("Lỗi / cảnh báo: " if lang == "vi" else "Errors / warnings: ") + counts)


def cmd_validate(args) -> int:
    from ntm.ingest.yearly import validate_path

    con, _ = open_database(args, read_only=True)
    report = validate_path(con, args.file, args.year, args.lang)
    if args.json:
        print(json.dumps(report.to_dict(args.lang), ensure_ascii=False, indent=2, default=str))
    else:
        _print_report(report, args.lang)
    return 0 if report.ok else 1


@_writing
def cmd_import(args) -> int:
    import getpass

    from ntm.ingest.yearly import ImportRefused, import_report, validate_path

    con, path = open_database(args)
    report = validate_path(con, args.file, args.year, args.lang)
    _print_report(report, args.lang)
    try:
        batch = import_report(con, report, user=args.user or getpass.getuser(),
                              accept_warnings=args.accept_warnings, db_path=path)
    except ImportRefused as exc:
        print(exc.message(args.lang), file=sys.stderr)
        return 1
    print(t("import.done", args.lang, rows=len(report.rows), year=report.year, batch=batch))
    print(batch)
    return 0


def cmd_batches(args) -> int:
    import pandas as pd

    from ntm.store.batches import list_batches
    from ntm.export.safe import safe_frame

    con, _ = open_database(args, read_only=True)
    df = list_batches(con.cursor())
    if args.csv:
        safe_frame(df).to_csv(sys.stdout, index=False)
    else:
        with pd.option_context("display.width", 200, "display.max_columns", 20):
            print(df.drop(columns=["checksum"]).to_string(index=False))
    return 0


@_writing
def cmd_rollback(args) -> int:
    from ntm.store.batches import rollback_batch
    from ntm.store.connection import transaction, write_lock
    from ntm.ingest.reference import RollbackBlocked

    con, path = open_database(args)
    row = con.execute("SELECT status FROM import_batches WHERE batch_id = ?", [args.batch_id]).fetchone()
    if row and row[0] == "rolled_back":
        print(t("cli.already_rolled_back", args.lang, batch=args.batch_id), file=sys.stderr)
        return 1
    with write_lock(path):
        with transaction(con) as cur:
            try:
                restored = rollback_batch(cur, args.batch_id)
            except RollbackBlocked:
                print(t("reference.rollback_blocked", args.lang), file=sys.stderr)
                return 1
            except KeyError:
                print(("Không có lô số " if args.lang == "vi" else "No batch ") + str(args.batch_id), file=sys.stderr)
                return 2
    msg = "Đã hoàn tác lô {b}; khôi phục số liệu của lô: {r}" if args.lang == "vi" else "Rolled back batch {b}; restored batches: {r}"
    print(msg.format(b=args.batch_id, r=", ".join(map(str, restored)) or "–"))
    return 0


def cmd_template(args) -> int:
    from ntm.ingest.template import template_frame, write_template

    fmt = args.format or ("xlsx" if args.output.suffix.lower() == ".xlsx" else "csv")
    con = None
    if args.unit and len(args.unit) not in (2, 3, 5) or (args.unit and not args.unit.isdigit()):
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


def cmd_user_add(args) -> int:
    import getpass

    from ntm.accounts import AccountError, add_user, users_file

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Mật khẩu / password: ")
        if password != getpass.getpass("Nhập lại / repeat: "):
            print("Mật khẩu không khớp / passwords differ", file=sys.stderr)
            return 1
    try:
        add_user(args.name, password)
    except AccountError as exc:
        print(f"{t(exc.key, 'vi')} / {t(exc.key, 'en')}", file=sys.stderr)
        return 1
    print(f"{args.name} → {users_file()}")
    return 0


@_writing
def cmd_boundaries_import(args) -> int:
    import getpass
    import hashlib

    from ntm.ingest.boundaries import BoundaryError, import_boundaries, match_boundaries, read_boundary_file

    con, path = open_database(args)
    data = args.file.read_bytes()
    try:
        gdf = read_boundary_file(data, args.file.name)
        match = match_boundaries(con, gdf, args.level, args.code_column)
        s = match.summary()
        label = ("Ghép theo {method}: khớp {matched}, không khớp {unmatched}, nhập nhằng {ambiguous}"
                 if args.lang == "vi" else "Joined by {method}: matched {matched}, unmatched {unmatched}, "
                 "ambiguous {ambiguous}")
        print(label.format(**s))
        for r in match.unmatched.itertuples():
            print(("  không khớp: " if args.lang == "vi" else "  unmatched: ") + str(r.name_in_file))
        for r in match.ambiguous.itertuples():
            print(("  nhập nhằng: " if args.lang == "vi" else "  ambiguous: ") + f"{r.name_in_file} → {r.candidates}")
        batch = import_boundaries(con, match, file_name=args.file.name, checksum=hashlib.sha256(data).hexdigest(),
                                  user=args.user or getpass.getuser(), db_path=path)
    except BoundaryError as exc:
        print(t(exc.key, args.lang, **exc.params), file=sys.stderr)
        return 1
    print(batch)
    return 0


@_writing
def cmd_reference_import(args) -> int:
    import getpass
    import hashlib

    from ntm.ingest.yearly import ImportRefused
    from ntm.ingest.reference import import_reference, preview_reference, validate_reference_bytes

    con, path = open_database(args)
    data = args.file.read_bytes()
    report = validate_reference_bytes(con, args.kind, data, args.file.name, args.lang)
    _print_report(report, args.lang)
    if not report.ok:
        return 1
    changes = preview_reference(con, args.kind, report)["change"].value_counts().to_dict()
    print(", ".join(f"{k}: {v}" for k, v in sorted(changes.items())))
    if args.dry_run:
        return 0
    try:
        batch = import_reference(con, args.kind, report, user=args.user or getpass.getuser(),
                                 checksum=hashlib.sha256(data).hexdigest(), db_path=path)
    except ImportRefused as exc:
        print(exc.message(args.lang), file=sys.stderr)
        return 1
    print(batch)
    return 0
