"""Several dashboard processes behind nginx: one machine's share of a national service.

    python -m ntm serve --replicas 3 --port 8501          (scripts/serve-cluster.sh 3)

starts N Streamlit processes of the dashboard (each on 127.0.0.1, ports after `--port`) on the store
`NTM_STORE` names, and nginx (Debian's package) in front of them on `--address:--port` — 127.0.0.1 unless
told otherwise. A Streamlit session lives in one process: its websocket, the file uploader's requests and
its media must all reach that process, so nginx keeps each browser on one replica by a cookie
(`ntm_route`, set on the first answer; a consistent hash of it chooses the replica). A replica that stops
answering is passed over (its viewers' pages reconnect to another and carry on) and started again by the
supervisor here, which checks every replica's `/_stcore/health`.

What the processes write at run time (nginx's configuration, logs, pid, the replicas' logs) goes to a
folder of its own (`--run-dir`, default `data/cluster/`); nginx's temporary files to a temporary folder
its workers can reach (uploads are streamed to the replica, not kept).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from ntm.errors import ServeFailed
from ntm.paths import DATA_DIR, ROOT

COOKIE = "ntm_route"
REPLICA_HEADER = "X-NTM-Replica"
HEALTH_PATH = "/_stcore/health"
START_TIMEOUT_S = 120          # a replica builds nothing (the store exists) but imports the whole app
CHECK_EVERY_S = 5
NGINX = "/usr/sbin/nginx"
# Streamlit's page and bundles, found without importing it (the engine never imports the UI library).
STREAMLIT_STATIC = Path(importlib.util.find_spec("streamlit").origin).resolve().parent / "static"

NGINX_CONF = """# Written by `python -m ntm serve`; changes here are lost at the next start.
{user}worker_processes auto;
pid {run}/nginx.pid;
error_log {run}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log {run}/nginx-access.log;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    server_tokens off;
    include /etc/nginx/mime.types;                  # Debian's nginx package: the bundles' types
    default_type application/octet-stream;
    client_max_body_size {upload_mb}m;

    # One browser, one replica: the cookie set on its first answer chooses it (a consistent hash, so
    # the other browsers stay where they are when a replica is added or passed over).
    map $cookie_{cookie} $ntm_route {{
        ""      $request_id;
        default $cookie_{cookie};
    }}
    map $cookie_{cookie} $ntm_set_route {{
        ""      "{cookie}=$ntm_route; Path=/; HttpOnly; SameSite=Lax";
        default "";
    }}
    map $http_upgrade $connection_upgrade {{
        default upgrade;
        ""      close;
    }}
    upstream dashboard {{
        hash $ntm_route consistent;
{servers}
    }}
    gzip on;
    gzip_types text/css application/javascript application/json image/svg+xml font/ttf;
    gzip_min_length 1024;
    server {{
        listen {address}:{port};
{static}        location / {{
            proxy_pass http://dashboard;
            proxy_http_version 1.1;
            proxy_set_header Host $http_host;                   # with its port: Streamlit checks the origin
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_read_timeout 1d;
            proxy_buffering off;
            proxy_request_buffering off;                        # uploads stream to the replica
            proxy_next_upstream error timeout http_502 http_503;
            proxy_connect_timeout 2s;
            add_header Set-Cookie $ntm_set_route always;
            add_header X-NTM-Replica $upstream_addr always;     # which replica answered (for operators)
        }}
    }}
}}
"""


STATIC_LOCATION = """\
        # Streamlit's own bundles (their names carry a hash of their content): served by nginx, kept by
        # the browsers, never by a replica — a leader's first visit fetches several MB of them.
        location /static/ {{
            alias {folder}/static/;
            add_header Cache-Control "public, immutable, max-age=31536000" always;
        }}
"""


def readable_by_all(path: Path) -> bool:
    """Whether any user (nginx's workers) can read the folder `path`: it and every folder above it open to
    others."""
    path = path.resolve()
    return path.exists() and all(p.stat().st_mode & 0o001 for p in path.parents) and path.stat().st_mode & 0o005 == 0o005


def nginx_config(replica_ports: list[int], address: str, port: int, run_dir: Path, temp_dir: Path,
                 upload_mb: int = 50) -> str:
    """nginx's configuration for the replicas on `replica_ports` (on 127.0.0.1) behind `address:port`."""
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in replica_ports)
    user = "user www-data;\n" if os.geteuid() == 0 else ""
    return NGINX_CONF.format(user=user, run=run_dir, temp=temp_dir, cookie=COOKIE, servers=servers, address=address, port=port,
                             static=STATIC_LOCATION.format(folder=STREAMLIT_STATIC)
                             if readable_by_all(STREAMLIT_STATIC / "static") else "",   # else the replicas serve them
                             upload_mb=upload_mb + 5)         # room for the upload request's own framing


