# Maharat — two commands on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
HOST ?= 127.0.0.1
PORT ?= 8000
PY := .venv/bin/python

.PHONY: setup setup-test run test bench lint typecheck format lock messages prod prod-down prod-status clean

# System packages (installed when run as root, else the command to run is printed),
# the virtualenv (requirements.lock to run; setup-test adds requirements-dev.lock),
# translations, migrations. Detail: var/log/setup.log.
setup:
	@bash scripts/setup.sh run

setup-test:
	@bash scripts/setup.sh test

run: setup
	@bash scripts/run.sh $(HOST) $(PORT)

# The suite on PYTEST_WORKERS pytest-xdist processes (CI's machines have 2 cores), each
# with its own test database and Redis database; whole test files go to one worker,
# the browser journeys (tests/e2e/) as one unit given out first (--dist loadfile with
# tests/xdist_units.py). PYTEST_WORKERS=0 runs the suite in this one process.
PYTEST_WORKERS ?= 2
test: setup-test
	@.venv/bin/pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

# Every benchmark runs (one that misses its goal does not stop the others); the
# ones that missed are named at the end and make bench fails.
bench: setup-test
	@missed=""; for b in bench/bench_*.py; do echo "== $$b"; $(PY) $$b || missed="$$missed $$b"; done; \
	  if [ -n "$$missed" ]; then echo "missed their goals:$$missed"; exit 1; fi

# ruff, the layering contracts of DESIGN.md (.importlinter) and mypy over the apps'
# boundaries (scripts/typecheck.sh); CI fails on any of them.
lint:
	@.venv/bin/ruff check .
	@.venv/bin/ruff format --check .
	@.venv/bin/lint-imports --no-cache
	@bash scripts/typecheck.sh

typecheck:
	@bash scripts/typecheck.sh

format:
	@.venv/bin/ruff format .
	@.venv/bin/ruff check --fix .

# Regenerate both lock files from pyproject.toml (scripts/lock.sh: a pinned uv; keeps
# the versions already locked unless ARGS="-P package" or ARGS=--upgrade).
lock:
	@bash scripts/lock.sh $(ARGS)

# The production topology on this machine (README, "Production"): DEBUG=0, PostgreSQL,
# Redis with append-only persistence, 2 web nodes behind nginx (TLS), worker + scheduler.
prod:
	@bash scripts/setup.sh prod
	@bash scripts/prod/ctl.sh up

prod-down:
	@bash scripts/prod/ctl.sh down

prod-status:
	@bash scripts/prod/ctl.sh status

# Refresh the catalogues after changing strings (needs GNU gettext), then translate.
messages:
	@cd lms && $(CURDIR)/$(PY) $(CURDIR)/manage.py makemessages -l ar --ignore='pwa/*' --ignore='reports/*' -v 0
	@for d in lms/pwa lms/reports registry media_pipeline content courses virtual_classes assessments skilltests; do \
	  (cd $$d && $(CURDIR)/$(PY) $(CURDIR)/manage.py makemessages -l ar -v 0) || exit 1; done

clean:
	rm -rf .venv var db.sqlite3
