#!/usr/bin/env bash
# A task worker: RQ with the django-tasks job class and the scheduler (queues default
# and media), plus the periodic sweeper (stale jobs, deadlines, clean-up). Run one or more.
set -euo pipefail
source "$(dirname "$0")/common.sh"
exec $PY manage.py task_worker --queues "${WORKER_QUEUES:-default,media}"
