"""Analyst accounts live in the store, hashed with Argon2id, repeated failures throttled: on a shared store
every replica knows the same analysts and the same failed logins; an earlier release's users file is
brought in once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ntm.store import accounts as auth
from ntm.store.build import init_database
from ntm.store.connection import connect, transaction
from ntm.store.migrations import MIGRATIONS

ROOT = Path(__file__).resolve().parents[2]
OPERATOR = "cli:operator"


def stored(con) -> list[tuple]:
    return con.execute("SELECT name, hash, role FROM lake.accounts ORDER BY name").fetchall()


def test_password_is_stored_hashed_and_verifies(wcon):
    auth.add_user(wcon, "lan", "mat-khau-dai", "analyst", ["51"], by=OPERATOR)
    ((name, hash_, role),) = stored(wcon)
    assert (name, role) == ("lan", "analyst") and hash_.startswith("$argon2id$") and "mat-khau-dai" not in hash_
    assert auth.verify(wcon, "lan", "mat-khau-dai")
    assert not auth.verify(wcon, "lan", "sai")
    assert not auth.verify(wcon, "khong-co", "mat-khau-dai")


def test_repeated_failures_lock_the_account_for_a_while(wcon):
    auth.add_user(wcon, "lan", "mat-khau-dai", "analyst", ["51"], by=OPERATOR)
    now = 1_000_000.0
    for _ in range(auth.FREE_ATTEMPTS):
        assert not auth.verify(wcon, "lan", "sai", now=now)
    with pytest.raises(auth.Throttled) as exc:
        auth.verify(wcon, "lan", "mat-khau-dai", now=now + 1)   # even the right password waits
    assert 0 < exc.value.seconds <= 30
    assert auth.verify(wcon, "lan", "mat-khau-dai", now=now + 31)
    assert auth.verify(wcon, "lan", "mat-khau-dai", now=now + 32)   # success clears the count


def test_another_process_sees_the_account_and_the_lock(writable_db):
    """Two replicas of one store: an account made by one signs in on the other, and failures counted on
    one lock the name on the other."""
    one, two = connect(writable_db), connect(writable_db)
    try:
        auth.add_user(one, "lan", "mat-khau-dai", "analyst", ["51"], by=OPERATOR)
        assert auth.verify(two, "lan", "mat-khau-dai")
        now = 2_000_000.0
        for _ in range(auth.FREE_ATTEMPTS):
            assert not auth.verify(one, "lan", "sai", now=now)
        with pytest.raises(auth.Throttled):
            auth.verify(two, "lan", "mat-khau-dai", now=now + 1)
    finally:
        one.close()
        two.close()


@pytest.mark.parametrize("name,password", [("a", "mat-khau-dai"), ("lan lan", "mat-khau-dai"), ("lan", "ngan")])
def test_weak_or_odd_accounts_are_refused(wcon, name, password):
    with pytest.raises(ValueError):
        auth.add_user(wcon, name, password, "analyst", ["51"], by=OPERATOR)
    assert stored(wcon) == []


def test_made_up_names_grow_the_failures_only_so_far(wcon, monkeypatch):
    monkeypatch.setattr(auth, "MAX_TRACKED_NAMES", 5)
    auth.add_user(wcon, "lan", "mat-khau-dai", "analyst", ["51"], by=OPERATOR)
    for i in range(12):
        assert not auth.verify(wcon, f"khong-co-{i}", "x")
    assert wcon.execute("SELECT count(*) FROM lake.login_failures").fetchone()[0] <= 5


def test_a_real_and_a_made_up_name_answer_alike(wcon):
    """Wrong passwords for an account and for a name nobody has: the same answers, the same lock — the
    throttling does not tell which names exist."""
    auth.add_user(wcon, "lan", "mat-khau-dai", "analyst", ["51"], by=OPERATOR)
    now = 1_000_000.0
    answers = {}
    for name in ("lan", "khong-co-ai"):
        seen = [auth.verify(wcon, name, "sai", now=now) for _ in range(auth.FREE_ATTEMPTS)]
        with pytest.raises(auth.Throttled) as exc:
            auth.verify(wcon, name, "sai", now=now + 1)
        answers[name] = (seen, round(exc.value.seconds))
    assert answers["lan"] == answers["khong-co-ai"]


def users_file(path: Path, **users: str) -> Path:
    """An earlier release's users file with `users` (name → password), hashed as that release did."""
    from argon2 import PasswordHasher

    hasher = PasswordHasher()
    path.write_text(json.dumps({"users": {n: {"hash": hasher.hash(p), "role": "analyst", "created": "2025-11-03T08:00:00"}
                                          for n, p in users.items()}, "failures": {}}), encoding="utf-8")
    return path


