# Two commands for a fresh machine with Python 3.11+:
#   make run    set up, load the Knowsley plan and demo accounts, serve http://127.0.0.1:8000 on SQLite
#   make test   set up and run every test (browser tests need Debian's chromium: see README)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test setup demo lock lint

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	DEBUG=1 DEMO_MODE=1 $(BIN)/python manage.py migrate --no-input
	DEBUG=1 DEMO_MODE=1 $(BIN)/python manage.py setup_demo

run: demo
	DEBUG=1 DEMO_MODE=1 $(BIN)/python manage.py runserver 127.0.0.1:8000

test: setup
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
		(apt-get update -qq && apt-get install -y -qq chromium >/dev/null) || \
		echo "chromium is not installed: browser tests will be skipped (sudo apt-get install chromium)"; }
	@command -v soffice >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
		(apt-get update -qq && apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui >/dev/null) || \
		echo "LibreOffice is not installed: the tests that re-save files with it are skipped (sudo apt-get install libreoffice-calc-nogui)"; }
	@{ command -v pdftotext >/dev/null 2>&1 && fc-list | grep -q NotoColorEmoji && fc-list | grep -q NotoSansHebrew; } || \
		{ [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && (apt-get update -qq && apt-get install -y -qq \
		poppler-utils fonts-dejavu-core fonts-noto-core fonts-noto-color-emoji >/dev/null) || \
		echo "The board report PDF needs fonts and pdftotext: sudo apt-get install poppler-utils fonts-dejavu-core fonts-noto-core fonts-noto-color-emoji"; }
	$(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest
	$(MAKE) --no-print-directory lint

# ruff (pyproject.toml) and the apps' layers (import-linter: plans < measures < governance < improvement).
lint: setup
	$(BIN)/ruff check .
	$(BIN)/lint-imports

# The exact versions the tests last passed with, for pip-audit and for reproducible deployments.
lock: setup
	$(BIN)/pip freeze --exclude-editable | grep -v '^improvement-tracker' > requirements.lock
