# The few verbs people need. `make demo` and `make test` are the README's quick start.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: setup browser translations demo serve test test-fast lint bench clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

browser: setup
	$(BIN)/python scripts/ensure_browser.py

# The dashboard's message catalogues (.po, committed) compiled to .mo (build output; the app
# also compiles a missing or stale one at start-up).
translations: setup
	$(BIN)/pybabel compile --statistics -d tracker_web/translations

serve: setup translations
	$(BIN)/xktracker init
	$(BIN)/xktracker serve

demo: setup browser
	$(BIN)/xktracker demo

test: setup browser translations
	$(BIN)/python -m pytest

test-fast: setup
	$(BIN)/python -m pytest -m "not browser and not slow"

lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy checks db reports tracker_web

bench: setup browser
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache *.egg-info
