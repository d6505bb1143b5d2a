# Two commands: `make run` (the site with demo content) and `make test` (the whole suite).
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= network.settings.dev

.PHONY: run test install install-test serve lint messages illustrations

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements-test.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-test.txt
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# Every absolute link the site emits starts with SITE_URL (network/site_url.py):
# the address `make run` serves on, unless SITE_URL is set.
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(VENV)/bin/daphne -b $(HOST) -p $(PORT) network.asgi:application

# One pytest-xdist worker per core (TEST_WORKERS=0 for a single process); tests
# marked xdist_group run on one worker. Without REDIS_URL, tests/conftest.py
# starts a private redis-server for the run when one is installed.
TEST_WORKERS ?= auto
test: install-test
	DJANGO_SETTINGS_MODULE=network.settings.test $(VENV)/bin/pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

lint: install-test
	$(VENV)/bin/ruff check .

# Regenerate and compile the English catalogue (needs GNU gettext).
messages: install
	$(PY) manage.py makemessages --locale en --ignore '.venv/*' --ignore 'tests/*' --ignore 'bench/*' --ignore 'staticfiles/*' --no-obsolete
	$(PY) manage.py compilemessages --locale en --ignore '.venv/*'
	$(PY) -m network.french_plurals

# Render the illustrations' PNG (Open Graph size) from their SVG sources (Debian: librsvg2-bin).
ILLUSTRATIONS := network/static/img/illustrations
illustrations:
	for svg in $(ILLUSTRATIONS)/*.svg; do rsvg-convert --width 1200 --height 630 "$$svg" --output "$${svg%.svg}.png"; done
