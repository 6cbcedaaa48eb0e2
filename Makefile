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

# Each step says what it does, and pip lists each package as it installs it, with a progress bar
# for downloads: a first install takes a minute or two and should not look stuck.
$(STAMP): pyproject.toml
	@echo "==> [1/3] creating the virtual environment in $(VENV)"
	$(PYTHON) -m venv $(VENV)
	@echo "==> [2/3] upgrading pip"
	$(BIN)/pip install --quiet --upgrade pip
	@echo "==> [3/3] installing Trellis and its development tools (a minute or two the first time)"
	$(BIN)/pip install --progress-bar on -e '.[dev]'
	touch $(STAMP)
	@echo "==> installed; next time this step is skipped until pyproject.toml changes"

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
# On an existing database: migrations first, then the demo is completed (missing accounts and
# personas added), never reloaded: nothing stored is lost. Another port: make run RUN_ADDRESS=127.0.0.1:8080
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
