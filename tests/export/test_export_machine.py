"""Exports on a real machine: the start command installs what they need, a missing Chromium gives the
reader a clear message within seconds (never a command that waits for ever), and drawing a pack contacts
nothing outside this machine."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _pack(db: Path, out: Path, lang: str = "vi", env: dict | None = None, sections: str = "ntm_status",
          prefix: list[str] | None = None, timeout: int = 180) -> subprocess.CompletedProcess:
    cmd = [*(prefix or []), sys.executable, "-m", "ntm", "pack", "--db", str(db), "--unit", "62", "--year", "2024",
           "--sections", sections, "--lang", lang, "-o", str(out), "--quiet"]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


@pytest.mark.parametrize("lang, words", [("vi", "chưa có trình duyệt Chromium"), ("en", "has no Chromium browser")])
def test_a_pack_without_chromium_fails_fast_with_what_to_do(demo_db_path, tmp_path, lang, words):
    started = time.monotonic()
    r = _pack(demo_db_path, tmp_path / "p.pptx", lang, env={"NTM_CHROMIUM": str(tmp_path / "no-chromium")}, timeout=60)
    assert time.monotonic() - started < 20
    assert r.returncode == 4 and words in r.stderr and "scripts/setup.sh" in r.stderr, r.stderr
    assert "Traceback" not in r.stderr and not (tmp_path / "p.pptx").exists()


def test_the_start_command_installs_what_exports_need(tmp_path):
    """Run the start command's install step (scripts/setup.sh, as scripts/start.sh calls it) on a machine
    without Chromium: package queries say nothing is installed and apt-get only records what it is asked."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "apt.log"
    (bin_dir / "dpkg").write_text("#!/bin/sh\nexit 1\n")                         # nothing is installed
    (bin_dir / "apt-get").write_text(f"#!/bin/sh\necho \"$@\" >> {log}\n")
    (bin_dir / "sudo").write_text("#!/bin/sh\nexec \"$@\"\n")
    for f in bin_dir.iterdir():
        f.chmod(0o755)
    start = (ROOT / "scripts" / "start.sh").read_text()
    assert "bash scripts/setup.sh\n" in start                                    # no test-only flag
    subprocess.run(["bash", "scripts/setup.sh"], cwd=ROOT, check=True, timeout=300, capture_output=True,
                   env={**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"})
    installed = " ".join(line for line in log.read_text().splitlines() if line.startswith("install"))
    for package in ("chromium", "fonts-noto-core", "fontconfig"):
        assert re.search(rf"\b{package}\b", installed), installed
    assert "libreoffice" not in installed                                         # a test tool, not the start's


def test_a_pack_contacts_nothing_outside_this_machine(demo_db_path, tmp_path):
    """strace every process of a pack export (Python, kaleido's Chromium and its helpers): no TCP
    connection and no packet to any address but the loopback. A UDP socket Chromium connects without
    sending (its routing-table probe) sends nothing and is allowed."""
    strace = shutil.which("strace")
    assert strace, "strace is missing: apt-get install strace (scripts/setup.sh --with-test-system-packages)"
    trace = tmp_path / "net.log"
    r = _pack(demo_db_path, tmp_path / "p.pptx", sections="ntm_status,map",
              prefix=[strace, "-f", "-qq", "-yy", "-e", "trace=connect,sendto,sendmsg,sendmmsg", "-o", str(trace)])
    assert r.returncode == 0, r.stderr
    lines = trace.read_text(errors="replace").splitlines()
    loopback = re.compile(r"127\.0\.0\.1|::1\b|\[::1\]|localhost")
    outside = [line for line in lines
               if (" connect(" in line and re.search(r"<TCP(v6)?:", line) and "AF_INET" in line and not loopback.search(line))
               or (re.search(r" send(to|msg|mmsg)\(\d+<(UDP|TCP)", line) and not loopback.search(line))]
    assert outside == [], "\n".join(outside[:10])
    assert any("AF_UNIX" in line or "<UNIX" in line for line in lines)            # the trace did see traffic