def test_an_earlier_users_file_is_brought_in_once_when_the_store_gets_its_accounts(writable_db, tmp_path,
                                                                                   monkeypatch):
    """A store of an earlier release (before step 13) opened with the users file beside: its accounts
    come in; a change to the file afterwards is not read (the store is the accounts' home)."""
    step = next(m.number for m in MIGRATIONS if "users file" in m.description)
    con = connect(writable_db)
    with transaction(con) as cur:
        cur.execute("DROP TABLE accounts")
        cur.execute("DROP TABLE login_failures")
        cur.execute("DELETE FROM schema_migrations WHERE number = ?", [step])
    con.close()
    path = users_file(tmp_path / "users.json", lan="mat-khau-dai", hoa="mat-khau-khac")
    monkeypatch.setenv("NTM_USERS_FILE", str(path))
    init_database(writable_db, log=lambda *_: None)
    users_file(path, lan="mat-khau-moi", tuan="mat-khau-tuan")
    init_database(writable_db, log=lambda *_: None)
    con = connect(writable_db)
    try:
        assert [r[0] for r in stored(con)] == ["hoa", "lan"]
        assert auth.verify(con, "lan", "mat-khau-dai") and auth.verify(con, "hoa", "mat-khau-khac")
    finally:
        con.close()


def test_user_import_brings_in_another_file_and_keeps_existing_accounts(writable_db, tmp_path):
    con = connect(writable_db)
    auth.add_user(con, "lan", "mat-khau-trong-kho", "analyst", ["51"], by=OPERATOR)
    con.close()
    path = users_file(tmp_path / "tinh.json", lan="mat-khau-cu", hoa="mat-khau-khac")
    r = subprocess.run([sys.executable, "-m", "ntm", "user", "import", str(path)], cwd=ROOT, capture_output=True,
                       text=True, timeout=300, env=dict(os.environ, **writable_db.settings))
    assert r.returncode == 0, r.stderr
    assert f"Đã đưa 1 tài khoản từ {path} vào kho dữ liệu {writable_db.label}" in r.stdout
    con = connect(writable_db)
    try:
        assert auth.verify(con, "lan", "mat-khau-trong-kho") and auth.verify(con, "hoa", "mat-khau-khac")
    finally:
        con.close()


def user_add(store, name: str, password: str) -> subprocess.CompletedProcess:
    """`python -m ntm user add NAME --password-stdin` on `store`."""
    return subprocess.run([sys.executable, "-m", "ntm", "user", "add", name, "--role", "coordinator", "--password-stdin"],
                          input=password + "\n",
                          cwd=ROOT, env=dict(os.environ, **store.settings), capture_output=True, text=True,
                          timeout=300)


def test_user_add_command_reads_password_from_stdin(writable_db):
    r = user_add(writable_db, "hoa", "mat-khau-dai")
    assert r.returncode == 0, r.stderr
    assert f"Đã lưu tài khoản hoa vào kho dữ liệu {writable_db.label}" in r.stdout
    con = connect(writable_db)
    try:
        assert auth.verify(con, "hoa", "mat-khau-dai")
    finally:
        con.close()


def test_user_add_command_explains_a_short_password_in_both_languages(writable_db):
    r = user_add(writable_db, "hoa", "ngan")
    assert r.returncode == 1
    assert "Mật khẩu cần ít nhất 8 ký tự" in r.stderr and "at least 8 characters" in r.stderr
    con = connect(writable_db, read_only=True)
    try:
        assert stored(con) == []
    finally:
        con.close()
