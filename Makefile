# The two commands a newcomer needs: `make run` and `make test`. Everything else is for developers.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.8
PORT ?= 8000
# Trust the operating system's certificate store, so installs also work behind a TLS-inspecting proxy.
export UV_SYSTEM_CERTS := 1

.PHONY: run test lint format check smoke loadtest bench migrate seed messages lock vendor-static clean

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# Runtime and development dependencies come from the hashed lock files only.
$(VENV)/.installed-run: requirements.lock | $(BIN)/uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python --require-hashes -r requirements.lock
	touch $@

$(VENV)/.installed-dev: requirements-dev.lock | $(BIN)/uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python --require-hashes -r requirements-dev.lock
	touch $@ $(VENV)/.installed-run

migrate: $(VENV)/.installed-run
	$(BIN)/python manage.py migrate --no-input

seed: migrate
	$(BIN)/python manage.py load_municipalities
	$(BIN)/python manage.py seed_demo

## make run: install, migrate, load reference and demo data, serve on PORT with a Celery worker and beat
run: seed
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	PORT=$(PORT) scripts/run_local.sh

## make test: the whole test suite (browser tests included when Chromium is installed)
test: $(VENV)/.installed-dev
	$(BIN)/pytest

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: $(VENV)/.installed-dev
	$(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=samenorg.settings.production $(BIN)/python manage.py check --deploy --fail-level WARNING

## make smoke: the production topology (gunicorn, Celery workers, beat) through a whole journey over HTTP; needs PostgreSQL and Redis
smoke: $(VENV)/.installed-dev
	$(BIN)/python scripts/smoke_journey.py

## make loadtest: mixed load (browsing, search, logged-in writes, API) on the production topology on loopback; DURATION=300 USERS=20
loadtest: $(VENV)/.installed-dev
	$(BIN)/python -m loadtest.run --duration $(or $(DURATION),300) --users $(or $(USERS),20)

## make bench: every benchmark on the scale data set (10,000 and 100,000 initiatives) against bare views; writes benchmarks/RESULTS.md (15-25 minutes, not in CI)
bench: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/run_all.py $(BENCH_ARGS)

## make messages: extract and compile the Dutch translations (needs GNU gettext)
messages: $(VENV)/.installed-dev
	$(BIN)/python manage.py makemessages --locale nl --ignore '.venv/*' --ignore 'var/*' --no-obsolete
	$(BIN)/python manage.py compilemessages --locale nl --ignore '.venv/*'

## make lock: re-resolve the pinned dependencies after editing pyproject.toml
lock: | $(BIN)/uv
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 --generate-hashes --quiet -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes --quiet -o requirements-dev.lock

## make vendor-static: refresh the NL Design System CSS in static/vendor from the npm registry (needs Node)
vendor-static:
	scripts/vendor_static.sh

clean:
	rm -rf $(VENV) var/static
