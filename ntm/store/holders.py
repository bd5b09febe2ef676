"""Who has the database file open: the processes holding a lock on it, and what each one is (the
dashboard, a command of this program, or another program), so a refusal can say who to stop.

DuckDB locks its file with POSIX record locks (`fcntl`), which Linux lists in /proc/locks by device and
inode; DuckDB's own error also names the holder's process id. Elsewhere only that id is known.
"""

from __future__ import annotations

import os
import pwd
import re
from dataclasses import dataclass
from pathlib import Path

_DUCKDB_PID = re.compile(r"\(PID (\d+)\)")


@dataclass(frozen=True)
class Holder:
    """A process holding the database: `kind` is dashboard, command (`name` is the sub-command) or
    program (`name` is the program's file name); `user` the account it runs as ('' when unknown)."""

    pid: int
    kind: str
    name: str = ""
    user: str = ""


def pid_in_message(message: str) -> int | None:
    """The holder's process id in DuckDB's "Conflicting lock is held in … (PID 123)" message."""
    m = _DUCKDB_PID.search(message)
    return int(m.group(1)) if m else None


def locking_pids(path: Path | str) -> list[int]:
    """Processes other than this one holding a lock on the file at `path` (Linux; [] elsewhere)."""
    try:
        st = os.stat(path)
        lines = Path("/proc/locks").read_text().splitlines()
    except OSError:
        return []
    where = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
    pids = []
    for line in lines:
        parts = line.split()
        # "1: POSIX  ADVISORY  WRITE 4422 fe:00:2146775 0 EOF" (blocked waiters are marked "->")
        if len(parts) >= 6 and parts[1] != "->" and parts[5] == where and parts[4].isdigit():
            pid = int(parts[4])
            if pid != os.getpid() and pid not in pids:
                pids.append(pid)
    return pids


def describe(pid: int) -> Holder:
    """What the process `pid` is, read from /proc (a bare "program" when it cannot be read)."""
    try:
        args = [a.decode("utf-8", "replace") for a in Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0") if a]
        uid = int(re.search(r"^Uid:\s+(\d+)", Path(f"/proc/{pid}/status").read_text(), re.M).group(1))
    except (OSError, AttributeError):
        return Holder(pid, "program")
    try:
        user = pwd.getpwuid(uid).pw_name
    except KeyError:
        user = str(uid)
    names = [Path(a).name for a in args]
    if "streamlit" in names or any(n.startswith("streamlit") for n in names):
        return Holder(pid, "dashboard", user=user)
    if "-m" in args and args.index("-m") + 1 < len(args) and args[args.index("-m") + 1] == "ntm":
        rest = [a for a in args[args.index("-m") + 2:] if not a.startswith("-")]
        return Holder(pid, "command", rest[0] if rest else "", user)
    return Holder(pid, "program", names[0] if names else "", user)


def holders(path: Path | str, message: str = "") -> list[Holder]:
    """The processes holding the database at `path`: those /proc/locks lists, else the one DuckDB's
    error `message` names."""
    pids = locking_pids(path)
    if not pids and (pid := pid_in_message(message)) is not None:
        pids = [pid]
    return [describe(p) for p in pids]
