# AeThex Live: `make run` starts the platform on http://127.0.0.1:8000, `make test` runs the checks.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
PYTEST_ARGS ?=

.PHONY: help run test bootstrap bootstrap-dev lint fmt typecheck pytest migrate seed nginx-check media-check demo clean distclean

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

run: bootstrap ## install what is missing, migrate, seed demo data, start everything (Ctrl-C stops)
	@bash scripts/run.sh

test: bootstrap-dev ## install dev tools, then ruff, ruff format --check, mypy and pytest (PYTEST_ARGS=...)
	@bash scripts/test.sh $(PYTEST_ARGS)

bootstrap: ## system packages, .venv with requirements.txt, npm ci (skips what is up to date)
	@bash scripts/bootstrap.sh

bootstrap-dev: ## the same with requirements-dev.txt and Chromium for the browser tests
	@BOOTSTRAP_DEV=1 bash scripts/bootstrap.sh

lint: bootstrap-dev ## ruff check + ruff format --check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: bootstrap-dev ## apply ruff's fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

typecheck: bootstrap-dev ## mypy with django-stubs
	$(VENV)/bin/mypy .

pytest: bootstrap-dev ## pytest only (PYTEST_ARGS=...)
	$(VENV)/bin/pytest $(PYTEST_ARGS)

migrate: bootstrap ## apply migrations to DATABASE_URL (SQLite under var/ by default)
	@mkdir -p var
	$(PY) manage.py migrate

seed: migrate ## create the demo users and print their logins
	$(PY) manage.py seed_demo

nginx-check: bootstrap ## render var/nginx/nginx.conf and run nginx -t on it
	$(PY) manage.py runnginx --check

media-check: bootstrap ## the same with the RTMP ingest and /hls/ (what make run starts)
	$(PY) manage.py runmedia --check

demo: bootstrap ## push a test pattern to the running instance as channel nova (Ctrl-C stops)
	$(PY) manage.py demo_stream nova

clean: ## remove caches and var/ (database, media, logs) but keep .venv and node_modules
	rm -rf var .pytest_cache .mypy_cache .ruff_cache
	find . -path ./.venv -prune -o -path ./node_modules -prune -o -name __pycache__ -type d -print0 | xargs -0 rm -rf

distclean: clean ## also remove .venv and node_modules
	rm -rf $(VENV) node_modules
