#!/usr/bin/env bash
# Serve HTTP + WebSocket through one ASGI server and run the background task worker.
set -euo pipefail
host=${1:-127.0.0.1}
port=${2:-8000}
py=.venv/bin/python
worker_pid=""
if [ -z "${REDIS_URL:-}" ]; then
  $py manage.py db_worker --queue-name default,media &
else
  $py manage.py rqworker default media &
fi
worker_pid=$!
trap 'kill $worker_pid 2>/dev/null || true' EXIT INT TERM
echo "Maharat is serving at http://$host:$port/  (admin: /cms/, API docs: /api/v1/docs/)"
.venv/bin/uvicorn lms.asgi:application --host "$host" --port "$port" --ws websockets-sansio
