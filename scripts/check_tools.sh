#!/usr/bin/env bash
# Say exactly which system tool is missing and how to install it, instead of a traceback.
missing=0
need() {
  if ! command -v "$1" >/dev/null 2>&1; then
    echo "Missing system tool: $1 — $2" >&2
    echo "  install it with: sudo apt-get update && sudo apt-get install -y $3" >&2
    missing=1
  fi
}
if ! command -v python3.11 >/dev/null 2>&1 && ! python3 -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
  echo "Missing: Python 3.11 (python3.11) — Maharat runs on Python 3.11." >&2
  echo "  install it with: sudo apt-get install -y python3.11 python3.11-venv" >&2
  missing=1
fi
need ffmpeg "transcodes lesson videos (media pipeline)" ffmpeg
need ffprobe "reads uploaded videos (media pipeline)" ffmpeg
exit $missing
