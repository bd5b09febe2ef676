"""`serve --replicas N`: several dashboard processes behind nginx on the shared store (`ntm.serve.cluster`)."""

from __future__ import annotations

from pathlib import Path

from ntm.paths import DATA_DIR


def register(sub) -> None:
    """Add `serve` to the sub-commands."""
    p = sub.add_parser("serve", help="serve the dashboard from several processes behind nginx",
                       description="Start N dashboard processes on the store ($NTM_STORE: the shared store on "
                                   "PostgreSQL) and nginx in front of them, keeping each browser on one process. "
                                   "Runs until interrupted; a process that ends is started again.")
    p.add_argument("--replicas", type=int, default=2, help="dashboard processes (default 2; about one per core)")
    p.add_argument("--port", type=int, default=8501, help="nginx's port (default 8501); the replicas use the "
                                                          "ports after it, on 127.0.0.1")
    p.add_argument("--address", default="127.0.0.1", help="nginx's address (default 127.0.0.1: this machine "
                                                          "only; 0.0.0.0 to serve the network)")
    p.add_argument("--run-dir", type=Path, default=DATA_DIR / "cluster",
                   help="folder for nginx's configuration, logs and temporary files (default data/cluster/)")
    p.set_defaults(func=cmd_serve)


def cmd_serve(args) -> int:
    """Build the store if needed, then run the cluster until interrupted."""
    from ntm.serve.cluster import Cluster, run
    from ntm.store.build import init_database

    init_database(log=lambda *_: None)
    run(Cluster(args.replicas, args.port, args.address, args.run_dir))
    return 0
