"""The parser of `python -m ntm` (one sub-command per task, registered by each command module) and the
entry point, which turns the errors a user can meet into a message in their language and an exit code."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ntm.cli import accounts, data, pack, reference, reports, store
from ntm.errors import (DatabaseTooNew, EarlierFileUnreadable, ExportUnavailable, NotADashboardDatabase,
                        StoreNotEmpty, StoreUnavailable)
from ntm.text import t

COMMAND_MODULES = (data, reports, reference, accounts, pack, store)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with one sub-command per task."""
    parser = argparse.ArgumentParser(
        prog="python -m ntm",
        description="Nông thôn mới & giảm nghèo bền vững — dashboard engine (NTM & sustainable poverty reduction).")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def _not_an_account(name: str, lang: str) -> str:
    """'' when `name` is an analyst account; otherwise why not and what to do (an unreadable accounts
    file said as such, a name no account can have without the command that would fail)."""
    from ntm.accounts import USERNAME, is_account, users_file

    try:
        if is_account(name):
            return ""
    except (OSError, ValueError):
        return t("cli.accounts_unreadable", lang, file=str(users_file()))
    key = "cli.unknown_user" if USERNAME.match(name) else "cli.unknown_user_name"
    return t(key, lang, name=name, file=str(users_file()), rule=t("account.bad_name", lang))


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    args = build_parser().parse_args(argv)
    lang = getattr(args, "lang", "vi")
    file = getattr(args, "file", None)
    if file is not None and not Path(file).is_file():
        print(t("cli.no_file", lang, path=str(file)), file=sys.stderr)
        return 2
    user = getattr(args, "user", None)
    if user is not None and (refusal := _not_an_account(user, lang)):
        print(refusal, file=sys.stderr)
        return 2
    try:
        return int(args.func(args) or 0)
    except StoreUnavailable as exc:
        print(exc.message(lang), file=sys.stderr)
        return 3
    except (NotADashboardDatabase, DatabaseTooNew, StoreNotEmpty, EarlierFileUnreadable) as exc:
        print(exc.message(lang), file=sys.stderr)
        return 2
    except ExportUnavailable as exc:
        print(exc.message(lang), file=sys.stderr)
        return 4
