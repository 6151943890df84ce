# note_extract: every target sets up .venv first (Python 3.11+ is all a machine needs).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
RUN_STAMP := $(VENV)/.installed-runtime

.PHONY: setup run test test-fast lint typecheck unit unit-fast schema golden train eval tables bench review clean

# The runtime alone (what `run`, `review`, `schema` and `tables` need: no test, lint or benchmark tools).
$(RUN_STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(RUN_STAMP)

# The runtime and the development tools (tests, lint, type checks, benchmarks, every extra).
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP) $(RUN_STAMP)

setup: $(STAMP) ## create .venv and install the project with its dev tools

run: $(RUN_STAMP) ## install the runtime only (first time), then convert every note in data/raw/ into data/out/
	$(BIN)/note-extract run data/raw -o data/out

lint: $(STAMP) ## ruff, the import layers (lint-imports) and the complexity gate (xenon: no function below grade C)
	$(BIN)/ruff check src tests scripts
	$(BIN)/ruff format --check src tests scripts
	$(BIN)/lint-imports --no-cache
	$(BIN)/xenon --max-absolute C src/note_extract

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/python -m pytest -q

test: lint typecheck unit ## lint, type-check and run the whole test suite (CI runs this)

unit-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow"

test-fast: lint typecheck unit-fast ## the same without the slow tests (benchmarks): for the edit-test loop

schema: $(RUN_STAMP) ## regenerate schemas/ from the models
	$(BIN)/note-extract schema

golden: $(STAMP) ## regenerate tests/golden/ (review the diff against each note before committing)
	$(BIN)/python tests/make_golden.py

CORPUS ?= ../shared/corpus
WRAPPINGS ?= 2000

train: $(STAMP) ## refit the confidence models (data/confidence.jsonl) from every gold set, print cross-validated figures, refresh the golden records' confidences
	$(BIN)/python scripts/train_confidence.py --corpus $(CORPUS)
	$(BIN)/python scripts/golden_confidence.py

eval: $(STAMP) ## score each set: seeds, tests/notes, tests/reports, tests/heldout, tests/heldout2, tests/heldout3, tests/heldout4, and the shared corpus when present
	rm -rf .eval-out
	@mkdir -p .eval-out
	@$(BIN)/note-extract run data/raw -o .eval-out/seeds --force --no-progress > .eval-out/seeds.log 2>&1 \
		|| { cat .eval-out/seeds.log; exit 1; }
	@$(BIN)/note-extract run tests/notes -o .eval-out/notes --force --no-progress > .eval-out/notes.log 2>&1 \
		|| { cat .eval-out/notes.log; exit 1; }
	@echo "== seeds: data/raw against tests/golden"
	@$(BIN)/note-extract eval .eval-out/seeds tests/golden --only data/raw
	@echo "== tests/notes against tests/golden"
	@$(BIN)/note-extract eval .eval-out/notes tests/golden --only tests/notes
	@$(BIN)/note-extract run tests/reports/notes -o .eval-out/reports --force --no-progress \
		> .eval-out/reports.log 2>&1 || { cat .eval-out/reports.log; exit 1; }
	@echo "== hand-written reports: tests/reports/notes against tests/reports/gold"
	@$(BIN)/note-extract eval .eval-out/reports tests/reports/gold
	@$(BIN)/note-extract run tests/heldout/notes -o .eval-out/heldout --force --no-progress \
		> .eval-out/heldout.log 2>&1 || { cat .eval-out/heldout.log; exit 1; }
	@echo "== second hand-written set: tests/heldout/notes against tests/heldout/gold"
	@$(BIN)/note-extract eval .eval-out/heldout tests/heldout/gold
	@$(BIN)/note-extract run tests/heldout2/notes -o .eval-out/heldout2 --force --no-progress \
		> .eval-out/heldout2.log 2>&1 || { cat .eval-out/heldout2.log; exit 1; }
	@echo "== third hand-written set: tests/heldout2/notes against tests/heldout2/gold"
	@$(BIN)/note-extract eval .eval-out/heldout2 tests/heldout2/gold
	@# tests/heldout3 holds a raw RTF note that run refuses: the refusal is printed and scored as a miss
	@$(BIN)/note-extract run tests/heldout3/notes -o .eval-out/heldout3 --force --no-progress \
		> .eval-out/heldout3.log 2>&1 || grep '^failed:' .eval-out/heldout3.log \
		|| { cat .eval-out/heldout3.log; exit 1; }
	@echo "== fourth hand-written set: tests/heldout3/notes against tests/heldout3/gold"
	@$(BIN)/note-extract eval .eval-out/heldout3 tests/heldout3/gold || [ $$? -eq 1 ]
	@$(BIN)/note-extract run tests/heldout4/notes -o .eval-out/heldout4 --force --no-progress \
		> .eval-out/heldout4.log 2>&1 || { cat .eval-out/heldout4.log; exit 1; }
	@echo "== fifth hand-written set: tests/heldout4/notes against tests/heldout4/gold"
	@$(BIN)/note-extract eval .eval-out/heldout4 tests/heldout4/gold || [ $$? -eq 1 ]
	@if [ -d $(CORPUS)/notes ] && [ -d $(CORPUS)/gold ]; then \
		{ $(BIN)/note-extract run $(CORPUS)/notes -o .eval-out/corpus --force --no-progress \
			> .eval-out/corpus.log 2>&1 || { cat .eval-out/corpus.log; exit 1; }; } && \
		echo "== shared corpus: $(CORPUS)/notes against $(CORPUS)/gold" && \
		$(BIN)/note-extract eval .eval-out/corpus $(CORPUS)/gold; \
	else echo "== shared corpus: skipped ($(CORPUS) not found)"; fi
	@if [ -d $(CORPUS)/converted/notes ]; then \
		{ $(BIN)/note-extract run $(CORPUS)/converted/notes -o .eval-out/converted --force --no-progress \
			> .eval-out/converted.log 2>&1 || { cat .eval-out/converted.log; exit 1; }; } && \
		echo "== converted notes: $(CORPUS)/converted/notes against $(CORPUS)/converted/gold" && \
		$(BIN)/note-extract eval .eval-out/converted $(CORPUS)/converted/gold; fi
	@echo "== wrapped notes: seeded random wrappings against each note's own record"
	@$(BIN)/python scripts/eval_wrappings.py --count $(WRAPPINGS)

tables: $(STAMP) ## export data/out as one SQLite database (data/notes.sqlite)
	$(BIN)/note-extract export data/out --to sqlite -o data/notes.sqlite

bench: $(STAMP) ## throughput, start-up, and run's memory at 10,000 and 100,000 notes (note-extract bench --help)
	$(BIN)/note-extract bench --startup --scale 10000,100000 $(if $(wildcard ../shared/corpus/notes),--real ../shared/corpus/notes)

review: $(RUN_STAMP) ## write the review site of data/out into data/site (open data/site/index.html)
	$(BIN)/note-extract review data/out -o data/site

clean:
	rm -rf $(VENV) data/out/*.json data/notes.sqlite data/site .eval-out .pytest_cache .mypy_cache .ruff_cache
