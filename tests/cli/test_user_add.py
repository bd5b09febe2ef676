"""`python -m ntm user add NAME`: the password piped in (a script, an installer) is read from standard
input without a prompt or Python's warning that it might be echoed; on a terminal it is asked twice with
the typing hidden."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

from ntm.store import accounts as auth
from ntm.store.connection import connect
from ntm.text import t

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "mật khẩu đủ dài 2026"


def signs_in(store, name: str, password: str) -> bool:
    con = connect(store)
    try:
        return auth.verify(con, name, password)
    finally:
        con.close()


def test_a_piped_password_is_read_without_a_warning(writable_db):
    env = dict(os.environ, **writable_db.settings)
    r = subprocess.run([sys.executable, "-m", "ntm", "user", "add", "hoa", "--role", "coordinator"], input=PASSWORD + "\n", cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stderr == "", r.stderr                               # no GetPassWarning, no prompt
    assert t("cli.password", "vi") not in r.stdout
    assert signs_in(writable_db, "hoa", PASSWORD)


def test_a_password_from_a_file_with_windows_line_ends_is_the_password(writable_db, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_bytes((PASSWORD + "\r\n").encode("utf-8"))
    env = dict(os.environ, **writable_db.settings)
    with open(secret, "rb") as stdin:
        r = subprocess.run([sys.executable, "-m", "ntm", "user", "add", "hoa", "--role", "coordinator"], stdin=stdin, cwd=ROOT, env=env,
                           capture_output=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert signs_in(writable_db, "hoa", PASSWORD)


def _read_until(fd: int, wanted: str, timeout: float = 30) -> str:
    """What the terminal shows until `wanted` appears (or the process ends, or `timeout` passes)."""
    seen, deadline = b"", time.monotonic() + timeout
    while wanted.encode() not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:                                         # the terminal closed: the process ended
                break
            if not chunk:
                break
            seen += chunk
    return seen.decode("utf-8", "replace")


def test_on_a_terminal_the_password_is_asked_twice_and_not_shown(writable_db):
    env = dict(os.environ, **writable_db.settings)
    pid, fd = pty.fork()                    # the child gets the terminal as its controlling terminal
    if pid == 0:
        os.chdir(ROOT)
        os.execvpe(sys.executable, [sys.executable, "-m", "ntm", "user", "add", "hoa", "--role", "coordinator"], env)
    try:
        first = _read_until(fd, t("cli.password", "en"))
        assert t("cli.password", "vi") in first, first
        os.write(fd, (PASSWORD + "\n").encode())
        second = _read_until(fd, t("cli.password_again", "en"))
        assert t("cli.password_again", "vi") in second, second
        os.write(fd, (PASSWORD + "\n").encode())
        rest = _read_until(fd, writable_db.label, timeout=300)
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0, first + second + rest
    assert PASSWORD not in first + second + rest                 # typed, never echoed
    assert "Warning" not in first + second + rest
    assert signs_in(writable_db, "hoa", PASSWORD)
