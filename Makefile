# KennisCloud. `make run` starts the demo site, `make test` runs the tests; both work on a bare
# machine with python3 (3.11 or newer), make and git. See README.md.

PYTHON ?= python3
VENV = .venv
BIN = $(VENV)/bin
MANAGE = $(BIN)/python manage.py
STAMP = $(VENV)/.requirements-installed
PORT ?= 8000
# make run always uses the embedded default, whatever the shell or a .env file say.
RUN_DATABASE_URL ?= sqlite:///$(CURDIR)/db.sqlite3

.PHONY: run setup test lint messages lock bench demo-code

run: export DJANGO_SETTINGS_MODULE = kenniscloud.settings.dev
run: export DATABASE_URL = $(RUN_DATABASE_URL)
run: export REDIS_URL =
run: export CELERY_BROKER_URL = memory://
run: export CELERY_TASK_ALWAYS_EAGER = true
run: export EMAIL_URL = consolemail://
# Links in mail, calendars and the admin point at the port the server really listens on.
run: export KENNISCLOUD_SITE_URL = http://127.0.0.1:$(PORT)
run: setup
	$(MANAGE) migrate --noinput
	DJANGO_LOG_LEVEL=WARNING $(MANAGE) load_demo
	@echo
	@echo "KennisCloud runs at http://127.0.0.1:$(PORT)  (admin: http://127.0.0.1:$(PORT)/cms/)"
	@echo "Demo logins, all with the password kenniscloud-demo:"
	@echo "  bibliothecaris@example.org  librarian (Wagtail admin)"
	@echo "  organisator@example.org     organiser (Wagtail admin)"
	@echo "  henk@example.org            resident, host of 'Niemand alleen in Waalwijk'"
	@echo "  anna@example.org            resident"
	@echo "The admin asks librarians and organisers for a code of their authenticator app:"
	@echo "run 'make demo-code' in another terminal for the current one."
	@echo "Mail is printed here instead of sent. Stop with Ctrl+C."
	@echo
	exec $(MANAGE) runserver 127.0.0.1:$(PORT)

# The code the demo librarian's and organiser's authenticator app shows now (the admin asks
# for it after the password). Computed from the demo's known key; touches no database.
demo-code: export DJANGO_SETTINGS_MODULE = kenniscloud.settings.dev
demo-code: setup
	@$(MANAGE) demo_code

setup: $(STAMP)

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "KennisCloud needs Python 3.11 or newer; set PYTHON=python3.x"; exit 1; }
	$(PYTHON) -m venv $(VENV) \
		|| { echo "Could not create $(VENV); on Debian/Ubuntu: apt install python3-venv"; exit 1; }

# Reinstall only when a lock file changed since the last install. requirements.lock holds what
# production runs (the image installs only that); requirements-dev.lock adds the test and lint
# tools on the same pins.
$(STAMP): requirements.lock requirements-dev.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.lock
	touch $@

test: setup
	$(BIN)/python -m pytest $(ARGS)

# Throughput of every public page, anonymous and logged in, against a bare Django view:
# gunicorn and wrk (apt install wrk) on loopback. Uses PostgreSQL database kc_bench and Redis
# when they answer, else SQLite and local memory. See bench/run.py.
# `make bench BENCH_SHORT=1` is the short mode, a check that all three parts run rather than a
# measurement: 2 s per page, the digest for 2 000 members and search on 20 000 rows, each in a
# database of its own so the full-size ones are kept.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/kc_bench
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/15
ifneq ($(filter-out 0,$(BENCH_SHORT)),)
BENCH_DIGEST_DATABASE ?= kc_bench_digest_short
BENCH_DIGEST_ARGS ?= --members 2000 --communities 20
BENCH_SEARCH_DATABASE ?= kc_bench_search_short
bench: export BENCH_SEARCH_ROWS := 20000
bench: export BENCH_SEARCH_TERMS := 3
bench: export BENCH_SEARCH_REPEAT := 1
endif
BENCH_DIGEST_DATABASE ?= kc_bench_digest
BENCH_SEARCH_DATABASE ?= kc_bench_search_corpus
bench: export BENCH_SHORT := $(BENCH_SHORT)
bench: export BENCH_DATABASE_URL := $(BENCH_DATABASE_URL)
bench: export BENCH_REDIS_URL := $(BENCH_REDIS_URL)
bench: export BENCH_SEARCH_DATABASE := $(BENCH_SEARCH_DATABASE)
bench: setup
	$(BIN)/python bench/run.py
	@# The digest for 100 000 generated members (issue 5): PostgreSQL only, in its own database
	@# kc_bench_digest, which the command creates and reuses; SMTP excluded.
	@if $(BIN)/python -c "import psycopg; psycopg.connect('$(BENCH_DATABASE_URL)').close()" 2>/dev/null; then \
		DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL= CELERY_TASK_ALWAYS_EAGER=true \
			$(MANAGE) bench_digest --database $(BENCH_DIGEST_DATABASE) $(BENCH_DIGEST_ARGS); \
	else \
		echo "bench_digest skipped: PostgreSQL at $(BENCH_DATABASE_URL) does not answer"; \
	fi
	@# Search on 1 000 000 generated rows (issue 10): PostgreSQL only, in its own database
	@# kc_bench_search_corpus, built once (10-20 minutes) and reused; BENCH_SEARCH_ROWS sets the size.
	$(BIN)/python bench/search.py

# ruff (lint and format), djlint, missing migrations, and mypy on services and selectors (the
# files are listed under [tool.mypy] in pyproject.toml).
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint --check templates
	$(MANAGE) makemigrations --check --dry-run
	$(BIN)/mypy

messages: setup
	mkdir -p kenniscloud/locale
	$(MANAGE) makemessages -l nl -l en -e html,txt,py --ignore=$(VENV) --ignore=tests --ignore=node_modules --ignore=var
	$(MANAGE) compilemessages --ignore=$(VENV) --ignore=node_modules

lock: setup
	test -x $(BIN)/uv || $(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml -o requirements.lock --python-version 3.11
	$(BIN)/uv pip compile pyproject.toml --extra dev -c requirements.lock -o requirements-dev.lock --python-version 3.11
