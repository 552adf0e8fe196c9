#!/usr/bin/env bash
# A task worker on QUEUES (default: default,media): RQ with the django-tasks job class and
# the scheduler, plus the periodic sweeper (stale jobs, deadlines, clean-up). Production
# runs one on `default` and one on `media`, so an hour-long transcode never holds up an
# import or an exam's auto-submit; run more of either to scale.
set -euo pipefail
source "$(dirname "$0")/common.sh"
exec $PY manage.py task_worker --queues "${1:-default,media}"
