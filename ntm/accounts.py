"""Analyst accounts, kept in the store — every replica of a shared store knows the same analysts and the
same failed logins: passwords hashed with Argon2id, repeated failures throttled. Uploads, rollbacks and
attribute/target edits need an analyst; viewing needs none unless `NTM_REQUIRE_LOGIN=1`.

The users file of earlier releases (`~/.config/ntm-dashboard/users.json`, or `$NTM_USERS_FILE`) is brought
into a store once, when the store gets its accounts (built anew, or schema step 13); later changes to
the file are not read. `python -m ntm user import FILE` brings in another file's accounts.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import duckdb
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ntm.errors import AccountError, StoreUnavailable, Throttled
from ntm.store import accounts as rows
from ntm.store.connection import transaction

_HASHER = PasswordHasher()
FREE_ATTEMPTS = 5
MAX_LOCK_SECONDS = 15 * 60
USERNAME = re.compile(r"^[A-Za-z0-9_.-]{2,40}$")
COMMAND_LINE = "cli:"         # recorded before the system user's name when the command line names no account
MAX_TRACKED_NAMES = 1000      # failed names remembered (the oldest are forgotten: the table stays small)
CONFLICT_RETRIES = 3          # two replicas writing the same login at once: the later one tries again


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
    rows.put_account(cur, name, _HASHER.hash(password), role)


@_retrying
def import_users_file(cur, path: Path) -> int:
    """Bring in the accounts of a users file that the store lacks; how many."""
    return rows.bring_in_users_file(cur, path)


@_retrying
def has_users(cur) -> bool:
    """True when at least one account exists."""
    return rows.count_accounts(cur) > 0


@_retrying
def is_account(cur, name: str) -> bool:
    """True when `name` is an existing account."""
    return rows.account(cur, name) is not None


@_retrying
def verify(cur, name: str, password: str, now: float | None = None) -> bool:
    """Check a login. Raises Throttled while the name is locked after repeated failures."""
    now = time.time() if now is None else now
    count, until = rows.failures(cur, name)
    if until > now:
        raise Throttled(until - now)
    user = rows.account(cur, name)
    ok = False
    if user:
        try:
            ok = _HASHER.verify(user[0], password)
        except (VerificationError, InvalidHashError):
            ok = False
    else:
        _HASHER.hash(password)  # same cost whether or not the account exists
    if ok and count:
        rows.clear_failures(cur, name)
    elif not ok:                # made-up names are throttled alike: the answer never tells them apart
        count += 1
        lock = 0.0 if count < FREE_ATTEMPTS else min(MAX_LOCK_SECONDS, 30 * 2 ** (count - FREE_ATTEMPTS))
        rows.put_failures(cur, name, count, now + lock, MAX_TRACKED_NAMES)
    return ok


def viewing_requires_login() -> bool:
    """Setting: require a login to view the dashboard too (`NTM_REQUIRE_LOGIN=1`)."""
    return os.environ.get("NTM_REQUIRE_LOGIN", "0").lower() in ("1", "true", "yes")
