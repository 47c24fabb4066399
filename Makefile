# The two commands of the README: `make run` and `make test`.
# Each installs what it needs on a fresh machine with Python 3 and make.
# One .venv holds both distributions, installed editable: PyIpernity (pyipernity/)
# and Flask-Ipernity (this folder).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# make run needs only the site's dependencies; make test adds the tools.
RUN_STAMP  := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test
SOURCES    := pyproject.toml pyipernity/pyproject.toml

.PHONY: run test lint typecheck pytest docs dist bench mutation system-deps clean

# python -m example_app: flask run's server, but a configuration error is one line.
run: $(RUN_STAMP)
	$(BIN)/python -m example_app --host 127.0.0.1 --port 5000

# The docs build (HTML and XML, any warning an error) is one of the tests: tests/docs.
test: $(TEST_STAMP) system-deps lint typecheck pytest

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(TEST_STAMP)
	$(BIN)/mypy

# Two workers (this machine's cores), the tests in a new random order each run
# (pytest-randomly prints its seed; `--randomly-seed=N` replays an order), and the
# ten slowest named at the end.
pytest: $(TEST_STAMP) system-deps
	$(BIN)/pytest -n 2 --dist worksteal --durations=10

docs: $(TEST_STAMP)
	$(BIN)/sphinx-build -W --keep-going -q -b html docs docs/_build/html

# Both sdists and wheels, their metadata checked as the package index would (make test
# does the same in tests/packaging/, then installs them in fresh venvs).
dist: $(TEST_STAMP)
	rm -rf dist
	$(BIN)/python -m build --sdist --wheel --outdir dist pyipernity
	$(BIN)/python -m build --sdist --wheel --outdir dist .
	$(BIN)/twine check --strict dist/*

bench: $(TEST_STAMP)
	$(BIN)/python benchmarks/run.py

# Not part of `make test`: mutation testing of the security-relevant modules.
mutation: $(TEST_STAMP)
	$(BIN)/python -m pip install --quiet 'mutmut>=3,<4'
	$(BIN)/python scripts/mutation.py

# Debian's chromium (browser tests) and redis-server (shared-state tests).
system-deps:
	@./scripts/install-system-deps.sh

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The site's documented modes all work: frobs, and OAuth (IPERNITY_AUTH_METHOD=oauth).
$(RUN_STAMP): $(SOURCES) | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e ./pyipernity -e '.[oauth]'
	@touch $@

$(TEST_STAMP): $(SOURCES) | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e './pyipernity[sandbox,shell,oauth]' -e '.[test,docs]'
	@touch $@ $(RUN_STAMP)

clean:
	rm -rf $(VENV) dist docs/_build .mypy_cache .ruff_cache
