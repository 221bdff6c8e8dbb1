# Two commands matter: `make run` and `make test`. Everything else is a step they use.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
DB      ?= data/build/paylens.duckdb
PORT    ?= 8501
# The dashboard listens on this machine only ("Add to corpus" writes to data/); `make run HOST=0.0.0.0` opens
# it up. HOST from the environment is ignored: tcsh exports the machine's own name as HOST.
ifneq ($(origin HOST),command line)
HOST    := 127.0.0.1
endif
DATA_FILES := $(shell find data -path data/build -prune -o -type f -print 2>/dev/null)
# The code that turns data/ into the store: a change to the schema, aggregates or extractor rebuilds it too.
BUILD_CODE := $(wildcard paylens/store/*.py paylens/store/*.sql paylens/signals/*.py paylens/search/*.py paylens/search/*.sql)

.PHONY: run run-team test build lint bench system-deps browser-deps clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The store is derived from data/: rebuild when it is missing or older than any source or build-code file.
$(DB): $(STAMP) $(DATA_FILES) $(BUILD_CODE)
	$(BIN)/paylens build --db $(DB)

build: $(STAMP)
	$(BIN)/paylens build --db $(DB)

run: $(DB)
	$(BIN)/streamlit run dashboard.py --server.address $(HOST) --server.port $(PORT) --server.headless true

# A team deployment on this machine (README, Deploying for a team): PostgreSQL holds the DuckLake catalog, data/
# is published into it, REPLICAS read-only dashboards sit behind HAProxy on PORT (sticky sessions, websockets) and
# one editor (uploads, corrections) on PORT+1. Everything runs in the foreground under data/build/team/; Ctrl-C
# stops it all. TEAM_ARGS passes more options (`python -m paylens.deploy.team --help`), e.g. TEAM_ARGS=--no-editor.
REPLICAS ?= 3
TEAM_ARGS ?=
run-team: $(STAMP) system-deps
	$(BIN)/python -m paylens.deploy.team --replicas $(REPLICAS) --port $(PORT) --host $(HOST) $(TEAM_ARGS)

# Debian's packages the tests start themselves (no browser download): chromium and CJK fonts for the browser
# tests; PostgreSQL (the DuckLake catalog) and HAProxy (the proxy) for the team deployment and its tests.
SYSTEM_PACKAGES := chromium fonts-noto-cjk postgresql haproxy
system-deps:
	@if command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi 'Noto Sans CJK' \
	  && command -v haproxy >/dev/null 2>&1 && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  echo "$(SYSTEM_PACKAGES) present"; \
	else \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES); \
	fi

browser-deps: system-deps

test: $(STAMP) system-deps
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP)
	$(BIN)/paylens synth --db data/build/synth.duckdb
	$(BIN)/paylens bench --db data/build/synth.duckdb --json

clean:
	rm -rf data/build $(VENV)
