#!/usr/bin/env bash
# mypy over every app's boundary: services, selectors, data and tasks (a module or a
# package of that name), plus the kernel. `make lint` runs it; the settings are in
# pyproject.toml ([tool.mypy]).
set -euo pipefail
cd "$(dirname "$0")/.."
targets=(lms/kernel)
for app in lms/accounts lms/home lms/ops lms/pwa lms/backup lms/reports registry \
  media_pipeline content courses virtual_classes assessments skilltests; do
  for name in services selectors data tasks; do
    if [[ -f $app/$name.py ]]; then targets+=("$app/$name.py"); fi
    if [[ -f $app/$name/__init__.py ]]; then targets+=("$app/$name"); fi
  done
done
exec .venv/bin/mypy "$@" "${targets[@]}"
