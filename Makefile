# Two entry points for a fresh clone: `make serve` and `make test`. Everything else is a step of those.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ADDR ?= 127.0.0.1:8000

.PHONY: serve build check test test-fast lint bench screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(VENV)/.installed $@

## serve: set up, then serve the playbook at http://$(ADDR) with live reload
serve: $(VENV)/.installed
	$(BIN)/playbook serve --dev-addr $(ADDR)

## build: set up, then build the site strictly into site/
build: $(VENV)/.installed
	$(BIN)/playbook build

## check: validate the playbook's YAML
check: $(VENV)/.installed
	$(BIN)/playbook check --strict

# pytest-xdist: a worker per core; each worker takes the next test as it frees, so the long ones spread out.
# The tests write and remove some 25,000 files a run: in memory (/dev/shm, when it has 4 GB free) that costs
# nothing, where on a disk deleting the previous runs' files alone can take half a minute.
SHM_FREE_KIB := $(shell df -Pk /dev/shm 2>/dev/null | awk 'NR == 2 { print $$4 }')
SHM_TMP := /dev/shm/playbook-tests-$(shell printf %s "$(CURDIR)" | cksum | cut -d' ' -f1)
TEST_TMP := $(if $(shell [ "$(SHM_FREE_KIB)" -gt 4000000 ] 2>/dev/null && echo yes),--basetemp=$(SHM_TMP))
PYTEST := $(BIN)/pytest -n auto --dist worksteal $(TEST_TMP)
# The tests start Python some hundred times (serve, init, the engines, the installed wheel): a machine that sets
# PYTHONDONTWRITEBYTECODE (as this machine does) would compile the package and the wheel's
# modules afresh in each. Here they are compiled once and kept (__pycache__/ is ignored by git).
unexport PYTHONDONTWRITEBYTECODE
FAST := not browser and not install and not engines

## test: set up, then run ruff, mypy, the import contracts, playbook check and the whole test suite
##       (browser tests need Debian's chromium)
test: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache
	$(BIN)/playbook check --strict
	$(PYTEST)

## test-fast: the edit loop's tests: everything but the browser, the install and the engines' virtualenvs
##            (tests/browser/ holds only browser tests: it is not even collected)
test-fast: $(VENV)/.installed-test
	$(PYTEST) -q -m "$(FAST)" --ignore=tests/browser

## screenshots: retake the README's pictures (screenshots/) from the built site in Chromium, small palette PNGs
screenshots: $(VENV)/.installed-test
	PLAYBOOK_README_PICTURES=1 $(BIN)/pytest -q -p no:cacheprovider tests/browser/test_pictures.py

## bench: the performance benchmark (minutes; not part of the tests)
bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/bench.py

## clean: remove the built site, the tests' leftovers and their temporary folders (in memory when in /dev/shm)
clean:
	rm -rf site .site-* test-results .pytest_cache build dist $(SHM_TMP)
