# The two commands of the README: `make run` and `make test`. Each installs what it needs
# into a virtual environment (.venv) first, from the hashed lock files; the stamps
# re-install when the locks change.
PYTHON ?= python3
VENV ?= .venv
PORT ?= 8501
# Three workers: the suite waits on databases and browsers more than on the two cores. loadgroup:
# the tests of a browser module with an app of its own (xdist_group) share one worker and one app.
PYTEST_ARGS ?= -n 3 --dist loadgroup
BIN := $(VENV)/bin
# The project itself, so that the `gongkai` command exists (no download: the lock brings setuptools).
INSTALL_SELF = $(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
# Offline install (a machine without internet): `make wheelhouse` where there is internet (same OS
# and Python version), copy the folder over, then `make run OFFLINE=1` (or `make test OFFLINE=1`,
# with a wheelhouse made with WHEELHOUSE_DEV=1) installs only from it, never from an index.
WHEELHOUSE ?= wheelhouse
WHEELHOUSE_DEV ?=
OFFLINE ?=
FROM_WHEELHOUSE = $(if $(OFFLINE),--no-index --find-links $(WHEELHOUSE))

.PHONY: run test test-fast test-bench lint lock wheelhouse

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(if $(OFFLINE),,$(BIN)/python -m pip install --quiet --upgrade pip)

$(VENV)/.run-installed: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock $(FROM_WHEELHOUSE)
	$(INSTALL_SELF)
	touch $@

$(VENV)/.test-installed: requirements.lock requirements-dev.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock $(FROM_WHEELHOUSE)
	$(INSTALL_SELF)
	touch $@ $(VENV)/.run-installed

run: $(VENV)/.run-installed
	$(BIN)/python -m seed --first-run
	$(BIN)/python -m data_access init
	$(BIN)/python -m streamlit run serve.py --server.port $(PORT)

# Everything but the benchmark smoke tests: lint, SQLite, the servers named by
# TEST_POSTGRES_URL / TEST_MARIADB_URL, and the browser tests.
test: lint
	$(BIN)/python -m pytest $(PYTEST_ARGS) -m "not bench"

# The edit-test loop: SQLite only, no browser, no benchmark.
test-fast: $(VENV)/.test-installed
	env -u TEST_POSTGRES_URL -u TEST_MARIADB_URL -u REQUIRE_ALL_BACKENDS \
		$(BIN)/python -m pytest $(PYTEST_ARGS) -m "not e2e and not bench"

# The benchmark and load-test smoke runs (they check the tools work, not the figures).
test-bench: $(VENV)/.test-installed
	$(BIN)/python -m pytest -m bench

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Every wheel the lock names (requirements-dev.lock, a superset, with WHEELHOUSE_DEV=1), checked
# against its hashes, for this machine's platform and Python: needs the index, not the venv.
wheelhouse:
	$(PYTHON) -m pip download --quiet --require-hashes --only-binary=:all: --dest $(WHEELHOUSE) \
		-r $(if $(WHEELHOUSE_DEV),requirements-dev.lock,requirements.lock)

# Re-pin the locks after editing requirements*.txt (needs the network).
lock: $(VENV)/.test-installed
	for f in requirements requirements-dev; do \
		$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url \
			--no-emit-find-links --annotation-style line -o $$f.lock $$f.txt; done
