# note_extract: every target sets up .venv first (Python 3.11+ is all a machine needs).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup run test lint typecheck unit schema golden eval tables bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP) ## create .venv and install the project with its dev tools

run: $(STAMP) ## convert every note in data/raw/ into data/out/
	$(BIN)/note-extract run data/raw -o data/out

lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/python -m pytest -q

test: lint typecheck unit ## lint, type-check and run the whole test suite

schema: $(STAMP) ## regenerate schemas/ from the models
	$(BIN)/note-extract schema

golden: $(STAMP) ## regenerate tests/golden/ (review the diff against each note before committing)
	$(BIN)/python tests/make_golden.py

eval: $(STAMP) ## score the pipeline against the reviewed golden records
	rm -rf .eval-out
	$(BIN)/note-extract run data/raw -o .eval-out --force --no-progress
	$(BIN)/note-extract run tests/notes -o .eval-out --force --no-progress
	$(BIN)/note-extract eval .eval-out tests/golden

tables: $(STAMP) ## export data/out as one SQLite database (data/notes.sqlite)
	$(BIN)/note-extract export data/out --to sqlite -o data/notes.sqlite

bench: $(STAMP) ## throughput, start-up, and run's memory at 10,000 and 100,000 notes (note-extract bench --help)
	$(BIN)/note-extract bench --startup --scale 10000,100000

clean:
	rm -rf $(VENV) data/out/*.json data/notes.sqlite .eval-out .pytest_cache .mypy_cache .ruff_cache
