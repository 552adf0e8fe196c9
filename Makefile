# Maharat — two commands on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup run test bench lint format messages check-tools clean

setup: check-tools $(STAMP)
	@$(PY) manage.py compile_translations
	@$(PY) manage.py migrate --noinput -v 0

check-tools:
	@bash scripts/check_tools.sh

$(STAMP): requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	@$(PY) -m pip install -q --upgrade pip
	@$(PY) -m pip install -q -r requirements.lock
	@touch $(STAMP)

run: setup
	@$(PY) manage.py seed_demo
	@bash scripts/run.sh $(HOST) $(PORT)

test: setup
	@$(VENV)/bin/pytest $(PYTEST_ARGS)

bench: setup
	@for b in bench/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

lint:
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .

format:
	@$(VENV)/bin/ruff format .
	@$(VENV)/bin/ruff check --fix .

# Refresh the catalogues after changing strings (needs GNU gettext), then translate.
messages:
	@cd lms && $(CURDIR)/$(PY) $(CURDIR)/manage.py makemessages -l ar --ignore='pwa/*' --ignore='reports/*' -v 0
	@for d in lms/pwa lms/reports registry media_pipeline content courses virtual_classes assessments; do \
	  (cd $$d && $(CURDIR)/$(PY) $(CURDIR)/manage.py makemessages -l ar -v 0) || exit 1; done

clean:
	rm -rf $(VENV) var db.sqlite3
