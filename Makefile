# The two commands a user needs: `make run` and `make test`. Both set up .venv themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The folders db/, tui/ and seeds/ install as paradiplo.db, paradiplo.tui and paradiplo.seeds.
# The type checker and the import contracts read them through this tree of links, which has the
# installed names (they cannot follow the editable install's import hook).
TREE := $(VENV)/tree

.PHONY: run test lint bench clean catalogs

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	mkdir -p $(TREE)/paradiplo
	for d in db tui seeds; do ln -sfn ../../../$$d $(TREE)/paradiplo/$$d; done
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/paradiplo-tui

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	PYTHONPATH=$(TREE) $(BIN)/lint-imports
	MYPYPATH=$(TREE) $(BIN)/mypy -p paradiplo.db -p paradiplo.tui

test: lint
# Four workers on two cores: many tests wait on subprocesses, pipes and Textual frames, so more
# workers than cores finish sooner (about 95 s against 125 s with two on this machine).
	$(BIN)/pytest -q -n 4

bench: $(STAMP)
	$(BIN)/python bench/run.py --results bench/RESULTS.md

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache

# After changing user-facing text: extract the messages, merge them into the Indonesian
# catalog, with the command line's help texts (tui/cli_i18n.py) (translate what is new in db/locale/id/LC_MESSAGES/paradiplo.po), then compile.
# Click's own messages (Usage:, Error: No such option, ...) have their catalog, click.po, extracted
# from the installed click (translate what is new there too after upgrading click).
catalogs: $(STAMP)
	$(BIN)/pybabel -q extract --no-location --sort-output --project=paradiplo-tui \
		-k Binding:3 -k notify:1 -k pgettext:1c,2 -o db/locale/paradiplo.pot db tui
	$(BIN)/python -m paradiplo.tui.cli_i18n db/locale/paradiplo.pot
	$(BIN)/pybabel -q update -i db/locale/paradiplo.pot -d db/locale -D paradiplo -l id \
		--no-fuzzy-matching
	$(BIN)/pybabel -q compile -d db/locale -D paradiplo --statistics
	$(BIN)/pybabel -q extract --no-location --sort-output --project=click \
		-o db/locale/click.pot $$($(BIN)/python -c 'import click, os; print(os.path.dirname(click.__file__))')
	$(BIN)/python -m paradiplo.tui.cli_i18n --click db/locale/click.pot
	$(BIN)/pybabel -q update -i db/locale/click.pot -d db/locale -D click -l id \
		--no-fuzzy-matching
	$(BIN)/pybabel -q compile -d db/locale -D click --statistics
