# The two commands of the README: `make run` and `make test`.
# Each installs what it needs on a fresh machine with Python 3 and make.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint typecheck pytest docs bench system-deps clean

run: $(STAMP)
	$(BIN)/flask --app example_app run --host 127.0.0.1 --port 5000

test: $(STAMP) system-deps lint typecheck pytest docs

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP) system-deps
	$(BIN)/pytest

docs: $(STAMP)
	$(BIN)/sphinx-build -W --keep-going -q -b html docs docs/_build/html

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

# Debian's chromium (browser tests) and redis-server (shared-state tests).
system-deps:
	@./scripts/install-system-deps.sh

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,docs]'
	@touch $@

clean:
	rm -rf $(VENV) docs/_build .mypy_cache .ruff_cache
