# Two commands a newcomer needs: `make run` and `make test`. Both create/reuse .venv.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# setuptools announces every editable install with an "Editable installation" warning about its
# own import machinery; it is about setuptools, not this project, so it is not shown.
PIP_INSTALL := PYTHONWARNINGS="ignore:Editable installation" $(BIN)/python -m pip install -q

.PHONY: setup run test lint bench clean translations translations-check icons bundle ci \
	release-check

$(STAMP): pyproject.toml questionbook/__init__.py
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(PIP_INSTALL) -e '.[test,dev]'
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/questionbook $(ARGS)

# The suite, then ruff even when tests failed; the exit status is pytest's if it failed.
test: $(STAMP)
	@echo "QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)"; \
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS); tests=$$?; \
	echo "$(BIN)/ruff check ."; $(BIN)/ruff check .; lint=$$?; \
	[ $$tests -eq 0 ] || exit $$tests; exit $$lint

# Every linter runs, even after one failed.
lint: $(STAMP)
	@status=0; for check in "ruff check ." "ruff format --check ." "mypy"; do \
		echo "$(BIN)/$$check"; $(BIN)/$$check || status=1; \
	done; exit $$status

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

# One-folder desktop bundle in build/dist/QuestionBook: size budget, smoke test (docs/packaging.md).
bundle: $(STAMP)
	$(PIP_INSTALL) -e '.[package]'
	$(BIN)/python packaging/build.py --smoke --check-size

# What CI runs (.ci/run), and that plus dated release notes (docs/packaging.md, "Releasing").
ci:
	bash .ci/run

release-check:
	$(PY) scripts/release_check.py --release

clean:
	rm -rf $(VENV) build dist *.egg-info
