#!/usr/bin/env bash
# CI's production stage (.ci/run, after the unit tests): on this checkout, with DEBUG=0,
# PostgreSQL and Redis, start the documented topology (scripts/prod/ctl.sh), load the
# demo data, run the journey over HTTP through the proxy (scripts/prod/journey.py),
# then the restore drill and a short surge (bench/surge). Everything it starts is
# stopped at the end, pass or fail.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PROD_STATE_DIR=$PWD/var/prod-ci
export DATABASE_URL=${PROD_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/maharat_prod_ci}
export PROD_REDIS_PORT=${PROD_REDIS_PORT:-6391}
# Ports (and the database, Redis port) may be overridden so two runs can share a machine.
export NGINX_HTTP_PORT=${PROD_HTTP_PORT:-8180} NGINX_HTTPS_PORT=${PROD_HTTPS_PORT:-8543}
export WEB_PORTS=${PROD_WEB_PORTS:-8101 8102}
# Short fault-recovery intervals, so a killed worker's job is picked up within seconds
# (a transcode beats every second, whether or not ffmpeg reports: media_pipeline/ffmpeg_run.py).
export TASKS_SWEEP_EVERY_S=2 MEDIA_STALE_AFTER_S=10 REGISTRY_IMPORT_STALE_AFTER_S=15
# The journey kills the media worker mid-transcode (=0 skips that drill).
export PROD_JOURNEY_TRANSCODE_DRILL=${PROD_JOURNEY_TRANSCODE_DRILL:-1}
export MEDIA_WORK_DIR=$PROD_STATE_DIR/scratch
unset REDIS_URL
rm -rf "$PROD_STATE_DIR"
mkdir -p "$MEDIA_WORK_DIR"
server=${DATABASE_URL%/*}
db=${DATABASE_URL##*/}
psql "$server/postgres" -qc "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)"
psql "$server/postgres" -qc "CREATE DATABASE \"$db\""

started=$(date +%s)
finish() {
  local rc=$?
  bash scripts/prod/ctl.sh down >/dev/null 2>&1 || true
  if [ $rc -ne 0 ]; then
    echo "production stage failed; last lines of each log:" >&2
    for f in "$PROD_STATE_DIR"/log/*.log "$PROD_STATE_DIR"/nginx/log/error.log; do
      [ -f "$f" ] && { echo "--- $f" >&2; tail -25 "$f" >&2; }
    done
  fi
  echo "production stage: $(( $(date +%s) - started )) s"
}
trap finish EXIT

bash scripts/prod/ctl.sh up
source scripts/prod/local_env.sh
echo "demo data (through the real pipeline)"
# the 6 s clip, ready at once: the journey watches it (the narrated trade videos take
# minutes to transcode; tests/media_pipeline/test_slideshow.py makes one)
DEMO_VIDEOS=clip .venv/bin/python manage.py seed_demo >"$PROD_STATE_DIR/log/seed.log" 2>&1 \
  || { tail -20 "$PROD_STATE_DIR/log/seed.log" >&2; exit 1; }
echo "journey through https://localhost:$NGINX_HTTPS_PORT/"
.venv/bin/python scripts/prod/journey.py
echo "restore drill"
bash scripts/restore_drill.sh
# The surge, short (bench/surge/run.py; `make bench` runs the full one): 100 trainees
# on the same topology at a fifth of a person's pace; fails on any error or lost write,
# never on speed.
echo "surge: 100 trainees, errors and lost writes"
.venv/bin/python -m bench.surge.run --users 100 --spawn-rate 25 --duration 30 --pace 0.2
