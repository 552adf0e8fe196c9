#!/usr/bin/env bash
# `make setup`: system packages, the virtualenv from a lock file, translations, schema.
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
# Running the site needs the production lock; `make test` the development one (tests,
# browsers, linters), which holds every production package at the same version.
stamp=.venv/.installed
prod_sum=$(sha256sum requirements.lock | cut -d' ' -f1)
dev_sum=$(cat requirements.lock requirements-dev.lock | sha256sum | cut -d' ' -f1)
lock=requirements.lock want=$prod_sum
if [ "$purpose" = test ]; then lock=requirements-dev.lock want=$dev_sum; fi
have=$(cat "$stamp" 2>/dev/null || true)
if [ ! -x .venv/bin/python ] || { [ "$have" != "$want" ] && [ "$have" != "$dev_sum" ]; }; then
  step "Installing Python packages from $lock (first run: a few minutes)"
  { [ -x .venv/bin/python ] || "$python" -m venv .venv; } >>"$log" 2>&1 || fail
  .venv/bin/python -m pip install -q --upgrade pip >>"$log" 2>&1 || fail
  .venv/bin/python -m pip install -q -r "$lock" >>"$log" 2>&1 || fail
  echo "$want" >"$stamp"
fi
step "Compiling translations and preparing the database"
.venv/bin/python manage.py compile_translations >>"$log" 2>&1 || fail
.venv/bin/python manage.py migrate --noinput -v 0 >>"$log" 2>&1 || fail
