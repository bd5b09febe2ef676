"""Analyst accounts: hashed with Argon2id outside the repository, repeated failures throttled."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ntm import accounts as auth

ROOT = Path(__file__).resolve().parent.parent


def test_password_is_stored_hashed_and_verifies(tmp_path):
    users = tmp_path / "users.json"
    auth.add_user("lan", "mat-khau-dai", path=users)
    stored = users.read_text()
    assert "mat-khau-dai" not in stored
    assert json.loads(stored)["users"]["lan"]["hash"].startswith("$argon2id$")
    assert oct(users.stat().st_mode & 0o777) == "0o600"
    assert auth.verify("lan", "mat-khau-dai", path=users)
    assert not auth.verify("lan", "sai", path=users)
    assert not auth.verify("khong-co", "mat-khau-dai", path=users)


def test_repeated_failures_lock_the_account_for_a_while(tmp_path):
    users = tmp_path / "users.json"
    auth.add_user("lan", "mat-khau-dai", path=users)
    now = 1_000_000.0
    for _ in range(auth.FREE_ATTEMPTS):
        assert not auth.verify("lan", "sai", path=users, now=now)
    with pytest.raises(auth.Throttled) as exc:
        auth.verify("lan", "mat-khau-dai", path=users, now=now + 1)   # even the right password waits
    assert 0 < exc.value.seconds <= 30
    assert auth.verify("lan", "mat-khau-dai", path=users, now=now + 31)
    assert auth.verify("lan", "mat-khau-dai", path=users, now=now + 32)   # success clears the count


@pytest.mark.parametrize("name,password", [("a", "mat-khau-dai"), ("lan lan", "mat-khau-dai"), ("lan", "ngan")])
def test_weak_or_odd_accounts_are_refused(tmp_path, name, password):
    with pytest.raises(ValueError):
        auth.add_user(name, password, path=tmp_path / "u.json")


def test_user_add_command_reads_password_from_stdin(tmp_path):
    users = tmp_path / "users.json"
    env = dict(os.environ, NTM_USERS_FILE=str(users))
    r = subprocess.run([sys.executable, "-m", "ntm", "user", "add", "hoa", "--password-stdin"], input="mat-khau-dai\n",
                       cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert auth.verify("hoa", "mat-khau-dai", path=users)
    assert not str(users).startswith(str(ROOT))


def test_user_add_command_explains_a_short_password_in_both_languages(tmp_path):
    env = dict(os.environ, NTM_USERS_FILE=str(tmp_path / "users.json"))
    r = subprocess.run([sys.executable, "-m", "ntm", "user", "add", "hoa", "--password-stdin"], input="ngan\n",
                       cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 1
    assert "Mật khẩu cần ít nhất 8 ký tự" in r.stderr and "at least 8 characters" in r.stderr
    assert not (tmp_path / "users.json").exists()


def test_made_up_names_grow_the_users_file_only_so_far(tmp_path, monkeypatch):
    monkeypatch.setattr(auth, "MAX_TRACKED_NAMES", 5)
    users = tmp_path / "users.json"
    auth.add_user("lan", "mat-khau-dai", path=users)
    for i in range(40):
        assert not auth.verify(f"khong-co-{i}", "x", path=users)
    import json
    assert len(json.loads(users.read_text())["failures"]) <= 5


def test_a_real_and_a_made_up_name_answer_alike(tmp_path):
    """Wrong passwords for an account and for a name nobody has: the same answers, the same lock — the
    throttling does not tell which names exist."""
    users = tmp_path / "users.json"
    auth.add_user("lan", "mat-khau-dai", path=users)
    now = 1_000_000.0
    answers = {}
    for name in ("lan", "khong-co-ai"):
        seen = [auth.verify(name, "sai", path=users, now=now) for _ in range(auth.FREE_ATTEMPTS)]
        with pytest.raises(auth.Throttled) as exc:
            auth.verify(name, "sai", path=users, now=now + 1)
        answers[name] = (seen, round(exc.value.seconds))
    assert answers["lan"] == answers["khong-co-ai"]