"""The parser of `python -m ntm` (one sub-command per task, registered by each command module) and the
entry point, which turns the errors a user can meet into a message in their language and an exit code."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ntm.cli import accounts, coordination, data, pack, reference, reports, serve, store
from ntm.errors import (DatabaseTooNew, EarlierFileUnreadable, ExportUnavailable, NotADashboardDatabase, NotPermitted,
                        ServeFailed, StoreChanged, StoreNotEmpty, StoreUnavailable, UsersFileUnreadable)
from ntm.text import t

COMMAND_MODULES = (data, reports, reference, accounts, coordination, pack, store, serve)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with one sub-command per task."""
    parser = argparse.ArgumentParser(
        prog="python -m ntm",
        description="Nông thôn mới & giảm nghèo bền vững — dashboard engine (NTM & sustainable poverty reduction).")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def _not_an_account(name: str, args) -> str:
    """'' when `name` is an account of the command's store; otherwise why not and what to do (a
    name no account can have said as such)."""
    from ntm.store.accounts import USERNAME, is_account
    from ntm.cli.options import open_database

    lang = getattr(args, "lang", "vi")
    if not USERNAME.match(name):
        return t("cli.unknown_user_name", lang, name=name, rule=t("account.bad_name", lang))
    con, loc = open_database(args)
    try:
        if is_account(con, name):
            return ""
    finally:
        con.close()
    return t("cli.unknown_user", lang, name=name, store=loc.label)


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    args = build_parser().parse_args(argv)
    lang = getattr(args, "lang", "vi")
    file = getattr(args, "file", None)
    if file is not None and not Path(file).is_file():
        print(t("cli.no_file", lang, path=str(file)), file=sys.stderr)
        return 2
    try:
        user = getattr(args, "user", None)
        if user is not None and (refusal := _not_an_account(user, args)):
            print(refusal, file=sys.stderr)
            return 2
        return int(args.func(args) or 0)
    except NotPermitted as exc:                  # the account's role or provinces: nothing was written
        print(exc.message(lang), file=sys.stderr)
        return 1
    except StoreUnavailable as exc:
        print(exc.message(lang), file=sys.stderr)
        return 3
    except (NotADashboardDatabase, DatabaseTooNew, StoreNotEmpty, StoreChanged, EarlierFileUnreadable,
            UsersFileUnreadable) as exc:
        print(exc.message(lang), file=sys.stderr)
        return 2
    except (ExportUnavailable, ServeFailed) as exc:
        print(exc.message(lang), file=sys.stderr)
        return 4
