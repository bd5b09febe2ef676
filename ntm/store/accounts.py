"""The rows of analyst accounts in the store (`accounts`) and of failed logins (`login_failures`); the
policy — hashing, throttling — is `ntm.accounts`. Every function runs inside the caller's transaction."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

from ntm.errors import UsersFileUnreadable

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


def account(cur, name: str) -> tuple[str, str] | None:
    """(hash, role) of the account `name`, or None."""
    return cur.execute("SELECT hash, role FROM accounts WHERE name = ?", [name]).fetchone()


def count_accounts(cur) -> int:
    return cur.execute("SELECT count(*) FROM accounts").fetchone()[0]


def put_account(cur, name: str, hash_: str, role: str, created: datetime | None = None) -> None:
    """Create or replace the account `name`; its failed logins are forgotten."""
    cur.execute("DELETE FROM accounts WHERE name = ?", [name])
    cur.execute("INSERT INTO accounts VALUES (?, ?, ?, ?)", [name, hash_, role, created or datetime.now()])
    clear_failures(cur, name)


def failures(cur, name: str) -> tuple[int, float]:
    """(failed attempts, locked until as a Unix time) for `name`; (0, 0.0) when none."""
    row = cur.execute("SELECT count, until FROM login_failures WHERE name = ?", [name]).fetchone()
    return (int(row[0]), float(row[1])) if row else (0, 0.0)


def put_failures(cur, name: str, count: int, until: float, keep: int) -> None:
    """Record `name`'s failed attempts; keep at most `keep` names, dropping those whose lock ended
    longest ago (made-up names cannot grow the table without end)."""
    clear_failures(cur, name)
    cur.execute("INSERT INTO login_failures VALUES (?, ?, ?)", [name, count, until])
    cur.execute("DELETE FROM login_failures WHERE name IN (SELECT name FROM login_failures "
                "ORDER BY until DESC, name OFFSET ?)", [keep])


def clear_failures(cur, name: str) -> None:
    cur.execute("DELETE FROM login_failures WHERE name = ?", [name])


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
        if account(cur, name) is None:
            created = datetime.fromisoformat(user["created"]) if user.get("created") else None
            put_account(cur, name, user["hash"], user.get("role", "analyst"), created)
            added += 1
    return added