def healthy(port: int, timeout: float = 2) -> bool:
    """Whether the replica on `port` answers its health check."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{HEALTH_PATH}", timeout=timeout) as r:
            return r.status == 200
    except OSError:
        return False


@dataclass
class Cluster:
    """N replicas and nginx in front of them."""

    replicas: int
    port: int = 8501
    address: str = "127.0.0.1"
    run_dir: Path = field(default_factory=lambda: DATA_DIR / "cluster")
    env: dict = field(default_factory=dict)
    script: str = "app.py"                             # what each replica runs (the dashboard)
    processes: dict = field(default_factory=dict)      # replica port → Popen
    nginx: subprocess.Popen | None = None
    temp_dir: Path | None = None

    @property
    def replica_ports(self) -> list[int]:
        return [self.port + 1 + i for i in range(self.replicas)]

    @property
    def url(self) -> str:
        return f"http://{self.address}:{self.port}"

    def start(self) -> "Cluster":
        """Start every replica, wait until each is healthy, then start nginx."""
        if not Path(NGINX).exists():
            raise ServeFailed("serve.no_nginx")
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.temp_dir = Path(tempfile.mkdtemp(prefix="ntm-nginx-"))    # nginx's workers (www-data) reach it
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.temp_dir / sub).mkdir()
            if os.geteuid() == 0:
                shutil.chown(self.temp_dir / sub, "www-data")
        if os.geteuid() == 0:
            shutil.chown(self.temp_dir, "www-data")
        for p in self.replica_ports:
            self.start_replica(p)
        for p in self.replica_ports:
            self.wait_healthy(p)
        conf = self.run_dir / "nginx.conf"
        conf.write_text(nginx_config(self.replica_ports, self.address, self.port, self.run_dir.resolve(),
                                     self.temp_dir))
        self.nginx = subprocess.Popen([NGINX, "-c", str(conf.resolve()), "-p", str(self.run_dir.resolve()),
                                       "-g", "daemon off;"], stdout=subprocess.DEVNULL,
                                      stderr=open(self.run_dir / "nginx-start.log", "w"))
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.nginx.poll() is not None:
                raise ServeFailed("serve.nginx_failed", log=str(self.run_dir / "nginx-error.log"))
            try:
                with urllib.request.urlopen(self.url + HEALTH_PATH, timeout=2):
                    return self
            except OSError:
                time.sleep(0.2)
        raise ServeFailed("serve.nginx_failed", log=str(self.run_dir / "nginx-error.log"))

    def start_replica(self, port: int) -> None:
        log = open(self.run_dir / f"replica-{port}.log", "a")
        self.processes[port] = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", self.script, "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true",
             "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env={**os.environ, **self.env}, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True)

    def wait_healthy(self, port: int) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not healthy(port):
            proc = self.processes[port]
            if proc.poll() is not None or time.monotonic() > deadline:
                raise ServeFailed("serve.replica_failed", port=port, log=str(self.run_dir / f"replica-{port}.log"))
            time.sleep(0.3)

    def supervise_once(self) -> list[int]:
        """Start again every replica whose process ended; the ports started."""
        restarted = []
        for port, proc in list(self.processes.items()):
            if proc.poll() is not None:
                self.start_replica(port)
                restarted.append(port)
        return restarted

    def stop(self) -> None:
        """Stop nginx and every replica."""
        if self.nginx is not None and self.nginx.poll() is None:
            self.nginx.send_signal(signal.SIGQUIT)
            try:
                self.nginx.wait(10)
            except subprocess.TimeoutExpired:
                self.nginx.kill()
        for proc in self.processes.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.processes.values():
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(5)
        if self.temp_dir is not None:
            shutil.rmtree(self.temp_dir, ignore_errors=True)

    def __enter__(self) -> "Cluster":
        try:
            return self.start()
        except BaseException:                 # nothing left running when the cluster could not start
            self.stop()
            raise

    def __exit__(self, *exc) -> None:
        self.stop()


def run(cluster: Cluster, log=print) -> None:
    """Start the cluster and keep it running (replicas that end are started again) until interrupted."""
    with cluster:
        log(f"{cluster.url} → {', '.join(f'127.0.0.1:{p}' for p in cluster.replica_ports)}")
        try:
            while True:
                time.sleep(CHECK_EVERY_S)
                for port in cluster.supervise_once():
                    log(f"replica 127.0.0.1:{port} ended; started again")
        except KeyboardInterrupt:
            pass
