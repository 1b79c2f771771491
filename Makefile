# Two commands set up everything on a fresh machine (see README.md):
#   make run    create .venv, install pinned dependencies (Python from requirements.lock, the web
#               page's libraries from web/package-lock.json), build the seeds graph, show a
#               timeline, then serve the API and the timeline page on http://127.0.0.1:8000
#               (Ctrl-C stops it)
#   make test   the same set-up, then the whole test suite
PYTHON ?= python3
NPM ?= npm
VENV := .venv
BIN := $(VENV)/bin
STORE ?= data/store
WEB_MODULES := web/node_modules/.installed

.PHONY: run test build clean

$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

# npm ci installs exactly the lock file's versions (checked against its integrity hashes) and
# runs no package scripts; it empties node_modules first, so the stamp is made again after it.
$(WEB_MODULES): web/package.json web/package-lock.json
	$(NPM) ci --prefix web --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

build: $(VENV)/.installed
	$(BIN)/tkg build seeds --store $(STORE)

run: build $(WEB_MODULES)
	$(BIN)/tkg timeline --store $(STORE) --speaker Putin --topic negotiations
	$(BIN)/python -m api --store $(STORE)

test: $(VENV)/.installed $(WEB_MODULES)
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) data web/node_modules
