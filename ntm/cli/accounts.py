"""`user add`: create or reset an analyst account in the store (the password is stored as an Argon2id hash);
`user import`: bring in the accounts of an earlier release's users file."""

from __future__ import annotations

import sys
from pathlib import Path

from ntm.cli.options import db_arg, open_database
from ntm.text import t


def register(sub) -> None:
    """Add `user add` and `user import` to the sub-commands."""
    p = sub.add_parser("user", help="manage analyst accounts", description="Analyst accounts.")
    usub = p.add_subparsers(dest="user_command", required=True, metavar="ACTION")
    pa = usub.add_parser("add", help="create or reset an analyst account",
                         description="Create or reset an analyst account; the password is asked twice on a "
                                     "terminal, read from the first line of standard input when it is piped "
                                     "(or with --password-stdin).")
    pa.add_argument("name", help="user name")
    pa.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    db_arg(pa)
    pa.set_defaults(func=cmd_user_add)
    pi = usub.add_parser("import", help="bring the accounts of a users file into the store",
                         description="Bring the accounts of a users file of an earlier release (JSON, hashed "
                                     "passwords) into the store; accounts the store already has are kept.")
    pi.add_argument("users_file", type=Path, help="the users file (e.g. ~/.config/ntm-dashboard/users.json)")
    db_arg(pi)
    pi.set_defaults(func=cmd_user_import)


def _both(key: str, **params) -> str:
    """A message in Vietnamese and English (the command has no --lang: it talks to an administrator)."""
    return f"{t(key, 'vi', **params)} / {t(key, 'en', **params)}"


def cmd_user_add(args) -> int:
    """Create or reset an account; the password is asked twice, hidden, on a terminal, and read from the
    first line of standard input when that is not a terminal (a pipe, a file: no prompt, no warning that
    the input would be echoed)."""
    import getpass

    from ntm.store.accounts import add_user
    from ntm.errors import AccountError

    if args.password_stdin or not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass(_both("cli.password") + ": ")
        if password != getpass.getpass(_both("cli.password_again") + ": "):
            print(_both("cli.passwords_differ"), file=sys.stderr)
            return 1
    con, loc = open_database(args)
    try:
        add_user(con, args.name, password)
    except AccountError as exc:
        print(f"{exc.message('vi')} / {exc.message('en')}", file=sys.stderr)
        return 1
    finally:
        con.close()
    print(_both("cli.user_added", name=args.name, store=loc.label))
    return 0


def cmd_user_import(args) -> int:
    """Bring a users file's accounts into the store and say how many."""
    from ntm.store.accounts import import_users_file

    con, loc = open_database(args)
    try:
        n = import_users_file(con, args.users_file)
    finally:
        con.close()
    print(_both("cli.users_imported", n=n, file=str(args.users_file), store=loc.label))
    return 0
