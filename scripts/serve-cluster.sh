#!/usr/bin/env bash
# Serves the dashboard from N processes behind nginx on this machine (default 2), on the store NTM_STORE
# names — the shared store on PostgreSQL, see docs/deploy.md:
#   NTM_STORE=postgresql://ntm@db-host:5432/ntm NTM_STORE_FILES=/srv/ntm-files bash scripts/serve-cluster.sh 4
# nginx listens on 127.0.0.1:8501 unless told otherwise (--address 0.0.0.0 --port 80).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || {
  echo "nginx is needed: sudo apt-get install nginx" >&2; exit 1; }
replicas=${1:-2}
shift || true
exec .venv/bin/python -m ntm serve --replicas "$replicas" "$@"
