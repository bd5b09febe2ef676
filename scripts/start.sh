#!/usr/bin/env bash
# Starts the dashboard on http://127.0.0.1:8501 over the embedded demo data (built on first run).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/python -m ntm init
exec .venv/bin/python -m streamlit run app.py "$@"
