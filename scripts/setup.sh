#!/usr/bin/env bash
# Installs everything the dashboard and its tests need on a fresh Debian/Ubuntu machine with Python 3.11.
# Idempotent: re-running it only installs what is missing. Used by scripts/start.sh, scripts/test.sh and .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3

SUDO=""
if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi

apt_install() {
  # apt_install PKG... : install the Debian packages that are not yet installed.
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "[setup] apt-get install ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

# Python venv support (Debian splits it out of the interpreter).
if ! "$PY" -c "import venv, ensurepip" >/dev/null 2>&1; then
  apt_install python3-venv
fi

# Chromium draws chart and map images and the meeting pack (kaleido finds /usr/bin/chromium); the fonts
# carry Vietnamese glyphs. Every export needs them, so the start command installs them too.
apt_install chromium fonts-noto-core fonts-dejavu-core fontconfig
if [ "${1:-}" = "--with-test-system-packages" ]; then
  # LibreOffice + poppler to look at exported slides; strace to check that exports stay on the machine;
  # PostgreSQL (the shared store's catalog) and nginx (the balancer in front of replicas), which the tests
  # start themselves on throwaway folders and ports.
  apt_install libreoffice-impress poppler-utils strace postgresql nginx
fi

if [ ! -x .venv/bin/python ]; then
  echo "[setup] creating .venv"
  "$PY" -m venv .venv
fi
stamp=.venv/.requirements.sha
want=$(cat requirements.txt constraints.txt | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "[setup] pip install -r requirements.txt -c constraints.txt"
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt -c constraints.txt
  echo "$want" > "$stamp"
fi

# The DuckDB of the releases before the store (2.0), kept apart from the project's own: it reads a
# `data/ntm.duckdb` made by them so that the store can bring it in (ntm/store/legacy.py).
if [ ! -d .venv/earlier-duckdb/duckdb ]; then
  echo "[setup] pip install --target .venv/earlier-duckdb duckdb==2.0.0"
  .venv/bin/python -m pip install -q --disable-pip-version-check --no-deps --target .venv/earlier-duckdb duckdb==2.0.0
fi
