# Two commands set up everything on a fresh machine (see README.md):
#   make run    create .venv, install pinned dependencies, build the seeds graph, show a timeline,
#               then serve the API on http://127.0.0.1:8000 (Ctrl-C stops it)
#   make test   the same set-up, then the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STORE ?= data/store

.PHONY: run test build clean

$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

build: $(VENV)/.installed
	$(BIN)/tkg build seeds --store $(STORE)

run: build
	$(BIN)/tkg timeline --store $(STORE) --speaker Putin --topic negotiations
	$(BIN)/python -m api --store $(STORE)

test: $(VENV)/.installed
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) data
