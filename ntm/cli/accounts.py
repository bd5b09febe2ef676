"""`user add`: create or reset an analyst account (the password is stored as an Argon2id hash)."""

from __future__ import annotations

import sys

from ntm.text import t


def register(sub) -> None:
    """Add `user add` to the sub-commands."""
    p = sub.add_parser("user", help="manage analyst accounts", description="Analyst accounts.")
    usub = p.add_subparsers(dest="user_command", required=True, metavar="ACTION")
    pa = usub.add_parser("add", help="create or reset an analyst account",
                         description="Create or reset an analyst account; the password is asked twice on a "
                                     "terminal, read from the first line of standard input when it is piped "
                                     "(or with --password-stdin).")
    pa.add_argument("name", help="user name")
    pa.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    pa.set_defaults(func=cmd_user_add)


def _both(key: str, **params) -> str:
    """A message in Vietnamese and English (the command has no --lang: it talks to an administrator)."""
    return f"{t(key, 'vi', **params)} / {t(key, 'en', **params)}"


def cmd_user_add(args) -> int:
    """Create or reset an account; the password is asked twice, hidden, on a terminal, and read from the
    first line of standard input when that is not a terminal (a pipe, a file: no prompt, no warning that
    the input would be echoed)."""
    import getpass

    from ntm.accounts import add_user, users_file
    from ntm.errors import AccountError

    if args.password_stdin or not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass(_both("cli.password") + ": ")
        if password != getpass.getpass(_both("cli.password_again") + ": "):
            print(_both("cli.passwords_differ"), file=sys.stderr)
            return 1
    try:
        add_user(args.name, password)
    except AccountError as exc:
        print(f"{exc.message('vi')} / {exc.message('en')}", file=sys.stderr)
        return 1
    print(f"{args.name} → {users_file()}")
    return 0
