# Spinewise: `make run` to try it, `make test` to check it.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3)
TOOLS := .ci/.tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
export UV_PYTHON_DOWNLOADS := never

.PHONY: run test lint typecheck layers pytest docs bench system-deps fhir-validator clean shelf-sync

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv

$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --quiet --python "$(PYTHON)"
	touch $@

venv: $(VENV)/.synced

run: venv
	$(BIN)/spinewise kb check
	$(BIN)/spinewise db upgrade
	$(BIN)/spinewise demo
	$(BIN)/spinewise serve

system-deps:
	bash scripts/install-system-deps.sh

# The strict FHIR R4 validator the tests run (Node; packages pinned by its lock file).
VALIDATOR := tests/interop/fhir_validator
$(VALIDATOR)/node_modules/.package-lock.json: $(VALIDATOR)/package.json $(VALIDATOR)/package-lock.json
	cd $(VALIDATOR) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

fhir-validator: $(VALIDATOR)/node_modules/.package-lock.json

lint: venv
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: venv
	$(BIN)/mypy

layers: venv
	$(BIN)/lint-imports

docs: venv
	$(BIN)/spinewise kb doc
	$(BIN)/spinewise docs

pytest: venv
	$(BIN)/pytest

test: system-deps fhir-validator lint typecheck layers pytest

bench: venv
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) $(TOOLS) .mypy_cache .ruff_cache .pytest_cache test-output $(VALIDATOR)/node_modules

# Refresh the copies of the team's reference shelf (examples, FHIR samples) kept in the
# repository; nothing reads the shelf at run or test time. Review the diff, then commit.
SHELF ?= ../shared
shelf-sync:
	bash scripts/shelf-sync.sh "$(SHELF)"
