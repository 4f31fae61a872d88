# The two commands of the README: `make run` and `make test`. Everything they need is installed here.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
SCALE ?= 10
IMPORT_ROWS ?= 50000
# Test processes (pytest-xdist): one per core, at most 4 (each has its own database and Chromium);
# TEST_JOBS=0 runs the suite in this one process.
TEST_JOBS ?= auto

.PHONY: install messages run test test-fast lint format bench loadtest check-deploy clean vendor

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	@touch $@

# Compiled catalogues are not committed: build them from locale/*.po at install.
messages: $(VENV)/.installed
	@command -v msgfmt >/dev/null || { echo "msgfmt not found: install gettext (apt-get install -y gettext)"; exit 1; }
	@DEBUG=1 $(BIN)/python manage.py compilemessages --ignore '.venv/*' -v 0

install: $(VENV)/.installed messages

# The demo province stands at 31 July 2014: `make run` serves it as on that day (SITE_TODAY=  for the real date).
SITE_TODAY ?= 2014-07-31

run: install
	DEBUG=1 $(BIN)/python manage.py migrate --no-input -v 0
	DEBUG=1 $(BIN)/python manage.py seed_demo --if-empty
	@echo "Serving http://127.0.0.1:$(PORT)/ with one job worker  (demo logins: see README.md)"
	DEBUG=1 SITE_TODAY=$(SITE_TODAY) bash scripts/serve.sh $(BIN)/python $(PORT)

# Each worker gets its own test database and takes whole files (--dist loadfile), so a
# file's module fixtures and a TestCase's setUpTestData are built once.
test: install
	$(BIN)/python -m pytest -rs -n $(TEST_JOBS) --maxprocesses 4 --dist loadfile $(PYTEST_ARGS)

# ruff (pinned in pyproject's test extras): lint rules and the formatter, as CI runs them.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	$(BIN)/python bench/run.py --scale $(SCALE) --import-rows $(IMPORT_ROWS)

# Load test (issue 17): gunicorn on 127.0.0.1 with 4 sync workers, locust's closed loop of logged-in clerks and
# officers at 20, 50 and 100 users, 60 s each; needs DATABASE_URL=postgres://… (seeds <name>_load_s<scale> beside it).
LOAD_ARGS ?=
loadtest: install
	$(BIN)/python -m pip install -q -e '.[test,bench]'
	$(BIN)/python bench/load.py --scale $(SCALE) $(LOAD_ARGS)

check-deploy: install
	DEBUG=0 SECRET_KEY=check-only-$$(date +%s)-a-long-random-enough-secret-key-value ALLOWED_HOSTS=example.org \
		$(BIN)/python manage.py check --deploy --fail-level WARNING

vendor:
	bash scripts/vendor_static.sh

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 artifacts
