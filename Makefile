# nft-toolkit: `make demo` and `make test` on a fresh machine; both run `make setup` first.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMPS := .stamps
SOLC_VERSION := $(shell sed -n 's/^ *version: *\([0-9.]*\)$$/\1/p' brownie-config.yaml | head -n 1)

# Brownie finds the pinned solc here, and ganache-cli on PATH.
export SOLCX_BINARY_PATH := $(CURDIR)/.solc
export PATH := $(CURDIR)/node_modules/.bin:$(PATH)

.PHONY: setup test test-slow test-contracts demo gas slither artifacts check-artifacts clean

setup: $(STAMPS)/venv $(STAMPS)/node .solc/solc-v$(SOLC_VERSION) $(STAMPS)/browser $(STAMPS)/redis

$(STAMPS)/venv: pyproject.toml
	@mkdir -p $(STAMPS)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

$(STAMPS)/node: package.json package-lock.json
	@mkdir -p $(STAMPS)
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# The browser tests drive Debian's chromium (Playwright's own download does not work offline),
# with Noto CJK so Chinese pages render; installed with apt when running as root (CI).
CHROMIUM := /usr/bin/chromium
$(STAMPS)/browser:
	@mkdir -p $(STAMPS)
	@if [ ! -x $(CHROMIUM) ] || ! dpkg -s fonts-noto-cjk >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk; \
	  else \
	    echo "warning: chromium or fonts-noto-cjk is missing and this is not root: the browser tests will fail (sudo apt-get install chromium fonts-noto-cjk)"; \
	  fi; \
	fi
	@if [ -x $(CHROMIUM) ]; then touch $@; fi

# Several `serve` instances share their proof-of-holding nonces in Redis (serve --replay-store);
# its test runs Debian's redis-server on a loopback port of its own (the package is installed only,
# never started as a service).
$(STAMPS)/redis:
	@mkdir -p $(STAMPS)
	@if ! command -v redis-server >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server; \
	  else \
	    echo "warning: redis-server is missing and this is not root: tests/web/test_serve_instances.py will fail (sudo apt-get install redis-server)"; \
	  fi; \
	fi
	@if command -v redis-server >/dev/null; then touch $@; fi

.solc/solc-v$(SOLC_VERSION): brownie-config.yaml package-lock.json $(STAMPS)/venv $(STAMPS)/node
	$(PY) tools/setup_solc.py
	@touch $@

# All tests: the type check (mypy --strict over nft_toolkit/, pyproject.toml [tool.mypy]), then
# contracts on ganache through Brownie, the library, the CLI, in TEST_WORKERS processes
# (pytest-xdist; a test file stays in one worker, and Brownie gives each worker its own chain on
# the next port). The suite waits on chains and child processes as much as it computes.
TEST_WORKERS ?= 2
test: setup
	$(PY) -m mypy
	@# Brownie compiles a fresh clone's contracts into build/ when it loads the project: once,
	@# here, or both workers write the same files and one fails to start
	SOLCX_BINARY_PATH=$(CURDIR)/.solc $(PY) -c "from brownie import project; project.load('.')" >/dev/null
	$(PY) -m pytest -q -n $(TEST_WORKERS) --dist loadfile

# The long suites: seeded SIGKILLs of 500-token mints, fully random 45 MB CID cases, 10x fuzzing,
# and benchmarks/pipeline.py, the whole job at 1,000 items (tests/benchmarks/test_pipeline.py).
test-slow: setup
	$(PY) -m pytest -q -m slow

test-contracts: setup
	$(PY) -m pytest -q tests/contracts

# The whole job on a throwaway local chain: generate, pin, deploy, mint, verify, catch forgeries.
demo: setup
	$(VENV)/bin/nft-toolkit demo

SLITHER_VENV := .slither-venv
# Static analysis of the shipped contracts (docs/RELIABILITY.md); Slither in a venv of its own.
slither: setup
	test -x $(SLITHER_VENV)/bin/slither || { $(PYTHON) -m venv $(SLITHER_VENV) && $(SLITHER_VENV)/bin/pip install --quiet 'slither-analyzer>=0.11.6,<0.12'; }
	$(PY) tools/slither.py --slither $(SLITHER_VENV)/bin/slither

gas: setup
	$(PY) benchmarks/gas.py

artifacts: setup
	$(PY) tools/build_artifacts.py

check-artifacts: setup
	$(PY) tools/build_artifacts.py --check

clean:
	rm -rf build reports .hypothesis .pytest_cache .mypy_cache
