# Spinewise: `make run` to try it, `make test` to check it.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3)
TOOLS := .ci/.tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
export UV_PYTHON_DOWNLOADS := never

.PHONY: run test lint typecheck layers pytest docs bench system-deps fhir-validator clean \
	shelf-sync i18n-extract i18n-update i18n-compile

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv

# Installed with compiled bytecode: a first run, or one under PYTHONDONTWRITEBYTECODE,
# does not compile every module it imports (issue 19: start-up time).
$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --quiet --compile-bytecode --python "$(PYTHON)"
	$(VENV)/bin/python -m compileall -q src
	touch $@

venv: $(VENV)/.synced i18n-compile

# gettext catalogues (docs/developers/i18n.md): extract the program's words into the
# template, merge it into each language's .po, compile the .po files to .mo (git-ignored;
# built by every target that runs the program, so `make run` and `make test` get them).
LOCALES := src/spinewise/i18n/locale
PO_FILES := $(wildcard $(LOCALES)/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)
PYBABEL := $(BIN)/pybabel

i18n-extract: $(VENV)/.synced
	$(PYBABEL) extract -F babel.cfg --no-location --sort-output \
		--project spinewise --copyright-holder "Spinewise" --msgid-bugs-address "-" \
		-k gettext -k ngettext:1,2 -o $(LOCALES)/messages.pot .

i18n-update: i18n-extract
	$(PYBABEL) update -i $(LOCALES)/messages.pot -d $(LOCALES) \
		--no-fuzzy-matching --ignore-obsolete --no-wrap

i18n-compile: $(MO_FILES)

$(LOCALES)/%/LC_MESSAGES/messages.mo: $(LOCALES)/%/LC_MESSAGES/messages.po $(VENV)/.synced
	$(PYBABEL) compile --statistics -i $< -o $@

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
