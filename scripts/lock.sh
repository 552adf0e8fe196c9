#!/usr/bin/env bash
# `make lock`: regenerate both lock files from pyproject.toml with a pinned uv.
#   requirements.lock      production: what the image and `make run` install
#   requirements-dev.lock  + the `dev` extra (tests, browsers, linters), every shared
#                          package at the production lock's version (-c)
# Versions already in a lock are kept; to move one: `make lock ARGS="-P django"`,
# everything: `make lock ARGS=--upgrade`.
set -euo pipefail
cd "$(dirname "$0")/.."
uv_version=0.13.8
tool=var/tools/uv-$uv_version
if [ ! -x "$tool/bin/uv" ]; then
  python=${PYTHON:-python3.11}
  command -v "$python" >/dev/null 2>&1 || python=python3
  "$python" -m venv "$tool"
  "$tool/bin/python" -m pip install -q "uv==$uv_version"
fi
compile=("$tool/bin/uv" pip compile pyproject.toml --python-version 3.11
  --custom-compile-command "make lock" -q)
"${compile[@]}" -o requirements.lock "$@"
"${compile[@]}" --extra dev -c requirements.lock -o requirements-dev.lock "$@"
echo "requirements.lock: $(grep -c '==' requirements.lock) packages;" \
  "requirements-dev.lock: $(grep -c '==' requirements-dev.lock)"
