# The two commands a newcomer needs: `make run` and `make test`. Everything else is built on demand.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MODEL := training/artifacts/intent.joblib
# Debian's Chromium drives the browser tests (review page, batch report); Playwright never downloads its own.
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SAMPLE ?= tests/data/sample_note.json

.PHONY: run test bench bench-batch model notes-gold lint clean browser compiled

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

$(MODEL): $(STAMP) $(wildcard training/data/intent/*.jsonl)
	$(BIN)/notecode train

model: $(MODEL)

# Regenerates the committed intent examples from the tuning splits' gold (after a change to the reader or the
# gold); the model target then retrains on them.
notes-gold: $(STAMP)
	$(BIN)/notecode notes-gold

$(CHROMIUM):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium

browser: $(CHROMIUM)

run: $(MODEL)
	$(BIN)/notecode suggest $(SAMPLE)

test: $(MODEL) $(CHROMIUM)
	$(BIN)/python -m pytest

bench: $(MODEL)
	$(BIN)/notecode bench

# Optional: the reader's hot modules compiled with mypyc (gcc needed) into build/compiled_reader/, used only while
# the sources are the ones it was built from (nlp/compiled_reader.py). `make compiled` again after an edit.
compiled: $(STAMP)
	$(BIN)/python tools/compile_reader.py

bench-batch: $(MODEL)
	$(BIN)/notecode batch-bench

lint: $(STAMP)
	$(BIN)/ruff check rules nlp training api tests tools
	$(BIN)/mypy

clean:
	rm -rf $(VENV) build dist .pytest_cache
