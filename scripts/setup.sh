#!/usr/bin/env bash
# `make setup`: system packages, the virtualenv from the lock file, translations, schema.
# One calm line per step; the detail goes to var/log/setup.log.
set -euo pipefail
cd "$(dirname "$0")/.."
purpose=${1:-run}
mkdir -p var/log
export SETUP_LOG=var/log/setup.log
log=$SETUP_LOG
: >"$log"
step() { printf '• %s\n' "$1"; }
fail() { echo "  failed: see $log" >&2; tail -15 "$log" | sed 's/^/  | /' >&2; exit 1; }

bash scripts/system_packages.sh "$purpose"
python=${PYTHON:-python3.11}
command -v "$python" >/dev/null 2>&1 || python=python3
stamp=.venv/.installed
lock_sum=$(sha256sum requirements.lock | cut -d' ' -f1)
if [ ! -x .venv/bin/python ] || [ "$(cat "$stamp" 2>/dev/null)" != "$lock_sum" ]; then
  step "Installing Python packages from requirements.lock (first run: a few minutes)"
  { [ -x .venv/bin/python ] || "$python" -m venv .venv; } >>"$log" 2>&1 || fail
  .venv/bin/python -m pip install -q --upgrade pip >>"$log" 2>&1 || fail
  .venv/bin/python -m pip install -q -r requirements.lock >>"$log" 2>&1 || fail
  echo "$lock_sum" >"$stamp"
fi
step "Compiling translations and preparing the database"
.venv/bin/python manage.py compile_translations >>"$log" 2>&1 || fail
.venv/bin/python manage.py migrate --noinput -v 0 >>"$log" 2>&1 || fail
