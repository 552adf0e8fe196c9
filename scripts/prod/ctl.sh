#!/usr/bin/env bash
# The production topology on one machine: the same processes compose starts.
#   redis (append-only; only when this script owns it), web1..N (uvicorn), worker (queue
#   default), media-worker (queue media), proxy (nginx)
# Usage: ctl.sh up | down | status | start NAME | stop NAME | kill NAME | restart NAME
#        ctl.sh commands (what each process runs: tests compare it with docker-compose.yml)
# `make prod` is `ctl.sh up`. Logs: var/prod/log/NAME.log; pids: var/prod/run/NAME.pid.
set -euo pipefail
source "$(dirname "$0")/common.sh"
source scripts/prod/local_env.sh
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/maharat_prod}
run=$state/run
log=$state/log
mkdir -p "$run" "$log" "$state/redis"
read -r -a ports <<<"$WEB_PORTS"

own_redis() { [ "$REDIS_URL" = "redis://127.0.0.1:$PROD_REDIS_PORT/0" ]; }

names() {
  if own_redis; then echo redis; fi
  for i in "${!ports[@]}"; do echo "web$((i + 1))"; done
  echo worker
  echo media-worker
  echo proxy
}

command_of() {
  case $1 in
    redis) echo "redis-server --bind 127.0.0.1 --port $PROD_REDIS_PORT --dir $state/redis" \
      "--appendonly yes --appendfsync everysec --save '' --logfile ''" ;;
    web[0-9]*) echo "scripts/prod/web.sh ${ports[$((${1#web} - 1))]}" ;;
    worker) echo "scripts/prod/worker.sh default" ;;
    media-worker) echo "scripts/prod/worker.sh media" ;;
    proxy) echo "scripts/prod/proxy.sh" ;;
    *) echo "unknown process: $1 (one of: $(names | tr '\n' ' '))" >&2; return 1 ;;
  esac
}

pid_of() { cat "$run/$1.pid" 2>/dev/null || true; }
alive() { local pid; pid=$(pid_of "$1"); [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }

start() {
  local name=$1 cmd
  cmd=$(command_of "$name")
  if alive "$name"; then return 0; fi
  # Its own session: stop/kill reach all of it (uvicorn, RQ's work horse, ffmpeg).
  setsid bash -c "exec $cmd" >>"$log/$name.log" 2>&1 </dev/null &
  echo $! >"$run/$name.pid"
}

# Every process of the session NAME leads: `kill -- -PGID` misses RQ's work horse, which
# moves to a process group of its own (os.setpgrp), and the ffmpeg it runs.
session_pids() {
  local sid=$1 f line rest s
  for f in /proc/[0-9]*/stat; do
    { read -r line <"$f"; } 2>/dev/null || continue
    rest=${line##*) }  # after "(comm)": state ppid pgrp session ...
    read -r _ _ _ s _ <<<"$rest"
    if [ "$s" = "$sid" ]; then f=${f#/proc/}; echo "${f%/stat}"; fi
  done
}

kill_session() {
  local pids
  pids=$(session_pids "$1")
  if [ -n "$pids" ]; then kill -KILL $pids 2>/dev/null || true; fi
}

signal() {
  local name=$1 sig=$2 pid
  pid=$(pid_of "$name")
  [ -n "$pid" ] || return 0
  if [ "$sig" = KILL ]; then
    kill_session "$pid"  # a lost machine: nothing of it goes on
  else
    kill "-$sig" -- "-$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  kill_session "$pid"  # what is left: a work horse that outlived its worker, its ffmpeg
  for _ in $(seq 50); do [ -z "$(session_pids "$pid")" ] && break; sleep 0.1; done
  rm -f "$run/$name.pid"
}

wait_for() {
  local what=$1 url=$2
  for _ in $(seq 120); do
    if curl -fsk -o /dev/null "$url"; then return 0; fi
    sleep 0.5
  done
  echo "$what did not answer at $url; see $log/" >&2
  return 1
}

ensure_database() {
  case $DATABASE_URL in
    postgres://*@127.0.0.1:*|postgres://*@localhost:*)
      local db=${DATABASE_URL##*/}
      db=${db%%\?*}
      local server=${DATABASE_URL%/*}
      if ! psql "$server/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname='$db'" | grep -q 1; then
        psql "$server/postgres" -qc "CREATE DATABASE \"$db\""
      fi ;;
  esac
}

up() {
  if own_redis; then
    start redis
    for _ in $(seq 50); do redis-cli -p "$PROD_REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  fi
  ensure_database
  echo "release: migrate, translations, static files (log: $log/release.log)"
  scripts/prod/release.sh >>"$log/release.log" 2>&1 || { tail -20 "$log/release.log" >&2; exit 1; }
  for i in "${!ports[@]}"; do start "web$((i + 1))"; done
  start worker
  start media-worker
  for p in "${ports[@]}"; do wait_for "web on $p" "http://127.0.0.1:$p/healthz/web"; done
  start proxy
  wait_for proxy "https://127.0.0.1:$NGINX_HTTPS_PORT/healthz/web"
  echo "Maharat (production settings) at $SITE_URL/  — ctl.sh status | down"
}

case ${1:-} in
  up) up ;;
  down) for n in $(names | tac); do signal "$n" TERM; done ;;
  status) for n in $(names); do
      if alive "$n"; then echo "$n running (pid $(pid_of "$n"))"; else echo "$n stopped"; fi
    done ;;
  start) start "${2:?name}" ;;
  stop) signal "${2:?name}" TERM ;;
  kill) signal "${2:?name}" KILL ;;
  restart) signal "${2:?name}" TERM; start "$2" ;;
  commands) for n in $(names); do printf '%s\t%s\n' "$n" "$(command_of "$n")"; done ;;
  env) env | grep -E '^(DEBUG|SITE_URL|DATABASE_URL|REDIS_URL|MEDIA_ROOT|PRIVATE_MEDIA_ROOT|STATIC_ROOT|EMAIL_FILE_PATH|NGINX_HTTPS_PORT|WEB_PORTS)=' ;;
  *) echo "usage: $0 up | down | status | start NAME | stop NAME | kill NAME | restart NAME | env" >&2; exit 2 ;;
esac
