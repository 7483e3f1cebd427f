# bodata: `make run` serves the demo, `make test` runs the suite; both set up .venv themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

PYTEST_WORKERS ?= auto

.PHONY: setup run test test-fast smoke lint format bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "bodata needs Python 3.11 or newer (set PYTHON=...)")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/bodata serve --demo --host 127.0.0.1 --port 8000

test: $(STAMP) lint
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

# A developer's loop: SQLite only, no end-to-end module; SERVICE=portal (a folder of tests/) narrows it to one.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile -m "not e2e" -k "not postgresql" tests/$(SERVICE) $(PYTEST_ARGS)

# The wheel as users install it: a fresh venv, no source tree, `bodata serve --demo` answering (CI runs it too).
smoke: $(STAMP)
	$(BIN)/python .ci/package_smoke.py

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

format: $(STAMP)
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis .ruff_cache bench/results
