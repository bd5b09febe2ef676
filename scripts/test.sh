#!/usr/bin/env bash
# Runs the whole test suite: engine, command line, pages (AppTest) and real-browser tests (Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --with-test-system-packages
exec .venv/bin/python -m pytest "$@"
