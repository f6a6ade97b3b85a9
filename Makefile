# One entry point for every job of the project. Everything runs inside .venv, which `setup`
# creates from pyproject.toml, and node_modules, which it creates from package-lock.json.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
REPORTS := reports
HYPOTHESIS_PROFILE ?= ci

.PHONY: setup generate check lint typecheck test test-thorough demo serve bench drift clean

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml generated/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ./generated -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

## Render generated/ from spec/ (maintainers run this after every spec change).
generate: $(VENV)/.installed
	$(PY) -m generator

## Fail with a diff when generated/ no longer matches a fresh render of spec/.
check: $(VENV)/.installed
	$(PY) -m generator --check

lint: setup
	$(PY) -m openapi_spec_validator spec/openapi.yaml
	npx --no-install redocly lint spec/openapi.yaml
	$(PY) -m ruff check generator contracts tests bench generated drift

typecheck: $(VENV)/.installed
	$(PY) -m mypy --strict generated/modelarts_training generator
	$(PY) -m mypy --strict contracts/modelarts_contract

## The test suite (fast hypothesis profile; `make test-thorough` for the long one).
test: setup
	$(PY) -m pytest --hypothesis-profile=$(HYPOTHESIS_PROFILE)

test-thorough:
	$(MAKE) test HYPOTHESIS_PROFILE=thorough

## The main job: generate, start the emulator, run the contract against it, show the report.
demo: setup generate
	$(PY) -m modelarts_contract demo --junit-xml $(REPORTS)/contract.xml

serve: $(VENV)/.installed
	$(PY) -m modelarts_contract serve

bench: setup
	$(PY) -m bench

## Compare the spec's terminate answer with the official SDK's (`make drift ARGS="--json"`).
## Setting up goes to stderr, so that stdout holds only the report (JSON a tool can parse).
drift:
	@$(MAKE) -s --no-print-directory $(VENV)/.installed >&2
	@$(PY) -m drift $(ARGS)

clean:
	rm -rf $(VENV) node_modules $(REPORTS) .pytest_cache .mypy_cache .ruff_cache .hypothesis
