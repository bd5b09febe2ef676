"""What the commands share: the --db / --lang / --unit / --year options, opening the database (built on
first use, migrated when it comes from an earlier release), resolving a unit, the write lock around
writing commands, and printing a validation report."""

from __future__ import annotations

import argparse
import functools
import sys

from ntm.text import t


def db_arg(p: argparse.ArgumentParser) -> None:
    """--db FILE."""
    p.add_argument("--db", default=None,
                   help="the store: a local store's catalog file or a postgresql:// URL (default: $NTM_STORE, "
                        "else $NTM_DB or data/ntm.ducklake; an earlier release's .duckdb file is brought in)")


def lang_arg(p: argparse.ArgumentParser, what: str = "the output") -> None:
    """--lang vi|en."""
    p.add_argument("--lang", choices=("vi", "en"), default="vi", help=f"language of {what} (default vi)")


def unit_year_args(p: argparse.ArgumentParser, unit_help: str = "unit code or VN", unit_required: bool = True) -> None:
    """--unit CODE --year YEAR [--geo new|old]."""
    p.add_argument("--unit", required=unit_required, help=unit_help)
    p.add_argument("--year", type=int, required=True, help="reporting year")
    p.add_argument("--geo", choices=("new", "old"), default=None,
                   help="read on the new units (34 provinces; earlier years re-aggregated onto them) or the old "
                        "ones as they were (2021–2025, with districts); default: new from 2025, old before")


def user_arg(p: argparse.ArgumentParser) -> None:
    """--user NAME (recorded on the batch)."""
    p.add_argument("--user", default=None, help="analyst account recorded on the batch (default: $USER, "
                                                "recorded as a command-line operator)")


def open_database(args, read_only: bool = False):
    """The command's store (`--db`, `$NTM_STORE`, `$NTM_DB` or data/ntm.ducklake, built on first use):
    (connection, location)."""
    from ntm.store.build import init_database
    from ntm.store.connection import connect

    path = init_database(args.db, log=lambda *_: None)
    return connect(path, read_only=read_only), path


def open_scope(args):
    """(connection, scope) of `--unit` in `--year` (and `--geo`). An old unit asked about after the reform
    says where it went and, when its new communes cover exactly its area, gives that area; the scope is
    None (and the reason printed) when the code names no unit there."""
    from ntm.present.labels import moved_text
    from ntm.read.scope import find_scope

    con, _ = open_database(args, read_only=True)
    found = find_scope(con, args.unit, args.year, getattr(args, "geo", None))
    if found.moved:
        print(moved_text(found.moved, args.lang), file=sys.stderr)
    elif found.scope is None:
        print(t("unit_not_found", args.lang, code=args.unit, year=args.year), file=sys.stderr)
    return con, found.scope


def scope_title(level: str, name: str, geography: str, lang: str) -> str:
    """A unit as a title names it: a district of the new geography is a former district, an old province
    there its former area."""
    if level == "area":
        return t("unit.former_area", lang, name=name)
    if level == "district" and geography == "new":
        return t("unit.former_district", lang, name=name)
    return name


def writing(func):
    """Run a writing command under the database's write lock, so concurrent imports queue up."""
    @functools.wraps(func)
    def run(args):
        from ntm.store.connection import write_lock

        with write_lock(args.db):
            return func(args)
    return run


def user_name(args) -> str:
    """Who is recorded on a batch or a rollback: the account --user names (checked by `main`), else the
    system user running the command, marked as a command-line operator ("cli:lan")."""
    import getpass

    from ntm.store.access import COMMAND_LINE

    return args.user or COMMAND_LINE + getpass.getuser()


def print_report(report, lang: str, per_kind: int = 20) -> None:
    """Every error; warnings and notes up to `per_kind` of each kind (all of them with --json)."""
    shown: dict[str, int] = {}
    for issue in report.issues:
        shown[issue.key] = shown.get(issue.key, 0) + 1
        if issue.severity == "error" or shown[issue.key] <= per_kind:
            print(f"[{t('severity.' + issue.severity, lang)}] {issue.message(report.file_name, lang)}")
    for key, n in shown.items():
        if n > per_kind and key not in {i.key for i in report.errors}:
            print(t("cli.more_of_kind", lang, n=n - per_kind))
    print(t("cli.error_counts", lang, errors=len(report.errors), warnings=len(report.warnings)))
