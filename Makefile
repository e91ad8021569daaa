# lawgov — the two commands a newcomer needs are `make run` and `make test` (see README.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: run test install system-deps lint worker bench

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

system-deps:
	bash scripts/install-system-deps.sh

install: system-deps $(VENV)/.installed

# Installs everything, loads the demo city and serves it at http://127.0.0.1:8000 (SQLite, no broker).
run: install
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py seed_demo
	DEBUG=1 $(PY) manage.py runserver $(HOST)

# Installs everything and runs the whole test suite (SQLite by default; DATABASE_URL and
# CELERY_BROKER_URL switch it to PostgreSQL and Redis, as .ci/run does).
PYTEST_WORKERS ?= 2
test: install
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/mypy

worker: $(VENV)/.installed
	$(VENV)/bin/celery -A lawgov worker -l info -c 2

# Benchmarks on PostgreSQL (own database lawgov_bench_<scale>, filled on first use): prints the table
# and writes bench/results/<scale>-<sha>.md. SCALE=small|city|province; ONLY=pages,scoring,… (see bench/run.py).
SCALE ?= city
bench: $(VENV)/.installed
	$(PY) bench/run.py --scale $(SCALE) $(if $(ONLY),--only $(ONLY))
