# Tiếp Dân — the two commands of the Quick start are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: run test test-media lint format bench install init system-deps js-deps migrate demo clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Cần Python 3.11 ($(PYTHON)) / Python 3.11 is required"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

install: $(VENV)/.installed

# JavaScript the tests use (axe-core for tests/browser), pinned by package-lock.json; npm ci runs
# only when node_modules is missing or older than the lock file.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

js-deps: node_modules/.package-lock.json

# Debian packages the product and its tests use (installed only when missing).
system-deps:
	@scripts/ensure-debian-packages
	@scripts/ensure-media-packages

# The installation's data directory and secret key (tiepdan.ops.installation): importing the
# settings never writes to disk, so this explicit step comes before anything starts Django.
init: install
	$(BIN)/tiepdan init

migrate: init
	$(BIN)/tiepdan migrate --noinput

demo: migrate
	$(BIN)/tiepdan load_demo

run: system-deps demo
	$(BIN)/tiepdan serve --host $(HOST) --port $(PORT)

# ruff, the layer contracts (import-linter, pyproject's [tool.importlinter]) and the types (mypy
# with django-stubs, pyproject's [tool.mypy]); part of `make test`.
lint: init
	$(BIN)/ruff check tiepdan tests bench
	$(BIN)/lint-imports
	env -u DATABASE_URL $(BIN)/mypy

format: install
	$(BIN)/ruff format tiepdan tests bench

test: system-deps install js-deps lint
	node --test tests/js/
	env -u DATABASE_URL $(BIN)/tiepdan makemigrations --check --dry-run > /dev/null || { echo "Missing migrations: run tiepdan makemigrations"; exit 1; }
	$(BIN)/pytest -p no:cacheprovider -n auto -m "not media_e2e" $(PYTEST_ARGS)
	$(MAKE) --no-print-directory test-media

# Real Chromium against real Janus inside a private network namespace (root; see
# scripts/netns-run): Janus's ICE needs a non-loopback interface.  The namespace has its own
# loopback, where the host's PostgreSQL is not reachable: these tests always use SQLite (the
# PostgreSQL path is covered by the rest of the suite).  The journey test (issue 10: one
# reception by clicking, against a running `tiepdan serve` with its worker and Janus) needs the
# namespace too: about 3 minutes.
test-media: system-deps install
	env -u DATABASE_URL scripts/netns-run $(BIN)/pytest -p no:cacheprovider -m media_e2e tests/media tests/browser/test_journey.py

bench: system-deps install
	$(BIN)/python bench/registrations.py
	$(BIN)/python bench/documents.py
	$(BIN)/python bench/media.py
	$(BIN)/python bench/reports.py
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/city.py

clean:
	rm -rf $(VENV) var node_modules
