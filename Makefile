# River: `make run` opens the app on the bundled sample library, `make test` runs every test.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test

.PHONY: run test lint bench bench-1m clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TSTAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(STAMP)

# Opens River. With no RIVER_DB set it uses the library in your user data folder and fills an
# empty one with the bundled sample, so the first screen is never blank.
run: $(STAMP)
	$(BIN)/river $(ARGS)

# Two test workers per CPU: the Pilot tests spend half their time waiting for the app to fall
# idle (Textual's wait_for_idle), so a second worker per core fills the wait. worksteal keeps
# the long tests from ending the run alone.
WORKERS ?= $(shell $(PYTHON) -c "import os; print(2 * (os.cpu_count() or 1))")

test: $(TSTAMP)
	$(BIN)/ruff check river_tui tests
	$(BIN)/python -m pytest -q -n $(WORKERS) --dist worksteal $(PYTEST_ARGS)

# The speed figures of docs/performance.md (not run by `make test`; builds two libraries of
# 10,000 and 100,000 papers in $TMPDIR/river-bench the first time, ~30 s). SIZES="..." picks
# other sizes.
SIZES ?= 10000 100000
bench: $(TSTAMP)
	$(BIN)/python tests/benchmarks/run_all.py --max-load 0.6 --sizes $(SIZES)

# The same at a million papers (about all of arXiv's computer science) beside 100,000, with
# the learning figures: long (building that library takes 20-40 minutes and 6.4 GB, the run
# an hour or more), not run by CI.
bench-1m: $(TSTAMP)
	$(BIN)/python tests/benchmarks/run_all.py --max-load 0.6 --sizes 100000 1000000 --learning

lint: $(TSTAMP)
	$(BIN)/ruff check river_tui tests

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
