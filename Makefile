# The few verbs people need. `make demo` and `make test` are the README's quick start.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
LOCK   := requirements/dev.txt
BUILD  := requirements/build.txt
PINS   := requirements/generator-sources.txt
PIPLOCK := requirements/pip.txt
WIDGETWEB := tests/widgetweb
COMPILE = $(BIN)/uv pip compile --generate-hashes --universal --python-version 3.11 --no-header --quiet
BUILD_REQUIRES = $(BIN)/python -c "import tomllib; print(*tomllib.load(open('pyproject.toml', 'rb'))['build-system']['requires'], sep='\n')"

.PHONY: setup browser translations demo serve test test-fast test-lists lint bench clean lock \
        lock-upgrade generate generate-check upstream-lists widgetweb

setup: $(VENV)/.installed

# The locked pip first (a new virtualenv has whatever pip its Python bundles), then exactly
# the versions in the lock (hashes checked), then the project itself without deps: a fresh
# machine gets the same tree as the one that last passed CI. pyproject.toml keeps ranges.
$(VENV)/.installed: $(PIPLOCK) $(LOCK) $(BUILD) pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r $(PIPLOCK)
	$(BIN)/pip install --quiet --require-hashes -r $(BUILD) -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

# Re-resolve the lock from pyproject.toml's ranges, keeping the versions already locked where they
# still fit; `lock-upgrade` moves everything to the newest release (generator sources excepted:
# see $(PINS)). Review the diff, then `make generate-check test`.
lock: setup
	$(COMPILE) pyproject.toml --extra dev -c $(PINS) -o $(LOCK) $(UPGRADE)
	$(BUILD_REQUIRES) | $(COMPILE) - -o $(BUILD) $(UPGRADE)
	$(COMPILE) requirements/pip.in -o $(PIPLOCK) $(UPGRADE)

lock-upgrade:
	$(MAKE) lock UPGRADE=--upgrade

# Regenerate every committed, generated file from the locked packages (`generate-check` writes
# nothing and fails when a file differs: the test suite runs the same checks).
generate: setup
	$(BIN)/python -m checks.data.build_names
	$(BIN)/python -m xktracker.demoweb.make_pages
	$(BIN)/python -m xktracker.demoweb.make_widget_pages

generate-check: setup
	$(BIN)/python -m checks.data.build_names --check
	$(BIN)/python -m xktracker.upstream check
	$(BIN)/python -m xktracker.demoweb.make_pages --check
	$(BIN)/python -m xktracker.demoweb.make_widget_pages --check

browser: setup
	$(BIN)/python scripts/ensure_browser.py

# The message catalogues (.po, committed) compiled to .mo (build output; the app also
# compiles a missing or stale one when it needs it): the pages (messages) and the letters.
# The .po files carry no header (--omit-header), which pybabel takes for a fuzzy catalogue:
# compiles them; no message is fuzzy (tests/test_web_i18n.py checks).
translations: setup
	$(BIN)/pybabel compile --statistics -d tracker_web/translations
	$(BIN)/pybabel compile --statistics -D letters -d tracker_web/translations

serve: setup translations
	$(BIN)/xktracker init
	$(BIN)/xktracker serve

demo: setup browser
	$(BIN)/xktracker demo

# Real releases of country-list libraries for the attribution test (npm ci from
# tests/upstream/package-lock.json, pip with hashes from tests/upstream/requirements/):
# installed under tests/upstream/, never committed.
test-lists: setup
	$(BIN)/python tests/upstream/install.py

# Rebuild checks/data/platforms.json from the registries (npm, PyPI, Debian) and the tables of
# docs/upstream-lists.md; review the diff (see docs/upstream-lists.md).
upstream-lists: setup
	$(BIN)/python -m xktracker.upstream build

# The widget web (tests/widgetweb): real UI libraries from npm, exactly as locked, and the
# React/Vue/web-component pages bundled by esbuild. Without npm its tests skip, saying why.
widgetweb: $(WIDGETWEB)/build/built.json

$(WIDGETWEB)/build/built.json: $(WIDGETWEB)/package-lock.json $(WIDGETWEB)/build.mjs \
		$(wildcard $(WIDGETWEB)/src/bundles/*)
	@if command -v npm >/dev/null; then \
	  cd $(WIDGETWEB) && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build; \
	else echo "npm is not installed: the widget web's tests will be skipped"; fi

test: setup browser translations test-lists widgetweb
	$(BIN)/python -m pytest

test-fast: setup
	$(BIN)/python -m pytest -m "not browser and not slow"

lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy foundation checks db reports tracker_web
	$(BIN)/lint-imports

bench: setup browser widgetweb
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache *.egg-info
	rm -rf $(WIDGETWEB)/node_modules $(WIDGETWEB)/build
