# Polku: `make run` starts the demo, `make test` runs every check. Both set up what they need.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
PG_URL ?= postgres://postgres@127.0.0.1:5432/polku
export POLKU_DEBUG ?= 1

.PHONY: help setup run test lint typecheck check migrations-check test-sqlite test-postgres test-browser bench messages system-packages

help:
	@echo "make run    set up and start Polku with demo data on http://127.0.0.1:8000"
	@echo "make test   set up and run every check (lint, types, migrations, tests on SQLite and PostgreSQL, browser)"
	@echo "make check  lint, types, migrations and check --deploy, without the test suites"
	@echo "make bench  run the benchmarks in bench/"

$(STAMP): pyproject.toml
	@PYTHON=$$(scripts/find-python) || exit 1; \
	if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)'; then \
		echo "Creating $(VENV) with $$PYTHON"; rm -rf $(VENV); "$$PYTHON" -m venv $(VENV) || exit 1; \
	fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*; touch $@

# gettext compiles the translations; chromium runs the browser tests. Installed with apt when missing.
system-packages:
	@missing=""; command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	if [ -n "$(WITH_BROWSER)" ] && ! [ -x /usr/bin/chromium ]; then missing="$$missing chromium"; fi; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		SUDO=""; [ "$$(id -u)" -ne 0 ] && SUDO=sudo; \
		$$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing \
		|| { echo "Could not install$$missing: install them with your package manager and retry." >&2; exit 1; }; \
	fi

setup: $(STAMP) system-packages
	@$(PY) manage.py compilemessages --ignore '.venv' -v 0

run: setup
	@POLKU_DEBUG=1 POLKU_DEMO=1 scripts/run-demo

test: WITH_BROWSER=1
test: setup lint typecheck migrations-check test-sqlite test-postgres test-browser
	@echo "All checks passed."

# Static checks only, without the test suites.
check: lint typecheck migrations-check

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy .

migrations-check: $(STAMP)
	$(PY) manage.py makemigrations --check --dry-run
	POLKU_DEBUG=0 POLKU_SECRET_KEY=check-deploy-$$(head -c 32 /dev/urandom | base64 | tr -dc a-zA-Z0-9) \
		POLKU_ALLOWED_HOSTS=polku.example.org POLKU_EMAIL_HOST=smtp.example.org \
		$(PY) manage.py check --deploy --fail-level WARNING

test-sqlite: setup
	$(VENV)/bin/pytest -m "not browser" -q

test-postgres: setup
	@scripts/test-postgres "$(PG_URL)"

test-browser: WITH_BROWSER=1
test-browser: setup
	$(VENV)/bin/pytest -m browser -q

bench: setup
	@for script in bench/*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

messages: $(STAMP)
	$(PY) manage.py makemessages -l fi -l sv --ignore '.venv/*' --ignore 'staticfiles/*' --no-obsolete
