#!/usr/bin/env bash
# The Debian packages Maharat needs, by purpose, installed when we can.
#   run  (make setup / make run): Python 3.11 venv, ffmpeg, WeasyPrint's Pango, Arabic fonts,
#                                 espeak-ng and librsvg (the narrated demo videos of seed_demo)
#   test (make test, make bench): + Chromium (browser journeys), nginx and redis-server (proxy tests),
#                                   wrk (the page-rate benchmark),
#                                   Node.js and npm (the independent credential verifier)
#   prod (make prod, CI):         + nginx, redis-server, PostgreSQL client tools (backups)
# As root with apt-get it installs what is missing (log: var/log/setup.log); otherwise it
# names what is missing and prints the one command to run. MAHARAT_NO_APT=1: never install.
set -uo pipefail
purpose=${1:-run}
log=${SETUP_LOG:-var/log/setup.log}
mkdir -p "${log%/*}" 2>/dev/null || log=/dev/null

packages=(ffmpeg libpango-1.0-0 libpangoft2-1.0-0 fonts-hosny-amiri fonts-noto-core curl
  espeak-ng librsvg2-bin)
case $purpose in
  run) ;;
  test) packages+=(chromium nginx redis-server wrk) ;;
  prod) packages+=(nginx redis-server postgresql-client openssl) ;;
  ci) packages+=(chromium nginx redis-server postgresql-client openssl wrk) ;;
  *) echo "usage: $0 run|test|prod|ci" >&2; exit 2 ;;
esac

# The credential tests run Digital Bazaar's verifier under Node.js (npm ci from a
# lock file); a Node already on the machine (e.g. from NodeSource, npm bundled) will do.
if [ "$purpose" = test ] || [ "$purpose" = ci ]; then
  command -v node >/dev/null 2>&1 || packages+=(nodejs)
  command -v npm >/dev/null 2>&1 || packages+=(npm)
fi

python_ok=1
if ! command -v python3.11 >/dev/null 2>&1 \
  && ! python3 -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
  python_ok=0
  packages+=(python3.11 python3.11-venv)
elif ! "$(command -v python3.11 || command -v python3)" -c 'import ensurepip, venv' 2>/dev/null; then
  packages+=(python3.11-venv)
fi

missing=()
if command -v dpkg >/dev/null 2>&1; then
  for p in "${packages[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
else
  # Not Debian: check the commands themselves.
  command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
  command -v ffprobe >/dev/null 2>&1 || { [[ " ${missing[*]} " == *" ffmpeg "* ]] || missing+=(ffmpeg); }
  command -v espeak-ng >/dev/null 2>&1 || missing+=(espeak-ng)
  command -v rsvg-convert >/dev/null 2>&1 || missing+=(librsvg2-bin)
  [ "$python_ok" = 1 ] || missing+=(python3.11 python3.11-venv)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

describe() {
  case $1 in
    ffmpeg) echo "ffmpeg — transcodes lesson videos (media pipeline)" ;;
    python3.11*) echo "$1 — Maharat runs on Python 3.11" ;;
    libpango*) echo "$1 — draws certificate PDFs (WeasyPrint)" ;;
    fonts-*) echo "$1 — Arabic letters in certificates and pages" ;;
    espeak-ng) echo "espeak-ng — the Arabic narration of the demo lesson videos (seed_demo)" ;;
    librsvg2-bin) echo "librsvg2-bin — draws the demo videos' slides from the lesson illustrations (rsvg-convert)" ;;
    chromium) echo "chromium — the browser journeys of make test" ;;
    nodejs|npm) echo "$1 — the independent credential verifier of make test" ;;
    nginx) echo "nginx — the reverse proxy of the production topology" ;;
    wrk) echo "wrk — the HTTP load generator of make bench (page rates)" ;;
    redis-server) echo "redis-server — queues and cache of the production topology" ;;
    *) echo "$1" ;;
  esac
}

if [ "$EUID" = 0 ] && command -v apt-get >/dev/null 2>&1 && [ "${MAHARAT_NO_APT:-0}" != 1 ]; then
  echo "• Installing system packages: ${missing[*]}"
  if { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        --no-install-recommends "${missing[@]}"; } >>"$log" 2>&1; then
    exit 0
  fi
  echo "Installing the system packages failed; see $log" >&2
  exit 1
fi
for p in "${missing[@]}"; do echo "Missing system tool: $(describe "$p")" >&2; done
echo "  install it with: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
exit 1
