# Two entry points matter: `make run` (the whole system with demo data) and `make test`.
# Any Python 3.11 or newer (pyproject.toml says which); python3 unless PYTHON= is given.
PYTHON ?= $(shell command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
SITE_URL ?= http://127.0.0.1:$(PORT)

.PHONY: install run test test-postgres lint format system-packages bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

## make run: install, migrate, load the demo data, then web + worker + beat (Ctrl-C stops all)
## Links follow PORT unless SITE_URL is set; the demo runs with DEBUG off (no debug pages);
## the addresses and logins are printed again once the logs have scrolled (var/demo-logins.txt).
run: install system-packages
	$(BIN)/python manage.py migrate --noinput
	SITE_URL="$(SITE_URL)" $(BIN)/python manage.py seed_demo
	@( sleep 20; echo; echo "== The demo is running. Its addresses and logins (also in $${VAR_DIR:-var}/demo-logins.txt):"; cat "$${VAR_DIR:-var}/demo-logins.txt" ) &
	SITE_URL="$(SITE_URL)" DEBUG="$${DEBUG:-false}" PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho start -p $(PORT)

## make test: install and run the whole suite (SQLite unless DATABASE_URL is set)
test: install system-packages
	$(BIN)/pytest $(PYTEST_ARGS)

## Debian packages: chromium for the browser tests, Pango and fonts for WeasyPrint's letters.
## dovecot-imapd: the mailbox tests start their own IMAP-over-TLS server (issue 15).
## Installed when running as root with apt-get; otherwise named so you can install them.
SYSTEM_PACKAGES := chromium fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 dovecot-imapd
system-packages:
	@if dpkg -s $(SYSTEM_PACKAGES) >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	else echo "missing Debian packages (browser tests skip, letters fail): apt-get install $(SYSTEM_PACKAGES)"; fi

test-postgres:
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(MAKE) test

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## make bench: benchmarks on PostgreSQL (default database "bench"); BENCH_ARGS=--quick for the short run
bench: install
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var db.sqlite3
