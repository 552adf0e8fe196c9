#!/usr/bin/env bash
# `make run`: demo data, then HTTP + WebSocket (uvicorn) and the task worker, embedded
# defaults (SQLite, database task queue, in-memory channel layer, local media).
# The terminal shows what is happening and, last, the URL and demo credentials;
# the servers' detail goes to var/log/web.log and var/log/worker.log.
set -euo pipefail
cd "$(dirname "$0")/.."
host=${1:-127.0.0.1}
port=${2:-8000}
py=.venv/bin/python
mkdir -p var/log
printf '• Loading demo data: trades, illustrated lessons, a narrated video per trade (first run: about two minutes;\n  the worker then makes the videos'"'"' renditions in the background)\n'
if ! $py manage.py seed_demo >var/log/seed.log 2>&1; then
  echo "  failed: see var/log/seed.log" >&2; tail -15 var/log/seed.log | sed 's/^/  | /' >&2; exit 1
fi
printf '• Starting the web server and the task worker\n'
$py manage.py task_worker >>var/log/worker.log 2>&1 &
worker=$!
.venv/bin/uvicorn lms.asgi:application --host "$host" --port "$port" \
  --ws websockets-sansio >>var/log/web.log 2>&1 &
web=$!
trap 'kill $web $worker 2>/dev/null; wait 2>/dev/null; echo; echo "Stopped."' EXIT
trap 'exit 0' INT TERM
for _ in $(seq 120); do
  curl -fs -o /dev/null "http://$host:$port/healthz/web" 2>/dev/null && break
  kill -0 "$web" 2>/dev/null || { echo "  the web server stopped: see var/log/web.log" >&2; exit 1; }
  sleep 0.5
done
echo
echo "Maharat is running at http://$host:$port/"
echo "  Wagtail admin /cms/ · API docs /api/v1/docs/ · health /healthz · logs var/log/"
sed -n '/^Demo data ready/,$p' var/log/seed.log | sed 's/^/  /'
echo "Press Ctrl+C to stop."
wait -n "$web" "$worker" || true
