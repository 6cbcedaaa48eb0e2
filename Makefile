# Trellis — two commands do all set-up on a fresh machine:
#   make test   installs everything and runs the whole suite (lint, types, import contract, tests)
#   make run    installs, migrates, loads the demo company and serves it on http://127.0.0.1:8000
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Tests use both cores; override with `make test WORKERS=1`.
WORKERS ?= 2
# Extra pytest options, e.g. `make pytest PYTEST_ARGS=--database-tests-only` (CI's PostgreSQL pass).
PYTEST_ARGS ?=

.PHONY: install system-packages test check pytest bench format clean run

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) system-packages

system-packages:
	@./scripts/ensure-system-packages.sh

check: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

pytest: install
	$(BIN)/pytest -n $(WORKERS) $(PYTEST_ARGS)

test: check pytest

# The demo on http://127.0.0.1:8000 (development mode, SQLite under var/ unless DATABASE_URL is set).
RUN_ADDRESS ?= 127.0.0.1:8000
run: install
	TRELLIS_DEBUG=1 $(BIN)/trellis manage migrate --noinput
	TRELLIS_DEBUG=1 $(BIN)/trellis demo --if-empty
	@echo "Trellis: http://$(RUN_ADDRESS)/  (stop with Ctrl-C; a background worker renders exports and runs imports)"
	TRELLIS_DEBUG=1 $(BIN)/trellis worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	TRELLIS_DEBUG=1 $(BIN)/trellis manage runserver $(RUN_ADDRESS)

bench: install
	$(BIN)/python -m bench

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var build dist src/*.egg-info
