# Shortcuts for the commands README.md documents; README.md stays the reference.
# `make test` runs the whole suite, `make ci` everything .ci/run checks.

VENV := .venv
PYTHON := $(VENV)/bin/python
# The database and cache .ci/run uses for its second run of the suite.
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/newsroom_ci
REDIS_TEST_URL ?= redis://127.0.0.1:6379/8

.PHONY: install demo test test-postgres lint ci

install:
	python3 -m venv $(VENV) && $(VENV)/bin/pip install -e '.[dev]'

demo: install
	$(PYTHON) manage.py demo

test: install
	$(VENV)/bin/pytest

test-postgres: install
	DATABASE_URL=$(POSTGRES_URL) REDIS_URL=$(REDIS_TEST_URL) $(VENV)/bin/pytest

lint:
	$(PYTHON) manage.py makemigrations --check --dry-run
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

ci:
	.ci/run
