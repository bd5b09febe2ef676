"""Analyst accounts, kept in the store — every replica of a shared store knows the same analysts and the
same failed logins: passwords hashed with Argon2id, repeated failures throttled. Uploads, rollbacks and
attribute/target edits need an analyst; viewing needs none unless `NTM_REQUIRE_LOGIN=1`.

    accounts         name | hash | role | created
    login_failures   name | count | until (a Unix time)

The users file of earlier releases (`~/.config/ntm-dashboard/users.json`, or `$NTM_USERS_FILE`) is brought
into a store once, when the store gets its accounts (built anew, or schema step 13); later changes to
the file are not read. `python -m ntm user import FILE` brings in another file's accounts.
"""

from __future__ import annotations

import json
import os
import re
import time
from datetime import datetime
from pathlib import Path

import duckdb
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ntm.errors import AccountError, StoreUnavailable, Throttled, UsersFileUnreadable
from ntm.store.connection import sync, transaction

_HASHER = PasswordHasher()
FREE_ATTEMPTS = 5
MAX_LOCK_SECONDS = 15 * 60
USERNAME = re.compile(r"^[A-Za-z0-9_.-]{2,40}$")
COMMAND_LINE = "cli:"         # recorded before the system user's name when the command line names no account
MAX_TRACKED_NAMES = 1000      # failed names remembered (the oldest are forgotten: the table stays small)
CONFLICT_RETRIES = 3          # two replicas writing the same login at once: the later one tries again

ACCOUNTS_DDL = (
    """CREATE TABLE IF NOT EXISTS accounts (
    name VARCHAR NOT NULL,
    hash VARCHAR NOT NULL,
    role VARCHAR NOT NULL,
    created TIMESTAMP
)""",
    """CREATE TABLE IF NOT EXISTS login_failures (
    name VARCHAR NOT NULL,
    count INTEGER NOT NULL,
    until DOUBLE NOT NULL
)""")


def users_file() -> Path:
    """The users file of earlier releases (outside the repository): `$NTM_USERS_FILE`, else
    `~/.config/ntm-dashboard/users.json`."""
    default = Path.home() / ".config" / "ntm-dashboard" / "users.json"
    return Path(os.environ.get("NTM_USERS_FILE", default))


def _account(cur, name: str) -> tuple[str, str] | None:
    """(hash, role) of the account `name`, or None."""
    return cur.execute("SELECT hash, role FROM accounts WHERE name = ?", [name]).fetchone()


def _count_accounts(cur) -> int:
    """How many accounts there are."""
    return cur.execute("SELECT count(*) FROM accounts").fetchone()[0]


def _put_account(cur, name: str, hash_: str, role: str, created: datetime | None = None) -> None:
    """Create or replace the account `name`; its failed logins are forgotten."""
    cur.execute("DELETE FROM accounts WHERE name = ?", [name])
    cur.execute("INSERT INTO accounts VALUES (?, ?, ?, ?)", [name, hash_, role, created or datetime.now()])
    _clear_failures(cur, name)


def _failures(cur, name: str) -> tuple[int, float]:
    """(failed attempts, locked until as a Unix time) for `name`; (0, 0.0) when none."""
    row = cur.execute("SELECT count, until FROM login_failures WHERE name = ?", [name]).fetchone()
    return (int(row[0]), float(row[1])) if row else (0, 0.0)


def _put_failures(cur, name: str, count: int, until: float, keep: int) -> None:
    """Record `name`'s failed attempts; keep at most `keep` names, dropping those whose lock ended
    longest ago (made-up names cannot grow the table without end)."""
    _clear_failures(cur, name)
    cur.execute("INSERT INTO login_failures VALUES (?, ?, ?)", [name, count, until])
    cur.execute("DELETE FROM login_failures WHERE name IN (SELECT name FROM login_failures "
                "ORDER BY until DESC, name OFFSET ?)", [keep])


def _clear_failures(cur, name: str) -> None:
    """Forget `name`'s failed logins."""
    cur.execute("DELETE FROM login_failures WHERE name = ?", [name])


