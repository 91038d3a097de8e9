# AnchorNet's front door. `make run` serves the portal with demo data; `make test` runs the suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
# Extra pytest options, e.g. `make test PYTEST_ARGS="-k directory -x"` or `PYTEST_ARGS=--lf`.
PYTEST_ARGS ?=
# pytest-xdist workers: `auto` is one per CPU core; PYTEST_WORKERS=0 runs the suite in one process.
PYTEST_WORKERS ?= auto
# Keep the test databases between runs (PostgreSQL then migrates only what is new);
# PYTEST_DB=--create-db builds them afresh, as after editing a migration in place.
PYTEST_DB ?= --reuse-db
# The port `make run` serves on, e.g. `make run PORT=8001` when 8000 is taken; the links in
# emails and the sign-in hints follow it unless SITE_URL is set.
PORT ?= 8000

.PHONY: help install run test test-postgres lint format migrations-check assets clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when pyproject.toml changes (or the venv is new).
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[test,dev]"
	touch $@

install: $(VENV)/.installed ## Create .venv and install the project with its test tools

run: install ## Install, migrate, load the demo data and serve http://127.0.0.1:$(PORT)/ with a task worker
	$(MANAGE) migrate
	SITE_URL="$${SITE_URL:-http://127.0.0.1:$(PORT)}" $(MANAGE) load_demo_data
	@# The worker runs the background tasks (emails) beside the web server, and stops with it:
	@# the trap ends it however runserver ends (Ctrl-C, an error, make interrupted).
	export SITE_URL="$${SITE_URL:-http://127.0.0.1:$(PORT)}"; \
	$(MANAGE) db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	$(MANAGE) runserver 127.0.0.1:$(PORT)

test: install migrations-check ## Install and run the whole suite (PostgreSQL if DATABASE_URL is set, else SQLite)
	bash scripts/ensure-browser.sh
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_DB) $(PYTEST_ARGS)

test-postgres: ## Run `make test` against a throwaway PostgreSQL cluster, as CI does
	@pgdir=$$(mktemp -d /tmp/anchornet-pg.XXXXXX); \
	trap 'bash scripts/postgres-throwaway.sh stop "$$pgdir"; rm -rf "$$pgdir"' EXIT; \
	DATABASE_URL=$$(bash scripts/postgres-throwaway.sh start "$$pgdir") || exit 1; \
	export DATABASE_URL; \
	echo "DATABASE_URL=$$DATABASE_URL"; \
	$(MAKE) test

lint: $(VENV)/.installed-dev ## Check style (ruff, djLint) and the layers between apps (import-linter)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates --lint
	$(BIN)/lint-imports

format: $(VENV)/.installed-dev ## Fix what ruff can and reformat
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: install ## Fail if a model change has no migration
	$(MANAGE) makemigrations --check --dry-run

assets: ## Build the front-end assets (needs Node.js and npm)
	npm ci
	npm run build

clean: ## Remove the venv, caches and build output (keeps db.sqlite3)
	rm -rf $(VENV) staticfiles test.sqlite3 .pytest_cache .ruff_cache *.egg-info
	find . -name __pycache__ -type d -not -path './node_modules/*' -prune -exec rm -rf {} +
