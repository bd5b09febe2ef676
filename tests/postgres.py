"""A throwaway PostgreSQL server for the shared-store tests: Debian's package, a cluster made with `initdb`
in a temporary folder (as the `postgres` user when run as root), listening on 127.0.0.1 only, stopped and
removed at the end. Nothing here is a stand-in: the tests talk to the real server. It runs with
`fsync=off` (nothing a test writes must survive a power cut) unless made `durable`, as a benchmark of
writes needs it: then PostgreSQL's default, fsync on."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
from pathlib import Path

START_TIMEOUT_S = 60


def bin_dir() -> Path:
    """The newest installed PostgreSQL's programs (Debian keeps them per version)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    if not found:
        raise RuntimeError("PostgreSQL is not installed: run `bash scripts/setup.sh --with-test-system-packages` "
                           "(it installs Debian's postgresql package).")
    return Path(found[-1]).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    """One cluster in `folder`: start, stop, restart, and databases made from templates."""

    def __init__(self, folder: Path, durable: bool = False):
        self.folder = Path(folder)
        self.durable = durable
        self.data, self.log = self.folder / "data", self.folder / "server.log"
        self.port = free_port()
        self.bin = bin_dir()
        self.as_postgres = os.geteuid() == 0

    def _run(self, *args: str, timeout: float = START_TIMEOUT_S) -> subprocess.CompletedProcess:
        cmd = [str(self.bin / args[0]), *args[1:]]
        if self.as_postgres:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"{' '.join(args[:2])} failed: {done.stderr.strip()}\n{log}")
        return done

    def create(self) -> "PostgresServer":
        self.folder.mkdir(parents=True, exist_ok=True)
        if self.as_postgres:
            shutil.chown(self.folder, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                  "--locale=C.UTF-8")
        return self.start()

    @property
    def options(self) -> str:
        """The server's command-line options: port, socket folder, 127.0.0.1 only; fsync off unless durable."""
        return (f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
                + ("" if self.durable else " -c fsync=off"))

    def start(self) -> "PostgresServer":
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", str(START_TIMEOUT_S), "-o",
                  self.options, "start")
        return self

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def restart(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-m", "fast", "-w", "-o", self.options,
                  "restart")

    def sql(self, statement: str, database: str = "postgres") -> str:
        """Run one statement with psql; its output."""
        done = subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", database,
                               "-v", "ON_ERROR_STOP=1", "-At", "-c", statement],
                              capture_output=True, text=True, timeout=60)
        if done.returncode != 0:
            raise RuntimeError(done.stderr.strip())
        return done.stdout.strip()

    def database(self, name: str, template: str | None = None) -> str:
        """A new database (a copy of `template` if given, which must have no connections); its URL."""
        self.sql(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return self.url(name)

    def url(self, name: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def remove(self) -> None:
        try:
            self.stop("immediate")
        except (RuntimeError, subprocess.TimeoutExpired):
            pass
        shutil.rmtree(self.folder, ignore_errors=True)
