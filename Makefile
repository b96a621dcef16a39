# The two commands a newcomer needs: `make run` and `make test`. Everything else is built on demand.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MODEL := training/artifacts/intent.joblib
SAMPLE ?= tests/data/sample_note.json

.PHONY: run test bench model lint clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

$(MODEL): $(STAMP) $(wildcard training/data/intent/*.jsonl)
	$(BIN)/notecode train

model: $(MODEL)

run: $(MODEL)
	$(BIN)/notecode suggest $(SAMPLE)

test: $(MODEL)
	$(BIN)/python -m pytest

bench: $(MODEL)
	$(BIN)/notecode bench

lint: $(STAMP)
	$(BIN)/ruff check rules nlp training api tests
	$(BIN)/mypy

clean:
	rm -rf $(VENV) build dist .pytest_cache
