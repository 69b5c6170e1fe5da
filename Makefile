# Two commands on a fresh machine: `make run` (main job on the bundled snapshot) and
# `make test` (the whole suite). Each builds the virtual environment it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench install clean

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/mi run daily
	$(BIN)/mi status
	$(BIN)/mi desk --sample-accounts --no-serve

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/gather.py

clean:
	rm -rf $(VENV) var
