# Two commands for a newcomer: `make run` (the dashboard on a sample org) and `make test` (the whole suite).
# Each creates .venv and installs the project on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-slow lint format bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/streamlit run app.py

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -n 2 -q -rs

# the load test (ten dashboard sessions at once in headless Chromium, about 1.5 minutes); .ci/run runs it after make test
test-slow: $(STAMP)
	$(BIN)/python -m pytest -m slow -q -s -rs
	HYPOTHESIS_PROFILE=thorough $(BIN)/python -m pytest -n 2 -q -rs -m property

lint: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/inputs.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
