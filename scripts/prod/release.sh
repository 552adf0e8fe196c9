#!/usr/bin/env bash
# One-off step before the web nodes start (compose: the `release` service): schema,
# translations, static files. Safe to run again; refuses to run half-configured.
set -euo pipefail
source "$(dirname "$0")/common.sh"
$PY manage.py check --deploy --fail-level ERROR
$PY manage.py migrate --noinput
$PY manage.py compile_translations
if [ "${COLLECTSTATIC:-1}" = "1" ]; then
  $PY manage.py collectstatic --noinput -v 0
fi
