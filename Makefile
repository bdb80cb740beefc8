# The two commands of the README: `make run` and `make test`. Each installs what it needs
# into a virtual environment (.venv) first; the stamps re-install when requirements change.
PYTHON ?= python3
VENV ?= .venv
PORT ?= 8501
# Three workers: the suite waits on databases and browsers more than on the two cores.
PYTEST_ARGS ?= -n 3
BIN := $(VENV)/bin

.PHONY: run test

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.run-installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.test-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.run-installed

run: $(VENV)/.run-installed
	$(BIN)/python -m seed --first-run
	$(BIN)/python -m data_access init
	$(BIN)/python -m streamlit run serve.py --server.port $(PORT)

test: $(VENV)/.test-installed
	$(BIN)/python -m pytest $(PYTEST_ARGS)
