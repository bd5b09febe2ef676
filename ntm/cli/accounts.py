"""`user add | change | remove | list | import`: accounts in the store (passwords stored as Argon2id hashes),
each with a role and, for a province analyst, the provinces it changes (`ntm.domain.roles`). Run by an
administrator's account (`--user`) or, without it, by the machine's operator; every change is kept.

    python -m ntm user add lan --role analyst --province 51 --province 22
    python -m ntm user add hoa --role coordinator --password-stdin < secret.txt
    python -m ntm user change lan --role analyst --province 51
    python -m ntm user list --json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ntm.cli.options import db_arg, open_database, user_name
from ntm.domain.roles import ROLES
from ntm.errors import AccountError, NotPermitted
from ntm.text import t


def _role_args(p, default: str | None) -> None:
    p.add_argument("--role", choices=tuple(ROLES), default=default, required=default is None,
                   help="viewer, analyst (a province analyst: give --province), coordinator (every province, "
                        "targets) or admin (accounts)" + (f"; default {default}" if default else ""))
    p.add_argument("--province", action="append", default=[], metavar="CODE",
                   help="a province the analyst changes (2-digit code, new or old units; repeat for more)")


def _acting_user(p) -> None:
    p.add_argument("--user", default=None, help="the administrator account making the change (default: the "
                                                "system user, recorded as the command-line operator)")


def register(sub) -> None:
    """Add the `user` commands to the sub-commands."""
    p = sub.add_parser("user", help="manage accounts (roles, provinces)", description="Accounts and their roles.")
    usub = p.add_subparsers(dest="user_command", required=True, metavar="ACTION")
    pa = usub.add_parser("add", help="create an account or reset its password",
                         description="Create an account or reset its password (and set its role); the password is "
                                     "asked twice on a terminal, read from the first line of standard input when "
                                     "it is piped (or with --password-stdin).")
    pa.add_argument("name", help="user name")
    _role_args(pa, "analyst")
    pa.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    pc = usub.add_parser("change", help="set an account's role and provinces (the password stays)",
                         description="Set an account's role and provinces; its password stays.")
    pc.add_argument("name", help="user name")
    _role_args(pc, None)
    pr = usub.add_parser("remove", help="remove an account (its batches keep its name)",
                         description="Remove an account; the batches it imported keep its name.")
    pr.add_argument("name", help="user name")
    pl = usub.add_parser("list", help="list the accounts (never a password)",
                         description="List the accounts: name, role, provinces, created.")
    pl.add_argument("--json", action="store_true", help="print JSON")
    pi = usub.add_parser("import", help="bring the accounts of a users file into the store",
                         description="Bring the accounts of a users file of an earlier release (JSON, hashed "
                                     "passwords) into the store as coordinators; accounts the store already has "
                                     "are kept.")
    pi.add_argument("users_file", type=Path, help="the users file (e.g. ~/.config/ntm-dashboard/users.json)")
    for q, func in ((pa, cmd_user_add), (pc, cmd_user_change), (pr, cmd_user_remove), (pl, cmd_user_list),
                    (pi, cmd_user_import)):
        db_arg(q)
        if q is not pl:
            _acting_user(q)
        q.set_defaults(func=func)


def _both(key: str, **params) -> str:
    """A message in Vietnamese and English (the command has no --lang: it talks to an administrator)."""
    return f"{t(key, 'vi', **params)} / {t(key, 'en', **params)}"


def _account_change(args, change) -> tuple[int, str]:
    """Run `change(con, by)` on the command's store: (exit code, the store's label); a refusal is printed in
    both languages (exit 1)."""
    con, loc = open_database(args)
    try:
        change(con, user_name(args))
    except (AccountError, NotPermitted) as exc:
        print(f"{exc.message('vi')} / {exc.message('en')}", file=sys.stderr)
        return 1, loc.label
    finally:
        con.close()
    return 0, loc.label


def _read_password(args) -> str | None:
    """The password: asked twice, hidden, on a terminal; the first line of standard input otherwise (a pipe,
    a file: no prompt, no warning that the input would be echoed). None when the two differ."""
    import getpass

    if args.password_stdin or not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    password = getpass.getpass(_both("cli.password") + ": ")
    if password != getpass.getpass(_both("cli.password_again") + ": "):
        print(_both("cli.passwords_differ"), file=sys.stderr)
        return None
    return password


def cmd_user_add(args) -> int:
    """Create or reset an account with its role and provinces."""
    from ntm.store.accounts import add_user

    password = _read_password(args)
    if password is None:
        return 1
    code, store = _account_change(args, lambda con, by: add_user(con, args.name, password, args.role, args.province,
                                                                 by=by))
    if code == 0:
        print(_both("cli.user_added", name=args.name, store=store))
    return code


def cmd_user_change(args) -> int:
    """Set an account's role and provinces."""
    from ntm.store.accounts import change_user

    code, _ = _account_change(args, lambda con, by: change_user(con, args.name, args.role, args.province, by=by))
    if code == 0:
        provinces = f" ({', '.join(args.province)})" if args.province else ""
        print(f"{t('cli.user_changed', 'vi', name=args.name, role=t('role.' + args.role, 'vi'), provinces=provinces)}"
              f" / {t('cli.user_changed', 'en', name=args.name, role=t('role.' + args.role, 'en'), provinces=provinces)}")
    return code


def cmd_user_remove(args) -> int:
    """Remove an account."""
    from ntm.store.accounts import remove_user

    code, _ = _account_change(args, lambda con, by: remove_user(con, args.name, by=by))
    if code == 0:
        print(_both("cli.user_removed", name=args.name))
    return code


def cmd_user_list(args) -> int:
    """Print the accounts (name, role, provinces, created)."""
    from ntm.store.accounts import list_accounts

    con, _ = open_database(args, read_only=True)
    try:
        accounts = list_accounts(con)
    finally:
        con.close()
    if args.json:
        print(json.dumps(accounts, ensure_ascii=False, indent=2, default=str))
        return 0
    for a in accounts:
        print(f"{a['name']:<24} {a['role']:<12} {','.join(a['provinces']) or '–':<16} {a['created']:%Y-%m-%d %H:%M}")
    return 0


def cmd_user_import(args) -> int:
    """Bring a users file's accounts into the store and say how many."""
    from ntm.store.accounts import import_users_file

    added = []
    code, store = _account_change(args, lambda con, by: added.append(import_users_file(con, args.users_file, by=by)))
    if code == 0:
        print(_both("cli.users_imported", n=added[0], file=str(args.users_file), store=store))
    return code
