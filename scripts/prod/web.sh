#!/usr/bin/env bash
# One ASGI web node (HTTP + WebSocket) on PORT, behind the proxy. Run two or more.
# Idle keep-alive connections are kept longer (75 s) than the proxy keeps them (30 s,
# nginx.conf.template): the proxy must be the one to close them.
set -euo pipefail
source "$(dirname "$0")/common.sh"
port=${1:?usage: web.sh PORT}
exec ${BIN}uvicorn lms.asgi:application \
  --host "${WEB_BIND:-127.0.0.1}" --port "$port" \
  --workers "${WEB_PROCESSES:-1}" \
  --proxy-headers --forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-127.0.0.1}" \
  --ws websockets-sansio --no-server-header --timeout-graceful-shutdown 20 \
  --timeout-keep-alive "${WEB_KEEPALIVE_S:-75}"
