# Two commands matter: `make run` and `make test` (see README.md).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The make targets are for development and tests; production sets its own
# environment (see README.md).
export DEBUG ?= true

.PHONY: install browser run test lint format migrate import bench load clean

# Reinstall only when the project's dependency list changed.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Settings for the commands the README has you type in a new shell: manage.py
# reads .env (variables already set win). Written once, never overwritten
# (edit it freely), git-ignored; nothing in it is secret: with DEBUG on the
# app uses a development key.
.env:
	printf '%s\n' \
		'# Development settings, written by make and read by manage.py (not by' \
		'# gunicorn). Variables set in the environment win. Edit freely.' \
		'DEBUG=true' >$@

install: $(STAMP) .env

migrate: install
	$(BIN)/python manage.py migrate --noinput

import: migrate
	$(BIN)/python manage.py import_seeds seeds/

run: import
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# The browser tests drive Debian's Chromium (Playwright never downloads one).
# Install it when missing and possible (root with apt-get); otherwise those
# tests skip and say why.
browser:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing chromium for the browser tests (apt-get)"; \
		DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null || \
		echo "warning: could not install chromium; browser tests will be skipped" >&2; \
	else \
		echo "warning: /usr/bin/chromium missing and apt-get unusable; browser tests will be skipped" >&2; \
	fi

test: install browser
	$(BIN)/python -m pytest

# Import generated corpora into PostgreSQL and SQLite (databases of their own)
# and write the table to docs/benchmarks.md. 100,000 articles take a while.
BENCH_SIZES ?= 10000 100000
BENCH_DATABASES ?= postgresql sqlite
bench: install
	$(BIN)/python -m benchmarks.run --sizes $(BENCH_SIZES) --databases $(BENCH_DATABASES)

# Load test (not part of `make test` or CI): gunicorn with DEBUG off, locust
# with 50 users for 60 s per database, results in docs/load.md.
LOAD_DATABASES ?= postgresql sqlite
load: install
	for database in $(LOAD_DATABASES); do \
		$(BIN)/python benchmarks/load_test.py --database $$database || exit 1; \
	done

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
