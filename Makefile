# Two commands a newcomer needs: `make run` and `make test`. Both create/reuse .venv.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench screenshots clean translations translations-check icons bundle

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test,dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/questionbook $(ARGS)

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)
	$(BIN)/ruff check questionbook tests bench

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python bench/run

# Extract _() strings, update the .po files, compile the .mo files (docs/translating.md).
translations: $(STAMP)
	$(BIN)/python scripts/translations.py

translations-check: $(STAMP)
	$(BIN)/python scripts/translations.py --check

# Re-render the PNG app icons from resources/icons/app/questionbook.svg.
icons: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python packaging/render_icons.py

# One-folder desktop bundle in build/dist/QuestionBook, smoke-tested (docs/packaging.md).
bundle: $(STAMP)
	$(BIN)/python -m pip install -q -e '.[package]'
	$(BIN)/python packaging/build.py --smoke

clean:
	rm -rf $(VENV) build dist *.egg-info
