#!/usr/bin/env bash
# The reverse proxy: renders nginx.conf from the template and runs nginx in the foreground.
set -euo pipefail
source "$(dirname "$0")/common.sh"
: "${NGINX_PREFIX:=var/prod/nginx}"
NGINX_PREFIX=$(realpath -m "$NGINX_PREFIX")
export NGINX_RUN_DIR=${NGINX_RUN_DIR:-$NGINX_PREFIX/run}
export NGINX_LOG_DIR=${NGINX_LOG_DIR:-$NGINX_PREFIX/log}
export NGINX_HTTP_PORT=${NGINX_HTTP_PORT:-80} NGINX_HTTPS_PORT=${NGINX_HTTPS_PORT:-443}
export NGINX_USER=${NGINX_USER:-$(id -un)}
export NGINX_MAX_BODY=${NGINX_MAX_BODY:-2100m}
export PRIVATE_FILES_ACCEL_PREFIX=${PRIVATE_FILES_ACCEL_PREFIX:-/_private/}
# The same folders the settings use (lms/settings.py defaults).
export STATIC_ROOT=${STATIC_ROOT:-$PWD/var/static} MEDIA_ROOT=${MEDIA_ROOT:-$PWD/var/media}
export PRIVATE_MEDIA_ROOT=${PRIVATE_MEDIA_ROOT:-$PWD/var/private}
export WEB_UPSTREAMS=${WEB_UPSTREAMS:-127.0.0.1:8001 127.0.0.1:8002}
mkdir -p "$NGINX_RUN_DIR" "$NGINX_LOG_DIR"
conf=$NGINX_PREFIX/nginx.conf
python3 scripts/prod/render_nginx.py "$conf"
nginx -t -q -p "$NGINX_PREFIX" -c "$conf"
exec nginx -p "$NGINX_PREFIX" -c "$conf" -g 'daemon off;'
