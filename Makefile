# townhall — developer commands. `make help` lists them.
PY      ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
TSTAMP  := $(VENV)/.installed-test
HOST    ?= 127.0.0.1
PORT    ?= 8000
DB      ?= sqlite

.DEFAULT_GOAL := help
.PHONY: help run serve migrate test lint fmt widget wheel bench bench-moderation bench-live bench-import bench-scaleout bench-smoke clean

help: ## List the commands
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	@touch $@

$(TSTAMP): pyproject.toml package-lock.json $(STAMP)
	$(BIN)/pip install -q -e '.[test]'
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --loglevel=error; fi
	@touch $@

node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

run: $(STAMP) ## Serve the demo article with comments on SQLite and print its address
	$(BIN)/townhall demo --host $(HOST) --port $(PORT)

serve: $(STAMP) ## Serve the API (settings from townhall.toml / TOWNHALL_* variables)
	$(BIN)/townhall serve --host $(HOST) --port $(PORT)

migrate: $(STAMP) ## Apply database migrations
	$(BIN)/townhall migrate

# Worker processes for `make test` (pytest-xdist). Most tests wait on servers, databases
# and the browser: on 2 cores four finished in 11 min, three in 12.7 (both on a busy machine).
TEST_WORKERS ?= 4

test: $(TSTAMP) ## Run the whole test suite (unit, integration, browser) in TEST_WORKERS processes
	$(BIN)/python -m pytest -q -p no:cacheprovider -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder $(PYTEST_ARGS)

lint: $(TSTAMP) ## ruff check, ruff format --check, mypy (strict on domain/, services/, storage/)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

widget: node_modules/.package-lock.json ## Bundle src/townhall/web/widget/ into web/static/embed.js (commit the result)
	node scripts/widget.mjs

fmt: $(TSTAMP) ## Format the code
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

wheel: $(STAMP) ## Build the wheel into dist/ (what the container image installs)
	rm -rf build dist
	$(BIN)/pip wheel -q --no-deps --wheel-dir dist .

$(VENV)/.installed-bench: pyproject.toml $(STAMP)
	$(BIN)/pip install -q -e '.[bench]'
	@touch $@

bench: $(VENV)/.installed-bench ## HTTP benchmark vs Isso and a bare ASGI ceiling with wrk (DB=sqlite|postgres|both)
	$(BIN)/python bench/http/run.py --db $(DB) $(BENCH_ARGS)

$(VENV)/.installed-train: pyproject.toml $(STAMP)
	$(BIN)/pip install -q -e '.[train]'
	@touch $@

bench-moderation: $(VENV)/.installed-train ## Score pre-moderation per family (three news sets, shared dev/test, HateCheck, bias) vs alt-profanity-check
	$(BIN)/python bench/moderation/bench.py $(BENCH_ARGS)

bench-live: $(VENV)/.installed-bench ## Hold 10,000 live streams on one instance while posting; print latency and memory
	ulimit -n $$(ulimit -Hn) 2>/dev/null; $(BIN)/python bench/live/bench.py $(BENCH_ARGS)

bench-scaleout: $(VENV)/.installed-bench ## Two instances on one PostgreSQL + Redis behind HAProxy: post to one hot story through both, check nothing is lost
	$(BIN)/python bench/scaleout/bench.py $(BENCH_ARGS)

bench-import: $(STAMP) ## Import 200,000 generated Disqus comments; print time, peak memory, load (DB=sqlite|postgres)
	$(BIN)/python bench/imports/run.py --db $(DB) $(BENCH_ARGS)

bench-smoke: ## Run each benchmark for a few seconds on tiny data (keeps them working; no numbers)
	$(MAKE) bench DB=both BENCH_ARGS="--seconds 1 --connections 4 --workers 1 --threads 20"
	$(MAKE) bench-scaleout BENCH_ARGS="--seconds 1 --connections 4 --readers 2"
	$(MAKE) bench-live BENCH_ARGS="--streams 20 --posts 3 --interval 0.2 --connect-seconds 30 --drain-seconds 1"
	$(MAKE) bench-moderation BENCH_ARGS="--limit 300"
	$(MAKE) bench-import BENCH_ARGS="--comments 2000"

clean: ## Remove caches and local databases
	rm -rf .pytest_cache .ruff_cache test-results build dist *.sqlite3*
