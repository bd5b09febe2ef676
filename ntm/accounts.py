"""Analyst accounts: passwords hashed with Argon2id, stored outside the repository, repeated failures
throttled. Uploads, rollbacks and attribute/target edits need an analyst; viewing needs none unless
`NTM_REQUIRE_LOGIN=1`.

The users file (default `~/.config/ntm-dashboard/users.json`, or `$NTM_USERS_FILE`) looks like
    {"users": {"lan": {"hash": "$argon2id$...", "role": "analyst", "created": "..."}},
     "failures": {"lan": {"count": 3, "until": 1732339200.0}}}
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import tempfile
import time
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ntm.errors import AccountError, Throttled

_HASHER = PasswordHasher()
FREE_ATTEMPTS = 5
MAX_LOCK_SECONDS = 15 * 60
USERNAME = re.compile(r"^[A-Za-z0-9_.-]{2,40}$")


def users_file() -> Path:
    """Where accounts are stored (outside the repository)."""
    default = Path.home() / ".config" / "ntm-dashboard" / "users.json"
    return Path(os.environ.get("NTM_USERS_FILE", default))


def _load(path: Path) -> dict:
    if not path.exists():
        return {"users": {}, "failures": {}}
    data = json.loads(path.read_text(encoding="utf-8"))
    data.setdefault("users", {})
    data.setdefault("failures", {})
    return data


def _save(path: Path, data: dict) -> None:
    """Write atomically, readable by the owner only from the first byte."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".users-", suffix=".tmp")   # mode 0600
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
    os.replace(tmp, path)


@contextmanager
def _locked(path: Path):
    """Serialise read-modify-write of the users file across threads and processes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(str(path) + ".lock", os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def add_user(name: str, password: str, role: str = "analyst", path: Path | None = None) -> None:
    """Create or reset an account (password at least 8 characters)."""
    if not USERNAME.match(name):
        raise AccountError("account.bad_name")
    if len(password) < 8:
        raise AccountError("account.short_password")
    path = path or users_file()
    with _locked(path):
        data = _load(path)
        data["users"][name] = {"hash": _HASHER.hash(password), "role": role,
                               "created": datetime.now().isoformat(timespec="seconds")}
        data["failures"].pop(name, None)
        _save(path, data)


def has_users(path: Path | None = None) -> bool:
    """True when at least one account exists."""
    return bool(_load(path or users_file())["users"])


def is_account(name: str, path: Path | None = None) -> bool:
    """True when `name` is an existing account."""
    return name in _load(path or users_file())["users"]


COMMAND_LINE = "cli:"         # recorded before the system user's name when the command line names no account


MAX_TRACKED_NAMES = 1000      # failed names remembered (the oldest are forgotten: the file stays small)


def _forget_oldest(failures: dict) -> None:
    """Keep at most MAX_TRACKED_NAMES failed names, dropping those whose lock ended longest ago."""
    for name in sorted(failures, key=lambda n: failures[n]["until"])[:max(len(failures) - MAX_TRACKED_NAMES, 0)]:
        del failures[name]


def verify(name: str, password: str, path: Path | None = None, now: float | None = None) -> bool:
    """Check a login. Raises Throttled while the account is locked after repeated failures."""
    path = path or users_file()
    now = time.time() if now is None else now
    with _locked(path):
        data = _load(path)
        fail = data["failures"].get(name, {"count": 0, "until": 0.0})
        if fail["until"] > now:
            raise Throttled(fail["until"] - now)
        user = data["users"].get(name)
        ok = False
        if user:
            try:
                ok = _HASHER.verify(user["hash"], password)
            except (VerificationError, InvalidHashError):
                ok = False
        else:
            _HASHER.hash(password)  # same cost whether or not the user exists
        if ok and name in data["failures"]:
            del data["failures"][name]
            _save(path, data)
        elif not ok:                # made-up names are throttled alike: the answer never tells them apart
            count = fail["count"] + 1
            lock = 0.0 if count < FREE_ATTEMPTS else min(MAX_LOCK_SECONDS, 30 * 2 ** (count - FREE_ATTEMPTS))
            data["failures"][name] = {"count": count, "until": now + lock}
            _forget_oldest(data["failures"])
            _save(path, data)
    return ok


def viewing_requires_login() -> bool:
    """Setting: require a login to view the dashboard too (`NTM_REQUIRE_LOGIN=1`)."""
    return os.environ.get("NTM_REQUIRE_LOGIN", "0").lower() in ("1", "true", "yes")
