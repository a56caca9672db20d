# dcim-lite: the two commands a fresh clone needs.
#
#   make app    install, load the demo data center into the default SQLite file, start the web app
#   make test   install, start what the tests need, then ruff, the whole test suite and wheel-test
#
# Both create the virtual environment in .venv when it is missing.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
TEST_POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
PYTEST_ARGS ?= -n auto

.PHONY: app test install postgres chromium prometheus libreoffice spec-diff wheel-test catalogs tables

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the project's dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
	touch $@

install: $(VENV)/.installed

app: install
	$(BIN)/dcim init --demo
	$(BIN)/dcim app

# The PostgreSQL tests need the local server; start it when it is down.
postgres:
	@if ! pg_isready -q -h 127.0.0.1 2>/dev/null; then \
		echo "Starting PostgreSQL"; \
		pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start || true; \
		for _ in $$(seq 30); do pg_isready -q -h 127.0.0.1 2>/dev/null && break; sleep 1; done; \
	fi

# The browser tests drive Debian's Chromium. Without apt the install is skipped, and
# DCIM_REQUIRE_BROWSER=1 then fails those tests instead of letting them skip.
chromium:
	@if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Chromium"; \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } \
			>/dev/null 2>&1 || echo "Chromium could not be installed; the browser tests will fail"; \
	fi

# The monitoring hand-off is proven against Debian's Prometheus, installed the same way;
# DCIM_REQUIRE_PROMETHEUS=1 then fails those tests instead of letting them skip.
prometheus:
	@if [ ! -x /usr/bin/prometheus ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Prometheus"; \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus; } \
			>/dev/null 2>&1 || echo "Prometheus could not be installed; the monitoring tests will fail"; \
	fi

# The Nota Dinas PDF is made by LibreOffice headless; its test reads the PDF back with poppler's
# pdftotext. Without them that test fails (it does not skip).
libreoffice:
	@if { [ ! -x /usr/bin/libreoffice ] || [ ! -x /usr/bin/pdftotext ]; } && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing LibreOffice Writer and poppler-utils"; \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			libreoffice-writer-nogui poppler-utils; } >/dev/null 2>&1 \
			|| echo "LibreOffice could not be installed; the PDF test will fail"; \
	fi

test: install postgres chromium prometheus libreoffice
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DCIM_TEST_POSTGRES_URL=$(TEST_POSTGRES_URL) DCIM_REQUIRE_POSTGRES=1 DCIM_REQUIRE_BROWSER=1 \
		DCIM_REQUIRE_PROMETHEUS=1 \
		$(BIN)/pytest $(PYTEST_ARGS)
	$(MAKE) wheel-test

# The wheel as a packager builds it, installed into a new venv in a temporary folder and run from
# another folder: the demo, a check, a request walk, the app's health (.ci/wheel_test.py). It
# needs the package index pip is configured with; it fails, never skips.
wheel-test: install
	$(BIN)/python .ci/wheel_test.py

# The test fixtures copy the formats' examples and two device-type files; they must not drift.
SHARED ?= ../shared
spec-diff:
	diff -r --exclude=README.md $(SHARED)/spec/examples tests/fixtures/spec-example
	diff -r --exclude=README.md $(SHARED)/devicetypes tests/fixtures/devicetypes

# The message catalogs the program reads (dcim/i18n/locales/<lang>.json) are compiled from
# the YAML ones, and each language's number symbols (locales/numbers.json) from babel; run after
# editing a message or upgrading babel (tests/inventory/test_i18n_compiled.py and
# test_i18n_numbers.py fail until you do).
catalogs: install
	$(BIN)/python -m dcim.i18n.compile colocation

# The engine's read-only tables (dcim/core_tables.py) are written from the models; run after
# changing a model (tests/inventory/test_core_tables.py fails until you do).
tables: install
	$(BIN)/python -m dcim.models.render_tables
