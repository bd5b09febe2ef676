"""Accounts, kept in the store — every replica of a shared store knows the same accounts and the same
failed logins: passwords hashed with Argon2id, repeated failures throttled. Each account has a role
(`ntm.domain.roles`: viewer, province analyst, coordinator, administrator); what it may change is checked
by `ntm.store.access`. Viewing needs no account unless `NTM_REQUIRE_LOGIN=1`. Only an administrator (or
the command line's operator) changes accounts, and every change is kept in `account_changes`.

    accounts          name | hash | role | created | provinces (the analyst's province codes)
    login_failures    name | count | until (a Unix time)
    account_changes   changed_at | changed_by | name | change | role | provinces   (never a password)

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

from ntm.domain.roles import ACCOUNTS, EARLIER_ROLE, ROLES
from ntm.errors import AccountError, StoreUnavailable, Throttled, UsersFileUnreadable
from ntm.store.access import authorize
from ntm.store.connection import sync, transaction

_HASHER = PasswordHasher()
FREE_ATTEMPTS = 5
MAX_LOCK_SECONDS = 15 * 60
USERNAME = re.compile(r"^[A-Za-z0-9_.-]{2,40}$")
MAX_TRACKED_NAMES = 1000      # failed names remembered (the oldest are forgotten: the table stays small)
CONFLICT_RETRIES = 3          # two replicas writing the same login at once: the later one tries again

ACCOUNTS_DDL = (
    """CREATE TABLE IF NOT EXISTS accounts (
    name VARCHAR NOT NULL,
    hash VARCHAR NOT NULL,
    role VARCHAR NOT NULL,
    created TIMESTAMP,
    provinces VARCHAR[]
)""",
    """CREATE TABLE IF NOT EXISTS login_failures (
    name VARCHAR NOT NULL,
    count INTEGER NOT NULL,
    until DOUBLE NOT NULL
)""",
    """CREATE TABLE IF NOT EXISTS account_changes (
    changed_at TIMESTAMP NOT NULL,
    changed_by VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    change VARCHAR NOT NULL,
    role VARCHAR,
    provinces VARCHAR[]
)""")
CHANGES = ("created", "password_reset", "role_changed", "removed", "brought_in")
STORE_STEP = "store"          # recorded as who made a change the store made itself (an upgrade, a users file)


def users_file() -> Path:
    """The users file of earlier releases (outside the repository): `$NTM_USERS_FILE`, else
    `~/.config/ntm-dashboard/users.json`."""
    default = Path.home() / ".config" / "ntm-dashboard" / "users.json"
    return Path(os.environ.get("NTM_USERS_FILE", default))


def _account(cur, name: str) -> tuple[str, str, list[str] | None] | None:
    """(hash, role, provinces) of the account `name`, or None."""
    return cur.execute("SELECT hash, role, provinces FROM accounts WHERE name = ?", [name]).fetchone()


def _count_accounts(cur) -> int:
    """How many accounts there are."""
    return cur.execute("SELECT count(*) FROM accounts").fetchone()[0]


def _put_account(cur, name: str, hash_: str, role: str, created: datetime | None = None,
                 provinces: list[str] | None = None) -> None:
    """Create or replace the account `name`; its failed logins are forgotten."""
    cur.execute("DELETE FROM accounts WHERE name = ?", [name])
    cur.execute("INSERT INTO accounts (name, hash, role, created, provinces) VALUES (?, ?, ?, ?, ?)",
                [name, hash_, role, created or datetime.now(), list(provinces or [])])
    _clear_failures(cur, name)


def _record_change(cur, by: str, name: str, change: str, role: str | None, provinces=None) -> None:
    """Keep one account change (who, when, which account, what, the role and provinces after it)."""
    cur.execute("INSERT INTO account_changes VALUES (?, ?, ?, ?, ?, ?)",
                [datetime.now(), by, name, change, role, list(provinces or [])])


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
    """Every account row (name, hash, role, created, provinces) of the store `cur` writes to, before a
    rebuild; [] in a store without accounts."""
    try:
        names = [d[0] for d in cur.execute("SELECT * FROM accounts LIMIT 0").description]
    except duckdb.CatalogException:
        return []
    if "provinces" in names:
        return cur.execute("SELECT name, hash, role, created, provinces FROM accounts ORDER BY name").fetchall()
    # a store of an earlier release rebuilt before it was upgraded: its analysts could change every province
    return cur.execute("SELECT name, hash, CASE WHEN role = 'analyst' THEN ? ELSE role END, created, NULL "
                       "FROM accounts ORDER BY name", [EARLIER_ROLE]).fetchall()


def saved_changes(cur) -> list[tuple]:
    """Every account change of the store `cur` writes to, before a rebuild; [] in a store without them."""
    try:
        return cur.execute("SELECT * FROM account_changes ORDER BY changed_at").fetchall()
    except duckdb.CatalogException:
        return []


def put_back_accounts(cur, saved: list[tuple], changes: list[tuple] = ()) -> None:
    """The accounts (and the account changes) a rebuild saved, in the rebuilt store."""
    for name, hash_, role, created, provinces in saved:
        _put_account(cur, name, hash_, role, created, provinces)
    for change in changes:
        cur.execute("INSERT INTO account_changes VALUES (?, ?, ?, ?, ?, ?)", list(change))


def bring_in_users_file(cur, path: Path) -> int:
    """The accounts of an earlier release's users file (JSON: {"users": {name: {hash, role, created}}})
    that the store does not have yet; how many. Such an account could change every province, so it
    becomes a coordinator. A missing file brings none; one that cannot be read is UsersFileUnreadable
    (nothing is written)."""
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
            role = user.get("role") if user.get("role") in ROLES and user.get("role") != "analyst" else EARLIER_ROLE
            _put_account(cur, name, user["hash"], role, created)
            _record_change(cur, STORE_STEP, name, "brought_in", role)
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


def _checked_role(cur, role: str, provinces) -> list[str]:
    """The province codes an account of `role` names, checked: a province analyst names at least one
    province (each a province of either unit system); other roles name none."""
    if role not in ROLES:
        raise AccountError("account.unknown_role", role=role, roles=", ".join(ROLES))
    codes = sorted({str(p).strip().zfill(2) for p in provinces or ()})
    if not ROLES[role].by_province:
        if codes:
            raise AccountError("account.provinces_not_for_role", role_key=f"role.{role}")
        return []
    if not codes:
        raise AccountError("account.needs_province")
    known = {r[0] for r in cur.execute("SELECT DISTINCT code FROM units WHERE level = 'province'").fetchall()}
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise AccountError("account.unknown_province", codes=", ".join(unknown))
    return codes


@_retrying
def add_user(cur, name: str, password: str, role: str = "analyst", provinces=(), *, by: str) -> None:
    """Create an account, or reset its password (and set its role and provinces); `by` is the
    administrator (or the command line's operator) making the change, kept with it."""
    authorize(cur, by, ACCOUNTS)
    if not USERNAME.match(name):
        raise AccountError("account.bad_name")
    if len(password) < 8:
        raise AccountError("account.short_password")
    codes = _checked_role(cur, role, provinces)
    before = _account(cur, name)
    _put_account(cur, name, _HASHER.hash(password), role, None if before is None else _created(cur, name), codes)
    _record_change(cur, by, name, "created" if before is None else "password_reset", role, codes)
    if before is not None and (before[1], sorted(before[2] or [])) != (role, codes):
        _record_change(cur, by, name, "role_changed", role, codes)


def _created(cur, name: str):
    return cur.execute("SELECT created FROM accounts WHERE name = ?", [name]).fetchone()[0]


@_retrying
def change_user(cur, name: str, role: str, provinces=(), *, by: str) -> None:
    """Set an account's role and provinces (its password stays); AccountError for no such account."""
    authorize(cur, by, ACCOUNTS)
    codes = _checked_role(cur, role, provinces)
    if _account(cur, name) is None:
        raise AccountError("account.unknown", name=name)
    cur.execute("UPDATE accounts SET role = ?, provinces = ? WHERE name = ?", [role, codes, name])
    _record_change(cur, by, name, "role_changed", role, codes)


@_retrying
def remove_user(cur, name: str, *, by: str) -> None:
    """Remove an account (its imports keep its name); AccountError for no such account."""
    authorize(cur, by, ACCOUNTS)
    before = _account(cur, name)
    if before is None:
        raise AccountError("account.unknown", name=name)
    cur.execute("DELETE FROM accounts WHERE name = ?", [name])
    _clear_failures(cur, name)
    _record_change(cur, by, name, "removed", before[1], before[2])


@_retrying
def import_users_file(cur, path: Path, *, by: str) -> int:
    """Bring in the accounts of a users file that the store lacks; how many."""
    authorize(cur, by, ACCOUNTS)
    return bring_in_users_file(cur, path)


def list_accounts(con) -> list[dict]:
    """Every account: name, role, provinces, created (never a hash)."""
    _brought_up_to_date(con)
    return [dict(name=n, role=r, provinces=list(p or []), created=c) for n, r, p, c in con.cursor().execute(
        "SELECT name, role, provinces, created FROM accounts ORDER BY name").fetchall()]


def account_of(con, name: str) -> dict | None:
    """One account (name, role, provinces), read as `has_users` reads; None when there is none."""
    _brought_up_to_date(con)
    row = _account(con.cursor(), name)
    return None if row is None else dict(name=name, role=row[1], provinces=list(row[2] or []))


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