def saved_accounts(cur) -> list[tuple]:
    """Every account row (name, hash, role, created) of the store `cur` writes to, before a rebuild; []
    in a store without accounts."""
    try:
        return cur.execute("SELECT name, hash, role, created FROM accounts ORDER BY name").fetchall()
    except duckdb.CatalogException:
        return []


def put_back_accounts(cur, saved: list[tuple]) -> None:
    """The accounts a rebuild saved, in the rebuilt store (each replacing one of the same name)."""
    for name, hash_, role, created in saved:
        _put_account(cur, name, hash_, role, created)


def bring_in_users_file(cur, path: Path) -> int:
    """The accounts of an earlier release's users file (JSON: {"users": {name: {hash, role, created}}})
    that the store does not have yet; how many. A missing file brings none; one that cannot be read is
    UsersFileUnreadable (nothing is written)."""
    try:
        if not path.is_file():
            return 0
        users = json.loads(path.read_text(encoding="utf-8")).get("users", {})
    except (OSError, ValueError, AttributeError):
        raise UsersFileUnreadable(str(path)) from None
    added = 0
    for name, user in sorted(users.items()):
        if _account(cur, name) is None:
            created = datetime.fromisoformat(user["created"]) if user.get("created") else None
            _put_account(cur, name, user["hash"], user.get("role", "analyst"), created)
            added += 1
    return added


def _retrying(write):
    """Run `write(cur)` in a transaction, again when a concurrent writer of a shared store won;
    StoreUnavailable when the store's server does not answer."""
    def run(con, *args, **kwargs):
        for attempt in range(CONFLICT_RETRIES):
            try:
                with transaction(con) as cur:
                    return write(cur, *args, **kwargs)
            except duckdb.IOException as exc:              # the catalog's server does not answer
                raise StoreUnavailable("", type(exc).__name__) from None
            except duckdb.TransactionException:
                if attempt + 1 == CONFLICT_RETRIES:
                    raise
    run.__doc__ = write.__doc__
    return run


@_retrying
def add_user(cur, name: str, password: str, role: str = "analyst") -> None:
    """Create or reset an account (password at least 8 characters)."""
    if not USERNAME.match(name):
        raise AccountError("account.bad_name")
    if len(password) < 8:
        raise AccountError("account.short_password")
    _put_account(cur, name, _HASHER.hash(password), role)


@_retrying
def import_users_file(cur, path: Path) -> int:
    """Bring in the accounts of a users file that the store lacks; how many."""
    return bring_in_users_file(cur, path)


def has_users(con) -> bool:
    """True when at least one account exists (read from the connection's copy of the store, brought up
    to date when the store answers: no write lock is waited for)."""
    _brought_up_to_date(con)
    return _count_accounts(con.cursor()) > 0


def is_account(con, name: str) -> bool:
    """True when `name` is an existing account (read as `has_users` reads)."""
    _brought_up_to_date(con)
    return _account(con.cursor(), name) is not None


def _brought_up_to_date(con) -> None:
    try:
        sync(con, wait=False)
    except StoreUnavailable:                # the copy the process holds answers meanwhile
        pass


@_retrying
def verify(cur, name: str, password: str, now: float | None = None) -> bool:
    """Check a login. Raises Throttled while the name is locked after repeated failures."""
    now = time.time() if now is None else now
    count, until = _failures(cur, name)
    if until > now:
        raise Throttled(until - now)
    user = _account(cur, name)
    ok = False
    if user:
        try:
            ok = _HASHER.verify(user[0], password)
        except (VerificationError, InvalidHashError):
            ok = False
    else:
        _HASHER.hash(password)  # same cost whether or not the account exists
    if ok and count:
        _clear_failures(cur, name)
    elif not ok:                # made-up names are throttled alike: the answer never tells them apart
        count += 1
        lock = 0.0 if count < FREE_ATTEMPTS else min(MAX_LOCK_SECONDS, 30 * 2 ** (count - FREE_ATTEMPTS))
        _put_failures(cur, name, count, now + lock, MAX_TRACKED_NAMES)
    return ok


def viewing_requires_login() -> bool:
    """Setting: require a login to view the dashboard too (`NTM_REQUIRE_LOGIN=1`)."""
    return os.environ.get("NTM_REQUIRE_LOGIN", "0").lower() in ("1", "true", "yes")
